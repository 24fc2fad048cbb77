package schemaedit

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/graphsync/graphsync/internal/printable"
	"github.com/graphsync/graphsync/models"
)

// Errors of the edits, matched with errors.Is; the errors that wrap them
// name what was looked for, and what there is, in double quotes cleaned
// by package printable.
var (
	// ErrNotFound: no object mapping, attribute mapping or filter group
	// of that name.
	ErrNotFound = errors.New("schemaedit: not found")
	// ErrAmbiguous: several match where one was asked for (two rules map
	// the same objects, an attribute is mapped twice).
	ErrAmbiguous = errors.New("schemaedit: ambiguous")
	// ErrExists: AddMapping of a target attribute already mapped.
	ErrExists = errors.New("schemaedit: already exists")
	// ErrInvalid: a Mapping or filter that cannot be written (no target
	// attribute, a Direct mapping of an attribute named "", an
	// expression that does not parse).
	ErrInvalid = errors.New("schemaedit: invalid")
)

const maxQuoted = 120

func quote(s string) string { return printable.Quote(s, maxQuoted) }

// FindObjectMapping returns the object mapping of s that maps
// sourceObject to targetObject in the rule named rule, for editing in
// place. rule is a rule's ID or, when no rule has that ID, its name; ""
// means any rule. targetObject "" means any target. Names are matched
// exactly (Graph's are case-sensitive: Active Directory's "user" is not
// Entra ID's "User").
//
// When no object mapping, or more than one, matches, the error wraps
// ErrNotFound or ErrAmbiguous and lists the candidates.
func FindObjectMapping(s *models.SynchronizationSchema, rule, sourceObject, targetObject string) (*models.ObjectMapping, error) {
	if s == nil {
		return nil, fmt.Errorf("%w: the schema is nil", ErrNotFound)
	}
	byID := false
	for _, r := range s.SynchronizationRules {
		if rule != "" && r.ID == rule {
			byID = true
		}
	}
	var found []*models.ObjectMapping
	var where []string
	for i := range s.SynchronizationRules {
		r := &s.SynchronizationRules[i]
		if rule != "" && (byID && r.ID != rule || !byID && r.Name != rule) {
			continue
		}
		for j := range r.ObjectMappings {
			m := &r.ObjectMappings[j]
			if m.SourceObjectName == sourceObject && (targetObject == "" || m.TargetObjectName == targetObject) {
				found = append(found, m)
				where = append(where, describeMapping(*r, *m))
			}
		}
	}
	want := quote(sourceObject) + "→" + quote(targetObject)
	if targetObject == "" {
		want = quote(sourceObject) + "→(any)"
	}
	if rule != "" {
		want += " in rule " + quote(rule)
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, fmt.Errorf("%w: no object mapping %s; the schema has %s", ErrNotFound, want, allMappings(s))
	}
	return nil, fmt.Errorf("%w: %d object mappings %s: %s; name the rule or the target object",
		ErrAmbiguous, len(found), want, strings.Join(where, "; "))
}

// describeMapping names an object mapping and its rule for a message.
func describeMapping(r models.SynchronizationRule, m models.ObjectMapping) string {
	return quote(m.SourceObjectName) + "→" + quote(m.TargetObjectName) + " in rule " + ruleName(r.ID, r.Name)
}

// ruleName names a rule by its name and ID, whichever it has.
func ruleName(id, name string) string {
	switch {
	case name != "" && id != "":
		return quote(name) + " (" + quote(id) + ")"
	case name != "":
		return quote(name)
	}
	return "id " + quote(id)
}

func allMappings(s *models.SynchronizationSchema) string {
	var all []string
	for _, r := range s.SynchronizationRules {
		for _, m := range r.ObjectMappings {
			all = append(all, describeMapping(r, m))
		}
	}
	if len(all) == 0 {
		return "none"
	}
	return strings.Join(all, "; ")
}

func clean(s string) string { return printable.Clean(s) }

// Clone returns a copy of s that shares nothing with it: the edits
// change a schema in place, and a copy of the struct shares its slices,
// so keep a Clone to compare with (Diff) or to go back to. The error is
// s's Extra holding something that is not JSON.
func Clone(s models.SynchronizationSchema) (models.SynchronizationSchema, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return models.SynchronizationSchema{}, err
	}
	var out models.SynchronizationSchema
	if err := json.Unmarshal(b, &out); err != nil {
		return models.SynchronizationSchema{}, errors.Join(errors.New("schemaedit: cloning the schema"), err)
	}
	return out, nil
}
