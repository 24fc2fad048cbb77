package graphtest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/graphsync/graphsync/models"
)

// maxGroupMembers is how many members a group may bring to one
// provisionOnDemand call (Entra documentation for provisioning on demand).
const maxGroupMembers = 5

// maxLinkDepth bounds how deep linked subjects may nest.
const maxLinkDepth = 8

func requestParameterInvalid(format string, args ...any) *apiError {
	return &apiError{http.StatusBadRequest, "RequestParameterInvalid", fmt.Sprintf(format, args...)}
}

// provision enforces the limit, checks the request against the job's rules
// and answers like the documented examples.
func (h handler) provision(j *job) {
	s := h.s
	now := time.Now()
	if !s.opts.DisableProvisionLimit {
		// Sliding log: a call is throttled when ProvisionLimit calls were
		// accepted in the window before it.
		cut := now.Add(-s.opts.ProvisionWindow)
		inWindow := 0
		var oldest time.Time
		for _, t := range s.provisions {
			if t.After(cut) {
				if inWindow == 0 {
					oldest = t
				}
				inWindow++
			}
		}
		if inWindow >= s.opts.ProvisionLimit {
			s.throttled++
			wait := oldest.Add(s.opts.ProvisionWindow).Sub(now)
			h.w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			h.fail(&apiError{http.StatusTooManyRequests, "TooManyRequests",
				"Too many requests. The rate limit for provisionOnDemand is 5 requests per 10 seconds."})
			return
		}
	}
	rule, subj, e := checkProvision(j, h.body)
	if e != nil {
		h.fail(e)
		return
	}
	s.provisions = append(s.provisions, now)
	key, value := h.provisionResult(rule, subj, graphTime(now))
	kb, _ := marshal(key)
	vb, _ := marshal(value)
	h.json(http.StatusOK, map[string]string{
		"@odata.context": odataContext(h.version, "microsoft.graph.stringKeyStringValuePair"),
		"key":            string(kb),
		"value":          string(vb),
	})
}

// checkProvision reads a provisionOnDemand body and checks it against the
// job's rules; it returns the rule and the subject to provision.
func checkProvision(j *job, body []byte) (*Rule, models.Subject, *apiError) {
	var subj models.Subject
	o, e := decodeObject(body, "The request body")
	if e != nil {
		return nil, subj, e
	}
	for _, name := range o.names() {
		if name != "parameters" && !annotation(name) {
			return nil, subj, badRequest("The parameter '%s' in the request payload is not a valid parameter for the operation 'provisionOnDemand'.", name)
		}
	}
	var params []models.ApplicationParameters
	if v, ok := o["parameters"]; !ok || isNull(v) {
		return nil, subj, requestParameterInvalid("The parameter 'parameters' is required.")
	} else if err := json.Unmarshal(v, &params); err != nil {
		return nil, subj, badRequest("The parameter 'parameters' is not a collection of synchronizationJobApplicationParameters: %v.", err)
	}
	if len(params) != 1 {
		return nil, subj, requestParameterInvalid("provisionOnDemand takes one synchronizationJobApplicationParameters; the request has %d.", len(params))
	}
	p := params[0]
	rule := findRule(j.rules, p.RuleID)
	if rule == nil {
		// The wording of Graph's answer to an unknown rule.
		return nil, subj, requestParameterInvalid("The request identified this synchronization job: %s.  The request also identified this synchronization rule: %s.  However, the job does not include the rule.",
			j.data.ID, p.RuleID)
	}
	if len(p.Subjects) != 1 {
		return nil, subj, requestParameterInvalid("provisionOnDemand provisions one subject per request; the request has %d.", len(p.Subjects))
	}
	subj = p.Subjects[0]
	if e := checkSubject(rule, subj, "parameters[0].subjects[0]", 0); e != nil {
		return nil, subj, e
	}
	return rule, subj, nil
}

// checkSubject checks that a subject and its linked subjects name an
// object of a type the rule provisions, and that a group brings at most
// maxGroupMembers members.
func checkSubject(rule *Rule, s models.Subject, path string, depth int) *apiError {
	if strings.TrimSpace(s.ObjectID) == "" || strings.TrimSpace(s.ObjectTypeName) == "" {
		return requestParameterInvalid("%s needs an objectId and an objectTypeName.", path)
	}
	if rule.mapping(s.ObjectTypeName) == nil {
		var names []string
		for _, m := range rule.Objects {
			names = append(names, "'"+m.SourceObjectName+"'")
		}
		return requestParameterInvalid("The synchronization rule %s does not provision objects of type '%s' (%s: %s); it provisions %s.",
			rule.ID, s.ObjectTypeName, path, s.ObjectID, strings.Join(names, ", "))
	}
	if s.Links == nil {
		return nil
	}
	if depth >= maxLinkDepth {
		return requestParameterInvalid("%s.links are nested deeper than %d levels.", path, maxLinkDepth)
	}
	if n := len(s.Links.Members); n > maxGroupMembers {
		return requestParameterInvalid("A group can be provisioned on demand with at most %d members; %s has %d.", maxGroupMembers, path, n)
	}
	linked := func(kind string, subjects []models.Subject) *apiError {
		for i, m := range subjects {
			if e := checkSubject(rule, m, fmt.Sprintf("%s.links.%s[%d]", path, kind, i), depth+1); e != nil {
				return e
			}
		}
		return nil
	}
	if s.Links.Manager != nil {
		if e := checkSubject(rule, *s.Links.Manager, path+".links.manager", depth+1); e != nil {
			return e
		}
	}
	if e := linked("members", s.Links.Members); e != nil {
		return e
	}
	return linked("owners", s.Links.Owners)
}

// missing returns the first of the subject and its linked subjects that
// is not registered, or nil.
func (h handler) missing(s models.Subject) *models.Subject {
	if _, ok := h.s.objects[strings.ToLower(s.ObjectID)]; !ok {
		return &s
	}
	if s.Links == nil {
		return nil
	}
	all := append(append([]models.Subject{}, s.Links.Members...), s.Links.Owners...)
	if s.Links.Manager != nil {
		all = append(all, *s.Links.Manager)
	}
	for _, m := range all {
		if miss := h.missing(m); miss != nil {
			return miss
		}
	}
	return nil
}

func (h handler) provisionResult(rule *Rule, subj models.Subject, now time.Time) (models.ProvisionKey, any) {
	if miss := h.missing(subj); miss != nil {
		return models.ProvisionKey{
				Result: models.OutcomeFailure,
				Details: models.ProvisionDetails{ErrorCode: "EntryNotFound",
					ErrorMessage: fmt.Sprintf("The %s '%s' was not found in %s.", miss.ObjectTypeName, miss.ObjectID, rule.SourceDirectoryName)},
			}, models.ProvisionValue{
				Action: models.ActionOther, ChangeID: newID(), StartTime: &now, EndTime: &now,
				ReportableIdentifier: subj.ObjectID,
				ProvisioningSteps: []models.ProvisioningStep{{
					Name: "EntryImport", Type: models.StepImport, Status: models.StepFailure, Timestamp: &now,
					Description: fmt.Sprintf("Could not find %s '%s' in %s", miss.ObjectTypeName, miss.ObjectID, rule.SourceDirectoryName),
					Details:     models.StringMap{"objectId": miss.ObjectID},
				}},
				StatusInfo: &models.StatusInfo{Status: "Failure", ErrorCode: "EntryNotFound"},
			}
	}
	obj := h.s.objects[strings.ToLower(subj.ObjectID)]
	if subj.Links != nil && len(subj.Links.Members) > 0 {
		// Like the documentation's group example: Success, empty value.
		obj.provisioned = true
		h.s.objects[strings.ToLower(obj.id)] = obj
		return models.ProvisionKey{Result: models.OutcomeSuccess}, struct{}{}
	}
	typ := subj.ObjectTypeName
	steps := []models.ProvisioningStep{
		{Name: "EntryImport", Type: models.StepImport, Status: models.StepSuccess, Timestamp: &now,
			Description: fmt.Sprintf("Retrieved %s '%s' from %s", typ, obj.name, rule.SourceDirectoryName),
			Details:     models.StringMap{"objectId": obj.id, "displayName": obj.name}},
		{Name: "EntrySynchronizationScoping", Type: models.StepScoping, Status: models.StepSuccess, Timestamp: &now,
			Description: fmt.Sprintf("Determine if %s in scope by evaluating against each scoping filter", typ),
			Details:     models.StringMap{"Assigned": "True", "ScopeEvaluationResult": "{}"}},
	}
	value := models.ProvisionValue{
		ChangeID: newID(), StartTime: &now, EndTime: &now, ReportableIdentifier: obj.name,
		SourceIdentity: &models.Identity{ID: obj.id, Type: typ},
		SourceSystem:   &models.SystemDetails{Name: rule.SourceDirectoryName},
		TargetIdentity: &models.Identity{ID: "t-" + obj.id, Type: rule.mapping(typ).TargetObjectName},
		TargetSystem:   &models.SystemDetails{Name: rule.TargetDirectoryName},
	}
	if obj.provisioned {
		value.Action = models.ActionOther
		value.ProvisioningSteps = append(steps, models.ProvisioningStep{
			Name: "EntrySynchronizationSkip", Type: models.StepExport, Status: models.StepSkipped, Timestamp: &now,
			Description: "The state of the user in both the source and target systems already match.",
			Details:     models.StringMap{"SkipReason": "RedundantExport"}})
		value.StatusInfo = &models.StatusInfo{Status: "Skipped"}
		return models.ProvisionKey{Result: models.OutcomeSkipped, Details: models.ProvisionDetails{
			ErrorCode: "RedundantExport", ErrorMessage: "The state of the user in both the source and target systems already match."}}, value
	}
	obj.provisioned = true
	h.s.objects[strings.ToLower(obj.id)] = obj
	nv := obj.name
	value.Action = models.ActionCreate
	value.ModifiedProperties = []models.ModifiedProperty{{DisplayName: "userName", NewValue: &nv}}
	value.ProvisioningSteps = append(steps, models.ProvisioningStep{
		Name: "EntryExportAdd", Type: models.StepExport, Status: models.StepSuccess, Timestamp: &now,
		Description: fmt.Sprintf("%s '%s' was created in %s", typ, obj.name, rule.TargetDirectoryName),
		Details:     models.StringMap{"ReportableIdentifier": obj.name}})
	value.StatusInfo = &models.StatusInfo{Status: "Success"}
	return models.ProvisionKey{Result: models.OutcomeSuccess}, value
}
