package models

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/graphsync/graphsync/internal/printable"
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
// Every name in the error (objectTypeName and the schema's rule IDs, rule
// names and object names) is in double quotes, cleaned by package
// printable and cut to maxNameLength bytes: the schema's text can neither
// pass for the error's own words nor write to a terminal.
//
// provisionOnDemand needs a rule ID with each subject. A program that
// provisions subjects calls Client.GetJobSchema once per run and uses
// RuleFor for every subject whose rule it was not given.
func (s *SynchronizationSchema) RuleFor(objectTypeName string) (string, error) {
	if s == nil {
		return "", fmt.Errorf("%w %s: the schema is nil", ErrNoRule, quote(objectTypeName))
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
			return "", fmt.Errorf("%w %s: rule %s maps it but has no id", ErrNoRule, quote(objectTypeName), quote(r.Name))
		}
		return r.ID, nil
	case 0:
		return "", fmt.Errorf("%w %s; the schema's rules map: %s", ErrNoRule, quote(objectTypeName), s.describeRules(nil))
	default:
		return "", fmt.Errorf("%w %s: %s; pass the rule ID explicitly", ErrAmbiguousRule, quote(objectTypeName), s.describeRules(candidates))
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

// maxNameLength bounds each name RuleFor's errors quote, and
// maxRulesListed how many rules they list: a schema's text cannot make
// an error without end.
const (
	maxNameLength  = 256
	maxRulesListed = 10
)

func quote(s string) string { return printable.Quote(s, maxNameLength) }

// describeRules lists rules (all when which is nil) as
// `rule "id" ("name": "Source"→"Target", ...)`, every name quoted.
func (s *SynchronizationSchema) describeRules(which []int) string {
	var parts []string
	listed := 0
	for i, r := range s.SynchronizationRules {
		if which != nil && !slices.Contains(which, i) {
			continue
		}
		if listed++; listed > maxRulesListed {
			parts = append(parts, "…")
			break
		}
		var objs []string
		for _, m := range r.ObjectMappings {
			objs = append(objs, quote(m.SourceObjectName)+"→"+quote(m.TargetObjectName))
		}
		parts = append(parts, fmt.Sprintf("rule %s (%s: %s)", quote(r.ID), quote(r.Name), strings.Join(objs, ", ")))
	}
	if len(parts) == 0 {
		return "none (the schema has no rules)"
	}
	return strings.Join(parts, "; ")
}
