package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
)

// URNs and limits of bulkUpload, the SCIM endpoint of API-driven inbound
// provisioning (Graph bulkUpload, RFC 7643 and RFC 7644).
const (
	// BulkRequestSchema is the only member of BulkUpload.Schemas.
	BulkRequestSchema = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
	// SCIMUserSchema is the SCIM core User schema.
	SCIMUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User"
	// SCIMEnterpriseUserSchema is the SCIM enterprise User extension, the
	// key of SCIMUser.Enterprise.
	SCIMEnterpriseUserSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

	// MaxBulkOperations is the most operations Graph takes in one
	// bulkUpload request.
	MaxBulkOperations = 50
	// BulkMethodPost is the only method Graph takes in an operation: the
	// provisioning service itself decides whether to create, update,
	// enable or disable the user.
	BulkMethodPost = "POST"
	// BulkPathUsers is the only path Graph takes in an operation.
	BulkPathUsers = "/Users"
)

// BulkUpload is the body of bulkUpload: a SCIM BulkRequest of users for
// API-driven inbound provisioning. It is encoded exactly as its fields
// say; BulkUploadChunks builds valid ones from a stream of users.
type BulkUpload struct {
	// Schemas must be []string{BulkRequestSchema}.
	Schemas []string `json:"schemas"`
	// Operations are the users to provision, 1 to MaxBulkOperations.
	Operations []BulkOperation `json:"Operations"`
	// FailOnErrors is SCIM's failOnErrors (RFC 7644 section 3.7): the
	// number of errors after which the service provider stops processing
	// the request. Nil is sent as null, as in every example of Graph's
	// documentation; Graph does not document whether it honours a number.
	FailOnErrors *int `json:"failOnErrors"`
}

// BulkOperation is one user of a BulkUpload.
type BulkOperation struct {
	// Method must be BulkMethodPost.
	Method string `json:"method"`
	// BulkID identifies the operation; it must be unique within the
	// request. Graph suggests the record's ID in the source system.
	BulkID string `json:"bulkId"`
	// Path must be BulkPathUsers.
	Path string `json:"path"`
	// Data is the user.
	Data SCIMUser `json:"data"`
}

// SCIMUser is a user as API-driven inbound provisioning takes it: the
// SCIM core User (RFC 7643 section 4.1), the enterprise extension
// (section 4.3) and any custom extension namespaces. Empty fields are
// not sent; the job's attribute mappings decide what Graph does with the
// others.
type SCIMUser struct {
	// Schemas lists the schema URNs the user's attributes belong to: it
	// must hold SCIMUserSchema and SCIMEnterpriseUserSchema (Graph's
	// bulkUpload documentation requires both) and the key of every
	// Extensions entry. BulkUploadChunks fills an empty list.
	Schemas []string `json:"schemas"`
	// ExternalID identifies the user in the source system (an employee
	// or student number); Graph requires it. The job's matching
	// attribute is usually externalId or userName.
	ExternalID string `json:"externalId,omitempty"`
	// UserName is the unique name of the user, usually an e-mail
	// address.
	UserName string `json:"userName,omitempty"`
	// Name holds the parts of the user's name.
	Name *SCIMName `json:"name,omitempty"`
	// DisplayName is the name to display.
	DisplayName string `json:"displayName,omitempty"`
	// NickName is the casual name, e.g. "Babs".
	NickName string `json:"nickName,omitempty"`
	// ProfileURL is a URL of the user's online profile.
	ProfileURL string `json:"profileUrl,omitempty"`
	// Title is the job title, e.g. "Tour Guide".
	Title string `json:"title,omitempty"`
	// UserType is the relationship to the organization, e.g. "Employee"
	// or "Contractor".
	UserType string `json:"userType,omitempty"`
	// PreferredLanguage is a language tag such as "en-US".
	PreferredLanguage string `json:"preferredLanguage,omitempty"`
	// Locale is the user's locale, e.g. "en-US".
	Locale string `json:"locale,omitempty"`
	// Timezone is an IANA time zone name, e.g. "America/Los_Angeles".
	Timezone string `json:"timezone,omitempty"`
	// Active is the user's status; nil leaves it out, which is not the
	// same as false (an inactive user, whose account is disabled).
	Active *bool `json:"active,omitempty"`
	// Emails are the user's e-mail addresses.
	Emails []SCIMValue `json:"emails,omitempty"`
	// PhoneNumbers are the user's phone numbers.
	PhoneNumbers []SCIMValue `json:"phoneNumbers,omitempty"`
	// Ims are instant messaging addresses.
	Ims []SCIMValue `json:"ims,omitempty"`
	// Photos are URLs of photos of the user.
	Photos []SCIMValue `json:"photos,omitempty"`
	// Addresses are the user's postal addresses.
	Addresses []SCIMAddress `json:"addresses,omitempty"`
	// Entitlements are entitlements of the user.
	Entitlements []SCIMValue `json:"entitlements,omitempty"`
	// Roles are roles of the user.
	Roles []SCIMValue `json:"roles,omitempty"`
	// X509Certificates are the user's certificates (base64 DER values).
	X509Certificates []SCIMValue `json:"x509Certificates,omitempty"`
	// Enterprise holds the enterprise extension attributes; nil leaves
	// them out.
	Enterprise *EnterpriseUser `json:"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User,omitempty"`
	// Extensions holds custom extension namespaces: the key is the
	// namespace's URN (e.g. "urn:contoso:employee"), written as a member
	// of the user object, and the value its attributes, encoded with
	// encoding/json (strings, numbers, booleans, nested maps and slices).
	// Each key must start with "urn:" and be listed in Schemas.
	// Decoding keeps numbers as json.Number, so they are written back as
	// received.
	Extensions map[string]map[string]any `json:"-"`
}

// SCIMName is the components of a user's name.
type SCIMName struct {
	// Formatted is the full name, e.g. "Ms. Barbara J Jensen, III".
	Formatted string `json:"formatted,omitempty"`
	// FamilyName is the family (last) name.
	FamilyName string `json:"familyName,omitempty"`
	// GivenName is the given (first) name.
	GivenName string `json:"givenName,omitempty"`
	// MiddleName is the middle name(s).
	MiddleName string `json:"middleName,omitempty"`
	// HonorificPrefix is a title such as "Ms.".
	HonorificPrefix string `json:"honorificPrefix,omitempty"`
	// HonorificSuffix is a suffix such as "III".
	HonorificSuffix string `json:"honorificSuffix,omitempty"`
}

// SCIMValue is one value of a multi-valued SCIM attribute (emails,
// phoneNumbers, ims, photos, entitlements, roles, x509Certificates).
type SCIMValue struct {
	// Value is the attribute value, e.g. an e-mail address.
	Value string `json:"value,omitempty"`
	// Type is a label such as "work", "home" or "mobile".
	Type string `json:"type,omitempty"`
	// Primary marks the preferred value; at most one should be.
	Primary bool `json:"primary,omitempty"`
	// Display is a human-readable form of Value.
	Display string `json:"display,omitempty"`
}

// SCIMAddress is a postal address.
type SCIMAddress struct {
	// Type is a label such as "work" or "home".
	Type string `json:"type,omitempty"`
	// StreetAddress is the street, house number and so on.
	StreetAddress string `json:"streetAddress,omitempty"`
	// Locality is the city.
	Locality string `json:"locality,omitempty"`
	// Region is the state or region.
	Region string `json:"region,omitempty"`
	// PostalCode is the ZIP or postal code.
	PostalCode string `json:"postalCode,omitempty"`
	// Country is the country, e.g. "USA" (SCIM suggests ISO 3166-1
	// alpha-2 codes).
	Country string `json:"country,omitempty"`
	// Formatted is the whole address as printed, lines separated by
	// "\n".
	Formatted string `json:"formatted,omitempty"`
	// Primary marks the preferred address.
	Primary bool `json:"primary,omitempty"`
}

// EnterpriseUser is the SCIM enterprise User extension.
type EnterpriseUser struct {
	// EmployeeNumber is the user's number in the organization.
	EmployeeNumber string `json:"employeeNumber,omitempty"`
	// CostCenter is the user's cost center.
	CostCenter string `json:"costCenter,omitempty"`
	// Organization is the organization's name.
	Organization string `json:"organization,omitempty"`
	// Division is the division's name.
	Division string `json:"division,omitempty"`
	// Department is the department's name.
	Department string `json:"department,omitempty"`
	// Manager is the user's manager; nil leaves it out.
	Manager *SCIMManager `json:"manager,omitempty"`
}

// SCIMManager references a user's manager. For API-driven provisioning,
// Value is the manager's externalId: the provisioning service resolves
// it to the manager's account.
type SCIMManager struct {
	// Value is the manager's externalId.
	Value string `json:"value,omitempty"`
	// DisplayName is the manager's name, for display only.
	DisplayName string `json:"displayName,omitempty"`
	// Ref is the URI of the manager's SCIM resource ("$ref"), rarely
	// used with bulkUpload.
	Ref string `json:"$ref,omitempty"`
}

// scimUser is SCIMUser without its methods.
type scimUser SCIMUser

// MarshalJSON writes the user with each Extensions entry as a member of
// the user object, after the modelled attributes, in key order.
func (u SCIMUser) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(scimUser(u))
	if err != nil || len(u.Extensions) == 0 {
		return b, err
	}
	keys := make([]string, 0, len(u.Extensions))
	for k := range u.Extensions {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := b[:len(b)-1] // without the closing brace; b is ours to extend
	for _, k := range keys {
		if isSCIMAttribute(k) {
			return nil, fmt.Errorf("models: SCIM extension %q clashes with a modelled attribute", k)
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		kb, _ := json.Marshal(k) // a string always encodes
		out = append(append(out, kb...), ':')
		vb, err := json.Marshal(u.Extensions[k])
		if err != nil {
			return nil, fmt.Errorf("models: encoding SCIM extension %q: %w", k, err)
		}
		out = append(out, vb...)
	}
	return append(out, '}'), nil
}

// UnmarshalJSON reads a user. A member that is not a modelled attribute
// goes to Extensions when its name starts with "urn:" and its value is an
// object; any other member is an error, so that nothing is dropped
// silently (a misspelt attribute, or one this type does not model).
func (u *SCIMUser) UnmarshalJSON(b []byte) error {
	var plain scimUser
	if err := json.Unmarshal(b, &plain); err != nil {
		return err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(b, &members); err != nil {
		return err
	}
	for k, raw := range members {
		if isSCIMAttribute(k) {
			continue
		}
		if !hasURNPrefix(k) {
			return fmt.Errorf("models: SCIM user member %q is not an attribute SCIMUser models nor an extension namespace (urn:...)", k)
		}
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		var attrs map[string]any
		if err := d.Decode(&attrs); err != nil || attrs == nil {
			return fmt.Errorf("models: SCIM extension %q must be an object of attributes", k)
		}
		if plain.Extensions == nil {
			plain.Extensions = make(map[string]map[string]any)
		}
		plain.Extensions[k] = attrs
	}
	*u = SCIMUser(plain)
	return nil
}

// scimAttributes are the lower-cased member names SCIMUser models;
// encoding/json matches member names without regard to case.
var scimAttributes = jsonMembers[scimUser]()

func isSCIMAttribute(name string) bool { return scimAttributes[strings.ToLower(name)] }

func hasURNPrefix(s string) bool { return len(s) > 4 && strings.EqualFold(s[:4], "urn:") }

// Validate checks what Graph's bulkUpload documentation requires before
// anything is sent: schemas set to BulkRequestSchema; 1 to
// MaxBulkOperations operations; each with method POST, a bulkId unique
// within the request, path /Users, and data with an externalId and a
// schemas list holding SCIMUserSchema, SCIMEnterpriseUserSchema and the
// URN of every extension namespace present (schema URNs compare without
// regard to case). It returns a *FieldError naming the first problem,
// e.g. "Operations[3].bulkId".
func (b BulkUpload) Validate() error {
	if len(b.Schemas) != 1 || b.Schemas[0] != BulkRequestSchema {
		return &FieldError{"schemas", fmt.Sprintf("must be [%q]", BulkRequestSchema)}
	}
	switch n := len(b.Operations); {
	case n == 0:
		return &FieldError{"Operations", "at least one is required"}
	case n > MaxBulkOperations:
		return &FieldError{"Operations", fmt.Sprintf("has %d operations; Graph takes at most %d per request (see BulkUploadChunks)", n, MaxBulkOperations)}
	}
	if b.FailOnErrors != nil && *b.FailOnErrors < 1 {
		return &FieldError{"failOnErrors", "must be nil or at least 1"}
	}
	seen := make(map[string]int, len(b.Operations))
	for i, op := range b.Operations {
		path := fmt.Sprintf("Operations[%d]", i)
		if op.Method != BulkMethodPost {
			return &FieldError{path + ".method", fmt.Sprintf("is %q; Graph takes only %q", op.Method, BulkMethodPost)}
		}
		if strings.TrimSpace(op.BulkID) == "" {
			return &FieldError{path + ".bulkId", "must not be empty"}
		}
		if j, dup := seen[op.BulkID]; dup {
			return &FieldError{path + ".bulkId", fmt.Sprintf("%q is also the bulkId of Operations[%d]; bulkIds must be unique within a request", op.BulkID, j)}
		}
		seen[op.BulkID] = i
		if op.Path != BulkPathUsers {
			return &FieldError{path + ".path", fmt.Sprintf("is %q; Graph takes only %q", op.Path, BulkPathUsers)}
		}
		if err := op.Data.validate(path + ".data"); err != nil {
			return err
		}
	}
	return nil
}

func (u SCIMUser) validate(path string) error {
	if strings.TrimSpace(u.ExternalID) == "" {
		return &FieldError{path + ".externalId", "is required: Graph needs the user's identifier in the source system"}
	}
	for _, want := range []string{SCIMUserSchema, SCIMEnterpriseUserSchema} {
		if !u.lists(want) {
			return &FieldError{path + ".schemas", fmt.Sprintf("must list %q", want)}
		}
	}
	keys := make([]string, 0, len(u.Extensions))
	for k := range u.Extensions {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		field := fmt.Sprintf("%s[%q]", path, k)
		switch {
		case !hasURNPrefix(k):
			return &FieldError{field, "an extension namespace must be a URN (urn:...)"}
		case strings.EqualFold(k, SCIMUserSchema):
			return &FieldError{field, "core attributes are fields of SCIMUser, not an extension"}
		case strings.EqualFold(k, SCIMEnterpriseUserSchema):
			return &FieldError{field, "enterprise attributes go in SCIMUser.Enterprise, not in Extensions"}
		case u.Extensions[k] == nil:
			return &FieldError{field, "has no attribute map (nil)"}
		case !u.lists(k):
			return &FieldError{path + ".schemas", fmt.Sprintf("must list %q, the namespace of attributes the user carries", k)}
		}
	}
	return nil
}

// lists reports whether u.Schemas holds urn, without regard to case.
func (u SCIMUser) lists(urn string) bool {
	return slices.ContainsFunc(u.Schemas, func(s string) bool { return strings.EqualFold(s, urn) })
}

// schemasFor returns the schemas list a user with no list needs: the core
// and enterprise URNs, then its extension namespaces in key order.
func schemasFor(u SCIMUser) []string {
	s := make([]string, 0, 2+len(u.Extensions))
	s = append(s, SCIMUserSchema, SCIMEnterpriseUserSchema)
	for k := range u.Extensions {
		s = append(s, k)
	}
	slices.Sort(s[2:])
	return s
}

// BulkUploadChunks groups users into bulkUpload requests of at most
// MaxBulkOperations operations each, in input order, for Client.BulkUpload.
// It is lazy: it reads users only as the caller ranges over the requests,
// yields a request as soon as it is full (or the input ends), and holds
// at most one request's users in memory, so a stream of any length can be
// uploaded. Stopping the range stops reading users.
//
// Each operation is a POST to /Users. Its bulkId is the user's
// externalId when that is set and not already a bulkId in the same
// request; otherwise it is "record-N", N the user's 1-based position in
// the stream (with a "-2", "-3"... suffix should that be taken too). A
// user with an empty Schemas list gets the list it needs (see
// SCIMUser.Schemas); other users are sent as they are. Users are not
// validated here: Client.BulkUpload validates each request before
// sending it.
func BulkUploadChunks(users iter.Seq[SCIMUser]) iter.Seq[BulkUpload] {
	return func(yield func(BulkUpload) bool) {
		var (
			ops  []BulkOperation
			used = make(map[string]struct{}, MaxBulkOperations)
			n    int
		)
		flush := func() bool {
			req := BulkUpload{Schemas: []string{BulkRequestSchema}, Operations: ops}
			ops = nil
			clear(used)
			return yield(req)
		}
		for u := range users {
			n++
			if len(u.Schemas) == 0 {
				u.Schemas = schemasFor(u)
			}
			id := u.ExternalID
			if _, taken := used[id]; id == "" || taken {
				id = "record-" + strconv.Itoa(n)
				for k := 2; ; k++ {
					if _, taken := used[id]; !taken {
						break
					}
					id = "record-" + strconv.Itoa(n) + "-" + strconv.Itoa(k)
				}
			}
			used[id] = struct{}{}
			if ops == nil {
				ops = make([]BulkOperation, 0, MaxBulkOperations)
			}
			ops = append(ops, BulkOperation{Method: BulkMethodPost, BulkID: id, Path: BulkPathUsers, Data: u})
			if len(ops) == MaxBulkOperations && !flush() {
				return
			}
		}
		if len(ops) > 0 {
			flush()
		}
	}
}

// BulkUploadReceipt is Graph's answer to an accepted bulkUpload request.
// Graph stages the request and processes it in the background; what
// became of each user shows in the provisioning logs (the job's events:
// ProvisioningLogQuery{JobID: jobID}), usually within minutes.
type BulkUploadReceipt struct {
	// StatusCode is the HTTP status: 202 Accepted as documented, or
	// another 2xx.
	StatusCode int
	// Location is the answer's Location: a provisioning logs URL that
	// selects the job's events, as Graph sent it ("" if it sent none).
	Location string
	// RequestID is Graph's request-id, for Microsoft support.
	RequestID string
	// ClientRequestID is the client-request-id of the request.
	ClientRequestID string
}
