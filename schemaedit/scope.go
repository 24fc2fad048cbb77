package schemaedit

import (
	"encoding/json"
	"fmt"

	"github.com/graphsync/graphsync/models"
)

// Clause returns a scoping filter clause: the source object's attribute
// tested with operator (one of ListFilterOperators', such as "EQUALS",
// "IS TRUE" or "REGEX MATCH") against values. Without values its
// targetOperand is null, as Graph writes it for the operators that take
// none.
func Clause(attribute, operator string, values ...string) models.FilterClause {
	c := models.FilterClause{OperatorName: operator, SourceOperandName: attribute}
	if len(values) > 0 {
		c.TargetOperand = &models.FilterOperand{Values: values}
	}
	return c
}

// Group returns a scoping filter group: an object is in scope for the
// group when every clause holds.
func Group(name string, clauses ...models.FilterClause) models.FilterGroup {
	return models.FilterGroup{Name: name, Clauses: clauses}
}

// SetScopeGroup puts g among the groups of om's scoping filter
// (Scope.Groups: an object is in scope when any group holds), replacing
// the group of the same name in its place or, when there is none,
// appending it. An object mapping without a scope gets one, written as
// Graph writes it (empty categoryFilterGroups and inputFilterGroups); the
// other members of the scope are kept. The group is written with every
// member Graph writes (a clause's targetOperand null when it has none);
// what g holds besides, Extra included, is kept. The error wraps
// ErrInvalid for a group without a name or clauses, ErrAmbiguous when
// several groups have g's name; om is then unchanged.
func SetScopeGroup(om *models.ObjectMapping, g models.FilterGroup) error {
	if g.Name == "" || len(g.Clauses) == 0 {
		return fmt.Errorf("%w: a scoping filter group needs a name and at least one clause", ErrInvalid)
	}
	group, err := groupJSON(g)
	if err != nil {
		return err
	}
	scope := map[string]json.RawMessage{
		"categoryFilterGroups": json.RawMessage("[]"),
		"groups":               json.RawMessage("[]"),
		"inputFilterGroups":    json.RawMessage("[]"),
	}
	var groups []json.RawMessage
	if om.Scope != nil {
		if scope, err = members(om.Scope); err != nil {
			return err
		}
		for _, cur := range om.Scope.Groups {
			b, err := json.Marshal(cur)
			if err != nil {
				return err
			}
			groups = append(groups, b)
		}
	}
	at := -1
	if om.Scope != nil {
		switch is := groupIndexes(om.Scope, g.Name); len(is) {
		case 0:
		case 1:
			at = is[0]
		default:
			return fmt.Errorf("%w: %d scoping filter groups named %s in %s", ErrAmbiguous, len(is), quote(g.Name), objects(om))
		}
	}
	if at < 0 {
		groups = append(groups, group)
	} else {
		groups[at] = group
	}
	scope["groups"] = raw(groups)
	var f models.Filter
	if err := rebuild(scope, &f); err != nil {
		return err
	}
	om.Scope = &f
	return nil
}

// RemoveScopeGroup removes the group named name from om's scoping filter
// (Scope.Groups); the other groups, and the scope's other members, are
// kept. Removing the last group leaves the scope without groups: every
// object is then in scope. The error wraps ErrNotFound or ErrAmbiguous.
func RemoveScopeGroup(om *models.ObjectMapping, name string) error {
	if om.Scope == nil {
		return fmt.Errorf("%w: %s has no scoping filter", ErrNotFound, objects(om))
	}
	is := groupIndexes(om.Scope, name)
	switch len(is) {
	case 1:
	case 0:
		return fmt.Errorf("%w: no scoping filter group %s in %s", ErrNotFound, quote(name), objects(om))
	default:
		return fmt.Errorf("%w: %d scoping filter groups named %s in %s", ErrAmbiguous, len(is), quote(name), objects(om))
	}
	scope, err := members(om.Scope)
	if err != nil {
		return err
	}
	groups := append(om.Scope.Groups[:is[0]:is[0]], om.Scope.Groups[is[0]+1:]...)
	if groups == nil {
		groups = []models.FilterGroup{}
	}
	scope["groups"] = raw(groups)
	var f models.Filter
	if err := rebuild(scope, &f); err != nil {
		return err
	}
	om.Scope = &f
	return nil
}

func groupIndexes(f *models.Filter, name string) []int {
	var out []int
	for i, g := range f.Groups {
		if g.Name == name {
			out = append(out, i)
		}
	}
	return out
}

// groupJSON is g with every member Graph writes: clauses and name, and
// each clause's operatorName, sourceOperandName and targetOperand (null
// when it has none).
func groupJSON(g models.FilterGroup) (json.RawMessage, error) {
	o, err := members(g)
	if err != nil {
		return nil, err
	}
	clauses := make([]json.RawMessage, 0, len(g.Clauses))
	for _, c := range g.Clauses {
		co, err := members(c)
		if err != nil {
			return nil, err
		}
		co["operatorName"] = raw(c.OperatorName)
		co["sourceOperandName"] = raw(c.SourceOperandName)
		if _, ok := co["targetOperand"]; !ok {
			co["targetOperand"] = json.RawMessage("null")
		}
		clauses = append(clauses, raw(co))
	}
	o["clauses"] = raw(clauses)
	o["name"] = raw(g.Name)
	return raw(o), nil
}
