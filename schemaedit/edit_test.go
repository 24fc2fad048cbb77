package schemaedit

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/graphsync/graphsync/expression"
	"github.com/graphsync/graphsync/models"
)

const (
	largeFixture = "../testdata/schema_large.json"
	docsFixture  = "../testdata/graphdocs/schema_get_response.json"
	adRule       = "6c409270-f78a-4bc6-af23-7cf3ab6482fe" // AD2AADProvisioning in the large fixture
)

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readSchema(t testing.TB, name string) *models.SynchronizationSchema {
	t.Helper()
	var s models.SynchronizationSchema
	if err := json.Unmarshal(readFile(t, name), &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// doc decodes JSON (a file, or a value's encoding) into a generic tree.
func doc(t testing.TB, v any) any {
	t.Helper()
	b, ok := v.([]byte)
	if !ok {
		var err error
		if b, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// at follows member names and indexes in a generic tree; set replaces
// the value there.
func at(t testing.TB, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch p := p.(type) {
		case string:
			v = v.(map[string]any)[p]
		case int:
			v = v.([]any)[p]
		}
	}
	return v
}

func set(t testing.TB, v any, value any, path ...any) {
	t.Helper()
	parent := at(t, v, path[:len(path)-1]...)
	switch p := path[len(path)-1].(type) {
	case string:
		parent.(map[string]any)[p] = value
	case int:
		parent.([]any)[p] = value
	}
}

func TestFindObjectMapping(t *testing.T) {
	s := readSchema(t, largeFixture)
	for _, tc := range []struct{ rule, src, dst string }{
		{"USER_OUTBOUND_USER", "User", "User"},
		{"03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8", "User", ""},
		{adRule, "user", "User"},
		{"", "contact", ""},
	} {
		om, err := FindObjectMapping(s, tc.rule, tc.src, tc.dst)
		if err != nil || om.SourceObjectName != tc.src || tc.dst != "" && om.TargetObjectName != tc.dst {
			t.Errorf("%+v: %+v, %v", tc, om, err)
		}
	}
	// The pointer is into the schema: edits are made in place.
	om, _ := FindObjectMapping(s, "AD2AADProvisioning", "contact", "Contact")
	if om != &s.SynchronizationRules[1].ObjectMappings[2] {
		t.Error("not a pointer into the schema")
	}
	for _, tc := range []struct {
		rule, src, dst string
		err            error
		msg            string
	}{
		{"", "Group", "", ErrAmbiguous, `2 object mappings "Group"→(any): "Group"→"Group" in rule "USER_OUTBOUND_USER" (`},
		{"", "User", "user", ErrNotFound, `no object mapping "User"→"user"; the schema has "User"→"User" in rule "USER_OUTBOUND_USER"`},
		{"nope", "User", "User", ErrNotFound, `in rule "nope"`},
		{"AD2AADProvisioning", "User", "", ErrNotFound, ""},
	} {
		_, err := FindObjectMapping(s, tc.rule, tc.src, tc.dst)
		if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%+v: %v", tc, err)
		}
	}
	// Names from the schema cannot break the message's lines.
	s.SynchronizationRules[0].Name = "evil\n\x1b[2J"
	if _, err := FindObjectMapping(s, "", "nothing", ""); err == nil || strings.ContainsAny(err.Error(), "\n\x1b") {
		t.Errorf("unclean error: %q", err)
	}
	if _, err := FindObjectMapping(nil, "", "User", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("nil schema: %v", err)
	}
}

// A mapping built in Go is written as Graph writes one: every member,
// null for no default, the source tree with every member of every node.
func TestNewMappingsHaveGraphsShape(t *testing.T) {
	for _, tc := range []struct {
		m    Mapping
		want string
	}{
		{Direct("mail", "userPrincipalName"),
			`{"defaultValue":null,"exportMissingReferences":false,"flowBehavior":"FlowWhenChanged","flowType":"Always","matchingPriority":0,` +
				`"source":{"expression":"[userPrincipalName]","name":"userPrincipalName","parameters":[],"type":"Attribute"},"targetAttributeName":"mail"}`},
		{Constant("company", ""),
			`{"defaultValue":null,"exportMissingReferences":false,"flowBehavior":"FlowWhenChanged","flowType":"Always","matchingPriority":0,` +
				`"source":{"expression":"\"\"","name":"","parameters":[],"type":"Constant"},"targetAttributeName":"company"}`},
		{Mapping{TargetAttribute: "x", Type: TypeNone, DefaultValue: "d", FlowType: models.FlowTypeObjectAddOnly, MatchingPriority: 2},
			`{"defaultValue":"d","exportMissingReferences":false,"flowBehavior":"FlowWhenChanged","flowType":"ObjectAddOnly","matchingPriority":2,` +
				`"source":null,"targetAttributeName":"x"}`},
		{Expression("displayName", `Join(" ",[givenName],  "")`),
			`{"defaultValue":null,"exportMissingReferences":false,"flowBehavior":"FlowWhenChanged","flowType":"Always","matchingPriority":0,` +
				`"source":{"expression":"Join(\" \", [givenName], \"\")","name":"Join","parameters":[` +
				`{"key":"separator","value":{"expression":"\" \"","name":" ","parameters":[],"type":"Constant"}},` +
				`{"key":"source","value":{"expression":"[givenName]","name":"givenName","parameters":[],"type":"Attribute"}},` +
				`{"key":"source","value":{"expression":"\"\"","name":"","parameters":[],"type":"Constant"}}],"type":"Function"},"targetAttributeName":"displayName"}`},
	} {
		am, err := tc.m.AttributeMapping()
		if err != nil {
			t.Fatal(err)
		}
		if got := string(mustJSON(t, am)); got != tc.want {
			t.Errorf("%+v:\n%s\nwant\n%s", tc.m, got, tc.want)
		}
		// Read gives back the mapping (the expression in canonical form).
		back := Read(am)
		want := tc.m
		want.FlowBehavior, want.FlowType = flowBehavior(want.FlowBehavior), flowType(want.FlowType)
		if want.Type == TypeExpression {
			want.Source = am.Source.Expression
		}
		if back != want {
			t.Errorf("Read = %+v, want %+v", back, want)
		}
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadMappings(t *testing.T) {
	s := readSchema(t, largeFixture)
	om, _ := FindObjectMapping(s, adRule, "user", "User")
	for target, want := range map[string]Mapping{
		"usageLocation": {TargetAttribute: "usageLocation", Type: TypeDirect, Source: "objectSid",
			FlowBehavior: models.FlowWhenChanged, FlowType: models.FlowTypeAlways},
		"preferredLanguage": {TargetAttribute: "preferredLanguage", Type: TypeConstant, Source: " ",
			FlowBehavior: models.FlowWhenChanged, FlowType: models.FlowTypeAlways},
		"manager": {TargetAttribute: "manager", Type: TypeDirect, Source: "extension_2f30009879d749a6a35d8092380e7a92_attr04",
			DefaultValue: "unknown", FlowBehavior: models.FlowWhenChanged, FlowType: models.FlowTypeAttributeAddOnly},
		"facsimileTelephoneNumber": {TargetAttribute: "facsimileTelephoneNumber", Type: TypeExpression,
			Source:       `Replace(Left(IIF(IsPresent([st]), [extensionAttribute2], ""), "15"), " ", ".")`,
			FlowBehavior: models.FlowWhenChanged, FlowType: models.FlowTypeAlways},
	} {
		got, err := GetMapping(om, target)
		if err != nil || got != want {
			t.Errorf("%s: %+v, %v\nwant %+v", target, got, err, want)
		}
	}
	// A tree without text is read as its text; without a source, None.
	src := expression.ToSource(mustParse(t, `Append([mail], ".x")`))
	src.Expression = ""
	if m := Read(models.AttributeMapping{TargetAttributeName: "a", Source: &src}); m.Type != TypeExpression || m.Source != `Append([mail], ".x")` {
		t.Errorf("tree without text: %+v", m)
	}
	if m := Read(models.AttributeMapping{TargetAttributeName: "a"}); m.Type != TypeNone || m.Source != "" || m.String() != "None" {
		t.Errorf("no source: %+v", m)
	}
	if _, err := GetMapping(&s.SynchronizationRules[0].ObjectMappings[0], "userName"); !errors.Is(err, ErrAmbiguous) {
		t.Errorf("a target mapped twice: %v", err)
	}
	if _, err := GetMapping(om, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("no mapping: %v", err)
	}
}

func mustParse(t testing.TB, s string) expression.Node {
	t.Helper()
	n, err := expression.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Editing one attribute mapping of the large fixture changes that
// mapping's edited members and nothing else in the whole schema.
func TestEditLeavesTheRestOfTheLargeSchema(t *testing.T) {
	file := readFile(t, largeFixture)
	const k = 25 // usageLocation
	path := []any{"synchronizationRules", 1, "objectMappings", 0, "attributeMappings", k}
	for _, tc := range []struct {
		name    string
		edit    func(om *models.ObjectMapping) error
		changed []string // the mapping's members that change
	}{
		{"the expression", func(om *models.ObjectMapping) error {
			return ReplaceMapping(om, Expression("usageLocation", `Switch([c], "US", "DE", "DE")`))
		}, []string{"source"}},
		{"the flow type only", func(om *models.ObjectMapping) error {
			m, _ := GetMapping(om, "usageLocation")
			m.FlowType = models.FlowTypeObjectAddOnly
			return ReplaceMapping(om, m)
		}, []string{"flowType"}},
		{"a default and the matching priority", func(om *models.ObjectMapping) error {
			m, _ := GetMapping(om, "usageLocation")
			m.DefaultValue, m.MatchingPriority = "US", 3
			return SetMapping(om, m)
		}, []string{"defaultValue", "matchingPriority"}},
		{"to a constant, flowing always", func(om *models.ObjectMapping) error {
			m := Constant("usageLocation", "US")
			m.FlowBehavior = models.FlowAlways
			return ReplaceMapping(om, m)
		}, []string{"source", "flowBehavior"}},
	} {
		s := readSchema(t, largeFixture)
		om, err := FindObjectMapping(s, adRule, "user", "User")
		if err != nil {
			t.Fatal(err)
		}
		if err := tc.edit(om); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		before, after := doc(t, file), doc(t, s)
		amBefore := at(t, before, path...).(map[string]any)
		amAfter := at(t, after, path...).(map[string]any)
		var changed []string
		for name := range amBefore {
			if !reflect.DeepEqual(amBefore[name], amAfter[name]) {
				changed = append(changed, name)
			}
		}
		if len(amAfter) != len(amBefore) || !sameSet(changed, tc.changed) {
			t.Errorf("%s: members changed %v, want %v\n%v\n%v", tc.name, changed, tc.changed, amBefore, amAfter)
		}
		set(t, before, nil, path...)
		set(t, after, nil, path...)
		if !reflect.DeepEqual(before, after) {
			t.Errorf("%s: something else changed", tc.name)
		}
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !strings.Contains(","+strings.Join(b, ",")+",", ","+x+",") {
			return false
		}
	}
	return true
}

// Adding and removing one mapping, and a scoping filter group: the rest
// of the large fixture is the same JSON.
func TestAddRemoveLeaveTheRestOfTheLargeSchema(t *testing.T) {
	file := readFile(t, largeFixture)
	mappings := []any{"synchronizationRules", 1, "objectMappings", 0, "attributeMappings"}

	s := readSchema(t, largeFixture)
	om, _ := FindObjectMapping(s, adRule, "user", "User")
	if err := AddMapping(om, Direct("brandNewAttribute", "employeeID")); err != nil {
		t.Fatal(err)
	}
	before, after := doc(t, file), doc(t, s)
	list := at(t, after, mappings...).([]any)
	if got := list[len(list)-1].(map[string]any)["targetAttributeName"]; got != "brandNewAttribute" {
		t.Fatalf("not appended: %v", got)
	}
	set(t, after, list[:len(list)-1], mappings...)
	if !reflect.DeepEqual(before, after) {
		t.Error("AddMapping changed something else")
	}

	s = readSchema(t, largeFixture)
	om, _ = FindObjectMapping(s, adRule, "user", "User")
	if err := RemoveMapping(om, "manager"); err != nil {
		t.Fatal(err)
	}
	before, after = doc(t, file), doc(t, s)
	list = at(t, before, mappings...).([]any)
	set(t, before, append(list[:26:26], list[27:]...), mappings...)
	if !reflect.DeepEqual(before, after) {
		t.Error("RemoveMapping changed something else")
	}

	// The scope: a group added among the input filter groups' scope,
	// whose other members (@odata.type, nulls) stay.
	s = readSchema(t, largeFixture)
	om, _ = FindObjectMapping(s, adRule, "user", "User")
	if err := SetScopeGroup(om, Group("Sales", Clause("department", "EQUALS", "Sales"), Clause("accountEnabled", "IS TRUE"))); err != nil {
		t.Fatal(err)
	}
	before, after = doc(t, file), doc(t, s)
	scope := []any{"synchronizationRules", 1, "objectMappings", 0, "scope"}
	want := `[{"clauses":[{"operatorName":"EQUALS","sourceOperandName":"department","targetOperand":{"values":["Sales"]}},` +
		`{"operatorName":"IS TRUE","sourceOperandName":"accountEnabled","targetOperand":null}],"name":"Sales"}]`
	if got := string(mustJSON(t, at(t, after, append(scope, "groups")...))); got != want {
		t.Errorf("groups\n%s\nwant\n%s", got, want)
	}
	set(t, after, nil, append(scope, "groups")...)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("SetScopeGroup changed something else:\n%v\n%v", at(t, before, scope...), at(t, after, scope...))
	}
}

// The documentation's schema is shortened (a source {}, mappings and
// rules {}); editing its one real mapping leaves all of that as it is.
func TestEditTheDocumentedSchema(t *testing.T) {
	file := readFile(t, docsFixture)
	s := readSchema(t, docsFixture)
	om, err := FindObjectMapping(s, "USER_TO_USER", "User", "User")
	if err != nil {
		t.Fatal(err)
	}
	m, err := GetMapping(om, "userName")
	if err != nil || m != (Mapping{TargetAttribute: "userName", Type: TypeDirect}) {
		t.Fatalf("the documented mapping reads %+v, %v", m, err)
	}
	if err := ReplaceMapping(om, Direct("userName", "userPrincipalName")); err != nil {
		t.Fatal(err)
	}
	before, after := doc(t, file), doc(t, s)
	path := []any{"synchronizationRules", 0, "objectMappings", 0, "attributeMappings", 0}
	want := `{"flowBehavior":"FlowWhenChanged","flowType":"Always",` +
		`"source":{"expression":"[userPrincipalName]","name":"userPrincipalName","parameters":[],"type":"Attribute"},"targetAttributeName":"userName"}`
	if got := string(mustJSON(t, at(t, after, path...))); got != want {
		t.Errorf("the mapping\n%s\nwant\n%s", got, want)
	}
	set(t, before, nil, path...)
	set(t, after, nil, path...)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("something else changed:\n%s", mustJSON(t, after))
	}
}

// ReplaceMapping of the same source keeps Graph's tree as sent, even one
// the expression package would write otherwise (parameters null).
func TestReplaceKeepsAnUnchangedSource(t *testing.T) {
	s := readSchema(t, largeFixture)
	om, _ := FindObjectMapping(s, adRule, "user", "User")
	before := string(mustJSON(t, om.AttributeMappings[25].Source))
	m, _ := GetMapping(om, "usageLocation")
	m.FlowType = models.FlowTypeValueAddOnly
	if err := ReplaceMapping(om, m); err != nil {
		t.Fatal(err)
	}
	if after := string(mustJSON(t, om.AttributeMappings[25].Source)); after != before || !strings.Contains(after, `"parameters":null`) {
		t.Errorf("source %s, was %s", after, before)
	}
}

// What cannot be written is refused, and nothing changes.
func TestEditsRefused(t *testing.T) {
	s := readSchema(t, largeFixture)
	om, _ := FindObjectMapping(s, adRule, "user", "User")
	want := string(mustJSON(t, om))
	err := ReplaceMapping(om, Expression("usageLocation", `Mid([c], 1`))
	var se *expression.SyntaxError
	if !errors.Is(err, ErrInvalid) || !errors.As(err, &se) || se.Column != 11 {
		t.Errorf("an expression that does not parse: %v", err)
	}
	if err := AddMapping(om, Expression("brandNew", `Append([a] "x")`)); !errors.Is(err, ErrInvalid) || !errors.As(err, &se) {
		t.Errorf("AddMapping of an expression that does not parse: %v", err)
	}
	for _, m := range []Mapping{
		Direct("", "mail"), Direct("x", ""), Direct("x", "a]b"), {TargetAttribute: "x", Type: "Lookup"},
	} {
		if err := SetMapping(om, m); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: %v", m, err)
		}
	}
	if err := AddMapping(om, Direct("usageLocation", "c")); !errors.Is(err, ErrExists) {
		t.Errorf("AddMapping of a mapped target: %v", err)
	}
	if err := ReplaceMapping(om, Direct("nope", "c")); !errors.Is(err, ErrNotFound) {
		t.Errorf("ReplaceMapping of nothing: %v", err)
	}
	if err := RemoveMapping(om, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("RemoveMapping of nothing: %v", err)
	}
	if err := RemoveMapping(&s.SynchronizationRules[0].ObjectMappings[0], "userName"); !errors.Is(err, ErrAmbiguous) {
		t.Errorf("RemoveMapping of a target mapped twice: %v", err)
	}
	if err := SetScopeGroup(om, Group("", Clause("a", "IS TRUE"))); !errors.Is(err, ErrInvalid) {
		t.Errorf("a group without a name: %v", err)
	}
	if err := SetScopeGroup(om, Group("g")); !errors.Is(err, ErrInvalid) {
		t.Errorf("a group without clauses: %v", err)
	}
	if err := RemoveScopeGroup(om, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("RemoveScopeGroup of nothing: %v", err)
	}
	if got := string(mustJSON(t, om)); got != want {
		t.Error("a refused edit changed the object mapping")
	}
}

func TestScopeGroups(t *testing.T) {
	om := &models.ObjectMapping{SourceObjectName: "User", TargetObjectName: "User"}
	if err := RemoveScopeGroup(om, "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("no scope: %v", err)
	}
	if err := SetScopeGroup(om, Group("a", Clause("department", "EQUALS", "Sales"))); err != nil {
		t.Fatal(err)
	}
	if err := SetScopeGroup(om, Group("b", Clause("accountEnabled", "IS TRUE"))); err != nil {
		t.Fatal(err)
	}
	// Replaced in its place.
	if err := SetScopeGroup(om, Group("a", Clause("department", "EQUALS", "Sales", "Marketing"))); err != nil {
		t.Fatal(err)
	}
	want := `{"categoryFilterGroups":[],"groups":[` +
		`{"clauses":[{"operatorName":"EQUALS","sourceOperandName":"department","targetOperand":{"values":["Sales","Marketing"]}}],"name":"a"},` +
		`{"clauses":[{"operatorName":"IS TRUE","sourceOperandName":"accountEnabled","targetOperand":null}],"name":"b"}],"inputFilterGroups":[]}`
	if got := string(mustJSON(t, om.Scope)); got != want {
		t.Errorf("scope\n%s\nwant\n%s", got, want)
	}
	if err := RemoveScopeGroup(om, "a"); err != nil {
		t.Fatal(err)
	}
	if err := RemoveScopeGroup(om, "b"); err != nil {
		t.Fatal(err)
	}
	if got := string(mustJSON(t, om.Scope)); got != `{"categoryFilterGroups":[],"groups":[],"inputFilterGroups":[]}` {
		t.Errorf("scope after removing every group: %s", got)
	}
	om.Scope.Groups = []models.FilterGroup{Group("c", Clause("x", "IS TRUE")), Group("c", Clause("y", "IS TRUE"))}
	if err := SetScopeGroup(om, Group("c", Clause("z", "IS TRUE"))); !errors.Is(err, ErrAmbiguous) {
		t.Errorf("two groups of one name: %v", err)
	}
}

// Clone shares nothing: an edit of the clone leaves the original.
func TestClone(t *testing.T) {
	s := readSchema(t, largeFixture)
	c, err := Clone(*s)
	if err != nil {
		t.Fatal(err)
	}
	om, _ := FindObjectMapping(&c, adRule, "user", "User")
	if err := ReplaceMapping(om, Constant("usageLocation", "US")); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(doc(t, s), doc(t, readFile(t, largeFixture))) {
		t.Error("editing the clone changed the original")
	}
	// A plain copy of the struct would not do.
	copied := *s
	om, _ = FindObjectMapping(&copied, adRule, "user", "User")
	_ = ReplaceMapping(om, Constant("usageLocation", "US"))
	if reflect.DeepEqual(doc(t, s), doc(t, readFile(t, largeFixture))) {
		t.Error("a copy of the struct shares nothing: the warning in Clone's documentation is wrong")
	}
}

// A text edited by hand gets its tree back from TreesFromText; nothing
// else changes, and Graph's own trees (whatever their keys) stay.
func TestTreesFromText(t *testing.T) {
	s := readSchema(t, largeFixture)
	if n, err := TreesFromText(s); n != 0 || err != nil {
		t.Fatalf("the fixture's trees are its texts', but %d were rebuilt (%v)", n, err)
	}
	om, _ := FindObjectMapping(s, adRule, "user", "User")
	om.AttributeMappings[25].Source.Expression = `Append([objectSid],   "-x")`
	om.AttributeMappings[23].Source.Expression = `Mid([st], 1` // does not parse: left
	om.AttributeMappings[23].Source.Extra = map[string]json.RawMessage{"@odata.type": json.RawMessage(`"#microsoft.graph.attributeMappingSource"`)}
	om.AttributeMappings[25].Source.Extra = map[string]json.RawMessage{"@odata.type": json.RawMessage(`"#microsoft.graph.attributeMappingSource"`)}
	before := doc(t, s)
	n, err := TreesFromText(s)
	if n != 1 || err != nil {
		t.Fatalf("rebuilt %d, %v", n, err)
	}
	after := doc(t, s)
	path := []any{"synchronizationRules", 1, "objectMappings", 0, "attributeMappings", 25, "source"}
	want := `{"@odata.type":"#microsoft.graph.attributeMappingSource","expression":"Append([objectSid], \"-x\")","name":"Append","parameters":[` +
		`{"key":"source","value":{"expression":"[objectSid]","name":"objectSid","parameters":[],"type":"Attribute"}},` +
		`{"key":"suffix","value":{"expression":"\"-x\"","name":"-x","parameters":[],"type":"Constant"}}],"type":"Function"}`
	if got := string(mustJSON(t, at(t, after, path...))); got != want {
		t.Errorf("source\n%s\nwant\n%s", got, want)
	}
	set(t, before, nil, path...)
	set(t, after, nil, path...)
	if !reflect.DeepEqual(before, after) {
		t.Error("something else changed")
	}
	if findings := expression.CheckSchema(*s); slices.ContainsFunc(findings, func(f expression.Finding) bool {
		return f.Kind == expression.TreeMismatch && f.TargetAttribute == "usageLocation"
	}) {
		t.Error("CheckSchema still finds the mismatch")
	}
}
