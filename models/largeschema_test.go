package models

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// The large schema fixture, testdata/schema_large.json, is written by
// largeSchema below: a schema shaped like those Graph returns for real
// jobs (three directories with their objects and attributes, rules with
// hundreds of attribute mappings whose expressions nest several levels,
// scoping filters, cloud sync's container and group filters, metadata
// holding JSON text), with the nulls, empty arrays, absent members and
// members the models do not name that real schemas have. Run
//
//	go test ./models -run TestLargeSchemaFixture -update
//
// to write it again after changing the generator.

var update = flag.Bool("update", false, "rewrite testdata/schema_large.json")

const largeSchemaFile = "../testdata/schema_large.json"

func TestLargeSchemaFixtureIsGenerated(t *testing.T) {
	want := largeSchema()
	if *update {
		if err := os.WriteFile(largeSchemaFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(largeSchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is not what the generator writes; run with -update", largeSchemaFile)
	}
}

func TestLargeSchemaFixtureIsLarge(t *testing.T) {
	var doc any
	if err := json.Unmarshal(readFixture(t, largeSchemaFile), &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.(map[string]any)
	dirs, rules := s["directories"].([]any), s["synchronizationRules"].([]any)
	mappings, attrs, maxDepth, filters := 0, 0, 0, 0
	for _, r := range rules {
		for _, om := range r.(map[string]any)["objectMappings"].([]any) {
			om := om.(map[string]any)
			if om["scope"] != nil {
				filters++
			}
			for _, am := range om["attributeMappings"].([]any) {
				mappings++
				maxDepth = max(maxDepth, sourceDepth(am.(map[string]any)["source"]))
			}
		}
	}
	for _, d := range dirs {
		for _, o := range d.(map[string]any)["objects"].([]any) {
			attrs += len(o.(map[string]any)["attributes"].([]any))
		}
	}
	t.Logf("%d directories, %d attributes, %d rules, %d attribute mappings, expressions %d deep, %d scoping filters",
		len(dirs), attrs, len(rules), mappings, maxDepth, filters)
	if len(dirs) < 3 || attrs < 300 || len(rules) < 3 || mappings < 300 || maxDepth < 5 || filters < 3 {
		t.Fatal("the fixture is not as large as it claims")
	}
}

func sourceDepth(v any) int {
	src, ok := v.(map[string]any)
	if !ok {
		return 0
	}
	d := 0
	params, _ := src["parameters"].([]any)
	for _, p := range params {
		d = max(d, sourceDepth(p.(map[string]any)["value"]))
	}
	return d + 1
}

// obj is a JSON object that keeps its members in order.
type obj []kv

type kv struct {
	k string
	v any
}

func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.k)
		v, err := json.Marshal(m.v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func without(o obj, name string) obj {
	var out obj
	for _, m := range o {
		if m.k != name {
			out = append(out, m)
		}
	}
	return out
}

type gen struct{ r *rand.Rand }

func (g gen) guid() string {
	return fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", g.r.Uint32(), g.r.IntN(1<<16), g.r.IntN(1<<12), g.r.IntN(1<<12), g.r.Uint64()&(1<<48-1))
}

func (g gen) chance(p float64) bool { return g.r.Float64() < p }

// largeSchema returns the fixture's bytes; it is deterministic.
func largeSchema() []byte {
	g := gen{rand.New(rand.NewPCG(14, 2025))}
	activity := g.guid()
	version := "Date:2025-03-30T07:00:28.2095357Z, ActivityId:" + activity

	aadUser := g.attributes(entraUserAttrs, 45)
	aadGroup := g.attributes(entraGroupAttrs, 0)
	scimUser := g.attributes(scimUserAttrs, 40)
	scimGroup := g.attributes(scimGroupAttrs, 0)
	adUser := g.attributes(adUserAttrs, 30)
	adGroup := g.attributes(adGroupAttrs, 0)
	adContact := g.attributes(adContactAttrs, 0)

	dirs := []any{
		obj{
			{"id", g.guid()},
			{"name", "Azure Active Directory"},
			{"discoverabilities", "None"},
			{"discoveryDateTime", nil},
			{"readOnly", true},
			{"version", nil},
			{"metadata", []any{}},
			{"objects", []any{
				g.object("User", aadUser, []any{"User"}, []any{
					obj{{"key", "IsSoftDeletionSupported"}, {"value", "true"}},
					obj{{"key", "PropertyNameAccountEnabled"}, {"value", "accountEnabled"}},
					obj{{"key", "PropertyNameSoftDeleted"}, {"value", "IsSoftDeleted"}},
				}),
				g.object("Group", aadGroup, []any{"Group"}, []any{
					obj{{"key", "IsSoftDeletionSupported"}, {"value", "true"}},
					obj{{"key", "PropertyNameSoftDeleted"}, {"value", "IsSoftDeleted"}},
				}),
			}},
		},
		obj{
			{"@odata.type", "#microsoft.graph.directoryDefinition"},
			{"id", g.guid()},
			{"name", "customappsso"},
			{"discoverabilities", "AttributeNames,AttributeDataTypes"},
			{"discoveryDateTime", "2024-11-05T10:21:33.1200000Z"},
			{"readOnly", false},
			{"version", "Date:2024-11-05T10:21:33.1200000Z, ActivityId:" + g.guid()},
			{"metadata", []any{
				obj{{"key", "Extensions"}, {"value", `{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"required":false}}`}},
			}},
			{"objects", []any{
				g.object("User", scimUser, nil, []any{
					obj{{"key", "BaseObjectName"}, {"value", "urn:ietf:params:scim:schemas:core:2.0:User"}},
					obj{{"key", "ConnectorDataStorageRequired"}, {"value", "false"}},
				}),
				g.object("Group", scimGroup, nil, []any{
					obj{{"key", "LinkTypeName"}, {"value", "members"}},
				}),
			}},
		},
		obj{
			{"id", g.guid()},
			{"name", "Active Directory"},
			{"discoverabilities", "AttributeNames, AttributeDataTypes, AttributeReadOnly, ReferenceAttributes"},
			{"discoveryDateTime", "2025-03-30T07:00:28.2095357Z"},
			{"readOnly", true},
			{"version", version},
			{"objects", []any{
				g.object("user", adUser, []any{"user"}, []any{
					obj{{"key", "IsSynchronizeAllSupported"}, {"value", "true"}},
					obj{{"key", "ConnectorDataStorageRequired"}, {"value", "true"}},
				}),
				g.object("group", adGroup, []any{"group"}, []any{}),
				g.object("contact", adContact, nil, nil),
			}},
		},
	}

	rules := []any{
		obj{
			{"editable", true},
			{"id", "03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8"},
			{"name", "USER_OUTBOUND_USER"},
			{"priority", 1},
			{"sourceDirectoryName", "Azure Active Directory"},
			{"targetDirectoryName", "customappsso"},
			{"metadata", []any{
				obj{{"key", "defaultSourceObjectMappings"}, {"value", `[{"AttributeMappings":[{"DefaultValue":null,"FlowType":0,"MatchingPriority":1,"Source":null,"TargetAttributeName":"userName"}],"Enabled":true,"FlowTypes":7,"Name":null,"Scope":{"CategoryFilterGroups":null,"Groups":null,"InputFilterGroups":[]}}]`}},
				obj{{"key", "SynchronizationRuleVersion"}, {"value", "2"}},
			}},
			{"objectMappings", []any{
				g.mapping("Provision Azure Active Directory Users", "User", "User", true, "Add, Update, Delete", aadUser, scimUser, 170, g.userScope()),
				g.mapping("Provision Azure Active Directory Groups", "Group", "Group", true, "Add, Update, Delete", aadGroup, scimGroup, 25, g.groupScope()),
			}},
		},
		obj{
			{"editable", true},
			{"id", "6c409270-f78a-4bc6-af23-7cf3ab6482fe"},
			{"name", "AD2AADProvisioning"},
			{"priority", 0},
			{"sourceDirectoryName", "Active Directory"},
			{"targetDirectoryName", "Azure Active Directory"},
			{"containerFilter", obj{{"includedContainers", []any{"OU=CloudUsers,DC=contoso,DC=lab", "OU=RemoteMailboxes,DC=contoso,DC=lab"}}}},
			{"groupFilter", obj{{"includedGroups", []any{}}}},
			{"metadata", []any{
				obj{{"key", "MaximumDeleteThreshold"}, {"value", "500"}},
				obj{{"key", "ContainerFilterV2"}, {"value", `{"IncludedContainers":["OU=CloudUsers,DC=contoso,DC=lab"],"Exclude":null}`}},
			}},
			{"objectMappings", []any{
				g.mapping("Provision Active Directory users", "user", "User", true, "Add,Update,Delete", adUser, aadUser, 130, g.adScope()),
				g.mapping("Provision Active Directory groups", "group", "Group", true, "Add,Update,Delete", adGroup, aadGroup, 30, nil),
				g.mapping("Provision Active Directory contacts", "contact", "Contact", false, "Add,Update,Delete", adContact, aadUser, 18, nil),
			}},
		},
		obj{
			{"@odata.type", "#microsoft.graph.synchronizationRule"},
			{"editable", false},
			{"id", "a2e1b5c3-74e3-4d2e-9f0b-35d4e7b0c9aa#V2"},
			{"name", "AAD2ADGroupWriteback"},
			{"priority", 2},
			{"sourceDirectoryName", "Azure Active Directory"},
			{"targetDirectoryName", "Active Directory"},
			{"metadata", nil},
			{"objectMappings", []any{
				g.mapping("Write back Azure Active Directory groups", "Group", "group", true, "Add, Update", aadGroup, adGroup, 22, g.groupScope()),
			}},
		},
	}

	doc := obj{
		{"@odata.context", "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('" + g.guid() + "')/synchronization/jobs('scim')/schema/$entity"},
		{"id", "scim.0d3f0f1e0c9b4a5e8f3c2b1a09876543." + g.guid()},
		{"version", version},
		{"synchronizationRules", rules},
		{"directories", dirs},
	}
	var b bytes.Buffer
	writeJSON(&b, doc, 0)
	b.WriteByte('\n')
	return b.Bytes()
}

// writeJSON writes v indented down to the level of single attributes and
// attribute mappings, each of which takes one line.
func writeJSON(b *bytes.Buffer, v any, depth int) {
	indent := func(d int) { b.WriteString("\n" + strings.Repeat("  ", d)) }
	switch x := v.(type) {
	case obj:
		if depth < 6 && len(x) > 0 {
			b.WriteByte('{')
			for i, m := range x {
				if i > 0 {
					b.WriteByte(',')
				}
				indent(depth + 1)
				k, _ := json.Marshal(m.k)
				b.Write(k)
				b.WriteString(": ")
				writeJSON(b, m.v, depth+1)
			}
			indent(depth)
			b.WriteByte('}')
			return
		}
	case []any:
		if depth < 6 && len(x) > 0 {
			b.WriteByte('[')
			for i, e := range x {
				if i > 0 {
					b.WriteByte(',')
				}
				indent(depth + 1)
				writeJSON(b, e, depth+1)
			}
			indent(depth)
			b.WriteByte(']')
			return
		}
	}
	enc, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	b.Write(enc)
}

type attr struct {
	name, typ string
	multi     bool
	ref       string // referenced object, for Reference attributes
}

// attributes returns base plus n directory extension attributes.
func (g gen) attributes(base []attr, n int) []attr {
	out := append([]attr(nil), base...)
	app := strings.ReplaceAll(g.guid(), "-", "")
	for i := range n {
		out = append(out, attr{name: fmt.Sprintf("extension_%s_attr%02d", app, i), typ: "String"})
	}
	return out
}

func (g gen) object(name string, attrs []attr, apis []any, metadata []any) obj {
	var list []any
	for i, a := range attrs {
		o := obj{
			{"anchor", i == 0},
			{"caseExact", g.chance(0.1)},
			{"defaultValue", nil},
			{"flowNullValues", g.chance(0.3)},
			{"multivalued", a.multi},
			{"mutability", []string{"ReadWrite", "ReadWrite", "ReadWrite", "ReadOnly", "Immutable", "WriteOnly"}[g.r.IntN(6)]},
			{"name", a.name},
			{"required", i < 2 || g.chance(0.1)},
			{"type", a.typ},
		}
		switch {
		case g.chance(0.3):
			o = append(o, kv{"apiExpressions", []any{obj{{"key", "Get"}, {"value", "$." + a.name}}}})
		case g.chance(0.5):
			o = append(o, kv{"apiExpressions", []any{}})
		}
		var md []any
		if a.typ == "String" && g.chance(0.4) {
			md = append(md, obj{{"key", "MaximumLength"}, {"value", fmt.Sprint(64 << g.r.IntN(4))}})
		}
		if strings.Contains(strings.ToLower(a.name), "principalname") || strings.Contains(a.name, "mail") {
			md = append(md, obj{{"key", "IsDomainQualified"}, {"value", "true"}})
		}
		if strings.HasPrefix(a.name, "extension_") {
			md = append(md, obj{{"key", "IsCustomerDefined"}, {"value", "true"}})
		}
		if md == nil {
			md = []any{}
		}
		o = append(o, kv{"metadata", md})
		refs := []any{}
		if a.ref != "" {
			ref := obj{{"referencedObjectName", a.ref}, {"referencedProperty", nil}}
			if g.chance(0.5) {
				ref = append(ref, kv{"@odata.type", "#microsoft.graph.referencedObject"})
			}
			refs = append(refs, ref)
		}
		o = append(o, kv{"referencedObjects", refs})
		if g.chance(0.05) {
			o = without(o, "anchor") // some attributes come without it
		}
		list = append(list, o)
	}
	o := obj{{"name", name}}
	if apis != nil {
		o = append(o, kv{"supportedApis", apis})
	}
	o = append(o, kv{"attributes", list})
	if metadata != nil {
		o = append(o, kv{"metadata", metadata})
	}
	return o
}

func (g gen) mapping(name, source, target string, enabled bool, flows string, from, to []attr, n int, scope any) obj {
	var list []any
	for i := range n {
		t := to[i%len(to)]
		m := obj{}
		if g.chance(0.05) {
			m = append(m, kv{"@odata.type", "#microsoft.graph.attributeMapping"})
		}
		var src any
		def := any(nil)
		switch {
		case g.chance(0.08):
			def = []string{"True", "False", "en_US", "America/Los_Angeles", ""}[g.r.IntN(5)]
		default:
			src = g.expression(from, 1+g.r.IntN(5))
			if g.chance(0.15) {
				def = "unknown"
			}
		}
		m = append(m,
			kv{"defaultValue", def},
			kv{"exportMissingReferences", t.typ == "Reference" && g.chance(0.5)},
			kv{"flowBehavior", []string{"FlowWhenChanged", "FlowWhenChanged", "FlowAlways"}[g.r.IntN(3)]},
			kv{"flowType", []string{"Always", "Always", "Always", "ObjectAddOnly", "MultiValueAddOnly", "ValueAddOnly", "AttributeAddOnly"}[g.r.IntN(7)]},
			kv{"matchingPriority", map[bool]int{true: 1, false: 0}[i == 0]},
			kv{"source", src},
			kv{"targetAttributeName", t.name},
		)
		if g.chance(0.04) {
			m = without(m, "exportMissingReferences") // some mappings come without it
		}
		list = append(list, m)
	}
	meta := []any{
		obj{{"key", "IsCustomerDefined"}, {"value", "false"}},
		obj{{"key", "Disposition"}, {"value", `"Normal"`}},
		obj{{"key", "EscrowBehavior"}, {"value", `"Default"`}},
	}
	return obj{
		{"enabled", enabled},
		{"flowTypes", flows},
		{"name", name},
		{"sourceObjectName", source},
		{"targetObjectName", target},
		{"attributeMappings", list},
		{"metadata", meta},
		{"scope", scope},
	}
}

// expression returns an attributeMappingSource of at most depth levels.
func (g gen) expression(attrs []attr, depth int) obj {
	if depth <= 1 || g.chance(0.15) {
		if g.chance(0.2) {
			return g.constant([]string{"1", "8", " ", ",", "@contoso.com", "True", "en-US", "-", "_"}[g.r.IntN(9)])
		}
		return g.attribute(attrs[g.r.IntN(len(attrs))].name)
	}
	sub := func() obj { return g.expression(attrs, depth-1) }
	leaf := func() obj { return g.expression(attrs, 1) }
	var fn string
	var params []kv
	switch g.r.IntN(14) {
	case 0:
		fn, params = "Join", []kv{{"separator", g.constant(" ")}, {"source1", sub()}, {"source2", leaf()}}
	case 1:
		fn, params = "Trim", []kv{{"source", sub()}}
	case 2:
		fn, params = "ToLower", []kv{{"source", sub()}, {"culture", g.constant("en-US")}}
	case 3:
		fn, params = "Replace", []kv{{"source", sub()}, {"oldValue", g.constant(" ")}, {"replacementValue", g.constant(".")}}
	case 4:
		fn, params = "IIF", []kv{{"condition", g.function("IsPresent", []kv{{"source", sub()}})}, {"valueIfTrue", leaf()}, {"valueIfFalse", g.constant("")}}
	case 5:
		fn, params = "Switch", []kv{{"source", sub()}, {"defaultValue", g.constant("Other")}, {"key", g.constant("1")}, {"value", g.constant("Employee")}, {"key", g.constant("2")}, {"value", leaf()}}
	case 6:
		fn, params = "Left", []kv{{"String", sub()}, {"NumChars", g.constant(fmt.Sprint(1 + g.r.IntN(20)))}}
	case 7:
		fn, params = "Mid", []kv{{"source", sub()}, {"start", g.constant("1")}, {"length", g.constant("8")}}
	case 8:
		fn, params = "Append", []kv{{"source", sub()}, {"suffix", g.constant("@contoso.com")}}
	case 9:
		fn, params = "NormalizeDiacritics", []kv{{"source", g.function("StripSpaces", []kv{{"source", sub()}})}}
	case 10:
		fn, params = "Coalesce", []kv{{"source1", sub()}, {"source2", leaf()}, {"defaultValue", g.constant("n/a")}}
	case 11:
		fn, params = "FormatDateTime", []kv{{"source", sub()}, {"dateTimeStyles", g.constant("")}, {"inputFormat", g.constant("yyyyMMddHHmmss.fZ")}, {"outputFormat", g.constant("yyyy-MM-dd")}}
	case 12:
		fn, params = "Not", []kv{{"source", sub()}}
	default:
		fn, params = "SingleAppRoleAssignment", []kv{{"source", g.attribute("appRoleAssignments")}}
	}
	return g.function(fn, params)
}

func (g gen) function(name string, params []kv) obj {
	var ps []any
	var args []string
	for _, p := range params {
		v := p.v.(obj)
		ps = append(ps, obj{{"key", p.k}, {"value", v}})
		args = append(args, v[0].v.(string))
	}
	return obj{{"expression", name + "(" + strings.Join(args, ", ") + ")"}, {"name", name}, {"parameters", ps}, {"type", "Function"}}
}

func (g gen) attribute(name string) obj {
	o := obj{{"expression", "[" + name + "]"}, {"name", name}}
	switch {
	case g.chance(0.7):
		o = append(o, kv{"parameters", []any{}})
	case g.chance(0.5):
		o = append(o, kv{"parameters", nil})
	}
	return append(o, kv{"type", "Attribute"})
}

func (g gen) constant(v string) obj {
	return obj{{"expression", `"` + v + `"`}, {"name", v}, {"parameters", []any{}}, {"type", "Constant"}}
}

func clause(op, attr string, values ...string) obj {
	o := obj{{"operatorName", op}, {"sourceOperandName", attr}}
	if values == nil {
		return append(o, kv{"targetOperand", nil})
	}
	vs := make([]any, len(values))
	for i, v := range values {
		vs[i] = v
	}
	return append(o, kv{"targetOperand", obj{{"values", vs}}})
}

func (g gen) userScope() obj {
	return obj{
		{"categoryFilterGroups", []any{}},
		{"groups", []any{
			obj{{"name", "Sales and Marketing"}, {"clauses", []any{
				clause("EQUALS", "department", "Sales", "Marketing"),
				clause("IS TRUE", "accountEnabled"),
				clause("NOT REGEX MATCH", "userPrincipalName", `^svc-.*@contoso\.com$`),
			}}},
			obj{{"name", "Contractors"}, {"clauses", []any{
				clause("EQUALS", "employeeType", "Contractor"),
				clause("Greater_Than", "extensionAttribute1", "100"),
			}}},
		}},
		{"inputFilterGroups", []any{
			obj{{"name", "Not soft deleted"}, {"clauses", []any{clause("IS FALSE", "IsSoftDeleted")}}},
		}},
	}
}

func (g gen) groupScope() obj {
	return obj{
		{"categoryFilterGroups", nil},
		{"groups", []any{
			obj{{"name", "Security groups"}, {"clauses", []any{
				clause("IS TRUE", "securityEnabled"),
				clause("REGEX MATCH", "displayName", "^APP-"),
			}}},
		}},
		{"inputFilterGroups", []any{}},
	}
}

func (g gen) adScope() obj {
	return obj{
		{"@odata.type", "#microsoft.graph.filter"},
		{"categoryFilterGroups", nil},
		{"groups", nil},
		{"inputFilterGroups", []any{
			obj{{"name", "Exclude system objects"}, {"clauses", []any{
				clause("IS FALSE", "isCriticalSystemObject"),
				clause("NOT REGEX MATCH", "mailNickname", "^CAS_([^{]*){"),
				clause("NOT REGEX MATCH", "distinguishedName", `^CN\s*=\s*([^\,]*)\0ACNF`),
				obj{{"multiValuedComparisonType", 0}, {"operatorName", "NOT EQUALS"}, {"sourceOperandName", "sAMAccountName"}, {"targetOperand", obj{{"values", []any{"krbtgt", "Guest"}}}}},
			}}},
		}},
	}
}

var entraUserAttrs = []attr{
	{name: "objectId", typ: "String"}, {name: "userPrincipalName", typ: "String"}, {name: "IsSoftDeleted", typ: "Boolean"},
	{name: "accountEnabled", typ: "Boolean"}, {name: "displayName", typ: "String"}, {name: "givenName", typ: "String"},
	{name: "surname", typ: "String"}, {name: "mail", typ: "String"}, {name: "mailNickname", typ: "String"},
	{name: "jobTitle", typ: "String"}, {name: "department", typ: "String"}, {name: "companyName", typ: "String"},
	{name: "employeeId", typ: "String"}, {name: "employeeType", typ: "String"}, {name: "employeeHireDate", typ: "DateTime"},
	{name: "city", typ: "String"}, {name: "state", typ: "String"}, {name: "country", typ: "String"},
	{name: "postalCode", typ: "String"}, {name: "streetAddress", typ: "String"}, {name: "physicalDeliveryOfficeName", typ: "String"},
	{name: "telephoneNumber", typ: "String"}, {name: "mobile", typ: "String"}, {name: "facsimileTelephoneNumber", typ: "String"},
	{name: "preferredLanguage", typ: "String"}, {name: "usageLocation", typ: "String"}, {name: "manager", typ: "Reference", ref: "User"},
	{name: "proxyAddresses", typ: "String", multi: true}, {name: "otherMails", typ: "String", multi: true},
	{name: "appRoleAssignments", typ: "String", multi: true}, {name: "onPremisesSamAccountName", typ: "String"},
	{name: "onPremisesSecurityIdentifier", typ: "String"}, {name: "onPremisesImmutableId", typ: "String"},
	{name: "passwordProfile.password", typ: "String"}, {name: "thumbnailPhoto", typ: "Binary"},
	{name: "dirSyncEnabled", typ: "Boolean"}, {name: "costCenter", typ: "String"}, {name: "division", typ: "String"},
	{name: "extensionAttribute1", typ: "String"}, {name: "extensionAttribute2", typ: "String"},
	{name: "extensionAttribute3", typ: "String"}, {name: "extensionAttribute4", typ: "String"},
	{name: "extensionAttribute5", typ: "String"}, {name: "extensionAttribute6", typ: "String"},
	{name: "extensionAttribute7", typ: "String"}, {name: "extensionAttribute8", typ: "String"},
	{name: "extensionAttribute9", typ: "String"}, {name: "extensionAttribute10", typ: "String"},
	{name: "extensionAttribute11", typ: "String"}, {name: "extensionAttribute12", typ: "String"},
	{name: "extensionAttribute13", typ: "String"}, {name: "extensionAttribute14", typ: "String"},
	{name: "extensionAttribute15", typ: "String"}, {name: "employeeOrgData.division", typ: "String"},
	{name: "employeeOrgData.costCenter", typ: "String"}, {name: "lastPasswordChangeDateTime", typ: "DateTime"},
	{name: "securityEnabled", typ: "Boolean"}, {name: "userType", typ: "String"}, {name: "creationType", typ: "String"},
	{name: "ageGroup", typ: "String"}, {name: "consentProvidedForMinor", typ: "String"}, {name: "faxNumber", typ: "String"},
}

var entraGroupAttrs = []attr{
	{name: "objectId", typ: "String"}, {name: "displayName", typ: "String"}, {name: "IsSoftDeleted", typ: "Boolean"},
	{name: "description", typ: "String"}, {name: "mail", typ: "String"}, {name: "mailNickname", typ: "String"},
	{name: "mailEnabled", typ: "Boolean"}, {name: "securityEnabled", typ: "Boolean"}, {name: "groupTypes", typ: "String", multi: true},
	{name: "members", typ: "Reference", multi: true, ref: "User"}, {name: "owners", typ: "Reference", multi: true, ref: "User"},
	{name: "proxyAddresses", typ: "String", multi: true}, {name: "visibility", typ: "String"},
	{name: "onPremisesSecurityIdentifier", typ: "String"}, {name: "onPremisesSamAccountName", typ: "String"},
	{name: "classification", typ: "String"}, {name: "appRoleAssignments", typ: "String", multi: true},
	{name: "membershipRule", typ: "String"}, {name: "preferredDataLocation", typ: "String"},
	{name: "extensionAttribute1", typ: "String"}, {name: "extensionAttribute2", typ: "String"},
}

var scimUserAttrs = []attr{
	{name: "externalId", typ: "String"}, {name: "userName", typ: "String"}, {name: "active", typ: "Boolean"},
	{name: "displayName", typ: "String"}, {name: "title", typ: "String"}, {name: "nickName", typ: "String"},
	{name: "preferredLanguage", typ: "String"}, {name: "locale", typ: "String"}, {name: "timezone", typ: "String"},
	{name: "userType", typ: "String"}, {name: "profileUrl", typ: "String"},
	{name: `emails[type eq "work"].value`, typ: "String"}, {name: `emails[type eq "home"].value`, typ: "String"},
	{name: `emails[type eq "other"].value`, typ: "String"},
	{name: "name.givenName", typ: "String"}, {name: "name.familyName", typ: "String"}, {name: "name.middleName", typ: "String"},
	{name: "name.formatted", typ: "String"}, {name: "name.honorificPrefix", typ: "String"}, {name: "name.honorificSuffix", typ: "String"},
	{name: `addresses[type eq "work"].formatted`, typ: "String"}, {name: `addresses[type eq "work"].streetAddress`, typ: "String"},
	{name: `addresses[type eq "work"].locality`, typ: "String"}, {name: `addresses[type eq "work"].region`, typ: "String"},
	{name: `addresses[type eq "work"].postalCode`, typ: "String"}, {name: `addresses[type eq "work"].country`, typ: "String"},
	{name: `phoneNumbers[type eq "work"].value`, typ: "String"}, {name: `phoneNumbers[type eq "mobile"].value`, typ: "String"},
	{name: `phoneNumbers[type eq "fax"].value`, typ: "String"}, {name: `ims[type eq "skype"].value`, typ: "String"},
	{name: `photos[type eq "photo"].value`, typ: "String"}, {name: "roles[primary eq \"True\"].value", typ: "String"},
	{name: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", typ: "String"},
	{name: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter", typ: "String"},
	{name: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:organization", typ: "String"},
	{name: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division", typ: "String"},
	{name: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", typ: "String"},
	{name: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", typ: "Reference", ref: "User"},
}

var scimGroupAttrs = []attr{
	{name: "externalId", typ: "String"}, {name: "displayName", typ: "String"},
	{name: "members", typ: "Reference", multi: true, ref: "User"},
	{name: "urn:ietf:params:scim:schemas:extension:Contoso:2.0:Group:description", typ: "String"},
}

var adUserAttrs = []attr{
	{name: "objectGUID", typ: "Binary"}, {name: "sAMAccountName", typ: "String"}, {name: "userPrincipalName", typ: "String"},
	{name: "displayName", typ: "String"}, {name: "givenName", typ: "String"}, {name: "sn", typ: "String"},
	{name: "mail", typ: "String"}, {name: "mailNickname", typ: "String"}, {name: "proxyAddresses", typ: "String", multi: true},
	{name: "title", typ: "String"}, {name: "department", typ: "String"}, {name: "company", typ: "String"},
	{name: "manager", typ: "Reference", ref: "user"}, {name: "userAccountControl", typ: "Integer"},
	{name: "accountDisabled", typ: "Boolean"}, {name: "accountExpires", typ: "Integer"}, {name: "employeeID", typ: "String"},
	{name: "employeeType", typ: "String"}, {name: "l", typ: "String"}, {name: "st", typ: "String"}, {name: "c", typ: "String"},
	{name: "co", typ: "String"}, {name: "postalCode", typ: "String"}, {name: "streetAddress", typ: "String"},
	{name: "telephoneNumber", typ: "String"}, {name: "mobile", typ: "String"}, {name: "facsimileTelephoneNumber", typ: "String"},
	{name: "physicalDeliveryOfficeName", typ: "String"}, {name: "preferredLanguage", typ: "String"},
	{name: "distinguishedName", typ: "String"}, {name: "isCriticalSystemObject", typ: "Boolean"},
	{name: "objectSid", typ: "Binary"}, {name: "whenCreated", typ: "DateTime"}, {name: "pwdLastSet", typ: "Integer"},
	{name: "msDS-cloudExtensionAttribute1", typ: "String"}, {name: "msDS-cloudExtensionAttribute2", typ: "String"},
	{name: "extensionAttribute1", typ: "String"}, {name: "extensionAttribute2", typ: "String"},
	{name: "extensionAttribute3", typ: "String"}, {name: "extensionAttribute4", typ: "String"},
}

var adGroupAttrs = []attr{
	{name: "objectGUID", typ: "Binary"}, {name: "sAMAccountName", typ: "String"}, {name: "cn", typ: "String"},
	{name: "displayName", typ: "String"}, {name: "description", typ: "String"}, {name: "mail", typ: "String"},
	{name: "mailNickname", typ: "String"}, {name: "member", typ: "Reference", multi: true, ref: "user"},
	{name: "managedBy", typ: "Reference", ref: "user"}, {name: "groupType", typ: "Integer"},
	{name: "proxyAddresses", typ: "String", multi: true}, {name: "objectSid", typ: "Binary"},
	{name: "distinguishedName", typ: "String"}, {name: "info", typ: "String"},
}

var adContactAttrs = []attr{
	{name: "objectGUID", typ: "Binary"}, {name: "cn", typ: "String"}, {name: "displayName", typ: "String"},
	{name: "mail", typ: "String"}, {name: "mailNickname", typ: "String"}, {name: "givenName", typ: "String"},
	{name: "sn", typ: "String"}, {name: "targetAddress", typ: "String"}, {name: "proxyAddresses", typ: "String", multi: true},
	{name: "company", typ: "String"}, {name: "department", typ: "String"}, {name: "telephoneNumber", typ: "String"},
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
