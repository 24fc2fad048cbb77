package graphtest_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/models"
)

func TestPatchNullAbsentUnknownRaw(t *testing.T) {
	srv, _ := newServer(t, nil)
	id := createRaw(t, srv)
	path := spPath + "/jobs/" + id
	patch := func(body string) (*http.Response, []byte) {
		return rawRequest(t, srv, "PATCH", path, []byte(body))
	}
	if resp, b := patch(`{"schedule":{"expiration":"2030-01-02T03:04:05.123456789+02:00","interval":"PT40M"},
		"synchronizationJobSettings":[{"name":"QuarantineTooManyDeletesThreshold","value":"500"}]}`); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PATCH: %d %s", resp.StatusCode, b)
	}
	j, _ := srv.Job("sp", id)
	want := time.Date(2030, 1, 2, 1, 4, 5, 123456700, time.UTC) // UTC, 100 ns
	if j.Schedule.Expiration == nil || !j.Schedule.Expiration.Equal(want) || j.Schedule.Interval != "PT40M" ||
		len(j.SynchronizationJobSettings) != 1 {
		t.Fatalf("after PATCH: %+v %+v", j.Schedule, j.SynchronizationJobSettings)
	}
	// Absent properties keep their values.
	if resp, b := patch(`{"schedule":{"interval":"PT60M"}}`); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PATCH interval: %d %s", resp.StatusCode, b)
	}
	j, _ = srv.Job("sp", id)
	if j.Schedule.Expiration == nil || j.Schedule.Interval != "PT1H" || len(j.SynchronizationJobSettings) != 1 {
		t.Fatalf("absent properties changed: %+v %+v", j.Schedule, j.SynchronizationJobSettings)
	}
	// An explicit null clears a nullable property.
	if resp, b := patch(`{"schedule":{"expiration":null}}`); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PATCH null: %d %s", resp.StatusCode, b)
	}
	j, _ = srv.Job("sp", id)
	if j.Schedule.Expiration != nil || j.Schedule.Interval != "PT1H" {
		t.Fatalf("null did not clear expiration: %+v", j.Schedule)
	}
	// Refused, and nothing of the body applied (all or nothing).
	for _, tc := range []struct{ body, in string }{
		{`{"schedule":{"interval":"PT5M"},"scheduel":{}}`, "'scheduel' does not exist on type 'microsoft.graph.synchronizationJob'"},
		{`{"schedule":{"interval":"PT5M","expiry":null}}`, "'expiry' does not exist on type 'microsoft.graph.synchronizationSchedule'"},
		{`{"synchronizationJobSettings":[{"name":"a","value":"b","extra":1}]}`, "'extra' does not exist on type 'microsoft.graph.keyValuePair'"},
		{`{"schedule":{"interval":null}}`, "does not allow null"},
		{`{"schedule":{"state":null}}`, "does not allow null"},
		{`{"schedule":null}`, "does not allow null"},
		{`{"synchronizationJobSettings":null}`, "does not allow null"},
		{`{"schedule":{"state":"Running"}}`, "not a member of the enum"},
		{`{"schedule":{"interval":40}}`, "Edm.Duration"},
		{`{"schedule":{"expiration":"tomorrow"}}`, "Edm.DateTimeOffset"},
		{`{"status":{"code":"Active"}}`, "read-only"},
		{`{"id":"other"}`, "read-only"},
		{`{"templateId":"other"}`, "read-only"},
		{`{"@odata.type":"#microsoft.graph.user"}`, "could not be resolved"},
		{`[]`, "JSON object"},
		{`{"schedule":`, "not valid JSON"},
	} {
		resp, b := patch(tc.body)
		e := wantError(t, resp, b, http.StatusBadRequest, "BadRequest")
		if !strings.Contains(e.Error.Message, tc.in) {
			t.Errorf("%s: message %q does not say %q", tc.body, e.Error.Message, tc.in)
		}
	}
	if j2, _ := srv.Job("sp", id); j2.Schedule.Interval != "PT1H" || j2.Schedule.Expiration != nil || len(j2.SynchronizationJobSettings) != 1 {
		t.Fatalf("a refused PATCH changed the job: %+v %+v", j2.Schedule, j2.SynchronizationJobSettings)
	}
	// What the job already says, annotations, and the SDK's @odata.type are fine.
	if resp, b := patch(`{"@odata.type":"#microsoft.graph.synchronizationJob","id":"` + id + `","templateId":"scim",
		"schedule":{"@odata.type":"microsoft.graph.synchronizationSchedule","state":"Paused"},"x@odata.annotation":1}`); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PATCH with current values: %d %s", resp.StatusCode, b)
	}
	// Collections are replaced whole.
	if resp, b := patch(`{"synchronizationJobSettings":[]}`); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PATCH settings: %d %s", resp.StatusCode, b)
	}
	if j, _ := srv.Job("sp", id); len(j.SynchronizationJobSettings) != 0 || j.Schedule.State != models.SchedulePaused {
		t.Fatalf("after PATCH: %+v %+v", j.Schedule, j.SynchronizationJobSettings)
	}
}

func TestPatchWithClient(t *testing.T) {
	_, c := newServer(t, nil)
	job, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	if err != nil {
		t.Fatal(err)
	}
	exp := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := c.UpdateJob(ctx, "sp", job.ID, models.SynchronizationJob{
		Schedule: &models.SynchronizationSchedule{Interval: "PT40M", Expiration: &exp}}); err != nil {
		t.Fatal(err)
	}
	// Without a schedule in the body, the schedule is kept.
	if err := c.UpdateJob(ctx, "sp", job.ID, models.SynchronizationJob{
		SynchronizationJobSettings: []models.KeyValuePair{{Name: "a", Value: "b"}}}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetJob(ctx, "sp", job.ID)
	if err != nil || got.Schedule.Expiration == nil || !got.Schedule.Expiration.Equal(exp) || got.Schedule.Interval != "PT40M" ||
		len(got.SynchronizationJobSettings) != 1 {
		t.Fatalf("after two PATCHes: %+v %+v, %v", got.Schedule, got.SynchronizationJobSettings, err)
	}
	// A schedule without an expiration keeps it (the client does not
	// send one); azcore.NullValue sends null, which clears it.
	if err := c.UpdateJob(ctx, "sp", job.ID, models.SynchronizationJob{
		Schedule: &models.SynchronizationSchedule{Interval: "P1D"}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.GetJob(ctx, "sp", job.ID); got.Schedule.Expiration == nil || got.Schedule.Interval != "P1D" {
		t.Fatalf("after PATCH of the interval only: %+v", got.Schedule)
	}
	if err := c.UpdateJob(ctx, "sp", job.ID, models.SynchronizationJob{
		Schedule: &models.SynchronizationSchedule{Expiration: azcore.NullValue[*time.Time]()}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.GetJob(ctx, "sp", job.ID); got.Schedule.Expiration != nil || got.Schedule.Interval != "P1D" {
		t.Fatalf("after PATCH with a null expiration: %+v", got.Schedule)
	}
	// A read-only property is refused.
	err = c.UpdateJob(ctx, "sp", job.ID, models.SynchronizationJob{Status: &models.SynchronizationStatus{Code: models.StatusActive}})
	var re *graphsync.ResponseError
	if !errors.As(err, &re) || re.StatusCode != 400 || re.Code != "BadRequest" || !strings.Contains(re.Message, "read-only") {
		t.Fatalf("PATCH status: %v", err)
	}
}

// Graph's interval is an Edm.Duration: weeks, months and years are
// refused, whoever sends them.
func TestIntervalMustBeEdmDuration(t *testing.T) {
	srv, c := newServer(t, nil)
	id := createRaw(t, srv)
	for _, iv := range []string{"P2W", "P1M", "P1Y", "P10675200D"} {
		resp, b := rawRequest(t, srv, "PATCH", spPath+"/jobs/"+id, []byte(`{"schedule":{"interval":"`+iv+`"}}`))
		e := wantError(t, resp, b, http.StatusBadRequest, "BadRequest")
		if e.Error.Message != "Cannot convert the literal '"+iv+"' to the expected type 'Edm.Duration'." {
			t.Errorf("%s: %q", iv, e.Error.Message)
		}
		// The same on create.
		resp, b = rawRequest(t, srv, "POST", spPath+"/jobs", []byte(`{"templateId":"scim","schedule":{"interval":"`+iv+`"}}`))
		wantError(t, resp, b, http.StatusBadRequest, "BadRequest")
	}
	// Our client refuses weeks, months and years before sending; a
	// number of days beyond TimeSpan.MaxValue reaches the fake, which
	// refuses it as Graph does.
	err := c.UpdateJob(ctx, "sp", id, models.SynchronizationJob{Schedule: &models.SynchronizationSchedule{Interval: "P2W"}})
	if !errors.Is(err, graphsync.ErrInvalidInput) {
		t.Fatalf("client P2W: %v", err)
	}
	var re *graphsync.ResponseError
	_, err = c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim", Schedule: &models.SynchronizationSchedule{Interval: "P10675200D"}})
	if !errors.As(err, &re) || re.StatusCode != 400 || !strings.Contains(re.Message, "Edm.Duration") {
		t.Fatalf("client create P10675200D: %v", err)
	}
	if j, _ := srv.Job("sp", id); !j.Schedule.Interval.IsMax() {
		t.Fatalf("interval changed to %s", j.Schedule.Interval)
	}
	// Days instead of weeks, and TimeSpan.MaxValue, are fine; the interval
	// reads back in .NET's canonical form.
	for iv, want := range map[models.Duration]models.Duration{"P14D": "P14D", "PT120M": "PT2H", models.MaxDuration: models.MaxDuration} {
		if err := c.UpdateJob(ctx, "sp", id, models.SynchronizationJob{Schedule: &models.SynchronizationSchedule{Interval: iv}}); err != nil {
			t.Fatalf("%s: %v", iv, err)
		}
		if got, _ := c.GetJob(ctx, "sp", id); got.Schedule.Interval != want {
			t.Fatalf("%s read back as %s, want %s", iv, got.Schedule.Interval, want)
		}
	}
}
