package graphtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/graphsync/graphsync/models"
)

func (sp *servicePrincipal) job(id string) *job {
	for _, j := range sp.jobs {
		if j.data.ID == id {
			return j
		}
	}
	return nil
}

func cloneJob(j models.SynchronizationJob) models.SynchronizationJob {
	b, _ := json.Marshal(j)
	var c models.SynchronizationJob
	_ = json.Unmarshal(b, &c)
	return c
}

// jobContext is the @odata.context of one job, as in the documentation's
// create and get examples.
func (h handler) jobContext() string {
	return odataContext(h.version, spSegment(h.spID)+"/synchronization/jobs/$entity")
}

func (h handler) listJobs() {
	jobs := make([]wireJob, len(h.sp.jobs))
	for i, j := range h.sp.jobs {
		jobs[i] = toWireJob(j.data, "")
	}
	page(h, odataContext(h.version, spSegment(h.spID)+"/synchronization/jobs"), jobs)
}

func (h handler) createJob() {
	o, e := decodeObject(h.body, "The request body")
	if e != nil {
		h.fail(e)
		return
	}
	j := models.SynchronizationJob{
		Schedule: &models.SynchronizationSchedule{Interval: models.MaxDuration},
		Status: &models.SynchronizationStatus{
			Code:                         models.StatusNotConfigured,
			Progress:                     []models.SynchronizationProgress{},
			SynchronizedEntryCountByType: []models.StringKeyLongValuePair{},
		},
	}
	if e := applyJob(&j, o, true); e != nil {
		h.fail(e)
		return
	}
	if j.TemplateID == "" {
		h.fail(badRequest("templateId is required."))
		return
	}
	t := h.template(j.TemplateID)
	if t == nil {
		h.fail(&apiError{http.StatusBadRequest, "InvalidTemplateId",
			fmt.Sprintf("Template '%s' is not a template of this service principal.", j.TemplateID)})
		return
	}
	// Graph creates jobs disabled, whatever the body says.
	j.Schedule.State = models.ScheduleDisabled
	j.ID = fmt.Sprintf("%s.%s", j.TemplateID, strings.ReplaceAll(newID(), "-", ""))
	h.sp.jobs = append(h.sp.jobs, &job{data: j, rules: cloneRules(t.rules)})
	h.w.Header().Set("Location", fmt.Sprintf("%s/%s/servicePrincipals/%s/synchronization/jobs/%s",
		h.s.URL, h.version, url.PathEscape(h.spID), url.PathEscape(j.ID)))
	h.json(http.StatusCreated, toWireJob(j, h.jobContext()))
}

func (h handler) job(id string) {
	j := h.sp.job(id)
	if j == nil {
		h.notFound("Job", id)
		return
	}
	switch h.r.Method {
	case http.MethodGet:
		h.json(http.StatusOK, toWireJob(j.data, h.jobContext()))
	case http.MethodDelete:
		for i, x := range h.sp.jobs {
			if x == j {
				h.sp.jobs = append(h.sp.jobs[:i:i], h.sp.jobs[i+1:]...)
				break
			}
		}
		h.noContent()
	case http.MethodPatch:
		o, e := decodeObject(h.body, "The request body")
		if e != nil {
			h.fail(e)
			return
		}
		// All or nothing: apply to a copy, keep it only if all applied.
		next := cloneJob(j.data)
		if e := applyJob(&next, o, false); e != nil {
			h.fail(e)
			return
		}
		j.data = next
		h.noContent()
	default:
		h.methodNotAllowed()
	}
}

func (h handler) action(id, action string) {
	j := h.sp.job(id)
	if j == nil {
		h.notFound("Job", id)
		return
	}
	now := graphTime(time.Now())
	d := &j.data
	switch action {
	case "start":
		h.s.startJob(j, now)
		h.noContent()
	case "pause":
		d.Schedule.State = models.SchedulePaused
		d.Status.Code = models.StatusPaused
		stopCycles(j, now)
		h.noContent()
	case "restart":
		scope, e := restartScope(h.body)
		if e != nil {
			h.fail(e)
			return
		}
		h.s.restartJob(j, scope, now)
		h.noContent()
	case "provisionOnDemand":
		h.provision(j)
	case "validateCredentials":
		h.validateCredentials()
	default:
		h.fail(badRequest("Unsupported action '%s'.", action))
	}
}

// restartScope reads restart's optional body,
// {"criteria":{"resetScope":"Watermark, Escrows"}}. No body, no criteria
// or an empty resetScope mean Graph's default restart.
func restartScope(body []byte) (models.ResetScope, *apiError) {
	if len(strings.TrimSpace(string(body))) == 0 {
		return models.ResetNone, nil
	}
	o, e := decodeObject(body, "The request body")
	if e != nil {
		return 0, e
	}
	var scope models.ResetScope
	for _, name := range o.names() {
		if name != "criteria" {
			if !annotation(name) {
				return 0, badRequest("The parameter '%s' in the request payload is not a valid parameter for the operation 'restart'.", name)
			}
			continue
		}
		if isNull(o[name]) {
			continue
		}
		c, e := decodeObject(o[name], "The parameter 'criteria'")
		if e != nil {
			return 0, e
		}
		for _, cn := range c.names() {
			switch {
			case cn == "@odata.type":
				if e := checkODataType(c[cn], "microsoft.graph.synchronizationJobRestartCriteria"); e != nil {
					return 0, e
				}
			case cn == "resetScope":
				if isNull(c[cn]) {
					continue
				}
				text, e := stringValue(c[cn], cn, "microsoft.graph.synchronizationJobRestartScope")
				if e != nil {
					return 0, e
				}
				if strings.TrimSpace(text) == "" {
					continue
				}
				s, err := models.ParseResetScope(text)
				if err != nil {
					return 0, badRequest("The value '%s' is not a valid value of the enum type 'microsoft.graph.synchronizationJobRestartScope'.", text)
				}
				scope = s
			case !annotation(cn):
				return 0, unknownProperty(cn, "microsoft.graph.synchronizationJobRestartCriteria")
			}
		}
	}
	return scope, nil
}
