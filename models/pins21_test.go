package models

// Tests that pin promises the mutation run of issue #21 (stronger
// mutators, at the code of fd1890b) found unpinned: each fails if the
// behaviour it names is changed.

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"testing"
)

// A null value, and the zero PropertyValue (no value at all), is neither
// a string nor a list of strings: AsString and AsStrings say so instead of
// reading null as "" or as an empty list.
func TestPropertyValueNullIsNoString(t *testing.T) {
	null, err := RawValue(json.RawMessage(" null "))
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]PropertyValue{"null": null, "zero": {}} {
		if s, ok := v.AsString(); ok {
			t.Errorf("%s: AsString = %q, true", name, s)
		}
		if ss, ok := v.AsStrings(); ok {
			t.Errorf("%s: AsStrings = %q, true", name, ss)
		}
	}
}

// FunctionName is the function's name, and its ID only when Graph sent
// no name.
func TestFunctionNamePrefersName(t *testing.T) {
	for _, tc := range []struct{ id, name, want string }{
		{"fn-7", "Append", "Append"},
		{"Append", "", "Append"},
	} {
		f := &AttributeMappingFunctionSchema{ID: tc.id, Name: tc.name}
		if got := f.FunctionName(); got != tc.want {
			t.Errorf("ID %q, Name %q: FunctionName = %q, want %q", tc.id, tc.name, got, tc.want)
		}
	}
}

// Top may be MaxLogPage, the largest page Graph serves, and no more.
func TestLogQueryTopUpToMaxLogPage(t *testing.T) {
	if err := (ProvisioningLogQuery{Top: MaxLogPage}).Validate(); err != nil {
		t.Errorf("Top = MaxLogPage: %v", err)
	}
	if err := (ProvisioningLogQuery{Top: MaxLogPage + 1}).Validate(); err == nil {
		t.Error("Top = MaxLogPage+1 accepted")
	}
}

// A quarantine's timestamps sent as "" (Graph's documented get-job
// example) or null are the zero time, not an error.
func TestQuarantineEmptyTimestamps(t *testing.T) {
	var q SynchronizationQuarantine
	err := json.Unmarshal([]byte(`{"currentBegan":"","nextAttempt":null,"seriesBegan":"","reason":"Encountered"}`), &q)
	if err != nil || !q.CurrentBegan.IsZero() || !q.NextAttempt.IsZero() || !q.SeriesBegan.IsZero() || q.Reason != "Encountered" {
		t.Fatalf("%+v, %v", q, err)
	}
}

// An empty reason is told apart from a reason the documentation does not
// list: Graph named none, rather than one graphsync does not know.
func TestQuarantineReasonEmptyIsNoReason(t *testing.T) {
	empty, unknown := QuarantineReason("").Info(), QuarantineReason("SomethingNew").Info()
	if empty.Listed || unknown.Listed || !strings.Contains(empty.Meaning, "named no reason") ||
		!strings.Contains(unknown.Meaning, "does not list") || empty.Remedy == "" || empty.Remedy != unknown.Remedy {
		t.Fatalf("empty %+v, unknown %+v", empty, unknown)
	}
}

// RuleFor's errors list at most maxRulesListed rules: ten are listed
// whole, and past them one "…" stands for the rest, whether no rule or
// several take the object type.
func TestRuleForListsAtMostTenRules(t *testing.T) {
	for _, n := range []int{10, 11, 12} {
		s := &SynchronizationSchema{}
		for i := range n {
			s.SynchronizationRules = append(s.SynchronizationRules, SynchronizationRule{
				ID: fmt.Sprintf("r%d", i), ObjectMappings: []ObjectMapping{{SourceObjectName: "User", TargetObjectName: "urn:u"}}})
		}
		for _, name := range []string{"User", "Group"} { // several rules, none
			_, err := s.RuleFor(name)
			if err == nil || !strings.Contains(err.Error(), `rule "r9"`) || strings.Contains(err.Error(), `rule "r10"`) ||
				strings.Count(err.Error(), "…") != min(n-10, 1) {
				t.Errorf("%d rules, %s: %v", n, name, err)
			}
		}
	}
}

// StringMap's leniency holds inside every model that has one: a
// detail that is a number, a boolean or an object is kept as its JSON
// text, and null is "".
func TestStringMapLenientInsideAModel(t *testing.T) {
	var p ProvisionedIdentity
	err := json.Unmarshal([]byte(`{"id":"x","details":{"n":1.50,"b":true,"o":{"k":"v"},"s":"t","z":null}}`), &p)
	want := StringMap{"n": "1.50", "b": "true", "o": `{"k":"v"}`, "s": "t", "z": ""}
	if err != nil || !maps.Equal(p.Details, want) {
		t.Fatalf("Details = %q, %v", p.Details, err)
	}
}
