package hrcsv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/csvin"
	"github.com/graphsync/graphsync/models"
)

// A Mapping says which SCIM attribute each value of an HR export becomes,
// for an export whose header names the HR system's own columns
// (WorkerID, FirstName, WorkerStatus…) rather than SCIM attributes: what
// CSV2SCIM's AttributeMapping.psd1 does, as a JSON file.
//
// The file is one JSON object. Each member is an attribute, written as a
// header column is in header mode (externalId, name.givenName,
// emails[type eq "work"].value, urn:…:enterprise:2.0:User:department,
// urn:contoso:hr:1.0:User:HireDate), and says where its value comes from:
//
//	"externalId": "WorkerID"                    the column, as it is
//	"userName": {"column": "UserID", "transform": ["lower"]}
//	"displayName": {"join": ["FirstName", "LastName"], "separator": " "}
//	"userType": {"constant": "Employee"}
//	"active": {"column": "WorkerStatus",
//	           "values": {"Active": "true", "Leave": "true", "Terminated": "false"}}
//	"urn:contoso:hr:1.0:User:HireDate": {"column": "HireDate", "transform": ["date:DD/MM/YYYY"]}
//
// An object has exactly one of column, join (columns whose non-empty
// values are joined with separator, a space by default) and constant,
// then optionally:
//
//   - transform: applied in order to the value: "trim" (runs of spaces
//     inside become one; every cell is trimmed at both ends anyway),
//     "lower", "upper", "date:LAYOUT" (a date such as 31/01/2024 read
//     with LAYOUT, made of YYYY, MM, DD and optionally HH, mm, ss, and
//     written as ISO 8601 in UTC: 2024-01-31T00:00:00Z);
//   - values: a table from the value (after transform, matched without
//     regard to case) to what is sent, e.g. HR status codes to true or
//     false for active; a value the table lacks is an error of that
//     record, unless default says what to send instead;
//   - default: sent for a value that values lacks.
//
// An empty value leaves the attribute out of the record, as an empty cell
// does in header mode. Columns are matched to the header without regard
// to case or surrounding spaces; a column the header lacks, a member
// that is not an attribute, two members naming one attribute, a missing
// externalId and an unknown transform are errors that name the file's
// line and column, as is a constant or a values entry with a control
// character.
type Mapping struct {
	name    string
	attrs   []mapped
	sources []string // the columns the attributes read, lower case
}

// mapped is one attribute of a Mapping.
type mapped struct {
	attr, path string // as written, and as attribute() spells it
	set        setter
	// Exactly one of: a column (an index in sources), columns to join,
	// a constant.
	column     int
	join       []int
	separator  string
	constant   *string
	transforms []func(string) (string, error)
	values     map[string]string // lower-case key
	def        *string
}

// mappingSpec is a member's value, in its object form.
type mappingSpec struct {
	Column    *string           `json:"column"`
	Join      []string          `json:"join"`
	Separator *string           `json:"separator"`
	Constant  *string           `json:"constant"`
	Transform []string          `json:"transform"`
	Values    map[string]string `json:"values"`
	Default   *string           `json:"default"`
}

// ParseMapping reads a mapping file (see Mapping); name is for errors. A
// byte-order mark (which Notepad and PowerShell write) is dropped.
func ParseMapping(name string, in io.Reader) (*Mapping, error) {
	data, err := io.ReadAll(in)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	m := &Mapping{name: name}
	at := func(off int64) string {
		// The offset is the end of the token before: skip to the key.
		for off < int64(len(data)) && strings.ContainsRune(" \t\r\n,", rune(data[off])) {
			off++
		}
		line := 1 + bytes.Count(data[:off], []byte("\n"))
		col := int(off) - bytes.LastIndexByte(data[:off], '\n')
		return fmt.Sprintf("%s line %d column %d", name, line, col)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("%s: a mapping is one JSON object, attribute to source (see graphsync upload -h)", name)
	}
	seen := map[string]string{} // path -> attribute as written
	for dec.More() {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%s: %v", at(off), err)
		}
		attr := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("%s (%s): %v", at(off), attr, err)
		}
		if err := m.add(attr, raw, seen); err != nil {
			return nil, fmt.Errorf("%s (%s): %w", at(off), attr, err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%s: more after the mapping's object", name)
	}
	if _, ok := seen["externalid"]; !ok {
		return nil, fmt.Errorf("%s: no externalId: every record needs the person's ID in the HR system", name)
	}
	return m, nil
}

func (m *Mapping) source(column string) int {
	c := strings.ToLower(strings.TrimSpace(column))
	if i := slices.Index(m.sources, c); i >= 0 {
		return i
	}
	m.sources = append(m.sources, c)
	return len(m.sources) - 1
}

// add adds the attribute attr, whose source is raw.
func (m *Mapping) add(attr string, raw json.RawMessage, seen map[string]string) error {
	if err := csvin.CheckText(attr); err != nil {
		return err
	}
	path, set, err := attribute(strings.TrimSpace(attr))
	if err != nil {
		return err
	}
	if prev, dup := seen[path]; dup {
		return fmt.Errorf("names the attribute %s, as %q does; keep one", path, prev)
	}
	seen[path] = attr
	a := mapped{attr: attr, path: path, set: set, column: -1}
	var spec mappingSpec
	var column string
	if json.Unmarshal(raw, &column) == nil {
		spec.Column = &column
	} else {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&spec); err != nil {
			return fmt.Errorf("a column's name, or an object of column, join or constant with transform, values and default: %v", err)
		}
	}
	n := 0
	for _, set := range []bool{spec.Column != nil, spec.Join != nil, spec.Constant != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return errors.New("give exactly one of column, join and constant")
	}
	texts := slices.Concat(spec.Join, spec.Transform)
	for _, p := range []*string{spec.Column, spec.Separator, spec.Constant, spec.Default} {
		if p != nil {
			texts = append(texts, *p)
		}
	}
	for k, v := range spec.Values {
		texts = append(texts, k, v)
	}
	for _, s := range texts {
		if err := csvin.CheckText(s); err != nil {
			return fmt.Errorf("%q: %w", s, err)
		}
	}
	switch {
	case spec.Column != nil:
		if strings.TrimSpace(*spec.Column) == "" {
			return errors.New("the column has no name")
		}
		a.column = m.source(*spec.Column)
	case spec.Join != nil:
		if len(spec.Join) == 0 || slices.ContainsFunc(spec.Join, func(s string) bool { return strings.TrimSpace(s) == "" }) {
			return errors.New("join names one column or more, each with a name")
		}
		for _, c := range spec.Join {
			a.join = append(a.join, m.source(c))
		}
		a.separator = " "
		if spec.Separator != nil {
			a.separator = *spec.Separator
		}
	default:
		a.constant = spec.Constant
	}
	if spec.Separator != nil && spec.Join == nil {
		return errors.New("separator goes with join")
	}
	for _, t := range spec.Transform {
		f, err := transform(t)
		if err != nil {
			return err
		}
		a.transforms = append(a.transforms, f)
	}
	if spec.Values != nil {
		a.values = make(map[string]string, len(spec.Values))
		keys := make([]string, 0, len(spec.Values))
		for k := range spec.Values {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			lk := strings.ToLower(strings.TrimSpace(k))
			if _, dup := a.values[lk]; dup {
				return fmt.Errorf("values has %q twice (letter case and spaces aside)", k)
			}
			a.values[lk] = spec.Values[k]
		}
	}
	if spec.Default != nil && spec.Values == nil {
		return errors.New("default goes with values")
	}
	a.def = spec.Default
	m.attrs = append(m.attrs, a)
	return nil
}

// transform returns the function a transform's name stands for.
func transform(name string) (func(string) (string, error), error) {
	switch t := strings.TrimSpace(name); {
	case strings.EqualFold(t, "trim"):
		return func(s string) (string, error) { return strings.Join(strings.Fields(s), " "), nil }, nil
	case strings.EqualFold(t, "lower"):
		return func(s string) (string, error) { return strings.ToLower(s), nil }, nil
	case strings.EqualFold(t, "upper"):
		return func(s string) (string, error) { return strings.ToUpper(s), nil }, nil
	case len(t) > 5 && strings.EqualFold(t[:5], "date:"):
		layout, err := dateLayout(t[5:])
		if err != nil {
			return nil, err
		}
		return func(s string) (string, error) {
			if s == "" {
				return "", nil
			}
			d, err := time.Parse(layout, s)
			if err != nil {
				return "", fmt.Errorf("%q is not a date written %s", s, t[5:])
			}
			return d.UTC().Format("2006-01-02T15:04:05Z"), nil
		}, nil
	}
	return nil, fmt.Errorf("transform %q: want trim, lower, upper or date:LAYOUT (e.g. date:DD/MM/YYYY)", name)
}

// dateLayout turns a layout written with YYYY, MM, DD, HH, mm and ss into
// Go's. It needs a year, a month and a day.
func dateLayout(l string) (string, error) {
	r := strings.NewReplacer("YYYY", "2006", "MM", "01", "DD", "02", "HH", "15", "mm", "04", "ss", "05")
	out := r.Replace(l)
	for _, need := range []string{"2006", "01", "02"} {
		if !strings.Contains(out, need) {
			return "", fmt.Errorf("date layout %q: it needs YYYY, MM and DD (and may have HH, mm, ss)", l)
		}
	}
	if strings.ContainsAny(strings.NewReplacer("2006", "", "01", "", "02", "", "15", "", "04", "", "05", "").Replace(out), "0123456789YMDHms") {
		return "", fmt.Errorf("date layout %q: write it with YYYY, MM, DD, HH, mm and ss", l)
	}
	return out, nil
}

// Attributes are the SCIM attribute paths the mapping sets, in its order
// (see attribute for the spelling).
func (m *Mapping) Attributes() []string {
	out := make([]string, len(m.attrs))
	for i, a := range m.attrs {
		out[i] = a.path
	}
	return out
}

// columns returns the header index of each column the mapping reads. A
// column the header lacks, or has twice, is an error.
func (m *Mapping) columns(header []string) ([]int, error) {
	idx := make([]int, len(m.sources))
	for i, src := range m.sources {
		idx[i] = -1
		for j, h := range header {
			if strings.ToLower(strings.TrimSpace(h)) != src {
				continue
			}
			if idx[i] >= 0 {
				return nil, fmt.Errorf("columns %d and %d are both %q, which the mapping %s reads; rename one", idx[i]+1, j+1, h, m.name)
			}
			idx[i] = j
		}
		if idx[i] < 0 {
			return nil, fmt.Errorf("no column %q, which the mapping %s reads", src, m.name)
		}
	}
	return idx, nil
}

// apply sets u's attributes from the row; fail makes the error of a
// value of a column (-1: of several, or none).
func (m *Mapping) apply(u *models.SCIMUser, row []string, idx []int, fail func(col int, err error) error) error {
	for _, a := range m.attrs {
		col := -1
		var v string
		switch {
		case a.column >= 0:
			col = idx[a.column]
			v = strings.TrimSpace(row[col])
		case a.join != nil:
			parts := make([]string, 0, len(a.join))
			for _, s := range a.join {
				if p := strings.TrimSpace(row[idx[s]]); p != "" {
					parts = append(parts, p)
				}
			}
			v = strings.Join(parts, a.separator)
		default:
			v = *a.constant
		}
		for _, t := range a.transforms {
			var err error
			if v, err = t(v); err != nil {
				return fail(col, fmt.Errorf("%s: %w", a.attr, err))
			}
		}
		if a.values != nil && v != "" {
			mv, ok := a.values[strings.ToLower(v)]
			switch {
			case ok:
				v = mv
			case a.def != nil:
				v = *a.def
			default:
				return fail(col, fmt.Errorf("%s: %q is not one of the values the mapping %s lists for it, and it gives no default", a.attr, v, m.name))
			}
		}
		if v == "" {
			continue
		}
		if err := a.set(u, v); err != nil {
			return fail(col, fmt.Errorf("%s: %w", a.attr, err))
		}
	}
	return nil
}
