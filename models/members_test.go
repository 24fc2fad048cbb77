package models

import (
	"maps"
	"reflect"
	"slices"
	"testing"
)

// The member tables skip what encoding/json skips (unexported fields,
// fields tagged "-") wherever they are in the struct, not only last, as
// in every model type today.
func TestMemberTablesSkipFieldsAnywhere(t *testing.T) {
	type mixed struct {
		A    string `json:"a"`
		Skip string `json:"-"`
		//lint:ignore U1000 seen only through reflection, like a model's wire field
		hidden string
		Plain  string
		B      string `json:"B,omitempty"`
		_      int
		C      string `json:"c"`
	}
	members := slices.Sorted(maps.Keys(jsonMembers[mixed]()))
	if want := []string{"a", "b", "c", "plain"}; !slices.Equal(members, want) {
		t.Errorf("jsonMembers = %q, want %q", members, want)
	}
	// fieldsOf: only tagged fields are members, named exactly.
	fs := fieldsOf(reflect.TypeFor[mixed]())
	if want := []field{{"a", 0, false}, {"B", 4, true}, {"c", 6, false}}; !slices.Equal(fs, want) {
		t.Errorf("fieldsOf = %+v, want %+v", fs, want)
	}
}
