package models

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestStringMapKeepsNonStringValues(t *testing.T) {
	var m StringMap
	if err := json.Unmarshal([]byte(`{"s":"x","n":1.5,"b":true,"o":{"x":1},"a":[1],"z":null}`), &m); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"s": "x", "n": "1.5", "b": "true", "o": `{"x":1}`, "a": "[1]", "z": ""}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %q, want %q", k, m[k], v)
		}
	}
	if len(m) != len(want) {
		t.Errorf("len = %d", len(m))
	}
	if err := json.Unmarshal([]byte(`[1]`), &m); err == nil {
		t.Error("an array decoded as a StringMap")
	}
}

func TestGroupConstructor(t *testing.T) {
	b, _ := json.Marshal(Group("g"))
	if string(b) != `{"objectId":"g","objectTypeName":"Group"}` {
		t.Fatalf("group without members: %s", b)
	}
	b, _ = json.Marshal(Group("g", "u1"))
	if string(b) != `{"objectId":"g","objectTypeName":"Group","links":{"members":[{"objectId":"u1","objectTypeName":"User"}]}}` {
		t.Fatalf("group with a member: %s", b)
	}
}

func TestLinkDepthIsBounded(t *testing.T) {
	s := User("u")
	for range 20 {
		inner := s
		s = Subject{ObjectID: "m", ObjectTypeName: "User", Links: &LinkedObjects{Manager: &inner}}
	}
	if err := NewProvisionRequest("r", s).Validate(); err == nil {
		t.Fatal("20 levels of links accepted")
	}
}

func TestSplitMembers(t *testing.T) {
	ids := make([]string, 12)
	for i := range ids {
		ids[i] = fmt.Sprintf("m%02d", i)
	}
	g := Group("g", ids...)
	g.Links.Owners = []Subject{User("owner")}
	parts := g.SplitMembers()
	if len(parts) != 3 {
		t.Fatalf("%d parts, want 3", len(parts))
	}
	var got []string
	for i, p := range parts {
		if p.ObjectID != "g" || p.ObjectTypeName != ObjectTypeGroup {
			t.Fatalf("part %d is %+v", i, p)
		}
		if err := NewProvisionRequest("r", p).Validate(); err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		if (i == 0) != (len(p.Links.Owners) == 1) {
			t.Fatalf("part %d owners %v", i, p.Links.Owners)
		}
		for _, m := range p.Links.Members {
			got = append(got, m.ObjectID)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(ids) {
		t.Fatalf("members %v, want %v", got, ids)
	}
	// Appending to one part never writes into another.
	parts[0].Links.Members = append(parts[0].Links.Members, User("x"))
	if parts[1].Links.Members[0].ObjectID != "m05" {
		t.Fatal("parts share their member arrays")
	}
	for _, n := range []int{0, 1, 5} {
		s := Group("g", ids[:n]...)
		if p := s.SplitMembers(); len(p) != 1 || !reflect.DeepEqual(p[0], s) {
			t.Fatalf("%d members: %+v", n, p)
		}
	}
	if p := Group("g", ids[:6]...).SplitMembers(); len(p) != 2 || len(p[1].Links.Members) != 1 {
		t.Fatalf("6 members: %+v", p)
	}
}

// Pinned by the mutation run: every member and owner is checked, not only
// the first; nesting is limited at exactly maxLinkDepth; a group of a
// multiple of MaxGroupMembers splits into no empty part.
func TestValidateChecksEveryLinkAndDepth(t *testing.T) {
	for name, s := range map[string]Subject{
		"second member": {ObjectID: "g", ObjectTypeName: "Group", Links: &LinkedObjects{Members: []Subject{User("a"), {ObjectID: "b"}}}},
		"second owner":  {ObjectID: "g", ObjectTypeName: "Group", Links: &LinkedObjects{Owners: []Subject{User("a"), {ObjectTypeName: "User"}}}},
		"manager":       {ObjectID: "u", ObjectTypeName: "User", Links: &LinkedObjects{Manager: &Subject{ObjectID: "m"}}},
	} {
		if err := NewProvisionRequest("r", s).Validate(); err == nil {
			t.Errorf("%s: an invalid link passed", name)
		}
	}
	nest := func(levels int, via func(inner Subject) *LinkedObjects) Subject {
		s := User("leaf")
		for range levels {
			s = Subject{ObjectID: "x", ObjectTypeName: "Group", Links: via(s)}
		}
		return s
	}
	for _, via := range []func(Subject) *LinkedObjects{
		func(s Subject) *LinkedObjects { return &LinkedObjects{Members: []Subject{s}} },
		func(s Subject) *LinkedObjects { return &LinkedObjects{Owners: []Subject{s}} },
		func(s Subject) *LinkedObjects { return &LinkedObjects{Manager: &s} },
	} {
		if err := NewProvisionRequest("r", nest(maxLinkDepth, via)).Validate(); err != nil {
			t.Errorf("%d levels: %v", maxLinkDepth, err)
		}
		var fe *FieldError
		if err := NewProvisionRequest("r", nest(maxLinkDepth+1, via)).Validate(); !errors.As(err, &fe) || !strings.Contains(fe.Reason, "nested deeper") {
			t.Errorf("%d levels: %v", maxLinkDepth+1, err)
		}
	}
	ids := make([]string, 10)
	for i := range ids {
		ids[i] = fmt.Sprint(i)
	}
	if parts := Group("g", ids...).SplitMembers(); len(parts) != 2 || len(parts[1].Links.Members) != 5 {
		t.Fatalf("10 members: %d parts", len(parts))
	}
}

// DecodeProvisionResult reads Graph's documented answers, says which
// outcome each is, and keeps what it could not decode.
func TestDecodeProvisionResult(t *testing.T) {
	for file, want := range map[string]ProvisionOutcome{
		"../testdata/provision_response_1.json": OutcomeSkipped,
		"../testdata/provision_response_2.json": OutcomeSuccess,
	} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		r, err := DecodeProvisionResult(b)
		if err != nil || r.Key.Result != want || r.RawKey == "" || r.RawValue == "" || len(r.Value.ProvisioningSteps) == 0 {
			t.Fatalf("%s: %v %+v", file, err, r)
		}
		if r.Succeeded() != (want == OutcomeSuccess) || r.Skipped() != (want == OutcomeSkipped) || r.Failed() || r.FailedStep() != nil {
			t.Fatalf("%s: succeeded %v skipped %v failed %v", file, r.Succeeded(), r.Skipped(), r.Failed())
		}
	}

	failed := `{"key":"{\"result\":\"Failure\"}","value":"{\"provisioningSteps\":[{\"name\":\"a\",\"status\":\"Success\"},{\"name\":\"b\",\"status\":\"Failure\"},{\"name\":\"c\",\"status\":\"Failure\"}]}"}`
	r, err := DecodeProvisionResult([]byte(failed))
	if err != nil || !r.Failed() || r.Succeeded() || r.Skipped() || r.FailedStep() == nil || r.FailedStep().Name != "b" {
		t.Fatalf("failure: %v %+v", err, r)
	}

	// Key only (no value member): decoded, no steps.
	if r, err := DecodeProvisionResult([]byte(`{"key":"{\"result\":\"Success\"}"}`)); err != nil || !r.Succeeded() || r.RawValue != "" {
		t.Fatalf("key only: %v %+v", err, r)
	}
	for name, tc := range map[string]struct {
		body           string
		rawKey, rawVal string
	}{
		"not JSON":          {body: `<html>`},
		"no key":            {body: `{"value":"{}"}`},
		"key not JSON":      {body: `{"key":"Success","value":"{}"}`, rawKey: "Success", rawVal: "{}"},
		"value not JSON":    {body: `{"key":"{\"result\":\"Success\"}","value":"steps"}`, rawKey: `{"result":"Success"}`, rawVal: "steps"},
		"key not an object": {body: `{"key":"[1]","value":""}`, rawKey: "[1]"},
	} {
		r, err := DecodeProvisionResult([]byte(tc.body))
		if !errors.Is(err, ErrResultDecode) || r == nil || r.RawKey != tc.rawKey || r.RawValue != tc.rawVal {
			t.Errorf("%s: %v %+v", name, err, r)
		}
	}
}
