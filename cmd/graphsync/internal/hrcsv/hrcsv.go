// Package hrcsv reads an HR export: a CSV file whose header names one SCIM
// attribute per column, each line one person, into the SCIM users that
// API-driven inbound provisioning (bulkUpload) takes.
//
// The header names one SCIM attribute per column; externalId (the
// person's ID in the HR system) is required, and an empty cell leaves its attribute out (it is
// not cleared). Columns, matched without regard to case:
//
//	externalId, userName, displayName, nickName, title, userType,
//	preferredLanguage, locale, timezone, profileUrl
//	active                      true or false (false disables the account)
//	name.givenName              also familyName, middleName, formatted,
//	                            honorificPrefix, honorificSuffix
//	emails[type eq "work"].value   a value of a multi-valued attribute by
//	                            type: emails, phoneNumbers, ims, photos,
//	                            roles, entitlements, x509Certificates
//	                            (.value, .display, .primary) and addresses
//	                            (.streetAddress, .locality, .region,
//	                            .postalCode, .country, .formatted,
//	                            .primary); emails[work].value is short
//	                            for the same. The quotes need no CSV
//	                            quoting (the header is read with lazy
//	                            quotes).
//	urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department
//	                            the enterprise extension: employeeNumber,
//	                            costCenter, organization, division,
//	                            department, manager (the manager's
//	                            externalId), manager.displayName
//	urn:contoso:employee:HireDate  a custom extension: URN:attribute, sent
//	                            as a string
//
// Each attribute may have one column: two spellings of the same one
// (letter case, surrounding spaces, externalId and
// urn:ietf:params:scim:schemas:core:2.0:User:externalId, emails[work].value
// and emails[type eq "work"].value, the enterprise manager and
// manager.value) are a repeated column, refused naming both.
//
// A byte-order mark is dropped, lines starting with '#' before the header
// are comments, and errors name the physical line. After the header every
// line that is not blank is a record, one whose first cell starts with '#'
// included, and quotes are strict (RFC 4180: a quote opens a cell only as
// its first character and is doubled inside it): a quote opened and never
// closed would otherwise run the cell on over the lines after it, and the
// people on them would vanish from the export without a word. An empty
// input, a quote out of place, an externalId given
// twice, a cell that is not valid UTF-8 and a cell with a control
// character are errors, before anything is sent: C0 and C1 controls (TAB
// and a lone CR included; a line break inside a quoted cell is fine), DEL,
// bidi embeddings, overrides and isolates, and the line and paragraph
// separators. Invisible characters that names need (zero-width joiners,
// direction marks, a soft hyphen) are accepted.
//
// An export whose header names the HR system's own columns is read with a
// Mapping (ParseMapping: a JSON file of attribute to column, constant,
// join, transforms and value tables). Reader reads one record at a time,
// for a caller that keeps only some.
package hrcsv

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/csvin"
	"github.com/graphsync/graphsync/models"
)

// Record is one HR record: a CSV line and the user it describes.
type Record struct {
	// Line is the physical line number of the record in the CSV (blank
	// and comment lines counted).
	Line int
	User models.SCIMUser
}

// Fingerprint identifies the record's content: "sha256:" and the SHA-256
// of its SCIM user's JSON, which is what bulkUpload carries (the schemas
// list BulkUploadChunks adds aside, which follows from the attributes).
// A journal line counts for a record only with the same fingerprint.
func (r Record) Fingerprint() string {
	sum, ok := r.Sum()
	if !ok {
		return "" // not uploadable either; counts for nothing
	}
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Sum is the SHA-256 that Fingerprint writes; ok is false for a user
// that cannot be encoded.
func (r Record) Sum() (sum [sha256.Size]byte, ok bool) {
	b, err := json.Marshal(r.User)
	if err != nil {
		return sum, false
	}
	return sha256.Sum256(b), true
}

// ErrNoRecords is returned for an input with no record in it.
var ErrNoRecords = errors.New("no records")

// setter sets one attribute of a user from a cell.
type setter func(u *models.SCIMUser, v string) error

// Read reads HR records. The first line that is neither blank nor a
// comment (starting with '#') is the header: one SCIM attribute per column
// (see the package comment for the syntax); externalId is required. A
// byte-order mark is dropped, every line after the header that is not
// blank is a record, an empty cell leaves its attribute out.
// A cell that is not valid UTF-8 or holds a control character (package
// csvin) is an error. Errors carry the physical line number. An input
// without a record is an error (ErrNoRecords), as is an externalId given
// twice.
func Read(name string, in io.Reader) ([]Record, error) {
	r, err := NewReader(name, in, nil)
	if err != nil {
		return nil, err
	}
	var out []Record
	seen := map[string]int{}
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[rec.User.ExternalID]; dup {
			return nil, DuplicateError(name, rec, prev)
		}
		seen[rec.User.ExternalID] = rec.Line
		out = append(out, rec)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w (an empty or header-only CSV)", name, ErrNoRecords)
	}
	return out, nil
}

// DuplicateError is the error for rec, whose externalId is also the
// record's on line prev.
func DuplicateError(name string, rec Record, prev int) error {
	return fmt.Errorf("%s line %d: externalId %q is also on line %d; give each person one record", name, rec.Line, rec.User.ExternalID, prev)
}

// Reader reads records one at a time, so that a caller that keeps only
// some of them (the changed ones) holds no copy of the others. It does
// not look for an externalId given twice: Read does, and a caller of
// Next must (DuplicateError says it).
type Reader struct {
	name  string
	r     *csvin.Reader
	attrs []string
	// One of: the header's setters (header mode), or the mapping and
	// the CSV columns it reads.
	columns []setter
	header  []string
	m       *Mapping
	colIdx  []int // the column of each of m's sources, by mapping.sources index
}

// NewReader reads the header of in. With m nil, the header names one SCIM
// attribute per column (see the package comment); with a Mapping, the
// header names the HR system's columns and m says which attribute each
// one (or a constant, or a join of several) becomes. An input without a
// header is ErrNoRecords.
func NewReader(name string, in io.Reader, m *Mapping) (*Reader, error) {
	// A header cell such as emails[type eq "work"].value needs no CSV
	// quoting; the records' quotes are strict, and a record's first cell
	// may start with '#' (package csvin: NewHeader).
	cr, rec, line, err := csvin.NewHeader(name, in)
	if err == io.EOF {
		return nil, fmt.Errorf("%s: %w (an empty or header-only CSV)", name, ErrNoRecords)
	}
	if err != nil {
		return nil, err
	}
	r := &Reader{name: name, r: cr, m: m, header: rec}
	if m == nil {
		r.columns, r.attrs, err = parseHeader(rec)
	} else {
		r.colIdx, err = m.columns(rec)
		r.attrs = m.Attributes()
	}
	if err != nil {
		return nil, fmt.Errorf("%s line %d (header): %w", name, line, err)
	}
	return r, nil
}

// Attributes are the SCIM attribute paths the input sets, one spelling
// each (see attribute), in column or mapping order.
func (r *Reader) Attributes() []string { return r.attrs }

// EndsWithLineBreak reports, once Next has returned io.EOF, whether the
// input ended with a line break, as an export written whole does. One
// that does not was most likely cut short (read while still written, a
// transfer that failed): its last record may have a cut last cell, and
// the people after it are missing.
func (r *Reader) EndsWithLineBreak() bool { return r.r.EndsWithLineBreak() }

// Next returns the next record, or io.EOF after the last.
func (r *Reader) Next() (Record, error) {
	rec, line, err := r.r.Next()
	if err != nil {
		return Record{}, err
	}
	if len(rec) != len(r.header) {
		hint := ""
		if strings.HasPrefix(rec[0], "#") {
			hint = " (a line starting with # is a comment only before the header; after it, every line is a record)"
		}
		return Record{}, fmt.Errorf("%s line %d: %d columns; the header has %d%s", r.name, line, len(rec), len(r.header), hint)
	}
	var u models.SCIMUser
	if r.m != nil {
		if err := r.m.apply(&u, rec, r.colIdx, func(col int, err error) error {
			if col < 0 {
				return fmt.Errorf("%s line %d: %w", r.name, line, err)
			}
			return fmt.Errorf("%s line %d column %d (%s): %w", r.name, line, col+1, strings.TrimSpace(r.header[col]), err)
		}); err != nil {
			return Record{}, err
		}
	} else {
		for i, cell := range rec {
			if cell = strings.TrimSpace(cell); cell == "" {
				continue
			}
			if err := r.columns[i](&u, cell); err != nil {
				return Record{}, fmt.Errorf("%s line %d column %d (%s): %w", r.name, line, i+1, strings.TrimSpace(r.header[i]), err)
			}
		}
	}
	if u.ExternalID == "" {
		return Record{}, fmt.Errorf("%s line %d: externalId is empty", r.name, line)
	}
	return Record{Line: line, User: u}, nil
}

// parseHeader returns a setter per column. Two columns naming the same
// attribute, however spelt (letter case, spaces, the core schema's URN,
// emails[work] for emails[type eq "work"], the enterprise manager for
// manager.value), are refused: the second would silently win.
func parseHeader(cols []string) ([]setter, []string, error) {
	out := make([]setter, len(cols))
	paths := make([]string, len(cols))
	seen := map[string]int{} // attribute path -> column index
	for i, c := range cols {
		c = strings.TrimSpace(c)
		path, s, err := attribute(c)
		if err != nil {
			return nil, nil, fmt.Errorf("column %d: %w", i+1, err)
		}
		if j, dup := seen[path]; dup {
			return nil, nil, fmt.Errorf("column %d (%s) repeats column %d (%s): both are the attribute %s; keep one",
				i+1, c, j+1, strings.TrimSpace(cols[j]), path)
		}
		seen[path] = i
		out[i], paths[i] = s, path
	}
	_, hasExternalID := seen["externalid"]
	if !hasExternalID {
		return nil, nil, errors.New("no externalId column: every record needs the person's ID in the HR system")
	}
	return out, paths, nil
}

// multiValued matches attr[type eq "work"].sub and attr[work].sub.
var multiValued = regexp.MustCompile(`^([A-Za-z0-9]+)\[\s*(?:type\s+eq\s+"([^"]*)"|([^\]"\s]+))\s*\]\.([A-Za-z]+)$`)

// attribute returns the attribute path of a header column and its
// setter. The path is one spelling per attribute, in lower case: the core
// schema's attributes without their URN ("externalid", "name.givenname",
// `emails[type eq "work"].value`), the enterprise extension's with it and
// "manager" as "manager.value", a custom extension's as URN:attribute.
func attribute(col string) (string, setter, error) {
	if len(col) > 4 && strings.EqualFold(col[:4], "urn:") {
		k := strings.LastIndexByte(col, ':')
		ns, attr := col[:k], col[k+1:]
		switch {
		case attr == "" || len(ns) <= 4:
			return "", nil, fmt.Errorf("%q: an extension column is URN:attribute", col)
		case strings.EqualFold(ns, models.SCIMUserSchema):
			return attribute(attr)
		case strings.EqualFold(ns, models.SCIMEnterpriseUserSchema):
			return enterprise(col, attr)
		}
		return strings.ToLower(col), func(u *models.SCIMUser, v string) error {
			if u.Extensions == nil {
				u.Extensions = map[string]map[string]any{}
			}
			if u.Extensions[ns] == nil {
				u.Extensions[ns] = map[string]any{}
			}
			u.Extensions[ns][attr] = v
			return nil
		}, nil
	}
	if s := coreAttributes[strings.ToLower(col)]; s != nil {
		return strings.ToLower(col), s, nil
	}
	if m := multiValued.FindStringSubmatch(col); m != nil {
		typ := m[2] + m[3]
		attr, sub := strings.ToLower(m[1]), strings.ToLower(m[4])
		s, err := multi(col, attr, typ, sub)
		return fmt.Sprintf("%s[type eq %q].%s", attr, strings.ToLower(typ), sub), s, err
	}
	return "", nil, fmt.Errorf("%q is not a SCIM User attribute this program knows (see the package comment)", col)
}

func str(f func(u *models.SCIMUser) *string) setter {
	return func(u *models.SCIMUser, v string) error { *f(u) = v; return nil }
}

func name(f func(n *models.SCIMName) *string) setter {
	return func(u *models.SCIMUser, v string) error {
		if u.Name == nil {
			u.Name = &models.SCIMName{}
		}
		*f(u.Name) = v
		return nil
	}
}

func parseBool(v string) (bool, error) {
	b, err := strconv.ParseBool(strings.ToLower(v))
	if err != nil {
		return false, fmt.Errorf("%q is not true or false", v)
	}
	return b, nil
}

var coreAttributes = map[string]setter{
	"externalid":        str(func(u *models.SCIMUser) *string { return &u.ExternalID }),
	"username":          str(func(u *models.SCIMUser) *string { return &u.UserName }),
	"displayname":       str(func(u *models.SCIMUser) *string { return &u.DisplayName }),
	"nickname":          str(func(u *models.SCIMUser) *string { return &u.NickName }),
	"profileurl":        str(func(u *models.SCIMUser) *string { return &u.ProfileURL }),
	"title":             str(func(u *models.SCIMUser) *string { return &u.Title }),
	"usertype":          str(func(u *models.SCIMUser) *string { return &u.UserType }),
	"preferredlanguage": str(func(u *models.SCIMUser) *string { return &u.PreferredLanguage }),
	"locale":            str(func(u *models.SCIMUser) *string { return &u.Locale }),
	"timezone":          str(func(u *models.SCIMUser) *string { return &u.Timezone }),
	"active": func(u *models.SCIMUser, v string) error {
		b, err := parseBool(v)
		if err != nil {
			return err
		}
		u.Active = &b
		return nil
	},
	"name.formatted":       name(func(n *models.SCIMName) *string { return &n.Formatted }),
	"name.familyname":      name(func(n *models.SCIMName) *string { return &n.FamilyName }),
	"name.givenname":       name(func(n *models.SCIMName) *string { return &n.GivenName }),
	"name.middlename":      name(func(n *models.SCIMName) *string { return &n.MiddleName }),
	"name.honorificprefix": name(func(n *models.SCIMName) *string { return &n.HonorificPrefix }),
	"name.honorificsuffix": name(func(n *models.SCIMName) *string { return &n.HonorificSuffix }),
}

// enterprise returns the attribute path and the setter of an attribute
// of the enterprise extension.
func enterprise(col, attr string) (string, setter, error) {
	field := func(f func(e *models.EnterpriseUser) *string) setter {
		return func(u *models.SCIMUser, v string) error {
			if u.Enterprise == nil {
				u.Enterprise = &models.EnterpriseUser{}
			}
			*f(u.Enterprise) = v
			return nil
		}
	}
	manager := func(f func(m *models.SCIMManager) *string) setter {
		return field(func(e *models.EnterpriseUser) *string {
			if e.Manager == nil {
				e.Manager = &models.SCIMManager{}
			}
			return f(e.Manager)
		})
	}
	name := strings.ToLower(attr)
	var s setter
	switch name {
	case "employeenumber":
		s = field(func(e *models.EnterpriseUser) *string { return &e.EmployeeNumber })
	case "costcenter":
		s = field(func(e *models.EnterpriseUser) *string { return &e.CostCenter })
	case "organization":
		s = field(func(e *models.EnterpriseUser) *string { return &e.Organization })
	case "division":
		s = field(func(e *models.EnterpriseUser) *string { return &e.Division })
	case "department":
		s = field(func(e *models.EnterpriseUser) *string { return &e.Department })
	case "manager", "manager.value":
		name = "manager.value"
		s = manager(func(m *models.SCIMManager) *string { return &m.Value })
	case "manager.displayname":
		s = manager(func(m *models.SCIMManager) *string { return &m.DisplayName })
	default:
		return "", nil, fmt.Errorf("%q is not an attribute of the enterprise User extension", col)
	}
	return strings.ToLower(models.SCIMEnterpriseUserSchema) + ":" + name, s, nil
}

// multi returns the setter of one sub-attribute of the value of a
// multi-valued attribute that has the given type.
func multi(col, attr, typ, sub string) (setter, error) {
	values := map[string]func(u *models.SCIMUser) *[]models.SCIMValue{
		"emails":           func(u *models.SCIMUser) *[]models.SCIMValue { return &u.Emails },
		"phonenumbers":     func(u *models.SCIMUser) *[]models.SCIMValue { return &u.PhoneNumbers },
		"ims":              func(u *models.SCIMUser) *[]models.SCIMValue { return &u.Ims },
		"photos":           func(u *models.SCIMUser) *[]models.SCIMValue { return &u.Photos },
		"entitlements":     func(u *models.SCIMUser) *[]models.SCIMValue { return &u.Entitlements },
		"roles":            func(u *models.SCIMUser) *[]models.SCIMValue { return &u.Roles },
		"x509certificates": func(u *models.SCIMUser) *[]models.SCIMValue { return &u.X509Certificates },
	}
	if list := values[attr]; list != nil {
		get := func(u *models.SCIMUser) *models.SCIMValue {
			l := list(u)
			for i := range *l {
				if (*l)[i].Type == typ {
					return &(*l)[i]
				}
			}
			*l = append(*l, models.SCIMValue{Type: typ})
			return &(*l)[len(*l)-1]
		}
		switch sub {
		case "value":
			return func(u *models.SCIMUser, v string) error { get(u).Value = v; return nil }, nil
		case "display":
			return func(u *models.SCIMUser, v string) error { get(u).Display = v; return nil }, nil
		case "primary":
			return func(u *models.SCIMUser, v string) error {
				b, err := parseBool(v)
				get(u).Primary = b
				return err
			}, nil
		}
		return nil, fmt.Errorf("%q: %s values have value, display and primary", col, attr)
	}
	if attr != "addresses" {
		return nil, fmt.Errorf("%q is not a multi-valued SCIM User attribute", col)
	}
	get := func(u *models.SCIMUser) *models.SCIMAddress {
		for i := range u.Addresses {
			if u.Addresses[i].Type == typ {
				return &u.Addresses[i]
			}
		}
		u.Addresses = append(u.Addresses, models.SCIMAddress{Type: typ})
		return &u.Addresses[len(u.Addresses)-1]
	}
	fields := map[string]func(a *models.SCIMAddress) *string{
		"streetaddress": func(a *models.SCIMAddress) *string { return &a.StreetAddress },
		"locality":      func(a *models.SCIMAddress) *string { return &a.Locality },
		"region":        func(a *models.SCIMAddress) *string { return &a.Region },
		"postalcode":    func(a *models.SCIMAddress) *string { return &a.PostalCode },
		"country":       func(a *models.SCIMAddress) *string { return &a.Country },
		"formatted":     func(a *models.SCIMAddress) *string { return &a.Formatted },
	}
	if f := fields[sub]; f != nil {
		return func(u *models.SCIMUser, v string) error { *f(get(u)) = v; return nil }, nil
	}
	if sub == "primary" {
		return func(u *models.SCIMUser, v string) error {
			b, err := parseBool(v)
			get(u).Primary = b
			return err
		}, nil
	}
	return nil, fmt.Errorf("%q: addresses have streetAddress, locality, region, postalCode, country, formatted and primary", col)
}

// AttributePath is the one spelling of a SCIM attribute this package
// uses (Reader.Attributes, Mapping.Attributes): lower case, without the
// core schema's URN, emails[work].value as emails[type eq "work"].value,
// the enterprise manager as manager.value. A name that is not an
// attribute this package knows is an error.
func AttributePath(name string) (string, error) {
	path, _, err := attribute(strings.TrimSpace(name))
	return path, err
}
