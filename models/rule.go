package models

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Errors of SynchronizationSchema.RuleFor, matched with errors.Is.
var (
	// ErrNoRule: no rule of the schema takes the object type.
	ErrNoRule = errors.New("models: no synchronization rule for this object type")
	// ErrAmbiguousRule: several rules take the object type.
	ErrAmbiguousRule = errors.New("models: several synchronization rules for this object type")
)

// RuleFor returns the ID of the schema's rule for provisioning subjects of
// objectTypeName on demand: the one rule with an object mapping whose
// SourceObjectName is objectTypeName, compared without regard to case
// ("user" finds a mapping of "User"). When several rules have one, those
// that spell the name with the same case are preferred, then those whose
// mapping is enabled (an Active Directory "user" and an Entra ID "User" are
// different objects).
//
// When no rule, or more than one, qualifies, the error matches ErrNoRule
// or ErrAmbiguousRule and lists the candidates (rule IDs and the source
// objects they map), so the caller can pass a rule ID explicitly instead.
//
// provisionOnDemand needs a rule ID with each subject. A program that
// provisions subjects calls Client.GetJobSchema once per run and uses
// RuleFor for every subject whose rule it was not given.
func (s *SynchronizationSchema) RuleFor(objectTypeName string) (string, error) {
	if s == nil {
		return "", fmt.Errorf("%w %q: the schema is nil", ErrNoRule, objectTypeName)
	}
	name := strings.TrimSpace(objectTypeName)
	// The rules that map name, and among them those that map it with the
	// same case, and with an enabled mapping.
	var candidates, sameCase, enabled []int
	for i, r := range s.SynchronizationRules {
		maps, exact, on := false, false, false
		for _, m := range r.ObjectMappings {
			source := strings.TrimSpace(m.SourceObjectName)
			if strings.EqualFold(source, name) {
				maps = true
				exact = exact || source == name
				on = on || m.Enabled
			}
		}
		if maps {
			candidates = append(candidates, i)
		}
		if exact {
			sameCase = append(sameCase, i)
		}
		if on {
			enabled = append(enabled, i)
		}
	}
	for _, prefer := range [][]int{sameCase, enabled} {
		if narrower := intersect(candidates, prefer); len(candidates) > 1 && len(narrower) > 0 {
			candidates = narrower
		}
	}
	switch len(candidates) {
	case 1:
		r := s.SynchronizationRules[candidates[0]]
		if strings.TrimSpace(r.ID) == "" {
			return "", fmt.Errorf("%w %q: rule %q maps it but has no id", ErrNoRule, objectTypeName, r.Name)
		}
		return r.ID, nil
	case 0:
		return "", fmt.Errorf("%w %q; the schema's rules map: %s", ErrNoRule, objectTypeName, s.describeRules(nil))
	default:
		return "", fmt.Errorf("%w %q: %s; pass the rule ID explicitly", ErrAmbiguousRule, objectTypeName, s.describeRules(candidates))
	}
}

func intersect(a, b []int) []int {
	var out []int
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// describeRules lists rules (all when which is nil) as
// `"id" (name: Source→Target, ...)`.
func (s *SynchronizationSchema) describeRules(which []int) string {
	var parts []string
	for i, r := range s.SynchronizationRules {
		if which != nil && !slices.Contains(which, i) {
			continue
		}
		var objs []string
		for _, m := range r.ObjectMappings {
			objs = append(objs, m.SourceObjectName+"→"+m.TargetObjectName)
		}
		parts = append(parts, fmt.Sprintf("rule %q (%s: %s)", r.ID, r.Name, strings.Join(objs, ", ")))
	}
	if len(parts) == 0 {
		return "none (the schema has no rules)"
	}
	return strings.Join(parts, "; ")
}
