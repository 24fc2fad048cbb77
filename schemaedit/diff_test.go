package schemaedit

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/graphsync/graphsync/models"
)

func diff(t testing.TB, a, b *models.SynchronizationSchema) []Change {
	t.Helper()
	cs, err := Diff(*a, *b)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestDiffOfTheSameSchemaIsEmpty(t *testing.T) {
	for _, name := range []string{largeFixture, docsFixture} {
		a, b := readSchema(t, name), readSchema(t, name)
		if cs := diff(t, a, b); cs != nil {
			t.Errorf("%s: %v", name, cs)
		}
		if cs := diff(t, a, a); cs != nil {
			t.Errorf("%s with itself: %v", name, cs)
		}
		if got := Text(nil); got != "No changes.\n" {
			t.Errorf("Text(nil) = %q", got)
		}
	}
	if cs := diff(t, &models.SynchronizationSchema{}, &models.SynchronizationSchema{}); cs != nil {
		t.Errorf("two zero schemas: %v", cs)
	}
}

// Graph sets the version; @odata.context names the URL. Neither is a
// change.
func TestDiffIgnoresVersionAndContext(t *testing.T) {
	a, b := readSchema(t, largeFixture), readSchema(t, largeFixture)
	b.Version = "Date:2026-01-01T00:00:00Z"
	b.Extra["@odata.context"] = json.RawMessage(`"https://graph.microsoft.com/beta/$metadata#x"`)
	if cs := diff(t, a, b); cs != nil {
		t.Errorf("%v", cs)
	}
	b.ID = "other"
	cs := diff(t, a, b)
	if len(cs) != 1 || cs[0].Kind != KindSchema || len(cs[0].Fields) != 1 || cs[0].Fields[0].Name != "id" {
		t.Errorf("a changed id: %+v", cs)
	}
}

// Edits of the large fixture, one of each kind, come back as exactly
// these changes, in the schema's order.
func TestDiffOfEdits(t *testing.T) {
	old := readSchema(t, largeFixture)
	s := readSchema(t, largeFixture)
	user, _ := FindObjectMapping(s, adRule, "user", "User")
	must(t, ReplaceMapping(user, Expression("usageLocation", `Switch([c], "US", "DE", "DE")`)))
	m, _ := GetMapping(user, "manager")
	m.FlowType = models.FlowTypeAlways
	must(t, ReplaceMapping(user, m))
	must(t, RemoveMapping(user, "preferredLanguage"))
	must(t, AddMapping(user, Direct("brandNew", "employeeID")))
	contact, _ := FindObjectMapping(s, adRule, "contact", "Contact")
	must(t, SetScopeGroup(contact, Group("Sales", Clause("department", "EQUALS", "Sales"))))
	s.SynchronizationRules[2].Priority = 9
	s.Directories[0].Objects[0].Attributes[0].Required = !s.Directories[0].Objects[0].Attributes[0].Required

	cs := diff(t, old, s)
	var got []string
	for _, c := range cs {
		got = append(got, fmt.Sprintf("%s %s %s %s→%s %s %s", c.Op, c.Kind, c.RuleName, c.SourceObject, c.TargetObject, c.TargetAttribute, fieldNames(c)))
	}
	d0, o0, a0 := old.Directories[0].Name, old.Directories[0].Objects[0].Name, old.Directories[0].Objects[0].Attributes[0].Name
	want := []string{
		"changed attributeMapping AD2AADProvisioning user→User usageLocation [source]",
		"changed attributeMapping AD2AADProvisioning user→User manager [flowType]",
		"added attributeMapping AD2AADProvisioning user→User brandNew []",
		"removed attributeMapping AD2AADProvisioning user→User preferredLanguage []",
		"changed scope AD2AADProvisioning contact→Contact  [scope]",
		"changed rule AAD2ADGroupWriteback →  [priority]",
	}
	if !reflect.DeepEqual(got[:len(want)], want) || len(cs) != len(want)+1 {
		t.Fatalf("changes\n%s\nwant\n%s\nand one of the directory", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	last := cs[len(cs)-1]
	if last.Op != Changed || last.Kind != KindAttribute || last.Directory != d0 || last.Object != o0 || last.Attribute != a0 || fieldNames(last) != "[required]" {
		t.Errorf("the attribute definition's change: %+v", last)
	}
	// The expression side by side.
	if cs[0].Old.Source != "objectSid" || cs[0].Old.Type != TypeDirect || cs[0].New.Source != `Switch([c], "US", "DE", "DE")` || cs[0].New.Type != TypeExpression {
		t.Errorf("old and new: %+v %+v", cs[0].Old, cs[0].New)
	}
	if cs[2].Old != nil || cs[2].New == nil || cs[3].Old == nil || cs[3].New != nil {
		t.Errorf("added and removed: %+v %+v", cs[2], cs[3])
	}
	if again := diff(t, old, s); !reflect.DeepEqual(again, cs) {
		t.Error("two runs differ")
	}
	// JSON and back.
	var back []Change
	if err := json.Unmarshal(mustJSON(t, cs), &back); err != nil || !reflect.DeepEqual(back, cs) {
		t.Errorf("JSON round trip: %v", err)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func fieldNames(c Change) string {
	names := []string{}
	for _, f := range c.Fields {
		names = append(names, f.Name)
	}
	return "[" + strings.Join(names, " ") + "]"
}

// The text a person reads.
func TestDiffText(t *testing.T) {
	old := smallSchema(t)
	s := smallSchema(t)
	om := &s.SynchronizationRules[0].ObjectMappings[0]
	must(t, ReplaceMapping(om, Expression("displayName", `Join(" ", [surname], [givenName])`)))
	m, _ := GetMapping(om, "mail")
	m.FlowType, m.DefaultValue = models.FlowTypeObjectAddOnly, ""
	must(t, ReplaceMapping(om, m))
	must(t, AddMapping(om, Constant("company", "Contoso")))
	must(t, RemoveMapping(om, "nickName"))
	must(t, SetScopeGroup(om, Group("Sales", Clause("department", "EQUALS", "Sales", "Marketing"), Clause("accountEnabled", "IS TRUE"))))
	s.SynchronizationRules[0].Name = "renamed\x1b[2J"
	got := Text(diff(t, old, s))
	want := `~ rule "renamed\x1b[2J" ("r1")
    name: "USER_OUTBOUND_USER" → "renamed\u001b[2J"
~ scoping filter of "User"→"User" in rule "renamed\x1b[2J" ("r1")
    old: none: every object is in scope
    new: group "Sales": [department] EQUALS "Sales", "Marketing" and [accountEnabled] IS TRUE
~ attribute mapping "displayName" of "User"→"User" in rule "renamed\x1b[2J" ("r1")
    old: Expression Join(" ", [givenName], [surname])
    new: Expression Join(" ", [surname], [givenName])
~ attribute mapping "mail" of "User"→"User" in rule "renamed\x1b[2J" ("r1")
    old: Direct [userPrincipalName], default "none"
    new: Direct [userPrincipalName]
    flowType: "Always" → "ObjectAddOnly"
+ attribute mapping "company" of "User"→"User" in rule "renamed\x1b[2J" ("r1")
    Constant "Contoso"
    flowBehavior FlowWhenChanged, flowType Always
- attribute mapping "nickName" of "User"→"User" in rule "renamed\x1b[2J" ("r1")
    Direct [mailNickname]
    flowBehavior FlowAlways, flowType Always, matchingPriority 2
`
	if got != want {
		t.Errorf("Text:\n%s\nwant\n%s", got, want)
	}
}

func smallSchema(t testing.TB) *models.SynchronizationSchema {
	t.Helper()
	var s models.SynchronizationSchema
	must(t, json.Unmarshal([]byte(`{
  "id": "s", "version": "1", "directories": [],
  "synchronizationRules": [{"id": "r1", "name": "USER_OUTBOUND_USER", "sourceDirectoryName": "Azure Active Directory",
    "targetDirectoryName": "customappsso", "objectMappings": [{"sourceObjectName": "User", "targetObjectName": "User", "scope": null,
    "attributeMappings": [
      {"defaultValue": null, "flowBehavior": "FlowWhenChanged", "flowType": "Always", "matchingPriority": 0, "targetAttributeName": "displayName",
       "source": {"expression": "Join(\" \", [givenName], [surname])", "name": "Join", "type": "Function", "parameters": [
         {"key": "separator", "value": {"expression": "\" \"", "name": " ", "type": "Constant", "parameters": []}},
         {"key": "source", "value": {"expression": "[givenName]", "name": "givenName", "type": "Attribute", "parameters": []}},
         {"key": "source", "value": {"expression": "[surname]", "name": "surname", "type": "Attribute", "parameters": []}}]}},
      {"defaultValue": "none", "flowBehavior": "FlowWhenChanged", "flowType": "Always", "matchingPriority": 0, "targetAttributeName": "mail",
       "source": {"expression": "[userPrincipalName]", "name": "userPrincipalName", "type": "Attribute", "parameters": []}},
      {"defaultValue": null, "flowBehavior": "FlowAlways", "flowType": "Always", "matchingPriority": 2, "targetAttributeName": "nickName",
       "source": {"expression": "[mailNickname]", "name": "mailNickname", "type": "Attribute", "parameters": []}}]}]}]}`), &s))
	return &s
}

// The order of parts, a null where a list was, a list member absent or
// null: differences the JSON has are changes.
func TestDiffOrderAndShapes(t *testing.T) {
	old := smallSchema(t)
	s := smallSchema(t)
	ams := s.SynchronizationRules[0].ObjectMappings[0].AttributeMappings
	ams[0], ams[2] = ams[2], ams[0]
	cs := diff(t, old, s)
	if len(cs) != 1 || cs[0].Kind != KindObjectMapping || fieldNames(cs[0]) != "[order of attributeMappings]" ||
		string(cs[0].Fields[0].Old) != `["displayName","mail","nickName"]` || string(cs[0].Fields[0].New) != `["nickName","mail","displayName"]` {
		t.Errorf("reordered: %+v", cs)
	}
	for _, tc := range []struct {
		name, field string
		change      func(o map[string]any)
	}{
		{"directories [] to null", "directories", func(o map[string]any) { o["directories"] = nil }},
		{"directories absent", "directories", func(o map[string]any) { delete(o, "directories") }},
		{"a null scope absent", "scope", func(o map[string]any) {
			delete(at(t, o, "synchronizationRules", 0, "objectMappings", 0).(map[string]any), "scope")
		}},
	} {
		o := doc(t, old).(map[string]any)
		tc.change(o)
		var b models.SynchronizationSchema
		must(t, json.Unmarshal(mustJSON(t, o), &b))
		cs := diff(t, old, &b)
		if len(cs) != 1 || fieldNames(cs[0]) != "["+tc.field+"]" {
			t.Errorf("%s: %+v", tc.name, cs)
		}
	}
	// An attribute mapping that is null, where an empty one was.
	var a, b models.SynchronizationSchema
	must(t, json.Unmarshal([]byte(`{"synchronizationRules":[{"id":"r","objectMappings":[{"attributeMappings":[{}]}]}]}`), &a))
	must(t, json.Unmarshal([]byte(`{"synchronizationRules":[{"id":"r","objectMappings":[{"attributeMappings":[null]}]}]}`), &b))
	if cs := diff(t, &a, &b); len(cs) != 1 || fieldNames(cs[0]) != "[attributeMappings[0]]" {
		t.Errorf("{} to null: %+v", cs)
	}
	// Two mappings of one target are matched in order.
	c := smallSchema(t)
	om := &c.SynchronizationRules[0].ObjectMappings[0]
	om.AttributeMappings = append(om.AttributeMappings, om.AttributeMappings[1])
	d, _ := Clone(*c)
	d.SynchronizationRules[0].ObjectMappings[0].AttributeMappings[3].FlowType = models.FlowTypeObjectAddOnly
	if cs := diff(t, c, &d); len(cs) != 1 || cs[0].TargetAttribute != "mail" || fieldNames(cs[0]) != "[flowType]" {
		t.Errorf("the second mapping of a target: %+v", cs)
	}
}

// Random edits of the large fixture: Diff lists exactly them.
func TestDiffListsExactlyTheEdits(t *testing.T) {
	base := readSchema(t, largeFixture)
	for seed := range uint64(8) {
		r := rand.New(rand.NewPCG(seed, 24))
		s, _ := Clone(*base)
		want := map[string]bool{}
		for range 1 + r.IntN(20) {
			ri := r.IntN(len(s.SynchronizationRules))
			rule := &s.SynchronizationRules[ri]
			oi := r.IntN(len(rule.ObjectMappings))
			om := &rule.ObjectMappings[oi]
			key := func(op ChangeOp, kind ChangeKind, target string) string {
				return fmt.Sprintf("%s %s %s %s %s %s", op, kind, rule.ID, om.SourceObjectName, om.TargetObjectName, target)
			}
			// Targets edited already, and those mapped twice, are left.
			var free []string
			for _, am := range om.AttributeMappings {
				name := am.TargetAttributeName
				if len(find(om, name)) == 1 && !want[key(Changed, KindAttributeMapping, name)] && !want[key(Added, KindAttributeMapping, name)] {
					free = append(free, name)
				}
			}
			switch op := r.IntN(5); {
			case op == 0 && len(free) > 0:
				target := free[r.IntN(len(free))]
				must(t, ReplaceMapping(om, Expression(target, fmt.Sprintf(`Append([x%d], "%d")`, r.IntN(1000), seed))))
				want[key(Changed, KindAttributeMapping, target)] = true
			case op == 1 && len(free) > 0:
				target := free[r.IntN(len(free))]
				m, _ := GetMapping(om, target)
				m.MatchingPriority++
				must(t, ReplaceMapping(om, m))
				want[key(Changed, KindAttributeMapping, target)] = true
			case op == 2 && len(free) > 0:
				target := free[r.IntN(len(free))]
				must(t, RemoveMapping(om, target))
				want[key(Removed, KindAttributeMapping, target)] = true
			case op == 3:
				target := fmt.Sprintf("new%d", r.IntN(1_000_000))
				if len(find(om, target)) == 0 {
					must(t, AddMapping(om, Direct(target, "mail")))
					want[key(Added, KindAttributeMapping, target)] = true
				}
			case op == 4:
				must(t, SetScopeGroup(om, Group(fmt.Sprintf("g%d", r.IntN(1000)), Clause("department", "EQUALS", "x"))))
				want[key(Changed, KindScope, "")] = true
			}
		}
		cs := diff(t, base, &s)
		got := map[string]bool{}
		for _, c := range cs {
			k := fmt.Sprintf("%s %s %s %s %s %s", c.Op, c.Kind, c.RuleID, c.SourceObject, c.TargetObject, c.TargetAttribute)
			if got[k] {
				t.Errorf("seed %d: %s listed twice", seed, k)
			}
			got[k] = true
		}
		if !reflect.DeepEqual(got, want) || len(cs) != len(want) {
			t.Errorf("seed %d: changes\n%v\nwant\n%v", seed, keys(got), keys(want))
		}
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestFingerprint(t *testing.T) {
	a, b := readSchema(t, largeFixture), readSchema(t, largeFixture)
	fa, err := Fingerprint(*a)
	if err != nil || !strings.HasPrefix(fa, "sha256:") || len(fa) != 7+64 {
		t.Fatalf("%q, %v", fa, err)
	}
	b.Extra["@odata.context"] = json.RawMessage(`"elsewhere"`)
	if fb, _ := Fingerprint(*b); fb != fa {
		t.Error("@odata.context changed the fingerprint")
	}
	// Any change of the JSON, the version included, changes it.
	b.Version = "v2"
	if fb, _ := Fingerprint(*b); fb == fa {
		t.Error("a new version kept the fingerprint")
	}
	e, _ := Clone(*a)
	e.SynchronizationRules[1].ObjectMappings[0].AttributeMappings[25].ExportMissingReferences = true
	if fe, _ := Fingerprint(e); fe == fa {
		t.Error("a changed mapping kept the fingerprint")
	}
	// The same JSON with its members in another order: the same.
	var c models.SynchronizationSchema
	must(t, json.Unmarshal([]byte(`{"version":"1","id":"x"}`), &c))
	var d models.SynchronizationSchema
	must(t, json.Unmarshal([]byte(`{"id":"x","version":"1"}`), &d))
	if fc, _ := Fingerprint(c); fc != func() string { f, _ := Fingerprint(d); return f }() {
		t.Error("member order changed the fingerprint")
	}
}
