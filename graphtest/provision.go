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

// provision enforces the limit and answers like the documented examples.
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
	var req models.ProvisionRequest
	if err := json.Unmarshal(h.body, &req); err != nil {
		h.fail(badRequest("Invalid JSON: %v", err))
		return
	}
	if err := req.Validate(); err != nil {
		h.fail(badRequest("%v", err))
		return
	}
	s.provisions = append(s.provisions, now)
	key, value := h.provisionResult(req.Parameters[0].Subjects[0], graphTime(now))
	kb, _ := marshal(key)
	vb, _ := marshal(value)
	h.json(http.StatusOK, map[string]string{
		"@odata.context": odataContext(h.version, "microsoft.graph.stringKeyStringValuePair"),
		"key":            string(kb),
		"value":          string(vb),
	})
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

func (h handler) provisionResult(subj models.Subject, now time.Time) (models.ProvisionKey, any) {
	if miss := h.missing(subj); miss != nil {
		return models.ProvisionKey{
				Result: models.OutcomeFailure,
				Details: models.ProvisionDetails{ErrorCode: "EntryNotFound",
					ErrorMessage: fmt.Sprintf("The %s '%s' was not found in the source system.", miss.ObjectTypeName, miss.ObjectID)},
			}, models.ProvisionValue{
				Action: models.ActionOther, ChangeID: newID(), StartTime: &now, EndTime: &now,
				ReportableIdentifier: subj.ObjectID,
				ProvisioningSteps: []models.ProvisioningStep{{
					Name: "EntryImport", Type: models.StepImport, Status: models.StepFailure, Timestamp: &now,
					Description: fmt.Sprintf("Could not find %s '%s' in the source system", miss.ObjectTypeName, miss.ObjectID),
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
			Description: fmt.Sprintf("Retrieved %s '%s' from Azure Active Directory", typ, obj.name),
			Details:     models.StringMap{"objectId": obj.id, "displayName": obj.name}},
		{Name: "EntrySynchronizationScoping", Type: models.StepScoping, Status: models.StepSuccess, Timestamp: &now,
			Description: fmt.Sprintf("Determine if %s in scope by evaluating against each scoping filter", typ),
			Details:     models.StringMap{"Assigned": "True", "ScopeEvaluationResult": "{}"}},
	}
	value := models.ProvisionValue{
		ChangeID: newID(), StartTime: &now, EndTime: &now, ReportableIdentifier: obj.name,
		SourceIdentity: &models.Identity{ID: obj.id, Type: typ},
		SourceSystem:   &models.SystemDetails{Name: "Azure Active Directory"},
		TargetIdentity: &models.Identity{ID: "t-" + obj.id, Type: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"},
		TargetSystem:   &models.SystemDetails{Name: "customappsso"},
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
		Description: fmt.Sprintf("%s '%s' was created in customappsso", typ, obj.name),
		Details:     models.StringMap{"ReportableIdentifier": obj.name}})
	value.StatusInfo = &models.StatusInfo{Status: "Success"}
	return models.ProvisionKey{Result: models.OutcomeSuccess}, value
}
