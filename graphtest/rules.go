package graphtest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/graphsync/graphsync/models"
)

// Rule is a synchronization rule of a template's or job's schema, as much
// of it as provisionOnDemand needs: its ruleId names a Rule, and the
// subjects' objectTypeName must be a SourceObjectName of the rule's
// Objects.
type Rule struct {
	// ID is what provisionOnDemand's ruleId names, e.g.
	// "03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8".
	ID string
	// Name is the rule's name, e.g. "USERGROUP_OUTBOUND_USERGROUP".
	Name string
	// SourceDirectoryName and TargetDirectoryName name the directories
	// provisioned from and to, e.g. "Azure Active Directory" and
	// "customappsso"; provisioning steps mention them.
	SourceDirectoryName string
	TargetDirectoryName string
	// Objects are the object types the rule provisions.
	Objects []ObjectMapping
}

// ObjectMapping is one object type a Rule provisions: objects named
// SourceObjectName in the source directory ("User", or "user" in Active
// Directory) become TargetObjectName objects in the target.
type ObjectMapping struct {
	SourceObjectName string
	TargetObjectName string
}

// DefaultRuleID is the ID of the rule Entra ID → application templates
// carry ("USERGROUP_OUTBOUND_USERGROUP", the same ID in every tenant), the
// rule AddServicePrincipal gives every template.
const DefaultRuleID = "03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8"

// DefaultRules returns the rules AddServicePrincipal gives a template
// whose target directory is targetDirectory: DefaultRuleID, which
// provisions Entra ID users and groups ("User", "Group") as SCIM users and
// groups.
func DefaultRules(targetDirectory string) []Rule {
	return []Rule{{
		ID:                  DefaultRuleID,
		Name:                "USERGROUP_OUTBOUND_USERGROUP",
		SourceDirectoryName: "Azure Active Directory",
		TargetDirectoryName: targetDirectory,
		Objects: []ObjectMapping{
			{SourceObjectName: models.ObjectTypeUser, TargetObjectName: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"},
			{SourceObjectName: models.ObjectTypeGroup, TargetObjectName: "urn:ietf:params:scim:schemas:core:2.0:Group"},
		},
	}}
}

func cloneRules(rules []Rule) []Rule {
	out := make([]Rule, len(rules))
	for i, r := range rules {
		out[i] = r
		out[i].Objects = slices.Clone(r.Objects)
	}
	return out
}

// SetTemplateRules replaces the rules of a template; jobs created from it
// afterwards get them. It fails if the service principal or the template
// is not registered.
func (s *Server) SetTemplateRules(servicePrincipalID, templateID string, rules ...Rule) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.template(servicePrincipalID, templateID)
	if t == nil {
		return fmt.Errorf("graphtest: no template %q on service principal %q", templateID, servicePrincipalID)
	}
	t.rules = cloneRules(rules)
	return nil
}

// SetJobRules replaces the rules of a job's schema, and the schema served
// for the job becomes the one generated from them again, whatever a PUT
// stored before. It fails if the job does not exist.
func (s *Server) SetJobRules(servicePrincipalID, jobID string, rules ...Rule) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	j := s.job(servicePrincipalID, jobID)
	if j == nil {
		return fmt.Errorf("graphtest: no job %q on service principal %q", jobID, servicePrincipalID)
	}
	j.rules, j.schema = cloneRules(rules), nil
	return nil
}

// Rules returns a copy of a job's rules (nil if there is no such job).
func (s *Server) Rules(servicePrincipalID, jobID string) []Rule {
	s.mu.Lock()
	defer s.mu.Unlock()
	if j := s.job(servicePrincipalID, jobID); j != nil {
		return cloneRules(j.rules)
	}
	return nil
}

// RuleID returns the ID of the first rule of a job that provisions
// objectTypeName, or "" if there is none: the ruleId a test passes to
// provisionOnDemand. Names match without regard to case, a rule that
// spells the name the same way first (as provisionOnDemand matches them).
func (s *Server) RuleID(servicePrincipalID, jobID, objectTypeName string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if j := s.job(servicePrincipalID, jobID); j != nil {
		return ruleFor(j.rules, objectTypeName)
	}
	return ""
}

// TemplateRuleID is RuleID for a template.
func (s *Server) TemplateRuleID(servicePrincipalID, templateID, objectTypeName string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.template(servicePrincipalID, templateID); t != nil {
		return ruleFor(t.rules, objectTypeName)
	}
	return ""
}

// template returns a template, or nil. Called with s.mu held.
func (s *Server) template(servicePrincipalID, templateID string) *template {
	if sp := s.sps[servicePrincipalID]; sp != nil {
		for _, t := range sp.templates {
			if t.ID == templateID {
				return t
			}
		}
	}
	return nil
}

// ruleFor returns the ID of the first rule that spells objectTypeName
// the same way, else of the first that maps it in another case, else "".
func ruleFor(rules []Rule, objectTypeName string) string {
	folded := ""
	for _, r := range rules {
		if m := r.mapping(objectTypeName); m != nil {
			if m.SourceObjectName == objectTypeName {
				return r.ID
			}
			if folded == "" {
				folded = r.ID
			}
		}
	}
	return folded
}

// mapping returns the rule's mapping for objects named objectTypeName in
// the source directory, or nil. Names match without regard to case, the
// same spelling first: Graph does not document whether case matters, and
// Microsoft's own provisionOnDemand examples spell "User" and "user".
func (r *Rule) mapping(objectTypeName string) *ObjectMapping {
	var folded *ObjectMapping
	for i := range r.Objects {
		switch name := r.Objects[i].SourceObjectName; {
		case name == objectTypeName:
			return &r.Objects[i]
		case folded == nil && strings.EqualFold(name, objectTypeName):
			folded = &r.Objects[i]
		}
	}
	return folded
}

// findRule returns the rule a provisionOnDemand ruleId names, or nil. IDs
// compare without regard to case, and a "#suffix" (as in "...#V2") on
// either side is not part of the comparison.
func findRule(rules []Rule, ruleID string) *Rule {
	base := func(id string) string {
		id, _, _ = strings.Cut(strings.TrimSpace(id), "#")
		return id
	}
	if base(ruleID) == "" {
		return nil
	}
	for i := range rules {
		if strings.EqualFold(base(rules[i].ID), base(ruleID)) {
			return &rules[i]
		}
	}
	return nil
}
