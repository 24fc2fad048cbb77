package graphtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/graphsync/graphsync/models"
)

// jsonContentType is the Content-Type of Graph's JSON answers.
const jsonContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

// metadataURL is where Graph's @odata.context URLs point, whatever host
// served the answer.
const metadataURL = "https://graph.microsoft.com/"

// odataContext returns an @odata.context URL: fragment names the
// resource, as in "servicePrincipals('id')/synchronization/jobs".
func odataContext(version, fragment string) string {
	return metadataURL + version + "/$metadata#" + fragment
}

// spSegment is the service principal part of a context fragment, with the
// key quoted as an OData string literal.
func spSegment(spID string) string {
	return "servicePrincipals('" + strings.ReplaceAll(spID, "'", "''") + "')"
}

// graphTime is t as Graph keeps timestamps: UTC, 100 ns resolution (.NET
// ticks), so that it is written with at most 7 fractional digits.
func graphTime(t time.Time) time.Time { return t.UTC().Truncate(100 * time.Nanosecond) }

// marshal encodes v as Graph does: no HTML escaping.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// writeJSON writes v with Graph's JSON content type.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", jsonContentType)
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}

// writeError writes a Graph error body.
func writeError(w http.ResponseWriter, r *http.Request, reqID string, e *apiError) {
	type innerError struct {
		Date            string `json:"date"`
		RequestID       string `json:"request-id"`
		ClientRequestID string `json:"client-request-id"`
	}
	var body struct {
		Error struct {
			Code       string     `json:"code"`
			Message    string     `json:"message"`
			InnerError innerError `json:"innerError"`
		} `json:"error"`
	}
	body.Error.Code, body.Error.Message = e.code, e.message
	body.Error.InnerError = innerError{Date: time.Now().UTC().Format("2006-01-02T15:04:05"),
		RequestID: reqID, ClientRequestID: clientRequestID(r, reqID)}
	b, _ := marshal(body)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.status)
	w.Write(b)
}

// wireJob is a synchronizationJob as Graph writes it: every property
// present, null where there is no value.
type wireJob struct {
	Context                    string                `json:"@odata.context,omitempty"`
	ID                         string                `json:"id"`
	TemplateID                 string                `json:"templateId"`
	Schedule                   wireSchedule          `json:"schedule"`
	Status                     wireStatus            `json:"status"`
	SynchronizationJobSettings []models.KeyValuePair `json:"synchronizationJobSettings"`
}

type wireSchedule struct {
	Expiration *time.Time           `json:"expiration"`
	Interval   models.Duration      `json:"interval"`
	State      models.ScheduleState `json:"state"`
}

type wireStatus struct {
	Code                               models.StatusCode                    `json:"code"`
	CountSuccessiveCompleteFailures    int64                                `json:"countSuccessiveCompleteFailures"`
	EscrowsPruned                      bool                                 `json:"escrowsPruned"`
	LastExecution                      *models.SynchronizationTaskExecution `json:"lastExecution"`
	LastSuccessfulExecution            *models.SynchronizationTaskExecution `json:"lastSuccessfulExecution"`
	LastSuccessfulExecutionWithExports *models.SynchronizationTaskExecution `json:"lastSuccessfulExecutionWithExports"`
	Progress                           []models.SynchronizationProgress     `json:"progress"`
	Quarantine                         *models.SynchronizationQuarantine    `json:"quarantine"`
	SteadyStateFirstAchievedTime       time.Time                            `json:"steadyStateFirstAchievedTime"`
	SteadyStateLastAchievedTime        time.Time                            `json:"steadyStateLastAchievedTime"`
	SynchronizedEntryCountByType       []models.StringKeyLongValuePair      `json:"synchronizedEntryCountByType"`
	TroubleshootingURL                 *string                              `json:"troubleshootingUrl"`
}

func toWireJob(j models.SynchronizationJob, context string) wireJob {
	w := wireJob{Context: context, ID: j.ID, TemplateID: j.TemplateID,
		SynchronizationJobSettings: j.SynchronizationJobSettings}
	if w.SynchronizationJobSettings == nil {
		w.SynchronizationJobSettings = []models.KeyValuePair{}
	}
	if s := j.Schedule; s != nil {
		w.Schedule = wireSchedule{Expiration: s.Expiration, Interval: s.Interval, State: s.State}
	}
	if s := j.Status; s != nil {
		w.Status = wireStatus{
			Code: s.Code, CountSuccessiveCompleteFailures: s.CountSuccessiveCompleteFailures,
			EscrowsPruned: s.EscrowsPruned, LastExecution: s.LastExecution,
			LastSuccessfulExecution:            s.LastSuccessfulExecution,
			LastSuccessfulExecutionWithExports: s.LastSuccessfulExecutionWithExports,
			Progress:                           s.Progress, Quarantine: s.Quarantine,
			SteadyStateFirstAchievedTime: s.SteadyStateFirstAchievedTime,
			SteadyStateLastAchievedTime:  s.SteadyStateLastAchievedTime,
			SynchronizedEntryCountByType: s.SynchronizedEntryCountByType,
		}
		if s.TroubleshootingURL != "" {
			u := s.TroubleshootingURL
			w.Status.TroubleshootingURL = &u
		}
	}
	if w.Status.Progress == nil {
		w.Status.Progress = []models.SynchronizationProgress{}
	}
	if w.Status.SynchronizedEntryCountByType == nil {
		w.Status.SynchronizedEntryCountByType = []models.StringKeyLongValuePair{}
	}
	return w
}

// wireTemplate is a synchronizationTemplate as Graph writes it, with its
// schema inline as in the documentation's get and list examples.
type wireTemplate struct {
	Context       string             `json:"@odata.context,omitempty"`
	ID            string             `json:"id"`
	ApplicationID string             `json:"applicationId"`
	Default       bool               `json:"default"`
	Description   *string            `json:"description"`
	Discoverable  bool               `json:"discoverable"`
	FactoryTag    string             `json:"factoryTag"`
	Metadata      []wireMetadataItem `json:"metadata"`
	Schema        wireSchema         `json:"schema"`
}

// wireMetadataItem is a synchronizationMetadataEntry.
type wireMetadataItem struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

func toWireTemplate(t *template) wireTemplate {
	w := wireTemplate{ID: t.ID, ApplicationID: t.ApplicationID, Default: t.Default,
		Discoverable: t.Discoverable, FactoryTag: t.FactoryTag, Metadata: []wireMetadataItem{},
		Schema: generateSchema(t.ID, t.rules, "")}
	if t.Description != "" {
		d := t.Description
		w.Description = &d
	}
	for _, m := range t.Metadata {
		w.Metadata = append(w.Metadata, wireMetadataItem{Key: string(m.Key), Value: m.Value})
	}
	return w
}
