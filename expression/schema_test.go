package expression

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/graphsync/graphsync/models"
)

// documentedSchema builds a schema from Graph's documented samples: the
// objectMapping resource page's mapping of Microsoft Entra users to
// Salesforce users, and the objectDefinition page's User object as its
// source. The target object is not documented: it is made of the
// mapping's target attributes. The samples are not from one schema:
// the mapping reads [appRoleAssignments], which the sample User lacks;
// withRoles adds it.
func documentedSchema(t *testing.T, withRoles bool) models.SynchronizationSchema {
	t.Helper()
	var src models.ObjectDefinition
	readJSON(t, "../../testdata/graphdocs/objectdefinition_example.json", &src)
	var om models.ObjectMapping
	readJSON(t, "../../testdata/graphdocs/objectmapping_example.json", &om)
	if withRoles {
		src.Attributes = append(src.Attributes, models.AttributeDefinition{Name: "appRoleAssignments", Multivalued: true})
	}
	dst := models.ObjectDefinition{Name: om.TargetObjectName}
	for _, am := range om.AttributeMappings {
		dst.Attributes = append(dst.Attributes, models.AttributeDefinition{Name: am.TargetAttributeName})
	}
	return models.SynchronizationSchema{
		Directories: []models.DirectoryDefinition{
			{Name: "Azure Active Directory", Objects: []models.ObjectDefinition{src}},
			{Name: "salesforce.com", Objects: []models.ObjectDefinition{dst}},
		},
		SynchronizationRules: []models.SynchronizationRule{{
			ID: "SfSandboxOutDelta.e4bbf44533ea4eabb17027f3a92e92aa", Name: "USER_OUTBOUND_USER",
			SourceDirectoryName: "Azure Active Directory", TargetDirectoryName: "salesforce.com",
			ObjectMappings: []models.ObjectMapping{om},
		}},
	}
}

func TestCheckSchemaDocumentedSamples(t *testing.T) {
	got := CheckSchema(documentedSchema(t, false))
	want := []Finding{{
		Kind:   UnknownAttribute,
		RuleID: "SfSandboxOutDelta.e4bbf44533ea4eabb17027f3a92e92aa", RuleName: "USER_OUTBOUND_USER",
		SourceObject: "User", TargetObject: "User", TargetAttribute: "ProfileName",
		Path:       "synchronizationRules[0].objectMappings[0].attributeMappings[8].source.expression",
		Expression: "SingleAppRoleAssignment([appRoleAssignments])",
		Position:   &Position{Offset: 24, Line: 1, Column: 25},
		Message:    `the attribute "appRoleAssignments" is not in source object "User"`,
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CheckSchema =\n%+v\nwant\n%+v", got, want)
	}
	if got := CheckSchema(documentedSchema(t, true)); got != nil {
		t.Errorf("the samples with appRoleAssignments: %v", got)
	}
}

// TestCheckSchemaEachCheck: broken copies of the clean sample, each
// making exactly one check fire, once.
func TestCheckSchemaEachCheck(t *testing.T) {
	const (
		mappingPath   = "synchronizationRules[0].objectMappings[0].attributeMappings"
		aliasPath     = mappingPath + "[1]"
		emailPath     = mappingPath + "[2]"
		firstNamePath = mappingPath + "[5]"
		usernamePath  = mappingPath + "[10]"
	)
	mapping := func(s *models.SynchronizationSchema) *models.ObjectMapping {
		return &s.SynchronizationRules[0].ObjectMappings[0]
	}
	// setText gives a mapping an expression, text and tree.
	setText := func(am *models.AttributeMapping, text string) {
		n, err := Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		src := ToSource(n)
		am.Source = &src
	}
	target := func(s *models.SynchronizationSchema, name string) *models.AttributeMapping {
		for i, am := range mapping(s).AttributeMappings {
			if am.TargetAttributeName == name {
				return &mapping(s).AttributeMappings[i]
			}
		}
		t.Fatalf("no mapping of %s", name)
		return nil
	}
	for _, tc := range []struct {
		name   string
		breakS func(s *models.SynchronizationSchema)
		want   Finding // Kind, TargetAttribute, Expression, Position, Message
	}{
		{"a rule's target directory misspelt",
			func(s *models.SynchronizationSchema) {
				s.SynchronizationRules[0].TargetDirectoryName = "Salesforce.com"
			},
			Finding{Kind: UnknownDirectory, Path: "synchronizationRules[0].targetDirectoryName",
				Message: `the target directory "Salesforce.com" is not in the schema (names are case-sensitive: "salesforce.com")`}},
		{"a source object that is not there",
			func(s *models.SynchronizationSchema) { mapping(s).SourceObjectName = "Contact" },
			Finding{Kind: UnknownObject, Path: "synchronizationRules[0].objectMappings[0].sourceObjectName",
				Message: `the source object "Contact" is not in directory "Azure Active Directory"`}},
		{"an expression that does not parse",
			func(s *models.SynchronizationSchema) {
				target(s, "Alias").Source.Expression = "Mid([userPrincipalName], 1, 8"
			},
			Finding{Kind: SyntaxErrorFinding, TargetAttribute: "Alias", Path: aliasPath + ".source.expression", Expression: "Mid([userPrincipalName], 1, 8",
				Position: &Position{29, 1, 30}, Message: `missing ")" to close "Mid"( at offset 3`}},
		{"a tree that cannot be read, without text",
			func(s *models.SynchronizationSchema) {
				src := target(s, "Alias").Source
				src.Expression = ""
				src.Parameters[1].Key = "begin"
			},
			Finding{Kind: SyntaxErrorFinding, TargetAttribute: "Alias", Path: aliasPath + ".source", Message: `Mid has no parameter "begin"`}},
		{"a function called with too few arguments",
			func(s *models.SynchronizationSchema) {
				setText(target(s, "Alias"), "Mid([userPrincipalName], 1)")
			},
			Finding{Kind: InvalidCall, TargetAttribute: "Alias", Path: aliasPath + ".source.expression", Expression: "Mid([userPrincipalName], 1)",
				Position: &Position{0, 1, 1}, Message: "Mid: takes 3 arguments, not 2"}},
		{"an attribute the source object lacks",
			func(s *models.SynchronizationSchema) { setText(target(s, "Email"), "ToLower([Mail])") },
			Finding{Kind: UnknownAttribute, TargetAttribute: "Email", Path: emailPath + ".source.expression", Expression: "ToLower([Mail])",
				Position: &Position{8, 1, 9}, Message: `the attribute "Mail" is not in source object "User" (names are case-sensitive: "mail")`}},
		{"a target attribute the target object lacks",
			func(s *models.SynchronizationSchema) { target(s, "FirstName").TargetAttributeName = "GivenName" },
			Finding{Kind: UnknownTargetAttribute, TargetAttribute: "GivenName", Path: firstNamePath + ".targetAttributeName",
				Message: `the target attribute "GivenName" is not in object "User"`}},
		{"a target attribute mapped twice",
			func(s *models.SynchronizationSchema) {
				m := mapping(s)
				m.AttributeMappings = append(m.AttributeMappings, *target(s, "Email"))
			},
			Finding{Kind: DuplicateTarget, TargetAttribute: "Email", Path: mappingPath + "[14].targetAttributeName", Expression: "",
				Message: `the target attribute "Email" is mapped more than once`}},
		{"a required target attribute left unmapped",
			func(s *models.SynchronizationSchema) {
				d := &s.Directories[1].Objects[0]
				d.Attributes = append(d.Attributes, models.AttributeDefinition{Name: "Department", Required: true})
			},
			Finding{Kind: RequiredUnmapped, TargetAttribute: "Department", Path: mappingPath,
				Message: `the required target attribute "Department" is not mapped`}},
		{"a text edited without its tree",
			func(s *models.SynchronizationSchema) {
				target(s, "Email").Source.Expression = "ToLower([userPrincipalName])"
			},
			Finding{Kind: TreeMismatch, TargetAttribute: "Email", Path: emailPath + ".source", Expression: "ToLower([userPrincipalName])",
				Message: `the expression text is not its source tree, which reads "[mail]": the two must say the same (rebuild the tree from the text, or the text from the tree)`}},
		{"SelectUniqueValue nested",
			func(s *models.SynchronizationSchema) {
				setText(target(s, "Username"), "ToLower(SelectUniqueValue([mail], [userPrincipalName]))")
			},
			Finding{Kind: InvalidCall, TargetAttribute: "Username", Path: usernamePath + ".source.expression", Expression: "ToLower(SelectUniqueValue([mail], [userPrincipalName]))",
				Position: &Position{8, 1, 9}, Message: "SelectUniqueValue must be the whole expression, not an argument"}},
	} {
		s := documentedSchema(t, true)
		tc.breakS(&s)
		got := CheckSchema(s)
		want := tc.want
		want.RuleID, want.RuleName = "SfSandboxOutDelta.e4bbf44533ea4eabb17027f3a92e92aa", "USER_OUTBOUND_USER"
		if want.Kind != UnknownDirectory {
			want.SourceObject, want.TargetObject = mapping(&s).SourceObjectName, "User"
		}
		if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
			t.Errorf("%s:\n%+v\nwant\n%+v", tc.name, got, []Finding{want})
		}
	}
}

// TestCheckSchemaGraphsSample: the schema the get-schema page answers
// with is shortened ("objects": [{}], rules with empty members); the
// checker says what is missing, in order.
func TestCheckSchemaGraphsSample(t *testing.T) {
	var s models.SynchronizationSchema
	readJSON(t, "../../testdata/graphdocs/schema_get_response.json", &s)
	var got []string
	for _, f := range CheckSchema(s) {
		got = append(got, f.String())
	}
	want := []string{
		`unknownObject: rule "" "User"→"User": the target object "User" is not in directory "Salesforce"`,
		`syntaxError: rule "" "User"→"User" attribute "userName": the attribute name "" cannot be written [name]`,
		`unknownObject: rule "": the source object "" is not in directory "Azure Active Directory"`,
		`unknownDirectory: rule "": the source directory "" is not in the schema`,
		`unknownDirectory: rule "": the target directory "" is not in the schema`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("findings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCheckSchemaLargeFixture: the module's generated large schema
// (testdata/schema_large.json, real-shaped but not real) holds what its
// generator does not model: target attributes mapped several times, a
// function Trim that Graph does not document, [appRoleAssignments] read
// from Active Directory users and groups, a Contact object missing from the
// directory. The checker finds those, and only those, the same each time.
func TestCheckSchemaLargeFixture(t *testing.T) {
	var s models.SynchronizationSchema
	readJSON(t, "../../testdata/schema_large.json", &s)
	got := CheckSchema(s)
	counts := map[FindingKind]int{}
	for _, f := range got {
		counts[f.Kind]++
		switch f.Kind {
		case InvalidCall:
			if f.Message != `unknown function "Trim"` {
				t.Errorf("unexpected: %v", f)
			}
		case UnknownAttribute:
			if !strings.HasPrefix(f.Message, `the attribute "appRoleAssignments" is not in source object "`) {
				t.Errorf("unexpected: %v", f)
			}
		}
	}
	want := map[FindingKind]int{DuplicateTarget: 153, InvalidCall: 37, UnknownAttribute: 12, UnknownObject: 1}
	if !reflect.DeepEqual(counts, want) {
		t.Errorf("findings by kind %v, want %v", counts, want)
	}
	if again := CheckSchema(s); !reflect.DeepEqual(again, got) {
		t.Error("two runs differ")
	}
	if _, err := json.Marshal(got); err != nil {
		t.Error(err)
	}
}

func TestFindingJSONAndString(t *testing.T) {
	f := Finding{Kind: UnknownAttribute, RuleID: "r\x1b[2J", SourceObject: "User", TargetObject: "User",
		TargetAttribute: "mail\n", Expression: "[x]", Position: &Position{1, 1, 2}, Message: "m"}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"kind":"unknownAttribute","ruleId":"r\u001b[2J","sourceObjectName":"User","targetObjectName":"User",` +
		`"targetAttributeName":"mail\n","expression":"[x]","position":{"offset":1,"line":1,"column":2},"message":"m"}`
	if string(b) != want {
		t.Errorf("JSON\n%s\nwant\n%s", b, want)
	}
	if s := f.String(); s != `unknownAttribute: rule "r\x1b[2J" "User"→"User" attribute "mail\n" at 1:2: m` {
		t.Errorf("String() = %q", s)
	}
	b, _ = json.Marshal(Finding{Kind: RequiredUnmapped, Message: "m"})
	if string(b) != `{"kind":"requiredUnmapped","message":"m"}` {
		t.Errorf("empty members are not left out: %s", b)
	}
}

// TestFindingPaths: every finding's Path leads, in the schema's JSON, to
// the value at fault: the expression text it quotes, the target attribute
// it names, the source tree, a directory or object name, or the
// attributeMappings of an object mapping that lacks a required one.
func TestFindingPaths(t *testing.T) {
	var s models.SynchronizationSchema
	readJSON(t, "../../testdata/schema_large.json", &s)
	s.SynchronizationRules[0].TargetDirectoryName = "nowhere"
	s.SynchronizationRules[1].ObjectMappings[0].AttributeMappings[3].Source.Expression = "Mid([a], 1"
	src := s.SynchronizationRules[1].ObjectMappings[0].AttributeMappings[4].Source
	src.Expression, src.Type = "", "Unknown"
	s.SynchronizationRules[1].ObjectMappings[0].AttributeMappings[5].Source.Expression = "[somethingElse]"
	for i, d := range s.Directories {
		if d.Name == s.SynchronizationRules[1].TargetDirectoryName {
			o := &s.Directories[i].Objects[0]
			o.Attributes = append(o.Attributes, models.AttributeDefinition{Name: "neverMapped", Required: true})
		}
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	kinds := map[FindingKind]bool{}
	for _, f := range CheckSchema(s) {
		kinds[f.Kind] = true
		v, ok := lookupPath(doc, f.Path)
		if !ok {
			t.Fatalf("%v: path %q leads nowhere", f, f.Path)
		}
		switch {
		case strings.HasSuffix(f.Path, ".source.expression"):
			if v != f.Expression {
				t.Errorf("%v: %q holds %v", f, f.Path, v)
			}
		case strings.HasSuffix(f.Path, ".targetAttributeName"):
			if v != f.TargetAttribute {
				t.Errorf("%v: %q holds %v", f, f.Path, v)
			}
		case strings.HasSuffix(f.Path, ".source"), strings.HasSuffix(f.Path, ".attributeMappings"):
			if _, ok := v.(map[string]any); !ok && f.Kind != RequiredUnmapped {
				t.Errorf("%v: %q holds %v", f, f.Path, v)
			}
		case strings.HasSuffix(f.Path, "DirectoryName"), strings.HasSuffix(f.Path, "ObjectName"):
			if _, ok := v.(string); !ok || !strings.Contains(f.Message, v.(string)) {
				t.Errorf("%v: %q holds %v", f, f.Path, v)
			}
		default:
			t.Errorf("%v: unexpected path %q", f, f.Path)
		}
	}
	for _, k := range []FindingKind{UnknownDirectory, UnknownObject, SyntaxErrorFinding, InvalidCall, UnknownAttribute, DuplicateTarget, RequiredUnmapped, TreeMismatch} {
		if !kinds[k] {
			t.Errorf("no finding of kind %s to check the path of", k)
		}
	}
}

// lookupPath follows a Finding's Path in a decoded JSON document.
func lookupPath(doc any, path string) (any, bool) {
	for _, part := range strings.Split(path, ".") {
		name, index, _ := strings.Cut(part, "[")
		o, ok := doc.(map[string]any)
		if !ok {
			return nil, false
		}
		if doc, ok = o[name]; !ok {
			return nil, false
		}
		if index != "" {
			a, ok := doc.([]any)
			var i int
			if _, err := fmt.Sscanf(index, "%d]", &i); err != nil || !ok || i >= len(a) {
				return nil, false
			}
			doc = a[i]
		}
	}
	return doc, true
}
