package models

import (
	"encoding/json"
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
