package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"
)

// jsonEqual reports whether a and b are the same JSON value. Unlike the
// comparisons in most tests, null members and absent ones differ here.
func jsonEqual(t testing.TB, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("not JSON: %v: %.200s", err, a)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("not JSON: %v: %.200s", err, b)
	}
	return reflect.DeepEqual(x, y)
}

// roundTrip decodes in into a new T, encodes it and checks that the
// result is the same JSON as in; it returns the decoded value.
func roundTrip[T any](t *testing.T, in []byte) *T {
	t.Helper()
	v := new(T)
	if err := json.Unmarshal(in, v); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(t, out, in) {
		t.Fatalf("%T changed on the way back\n got: %.2000s\nwant: %.2000s", v, out, compact(t, in))
	}
	return v
}

func compact(t testing.TB, b []byte) []byte {
	var c bytes.Buffer
	if err := json.Compact(&c, b); err != nil {
		t.Fatal(err)
	}
	return c.Bytes()
}

func TestDocumentedSchemaRoundTrip(t *testing.T) {
	s := roundTrip[SynchronizationSchema](t, readFixture(t, "../testdata/graphdocs/schema_get_response.json"))
	if len(s.Directories) != 2 || s.Directories[0].Objects[0].Attributes[0].Name != "userPrincipalName" ||
		s.Directories[0].Objects[0].Attributes[0].Type != "string" {
		t.Fatalf("directories = %+v", s.Directories)
	}
	r := s.SynchronizationRules[0]
	if r.Name != "USER_TO_USER" || r.ObjectMappings[0].SourceObjectName != "User" ||
		r.ObjectMappings[0].AttributeMappings[0].TargetAttributeName != "userName" ||
		r.ObjectMappings[0].AttributeMappings[0].Source == nil {
		t.Fatalf("rule = %+v", r)
	}
	if len(s.SynchronizationRules) != 2 || len(r.ObjectMappings) != 2 || len(r.ObjectMappings[0].AttributeMappings) != 2 {
		t.Fatal("the empty objects {} of the example were not kept")
	}
}

func TestDocumentedObjectMappingRoundTrip(t *testing.T) {
	m := roundTrip[ObjectMapping](t, readFixture(t, "../testdata/graphdocs/objectmapping_example.json"))
	if !m.FlowTypes.Has(ObjectFlowDelete) || m.FlowTypes.Has("Disable") || m.Scope != nil || !m.Enabled {
		t.Fatalf("mapping = %+v", m)
	}
	if m.Metadata[2].Key != "Disposition" || m.Metadata[2].Value != `"Normal"` {
		t.Fatalf("metadata = %+v", m.Metadata)
	}
	alias := m.AttributeMappings[1]
	if alias.TargetAttributeName != "Alias" || alias.Source.Type != SourceFunction || alias.Source.Name != "Mid" ||
		alias.Source.Parameters[1].Key != "start" || alias.Source.Parameters[1].Value.Type != SourceConstant ||
		alias.Source.Parameters[1].Value.Expression != `"1"` {
		t.Fatalf("Alias mapping = %+v", alias)
	}
	if m.AttributeMappings[3].Source != nil || m.AttributeMappings[3].DefaultValue != "ISO-8859-1" {
		t.Fatalf("EmailEncodingKey mapping = %+v", m.AttributeMappings[3])
	}
}

func TestDocumentedObjectDefinitionRoundTrip(t *testing.T) {
	d := roundTrip[ObjectDefinition](t, readFixture(t, "../testdata/graphdocs/objectdefinition_example.json"))
	if d.Name != "User" || len(d.Attributes) != 29 || !d.Attributes[0].Anchor || d.Metadata[0].Key != ObjectIsSoftDeletionSupported {
		t.Fatalf("definition = %+v", d)
	}
	for _, a := range d.Attributes {
		if a.Name == "manager" && (a.Type != AttributeReference || a.ReferencedObjects[0].ReferencedObjectName != "User") {
			t.Fatalf("manager = %+v", a)
		}
	}
}

func TestLargeSchemaRoundTrip(t *testing.T) {
	in := readFixture(t, largeSchemaFile)
	s := roundTrip[SynchronizationSchema](t, in)
	if len(s.SynchronizationRules) != 3 || len(s.Directories) != 3 {
		t.Fatalf("%d rules, %d directories", len(s.SynchronizationRules), len(s.Directories))
	}
	if s.Extra["@odata.context"] == nil {
		t.Fatal("@odata.context not kept")
	}
	ad := s.SynchronizationRules[1]
	if ad.ContainerFilter == nil || len(ad.ContainerFilter.IncludedContainers) != 2 || ad.GroupFilter == nil ||
		ad.GroupFilter.IncludedGroups == nil || len(ad.GroupFilter.IncludedGroups) != 0 {
		t.Fatalf("cloud sync filters = %+v %+v", ad.ContainerFilter, ad.GroupFilter)
	}
	if d := s.Directories[1]; d.DiscoveryDateTime != "2024-11-05T10:21:33.1200000Z" || !d.Discoverabilities.Has(DiscoverAttributeDataTypes) {
		t.Fatalf("directory = %q %q", d.DiscoveryDateTime, d.Discoverabilities)
	}
	// A second round trip changes nothing either.
	out, _ := json.Marshal(s)
	var again SynchronizationSchema
	if err := json.Unmarshal(out, &again); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*s, again) {
		t.Fatal("decode(encode(s)) != s")
	}
}

// TestSchemaKeepsTheShapeOfWhatWasSent covers each way a member can be
// sent: null, absent, empty array, zero value, unknown, unknown nested,
// named with other case, and whole objects that are null.
func TestSchemaKeepsTheShapeOfWhatWasSent(t *testing.T) {
	in := []byte(`{
		"id": "",
		"version": null,
		"directories": [],
		"@odata.type": "#microsoft.graph.synchronizationSchema",
		"futureProperty": {"a": [1, 2.50, null, {"b": "c"}], "big": 12345678901234567890},
		"synchronizationRules": [
			null,
			{
				"editable": false,
				"priority": 0,
				"Name": "case differs: not the name",
				"metadata": null,
				"objectMappings": [{
					"enabled": false,
					"scope": null,
					"metadata": [{"key": "k", "value": null, "@odata.type": "x"}],
					"attributeMappings": [
						{"defaultValue": null, "source": null, "matchingPriority": 0, "flowType": "SomethingNew"},
						{"source": {"type": "Function", "name": "Join", "parameters": null,
							"unknownNested": true,
							"futureSourceProperty": [{"deep": {"deeper": null}}]}},
						{}
					]
				}]
			}
		]
	}`)
	s := roundTrip[SynchronizationSchema](t, in)
	if len(s.SynchronizationRules) != 2 {
		t.Fatalf("rules = %d", len(s.SynchronizationRules))
	}
	r := s.SynchronizationRules[1]
	if r.Name != "" || string(r.Extra["Name"]) != `"case differs: not the name"` {
		t.Fatalf("Name = %q, Extra = %s", r.Name, r.Extra)
	}
	if got := r.ObjectMappings[0].AttributeMappings[0].FlowType; got != "SomethingNew" {
		t.Fatalf("unknown flow type = %q", got)
	}
	if src := r.ObjectMappings[0].AttributeMappings[1].Source; string(src.Extra["unknownNested"]) != "true" {
		t.Fatalf("nested unknown member: %s", src.Extra)
	}
	if !bytes.Contains(mustMarshal(t, s), []byte(`12345678901234567890`)) {
		t.Fatal("a large number in an unknown member lost precision")
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestChangesAreWritten(t *testing.T) {
	in := []byte(`{"synchronizationRules":[{"id":"r","objectMappings":[{"attributeMappings":[
		{"defaultValue":null,"source":{"type":"Attribute","name":"mail","expression":"[mail]","parameters":[]},"targetAttributeName":"emails"},
		{"defaultValue":"x","source":null,"targetAttributeName":"locale"}]}]}]}`)
	var s SynchronizationSchema
	if err := json.Unmarshal(in, &s); err != nil {
		t.Fatal(err)
	}
	ams := s.SynchronizationRules[0].ObjectMappings[0].AttributeMappings
	ams[0].DefaultValue = "none"                                                                  // was null
	ams[0].Source = nil                                                                           // had a value: now null
	ams[1].DefaultValue = ""                                                                      // was present: stays, empty
	ams[1].Source = &AttributeMappingSource{Type: SourceConstant, Name: "en", Expression: `"en"`} // was null
	s.SynchronizationRules[0].ObjectMappings[0].AttributeMappings = append(ams, AttributeMapping{
		TargetAttributeName: "title",
		Source:              &AttributeMappingSource{Type: SourceAttribute, Name: "jobTitle", Expression: "[jobTitle]"},
	})
	want := `{"synchronizationRules":[{"id":"r","objectMappings":[{"attributeMappings":[
		{"defaultValue":"none","source":null,"targetAttributeName":"emails"},
		{"defaultValue":"","source":{"expression":"\"en\"","name":"en","type":"Constant"},"targetAttributeName":"locale"},
		{"source":{"expression":"[jobTitle]","name":"jobTitle","type":"Attribute"},"targetAttributeName":"title"}]}]}]}`
	if got := mustMarshal(t, s); !jsonEqual(t, got, []byte(want)) {
		t.Fatalf("got  %s\nwant %s", got, compact(t, []byte(want)))
	}
}

func TestBuiltInGoWritesNonZeroFieldsOnly(t *testing.T) {
	s := SynchronizationSchema{SynchronizationRules: []SynchronizationRule{{ID: "r", ObjectMappings: []ObjectMapping{{SourceObjectName: "User", Enabled: true}}}}}
	want := `{"synchronizationRules":[{"id":"r","objectMappings":[{"enabled":true,"sourceObjectName":"User"}]}]}`
	if got := mustMarshal(t, s); string(got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	s.Extra = map[string]json.RawMessage{"id": json.RawMessage(`"shadowed"`), "x": json.RawMessage(`[1]`)}
	want = `{"synchronizationRules":[{"id":"r","objectMappings":[{"enabled":true,"sourceObjectName":"User"}]}],"x":[1]}`
	if got := mustMarshal(t, s); string(got) != want {
		t.Fatalf("with Extra: got  %s\nwant %s", got, want)
	}
	s.Extra = map[string]json.RawMessage{"x": json.RawMessage(`{`)}
	if _, err := json.Marshal(s); err == nil {
		t.Fatal("invalid JSON in Extra was written")
	}
}

func TestStringCollectionsRefuseNull(t *testing.T) {
	for _, in := range []string{`{"supportedApis":["a",null]}`, `{"supportedApis":[1]}`} {
		var d ObjectDefinition
		if err := json.Unmarshal([]byte(in), &d); err == nil || !strings.Contains(err.Error(), "supportedApis") {
			t.Errorf("%s: err = %v", in, err)
		}
	}
	var d ObjectDefinition
	roundTrip[ObjectDefinition](t, []byte(`{"supportedApis":[]}`))
	if err := json.Unmarshal([]byte(`{"supportedApis":null}`), &d); err != nil || d.SupportedAPIs != nil {
		t.Fatalf("null collection: %v %v", d.SupportedAPIs, err)
	}
}

func TestDecodeErrorsNameTheMember(t *testing.T) {
	var s SynchronizationSchema
	err := json.Unmarshal([]byte(`{"synchronizationRules":[{"objectMappings":[{"attributeMappings":[{"matchingPriority":"high"}]}]}]}`), &s)
	if err == nil || !strings.Contains(err.Error(), "synchronizationRules[0].objectMappings[0].attributeMappings[0].matchingPriority: a string is not a number") {
		t.Fatalf("err = %v", err)
	}
}

func TestTemplateMetadataIsKeyValue(t *testing.T) {
	in := []byte(`{"id":"t","factoryTag":"CustomSCIM","metadata":[
		{"key":"GalleryApplicationIdentifier","value":"8adf8e6e-67b2-4cf2-a259-e3dc5476c621"},
		{"key":"IsOAuthEnabled","value":"false"},
		{"key":"SomethingNew","value":"{\"a\":1}"}],
		"schema":{"directories":[],"synchronizationRules":[]}}`)
	tpl := roundTrip[SynchronizationTemplate](t, in)
	if tpl.Metadata[0].Key != MetadataGalleryApplicationIdentifier || tpl.Metadata[2].Key != "SomethingNew" {
		t.Fatalf("metadata keys = %+v", tpl.Metadata)
	}
	if v, ok := tpl.MetadataValue(MetadataIsOAuthEnabled); !ok || v != "false" {
		t.Fatalf("MetadataValue = %q, %v", v, ok)
	}
	if _, ok := tpl.MetadataValue(MetadataOAuthSettings); ok {
		t.Fatal("MetadataValue found a key that is not there")
	}
	if tpl.Schema == nil || tpl.Schema.SynchronizationRules == nil {
		t.Fatal("schema not kept")
	}
	roundTrip[SynchronizationTemplate](t, readFixture(t, "../testdata/graphdocs/template_get_response.json"))
}

// A template read through beta names its metadata in camelCase (Graph's
// beta metadata, and the beta examples, spell them so); the constants find
// them all the same, and the names are written back as received.
func TestTemplateMetadataBetaSpelling(t *testing.T) {
	tpl := roundTrip[SynchronizationTemplate](t, []byte(`{"id":"aWSSingleSignon","metadata":[
		{"key":"AzureIngestionAttributeOptimization","value":"False"},
		{"key":"galleryApplicationIdentifier","value":"21ed01d2-ec13-4e9e-86c1-cd546719ebc4"},
		{"key":"galleryApplicationKey","value":"awssinglesignon"},
		{"key":"isOAuthEnabled","value":"true"},
		{"key":"IsSynchronizationAgentAssignmentRequired","value":"false"},
		{"key":"configurationFields","value":"[]"}]}`))
	for key, want := range map[SynchronizationMetadata]string{
		MetadataGalleryApplicationIdentifier:             "21ed01d2-ec13-4e9e-86c1-cd546719ebc4",
		MetadataGalleryApplicationKey:                    "awssinglesignon",
		MetadataIsOAuthEnabled:                           "true",
		MetadataIsSynchronizationAgentAssignmentRequired: "false",
		MetadataConfigurationFields:                      "[]",
		"azureingestionattributeoptimization":            "False",
	} {
		if v, ok := tpl.MetadataValue(key); !ok || v != want {
			t.Errorf("MetadataValue(%s) = %q, %v; want %q", key, v, ok, want)
		}
	}
	if _, ok := tpl.MetadataValue(MetadataOAuthSettings); ok {
		t.Error("MetadataValue found oAuthSettings, which is not there")
	}
	if !tpl.Metadata[3].Key.Is(MetadataIsOAuthEnabled) || tpl.Metadata[3].Key.Is(MetadataIsSynchronizationInPreview) {
		t.Error("Is compares wrongly")
	}
}

func TestTimestampAndFlags(t *testing.T) {
	ts := Timestamp("2025-03-30T07:00:28.2095357Z")
	tm, err := ts.Time()
	if err != nil || tm.Nanosecond() != 209535700 {
		t.Fatalf("Time = %v, %v", tm, err)
	}
	if tm, err := Timestamp("").Time(); err != nil || !tm.IsZero() {
		t.Fatalf("empty: %v, %v", tm, err)
	}
	if _, err := Timestamp("yesterday").Time(); err == nil {
		t.Fatal("bad timestamp parsed")
	}
	if got := NewTimestamp(time.Date(2014, 1, 1, 0, 0, 0, 0, time.FixedZone("x", 3600))); got != "2013-12-31T23:00:00Z" {
		t.Fatalf("NewTimestamp = %s", got)
	}
	if !ObjectFlowTypes("Add,Update").Has(ObjectFlowUpdate) || ObjectFlowTypes("Add,Update").Has(ObjectFlowDelete) ||
		!ObjectFlowTypes(" add , Delete").Has("Add") {
		t.Fatal("ObjectFlowTypes.Has")
	}
}

func TestRuleFor(t *testing.T) {
	s := &SynchronizationSchema{SynchronizationRules: []SynchronizationRule{
		{ID: "users", Name: "USER_TO_USER", ObjectMappings: []ObjectMapping{{SourceObjectName: "User", TargetObjectName: "User", Enabled: true}}},
		{ID: "groups", Name: "GROUP_TO_GROUP", ObjectMappings: []ObjectMapping{{SourceObjectName: "Group", TargetObjectName: "Group", Enabled: true}}},
		{ID: "ad", Name: "AD2AAD", ObjectMappings: []ObjectMapping{
			{SourceObjectName: "contact", TargetObjectName: "Contact", Enabled: false},
			{SourceObjectName: "inetOrgPerson", TargetObjectName: "User", Enabled: true},
		}},
		{ID: "old", Name: "OLD_CONTACTS", ObjectMappings: []ObjectMapping{{SourceObjectName: "Contact", TargetObjectName: "Contact", Enabled: false}}},
	}}
	for name, want := range map[string]string{"User": "users", "user": "users", " GROUP ": "groups", "inetorgperson": "ad"} {
		if got, err := s.RuleFor(name); err != nil || got != want {
			t.Errorf("RuleFor(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	_, err := s.RuleFor("Device")
	if !errors.Is(err, ErrNoRule) || !strings.Contains(err.Error(), `rule "users" ("USER_TO_USER": "User"→"User")`) ||
		!strings.Contains(err.Error(), `"inetOrgPerson"→"User"`) {
		t.Errorf("no rule: %v", err)
	}
	if got, err := s.RuleFor("contact"); err != nil || got != "ad" {
		t.Errorf("same case preferred: %q, %v", got, err)
	}
	_, err = s.RuleFor("CONTACT") // two rules, neither with that case, neither enabled
	if !errors.Is(err, ErrAmbiguousRule) || !strings.Contains(err.Error(), `"ad"`) || !strings.Contains(err.Error(), `"old"`) ||
		strings.Contains(err.Error(), `"users"`) {
		t.Errorf("ambiguous: %v", err)
	}
	s.SynchronizationRules[3].ObjectMappings[0].Enabled = true // now only "old" has it enabled
	if got, err := s.RuleFor("CONTACT"); err != nil || got != "old" {
		t.Errorf("enabled preferred: %q, %v", got, err)
	}
	s.SynchronizationRules = append(s.SynchronizationRules, SynchronizationRule{Name: "NO_ID", ObjectMappings: []ObjectMapping{{SourceObjectName: "Device"}}})
	if _, err := s.RuleFor("Device"); !errors.Is(err, ErrNoRule) || !strings.Contains(err.Error(), "no id") {
		t.Errorf("rule without id: %v", err)
	}
	var nilSchema *SynchronizationSchema
	if _, err := nilSchema.RuleFor("User"); !errors.Is(err, ErrNoRule) {
		t.Errorf("nil schema: %v", err)
	}
	if _, err := (&SynchronizationSchema{}).RuleFor("User"); err == nil || !strings.Contains(err.Error(), "no rules") {
		t.Errorf("empty schema: %v", err)
	}
}

// The rule and object names in RuleFor's errors come from the server's
// schema: they are quoted and cleaned (package printable), so that they
// can neither write to the operator's terminal nor pass for the message's
// own words.
func TestRuleForQuotesTheSchemasText(t *testing.T) {
	const evil = "\x1b]0;pwned\x07\x1b[2J\r\n\u0085\u202eSSECCUS"
	s := &SynchronizationSchema{SynchronizationRules: []SynchronizationRule{
		{ID: "r1" + evil, Name: "N1" + evil, ObjectMappings: []ObjectMapping{{SourceObjectName: "Device", TargetObjectName: "T" + evil}}},
		{ID: "r2" + evil, Name: "N2" + evil, ObjectMappings: []ObjectMapping{{SourceObjectName: "Device", TargetObjectName: "T" + evil}}},
		{Name: "N3" + evil, ObjectMappings: []ObjectMapping{{SourceObjectName: "Printer" + evil, TargetObjectName: "P"}}},
	}}
	for _, typ := range []string{"Nothing" + evil, "Device", "Printer" + evil} {
		_, err := s.RuleFor(typ)
		if err == nil {
			t.Fatalf("RuleFor(%q): no error", typ)
		}
		msg := err.Error()
		for _, r := range msg {
			if !unicode.IsGraphic(r) {
				t.Errorf("RuleFor(%q): %U raw in %q", typ, r, msg)
				break
			}
		}
		if !strings.Contains(msg, `"N`) || !strings.Contains(msg, `\x1b]0;pwned\a`) {
			t.Errorf("RuleFor(%q): the schema's names are not quoted and escaped: %s", typ, msg)
		}
	}
}

func TestRuleForTheDocumentedSchema(t *testing.T) {
	var s SynchronizationSchema
	if err := json.Unmarshal(readFixture(t, largeSchemaFile), &s); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"User": "03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8", "user": "6c409270-f78a-4bc6-af23-7cf3ab6482fe", "group": "6c409270-f78a-4bc6-af23-7cf3ab6482fe", "contact": "6c409270-f78a-4bc6-af23-7cf3ab6482fe"} {
		if got, err := s.RuleFor(name); err != nil || got != want {
			t.Errorf("RuleFor(%q) = %q, %v; want %s", name, got, err, want)
		}
	}
	// "Group" is mapped by two rules, both with that case and enabled.
	if _, err := s.RuleFor("Group"); !errors.Is(err, ErrAmbiguousRule) {
		t.Errorf("Group: %v", err)
	}
}

// An attribute's apiExpressions, in Graph's metadata since v1.0, is a
// named field, not Extra; [], null and absent come back as sent.
func TestAttributeDefinitionAPIExpressions(t *testing.T) {
	d := roundTrip[AttributeDefinition](t, []byte(`{"name":"userName","anchor":false,"type":"String",
		"apiExpressions":[{"key":"Get","value":"$.userName"},{"key":"Set","value":null}]}`))
	if len(d.APIExpressions) != 2 || d.APIExpressions[0].Key != "Get" || d.APIExpressions[0].Value != "$.userName" ||
		d.APIExpressions[1].Value != "" || d.Extra != nil {
		t.Fatalf("attribute = %+v", d)
	}
	for _, in := range []string{`{"apiExpressions":[]}`, `{"apiExpressions":null}`, `{"name":"x"}`} {
		d := roundTrip[AttributeDefinition](t, []byte(in))
		if d.Extra != nil || (strings.Contains(in, "[]") != (d.APIExpressions != nil)) {
			t.Fatalf("%s: %+v", in, d)
		}
	}
}
