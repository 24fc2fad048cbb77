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

// handler serves one request. It runs with s.mu held.
type handler struct {
	s     *Server
	sp    *servicePrincipal
	w     http.ResponseWriter
	r     *http.Request
	reqID string
	body  []byte
}

func (h handler) error(status int, code, message string) {
	writeError(h.w, h.r, h.reqID, status, code, message)
}

func (h handler) json(status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		h.error(http.StatusInternalServerError, "InternalServerError", err.Error())
		return
	}
	h.w.Header().Set("Content-Type", "application/json")
	h.w.WriteHeader(status)
	h.w.Write(b)
}

func (h handler) noContent() { h.w.WriteHeader(http.StatusNoContent) }

func (h handler) notFound(what, id string) {
	h.error(http.StatusNotFound, "Request_ResourceNotFound",
		fmt.Sprintf("%s '%s' does not exist.", what, id))
}

func (sp *servicePrincipal) job(id string) *models.SynchronizationJob {
	for _, j := range sp.jobs {
		if j.ID == id {
			return j
		}
	}
	return nil
}

func cloneJob(j *models.SynchronizationJob) models.SynchronizationJob {
	b, _ := json.Marshal(j)
	var c models.SynchronizationJob
	_ = json.Unmarshal(b, &c)
	return c
}

// page writes items as a collection, paged when Options.PageSize is set.
func page[T any](h handler, items []T) {
	size := h.s.opts.PageSize
	skip := 0
	if v := h.r.URL.Query().Get("$skiptoken"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > len(items) {
			h.error(http.StatusBadRequest, "BadRequest", "Invalid $skiptoken.")
			return
		}
		skip = n
	}
	out := struct {
		Context  string `json:"@odata.context"`
		Value    []T    `json:"value"`
		NextLink string `json:"@odata.nextLink,omitempty"`
	}{Context: h.s.URL + "/v1.0/$metadata", Value: items[skip:]}
	if size > 0 && len(items)-skip > size {
		out.Value = items[skip : skip+size]
		out.NextLink = fmt.Sprintf("%s%s?$skiptoken=%d", h.s.URL, h.r.URL.EscapedPath(), skip+size)
	}
	if out.Value == nil {
		out.Value = []T{}
	}
	h.json(http.StatusOK, out)
}

func (h handler) listTemplates() { page(h, h.sp.templates) }

func (h handler) listJobs() {
	jobs := make([]models.SynchronizationJob, len(h.sp.jobs))
	for i, j := range h.sp.jobs {
		jobs[i] = *j
	}
	page(h, jobs)
}

func (h handler) saveSecrets() {
	var in struct {
		Value []models.SecretKeyValue `json:"value"`
	}
	if err := json.Unmarshal(h.body, &in); err != nil || len(in.Value) == 0 {
		h.error(http.StatusBadRequest, "BadRequest", "The request body must hold a non-empty value array.")
		return
	}
	for _, kv := range in.Value {
		replaced := false
		for i := range h.sp.secrets {
			if h.sp.secrets[i].Key == kv.Key {
				h.sp.secrets[i].Value, replaced = kv.Value, true
			}
		}
		if !replaced {
			h.sp.secrets = append(h.sp.secrets, kv)
		}
	}
	h.noContent()
}

func (h handler) createJob() {
	var in models.SynchronizationJob
	if err := json.Unmarshal(h.body, &in); err != nil {
		h.error(http.StatusBadRequest, "BadRequest", "Invalid JSON: "+err.Error())
		return
	}
	if in.TemplateID == "" {
		h.error(http.StatusBadRequest, "BadRequest", "templateId is required.")
		return
	}
	found := false
	for _, t := range h.sp.templates {
		found = found || t.ID == in.TemplateID
	}
	if !found {
		h.error(http.StatusBadRequest, "InvalidTemplateId",
			fmt.Sprintf("Template '%s' is not a template of this service principal.", in.TemplateID))
		return
	}
	job := &models.SynchronizationJob{
		ID:         fmt.Sprintf("%s.%s", in.TemplateID, strings.ReplaceAll(newID(), "-", "")),
		TemplateID: in.TemplateID,
		Schedule: &models.SynchronizationSchedule{
			Interval: models.MaxDuration,
			State:    models.ScheduleDisabled,
		},
		Status: &models.SynchronizationStatus{
			Code:                         models.StatusNotConfigured,
			SynchronizedEntryCountByType: []models.StringKeyLongValuePair{},
		},
		SynchronizationJobSettings: in.SynchronizationJobSettings,
	}
	if in.Schedule != nil && in.Schedule.Interval != "" {
		job.Schedule.Interval = in.Schedule.Interval
	}
	h.sp.jobs = append(h.sp.jobs, job)
	h.json(http.StatusCreated, job)
}

func (h handler) job(id string) {
	j := h.sp.job(id)
	if j == nil {
		h.notFound("Job", id)
		return
	}
	switch h.r.Method {
	case http.MethodGet:
		h.json(http.StatusOK, j)
	case http.MethodDelete:
		for i, x := range h.sp.jobs {
			if x == j {
				h.sp.jobs = append(h.sp.jobs[:i:i], h.sp.jobs[i+1:]...)
				break
			}
		}
		h.noContent()
	case http.MethodPatch:
		var in models.SynchronizationJob
		if err := json.Unmarshal(h.body, &in); err != nil {
			h.error(http.StatusBadRequest, "BadRequest", "Invalid JSON: "+err.Error())
			return
		}
		if in.Schedule != nil {
			if in.Schedule.Interval != "" {
				j.Schedule.Interval = in.Schedule.Interval
			}
			if in.Schedule.Expiration != nil {
				j.Schedule.Expiration = in.Schedule.Expiration
			}
		}
		if in.SynchronizationJobSettings != nil {
			j.SynchronizationJobSettings = in.SynchronizationJobSettings
		}
		h.noContent()
	default:
		h.error(http.StatusMethodNotAllowed, "BadRequest", "Method not allowed.")
	}
}

func (h handler) action(id, action string) {
	j := h.sp.job(id)
	if j == nil {
		h.notFound("Job", id)
		return
	}
	now := time.Now().UTC()
	switch action {
	case "start":
		j.Schedule.State = models.ScheduleActive
		j.Status.Code = models.StatusActive
		exec := &models.SynchronizationTaskExecution{
			ActivityIdentifier: newID(), State: models.ExecutionSucceeded, TimeBegan: now, TimeEnded: now,
		}
		j.Status.LastExecution = exec
		j.Status.LastSuccessfulExecution = exec
		if models.IsNever(j.Status.SteadyStateFirstAchievedTime) {
			j.Status.SteadyStateFirstAchievedTime = now
		}
		j.Status.SteadyStateLastAchievedTime = now
		h.noContent()
	case "pause":
		j.Schedule.State = models.SchedulePaused
		j.Status.Code = models.StatusPaused
		h.noContent()
	case "restart":
		if len(h.body) > 0 {
			var in struct {
				Criteria struct {
					ResetScope models.ResetScope `json:"resetScope"`
				} `json:"criteria"`
			}
			if err := json.Unmarshal(h.body, &in); err != nil {
				h.error(http.StatusBadRequest, "BadRequest", "Invalid restart criteria: "+err.Error())
				return
			}
			if in.Criteria.ResetScope&models.ResetQuarantineState != 0 {
				j.Status.Quarantine = nil
			}
		}
		j.Schedule.State = models.ScheduleActive
		j.Status.Code = models.StatusActive
		h.noContent()
	case "provisionOnDemand":
		h.provision(j)
	default:
		h.error(http.StatusBadRequest, "BadRequest", fmt.Sprintf("Unsupported action '%s'.", action))
	}
}

// provision enforces the limit and answers like the documented examples.
func (h handler) provision(j *models.SynchronizationJob) {
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
			h.error(http.StatusTooManyRequests, "TooManyRequests",
				"Too many requests. The rate limit for provisionOnDemand is 5 requests per 10 seconds.")
			return
		}
	}
	var req models.ProvisionRequest
	if err := json.Unmarshal(h.body, &req); err != nil {
		h.error(http.StatusBadRequest, "BadRequest", "Invalid JSON: "+err.Error())
		return
	}
	if err := req.Validate(); err != nil {
		h.error(http.StatusBadRequest, "BadRequest", err.Error())
		return
	}
	s.provisions = append(s.provisions, now)
	subj := req.Parameters[0].Subjects[0]
	key, value := h.provisionResult(subj, now.UTC())
	kb, _ := json.Marshal(key)
	vb, _ := json.Marshal(value)
	h.json(http.StatusOK, map[string]string{
		"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.stringKeyStringValuePair",
		"key":            string(kb),
		"value":          string(vb),
	})
}

func (h handler) provisionResult(subj models.Subject, now time.Time) (models.ProvisionKey, any) {
	obj, ok := h.s.objects[strings.ToLower(subj.ObjectID)]
	if !ok {
		return models.ProvisionKey{
				Result: models.OutcomeFailure,
				Details: models.ProvisionDetails{ErrorCode: "EntryNotFound",
					ErrorMessage: fmt.Sprintf("The %s '%s' was not found in the source system.", subj.ObjectTypeName, subj.ObjectID)},
			}, models.ProvisionValue{
				Action: models.ActionOther, ChangeID: newID(), StartTime: &now, EndTime: &now,
				ReportableIdentifier: subj.ObjectID,
				ProvisioningSteps: []models.ProvisioningStep{{
					Name: "EntryImport", Type: models.StepImport, Status: models.StepFailure, Timestamp: &now,
					Description: fmt.Sprintf("Could not find %s '%s' in the source system", subj.ObjectTypeName, subj.ObjectID),
					Details:     models.StringMap{"objectId": subj.ObjectID},
				}},
				StatusInfo: &models.StatusInfo{Status: "Failure", ErrorCode: "EntryNotFound"},
			}
	}
	if subj.Links != nil && len(subj.Links.Members) > 0 {
		// Like the documentation's group example: Success, empty value.
		obj.provisioned = true
		h.s.objects[strings.ToLower(obj.id)] = obj
		return models.ProvisionKey{Result: models.OutcomeSuccess}, struct{}{}
	}
	steps := []models.ProvisioningStep{
		{Name: "EntryImport", Type: models.StepImport, Status: models.StepSuccess, Timestamp: &now,
			Description: fmt.Sprintf("Retrieved %s '%s' from Azure Active Directory", obj.typeName, obj.name),
			Details:     models.StringMap{"objectId": obj.id, "displayName": obj.name}},
		{Name: "EntrySynchronizationScoping", Type: models.StepScoping, Status: models.StepSuccess, Timestamp: &now,
			Description: fmt.Sprintf("Determine if %s in scope by evaluating against each scoping filter", obj.typeName),
			Details:     models.StringMap{"Assigned": "True", "ScopeEvaluationResult": "{}"}},
	}
	value := models.ProvisionValue{
		ChangeID: newID(), StartTime: &now, EndTime: &now, ReportableIdentifier: obj.name,
		SourceIdentity: &models.Identity{ID: obj.id, Type: obj.typeName},
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
		Description: fmt.Sprintf("%s '%s' was created in customappsso", obj.typeName, obj.name),
		Details:     models.StringMap{"ReportableIdentifier": obj.name}})
	value.StatusInfo = &models.StatusInfo{Status: "Success"}
	return models.ProvisionKey{Result: models.OutcomeSuccess}, value
}
