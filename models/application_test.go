package models

import (
	"encoding/json"
	"testing"
)

// A false read is data: written back, as is a null and what the type does
// not name; a value built in Go writes only what was set.
func TestServicePrincipalKeepsFalseAndNull(t *testing.T) {
	in := `{"id":"sp","accountEnabled":false,"appRoleAssignmentRequired":false,"applicationTemplateId":null,"tags":[],"objectId":"old"}`
	var sp ServicePrincipal
	if err := json.Unmarshal([]byte(in), &sp); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(sp)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	json.Unmarshal([]byte(in), &a)
	json.Unmarshal(out, &b)
	if string(mustJSON(t, a)) != string(mustJSON(t, b)) {
		t.Fatalf("wrote %s\nread  %s", out, in)
	}
	if sp.ObjectID() != "sp" {
		t.Fatalf("ObjectID = %q: id comes first", sp.ObjectID())
	}
	built, _ := json.Marshal(ServicePrincipal{DisplayName: "x"})
	if string(built) != `{"displayName":"x"}` {
		t.Fatalf("built in Go: %s", built)
	}
	var beta Application
	if err := json.Unmarshal([]byte(`{"objectId":"428f","availableToOtherTenants":false}`), &beta); err != nil || beta.ObjectID() != "428f" {
		t.Fatalf("beta's objectId: %q, %v", beta.ObjectID(), err)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
