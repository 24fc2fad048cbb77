package graphsync_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/models"
)

// jobFromDoc serves a documented job body to GetJob and returns what it
// decodes to, so that the whole path from Graph's bytes is tested.
func jobFromDoc(t *testing.T, body []byte) *models.SynchronizationJob {
	t.Helper()
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("GET /v1.0/servicePrincipals/sp/synchronization/jobs/j", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	job, err := c.GetJob(ctx, "sp", "j")
	if err != nil {
		t.Fatalf("GetJob of the documented body: %v", err)
	}
	return job
}

// withStatus returns the documented body with status members replaced.
func withStatus(t *testing.T, body []byte, set map[string]any) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	st := doc["status"].(map[string]any)
	for k, v := range set {
		st[k] = v
	}
	b, _ := json.Marshal(doc)
	return b
}

var now2026 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// Each documented job decodes, through GetJob, into the health it shows.
func TestHealthOfDocumentedJobs(t *testing.T) {
	// Create's answer (seed 000): a new job, disabled, never run.
	h := graphsync.CheckHealth(jobFromDoc(t, readFile(t, "testdata/create_job_response.json")), now2026, nil)
	if h.State != graphsync.JobNotStarted || h.Level != graphsync.HealthWarning || h.InitialCycle.Done || h.Quarantine != nil ||
		h.LastRun != nil || !h.LastSuccess.IsZero() || h.SteadyState {
		t.Errorf("created job: %+v", h)
	}

	// Get's answer: Paused, with quarantine details whose times and
	// reason are empty strings, which must not fail the decoding.
	job := jobFromDoc(t, readFile(t, "testdata/graphdocs/job_get_response.json"))
	h = graphsync.CheckHealth(job, now2026, nil)
	q := h.Quarantine
	if h.State != graphsync.JobPaused || h.Level != graphsync.HealthWarning || q == nil || q.Reason != "" || q.Listed ||
		q.SeriesCount != 2 || !q.Since.IsZero() || !q.NextAttempt.IsZero() || q.Error == nil ||
		q.Error.Code != "SalesforceInvalidCredentials" || !q.Error.TenantActionable {
		t.Fatalf("documented get: %+v %+v", h, q)
	}
	if len(h.Reasons) != 2 || !strings.HasPrefix(h.Reasons[0], "paused") || !strings.Contains(h.Reasons[1], "SalesforceInvalidCredentials") {
		t.Errorf("documented get reasons: %q", h.Reasons)
	}

	// List's answer is not JSON as published (a trailing comma).
	c, ts, _ := setup(t, nil)
	list := repairDocJSON(t, readFile(t, "testdata/graphdocs/jobs_list_response.txt"))
	ts.mux.HandleFunc("GET /v1.0/servicePrincipals/sp/synchronization/jobs", func(w http.ResponseWriter, r *http.Request) { w.Write(list) })
	jobs, err := c.ListJobs(ctx, "sp")
	if err != nil || len(jobs) != 1 {
		t.Fatal(jobs, err)
	}
	if h := graphsync.CheckHealth(&jobs[0], now2026, nil); h.State != graphsync.JobPaused || h.Quarantine != nil {
		t.Errorf("documented list: %+v", h)
	}

	// Entra's cloud sync example: active, in steady state, 15 escrows in
	// its last run; its last run without errors ended two hours before.
	job = jobFromDoc(t, readFile(t, "testdata/graphdocs/job_cloudsync_example.json"))
	lastOK := time.Date(2019, 11, 20, 14, 9, 46, 885502700, time.UTC)
	h = graphsync.CheckHealth(job, lastOK.Add(time.Hour), nil)
	if h.State != graphsync.JobActive || !h.SteadyState || !h.InitialCycle.Done || h.Escrows != 15 || !h.LastSuccess.Equal(lastOK) ||
		h.SinceLastSuccess != time.Hour || h.LastRun.ActivityIdentifier != "2dea06a7-2960-420d-931e-f6c807ebda24" {
		t.Fatalf("cloud sync example: %+v", h)
	}
	if h.Level != graphsync.HealthWarning || len(h.Reasons) != 1 || !strings.Contains(h.Reasons[0], "15 escrowed entries") {
		t.Errorf("cloud sync example: %s %q", h.Level, h.Reasons)
	}
	// Three hours after it, the age warns too; a day after, it is critical.
	if h := graphsync.CheckHealth(job, lastOK.Add(3*time.Hour), nil); len(h.Reasons) != 2 || !strings.Contains(h.Reasons[1], "last successful run 3h0m0s ago") {
		t.Errorf("3 hours on: %q", h.Reasons)
	}
	if h := graphsync.CheckHealth(job, lastOK.Add(25*time.Hour), nil); h.Level != graphsync.HealthCritical {
		t.Errorf("25 hours on: %s %q", h.Level, h.Reasons)
	}
}

// Every status code the synchronizationStatus page documents decodes to
// its state.
func TestHealthOfEveryDocumentedStatusCode(t *testing.T) {
	table := string(readFile(t, "testdata/graphdocs/synchronizationstatus_codes.md"))
	codes := regexp.MustCompile(`(?m)^\|([A-Za-z]+) +\|`).FindAllStringSubmatch(table, -1)
	want := map[string]graphsync.JobState{
		"NotConfigured": graphsync.JobNotStarted, "NotRun": graphsync.JobActive, "Active": graphsync.JobActive,
		"Paused": graphsync.JobPaused, "Quarantine": graphsync.JobQuarantined,
	}
	if len(codes) != len(want) {
		t.Fatalf("the page documents %d codes: %v", len(codes), codes)
	}
	base := readFile(t, "testdata/graphdocs/job_cloudsync_example.json") // scheduled Active
	for _, m := range codes {
		code := m[1]
		st, ok := want[code]
		if !ok {
			t.Errorf("undocumented in the test: %s", code)
			continue
		}
		h := graphsync.CheckHealth(jobFromDoc(t, withStatus(t, base, map[string]any{"code": code})), now2026, nil)
		if h.State != st || string(h.Code) != code {
			t.Errorf("code %s: state %s, want %s", code, h.State, st)
		}
	}
}

// Every quarantine reason Graph documents decodes, with Microsoft's
// meaning and remedy, and those Entra's quarantine page explains are
// marked so, with its words.
func TestHealthOfEveryDocumentedQuarantineReason(t *testing.T) {
	row := string(readFile(t, "testdata/graphdocs/synchronizationquarantine_reason.md"))
	var listed []models.QuarantineReason
	for _, m := range regexp.MustCompile("`([A-Za-z]+)`").FindAllStringSubmatch(row, -1) {
		listed = append(listed, models.QuarantineReason(m[1]))
	}
	if !slices.Equal(listed, models.QuarantineReasons()) {
		t.Errorf("documented reasons %v, models.QuarantineReasons %v", listed, models.QuarantineReasons())
	}
	entra := string(readFile(t, "testdata/graphdocs/quarantine_status_reasons.md"))
	explained := map[models.QuarantineReason]bool{}
	for _, m := range regexp.MustCompile("(?m)^- `([A-Za-z]+)`").FindAllStringSubmatch(entra, -1) {
		r := models.QuarantineReason(m[1])
		if r == "QuarantineOnDemand" { // Entra's spelling of Graph's value
			r = models.QuarantineQuarantinedOnDemand
		}
		explained[r] = true
	}
	if len(explained) != 3 {
		t.Fatalf("Entra's page explains %v", explained)
	}
	explained[models.QuarantineTooManyDeletes] = true // the accidental deletions page
	base := readFile(t, "testdata/graphdocs/job_get_response.json")
	for _, r := range listed {
		body := withStatus(t, base, map[string]any{"code": "Quarantine", "quarantine": map[string]any{
			"currentBegan": "2026-01-01T00:00:00.1234567Z", "nextAttempt": "2026-01-01T06:00:00Z", "reason": string(r),
			"seriesBegan": "", "seriesCount": 1, "error": map[string]any{"code": "E", "message": "m", "tenantActionable": true}}})
		h := graphsync.CheckHealth(jobFromDoc(t, body), now2026, nil)
		q := h.Quarantine
		if h.State != graphsync.JobQuarantined || h.Level != graphsync.HealthCritical || q == nil || q.Reason != r || !q.Listed ||
			q.Explained != explained[r] || q.Meaning == "" || q.Remedy == "" || !q.Since.Equal(time.Date(2026, 1, 1, 0, 0, 0, 123456700, time.UTC)) {
			t.Errorf("%s: %+v %+v", r, h, q)
			continue
		}
		if !strings.Contains(h.Reasons[0], "in quarantine ("+string(r)+") since 2026-01-01T00:00:00Z: E: m") {
			t.Errorf("%s: reason %q", r, h.Reasons[0])
		}
		if !q.Explained && !strings.Contains(q.Meaning, "without a meaning") && !strings.Contains(q.Meaning, "does not know") {
			t.Errorf("%s: a meaning Microsoft does not document is presented as documented: %s", r, q.Meaning)
		}
	}
	// Entra's own words and numbers, where it has some.
	for r, words := range map[models.QuarantineReason]string{
		models.QuarantineEncounteredQuarantineException:       "invalid credentials were provided",
		models.QuarantineEncounteredEscrowProportionThreshold: "more than 40% of provisioning events failed",
		models.QuarantineQuarantinedOnDemand:                  "set the job to quarantine manually",
	} {
		if m := r.Info().Meaning; !strings.Contains(strings.ToLower(m), strings.ToLower(words)) {
			t.Errorf("%s: %q lacks %q", r, m, words)
		}
	}
	if rem := models.QuarantineTooManyDeletes.Info().Remedy; !strings.Contains(rem, "ForceDeletes") {
		t.Errorf("TooManyDeletes remedy: %s", rem)
	}
	if i := models.QuarantineReason("SomethingNew").Info(); i.Listed || i.Explained || i.Remedy == "" || i.Reason != "SomethingNew" {
		t.Errorf("an unlisted reason: %+v", i)
	}
	// A timestamp that is neither one nor empty is still an error.
	var q models.SynchronizationQuarantine
	if err := json.Unmarshal([]byte(`{"currentBegan":"yesterday"}`), &q); err == nil {
		t.Error("a bad timestamp decoded")
	}
	if err := json.Unmarshal([]byte(`{"currentBegan":null,"seriesBegan":"2020-01-01T00:00:00Z","seriesCount":3,"reason":"Unknown"}`), &q); err != nil ||
		!q.CurrentBegan.IsZero() || q.SeriesBegan.Year() != 2020 || q.SeriesCount != 3 || q.Reason != models.QuarantineUnknown {
		t.Errorf("%+v %v", q, err)
	}
}

// statusJob builds a running job with the given status.
func statusJob(st models.SynchronizationStatus) *models.SynchronizationJob {
	if st.Code == "" {
		st.Code = models.StatusActive
	}
	return &models.SynchronizationJob{ID: "j", Schedule: &models.SynchronizationSchedule{State: models.ScheduleActive}, Status: &st}
}

func TestCheckHealthVerdicts(t *testing.T) {
	run := func(began, ended time.Time, state models.ExecutionState, escrowed int64) *models.SynchronizationTaskExecution {
		return &models.SynchronizationTaskExecution{ActivityIdentifier: "a", TimeBegan: began, TimeEnded: ended, State: state, CountEscrowed: escrowed}
	}
	t0 := now2026.Add(-time.Hour)
	ok := run(t0, t0.Add(time.Minute), models.ExecutionSucceeded, 0)
	steady := t0.Add(time.Minute)
	for _, tc := range []struct {
		name   string
		st     models.SynchronizationStatus
		th     *graphsync.HealthThresholds
		state  graphsync.JobState
		level  graphsync.HealthLevel
		reason string
	}{
		{"healthy", models.SynchronizationStatus{LastExecution: ok, LastSuccessfulExecution: ok, SteadyStateFirstAchievedTime: steady, SteadyStateLastAchievedTime: steady},
			nil, graphsync.JobActive, graphsync.HealthOK, ""},
		{"failed run", models.SynchronizationStatus{LastExecution: &models.SynchronizationTaskExecution{State: models.ExecutionFailed, TimeEnded: t0,
			Error: &models.SynchronizationError{Code: "C", Message: "broken"}}, LastSuccessfulExecution: ok, CountSuccessiveCompleteFailures: 3},
			nil, graphsync.JobFailed, graphsync.HealthCritical, "last run failed: C: broken"},
		{"escrows critical", models.SynchronizationStatus{LastExecution: run(t0, t0, models.ExecutionEntryLevelErrors, 5000), LastSuccessfulExecution: ok},
			nil, graphsync.JobActive, graphsync.HealthCritical, "5000 escrowed entries in the last run (critical from 5000)"},
		{"escrows under a raised warning", models.SynchronizationStatus{LastExecution: run(t0, t0, models.ExecutionEntryLevelErrors, 9), LastSuccessfulExecution: ok},
			&graphsync.HealthThresholds{WarnEscrows: 10}, graphsync.JobActive, graphsync.HealthOK, ""},
		{"escrow checks off", models.SynchronizationStatus{LastExecution: run(t0, t0, models.ExecutionEntryLevelErrors, 9000), LastSuccessfulExecution: ok},
			&graphsync.HealthThresholds{WarnEscrows: -1, CriticalEscrows: -1}, graphsync.JobActive, graphsync.HealthOK, ""},
		{"age warning", models.SynchronizationStatus{LastExecution: ok, LastSuccessfulExecution: ok},
			&graphsync.HealthThresholds{WarnAge: 30 * time.Minute}, graphsync.JobActive, graphsync.HealthWarning, "last successful run 59m0s ago (warning after 30m0s)"},
		{"age checks off", models.SynchronizationStatus{LastExecution: ok, LastSuccessfulExecution: ok},
			&graphsync.HealthThresholds{WarnAge: -1, CriticalAge: -1}, graphsync.JobActive, graphsync.HealthOK, ""},
		{"pruned", models.SynchronizationStatus{EscrowsPruned: true, LastExecution: ok, LastSuccessfulExecution: ok},
			nil, graphsync.JobActive, graphsync.HealthWarning, "escrows pruned during the initial cycle: the job pauses when it ends"},
		{"never successful", models.SynchronizationStatus{LastExecution: run(t0, t0, models.ExecutionEntryLevelErrors, 0)},
			nil, graphsync.JobActive, graphsync.HealthWarning, "no successful run yet"},
		{"initial cycle under way", models.SynchronizationStatus{Code: models.StatusNotRun, Progress: []models.SynchronizationProgress{{CompletedUnits: 3, TotalUnits: 10}}},
			nil, graphsync.JobActive, graphsync.HealthOK, ""},
	} {
		h := graphsync.CheckHealth(statusJob(tc.st), now2026, tc.th)
		reason := ""
		if len(h.Reasons) > 0 {
			reason = h.Reasons[0]
		}
		if h.State != tc.state || h.Level != tc.level || reason != tc.reason {
			t.Errorf("%s: %s %s %q", tc.name, h.State, h.Level, h.Reasons)
		}
	}
	if h := graphsync.CheckHealth(nil, now2026, nil); h.State != graphsync.JobNotStarted || h.Level != graphsync.HealthWarning {
		t.Errorf("nil job: %+v", h)
	}
	if h := graphsync.CheckHealth(&models.SynchronizationJob{ID: "x"}, now2026, nil); h.State != graphsync.JobNotStarted {
		t.Errorf("no status: %+v", h)
	}
}

// The initial cycle: under way while progress is short of its total, done
// once a run ended, and under way again when a restart begins a new one.
func TestInitialCycleProgress(t *testing.T) {
	t0 := now2026.Add(-time.Hour)
	ended := &models.SynchronizationTaskExecution{TimeBegan: t0, TimeEnded: t0.Add(time.Minute), State: models.ExecutionSucceeded}
	p := func(done, total int64, at time.Time) []models.SynchronizationProgress {
		return []models.SynchronizationProgress{{CompletedUnits: done, TotalUnits: total, Units: "Entries", ProgressObservationDateTime: at}}
	}
	for _, tc := range []struct {
		name     string
		st       models.SynchronizationStatus
		done     bool
		fraction float64
	}{
		{"nothing yet", models.SynchronizationStatus{Code: models.StatusNotRun}, false, 0},
		{"under way", models.SynchronizationStatus{Code: models.StatusNotRun, Progress: p(5, 20, t0)}, false, 0.25},
		{"ended", models.SynchronizationStatus{Progress: p(20, 20, t0.Add(time.Minute)), LastExecution: ended}, true, 1},
		{"restarted", models.SynchronizationStatus{Progress: p(2, 20, t0.Add(2*time.Minute)), LastExecution: ended, SteadyStateFirstAchievedTime: t0}, false, 0.1},
		{"an old progress", models.SynchronizationStatus{Progress: p(2, 20, t0), LastExecution: ended}, true, 1},
		{"a failed run does not end it", models.SynchronizationStatus{LastExecution: &models.SynchronizationTaskExecution{State: models.ExecutionFailed, TimeEnded: t0}}, false, 0},
	} {
		ic := graphsync.CheckHealth(statusJob(tc.st), now2026, nil).InitialCycle
		if ic.Done != tc.done || ic.Fraction() != tc.fraction {
			t.Errorf("%s: %+v fraction %v", tc.name, ic, ic.Fraction())
		}
	}
}

func TestHealthChanges(t *testing.T) {
	t0 := now2026.Add(-time.Hour)
	a := graphsync.CheckHealth(statusJob(models.SynchronizationStatus{Code: models.StatusNotRun,
		Progress: []models.SynchronizationProgress{{CompletedUnits: 1, TotalUnits: 4}}}), now2026, nil)
	if a.Changes(nil) != nil || a.Changes(a) != nil {
		t.Error("changes against nothing or itself")
	}
	run := &models.SynchronizationTaskExecution{ActivityIdentifier: "r1", TimeBegan: t0, TimeEnded: t0, State: models.ExecutionEntryLevelErrors, CountEscrowed: 2}
	b := graphsync.CheckHealth(statusJob(models.SynchronizationStatus{LastExecution: run, SteadyStateFirstAchievedTime: t0, SteadyStateLastAchievedTime: t0,
		Progress: []models.SynchronizationProgress{{CompletedUnits: 4, TotalUnits: 4, ProgressObservationDateTime: t0}}}), now2026, nil)
	want := []graphsync.HealthChange{graphsync.ChangeState, graphsync.ChangeProgress, graphsync.ChangeSteadyState, graphsync.ChangeEscrows,
		graphsync.ChangeLastRun, graphsync.ChangeLevel}
	if got := b.Changes(a); !slices.Equal(got, want) {
		t.Errorf("changes %v, want %v", got, want)
	}
	// The age alone is no change, however it grows.
	if later := graphsync.CheckHealth(statusJob(models.SynchronizationStatus{LastExecution: run, SteadyStateFirstAchievedTime: t0, SteadyStateLastAchievedTime: t0,
		Progress: []models.SynchronizationProgress{{CompletedUnits: 4, TotalUnits: 4, ProgressObservationDateTime: t0}}}), now2026.Add(time.Minute), nil); later.Changes(b) != nil {
		t.Errorf("a minute later: %v", later.Changes(b))
	}
	q := graphsync.CheckHealth(statusJob(models.SynchronizationStatus{Code: models.StatusQuarantine, LastExecution: run,
		Quarantine: &models.SynchronizationQuarantine{Reason: models.QuarantineTooManyDeletes}}), now2026, nil)
	if got := q.Changes(b); !slices.Contains(got, graphsync.ChangeQuarantine) || !slices.Contains(got, graphsync.ChangeState) {
		t.Errorf("quarantine: %v", got)
	}
}

func TestHealthSummary(t *testing.T) {
	t0 := now2026.Add(-90 * time.Second)
	run := &models.SynchronizationTaskExecution{TimeBegan: t0, TimeEnded: t0, State: models.ExecutionSucceeded}
	h := graphsync.CheckHealth(statusJob(models.SynchronizationStatus{LastExecution: run, LastSuccessfulExecution: run,
		SteadyStateFirstAchievedTime: t0, SteadyStateLastAchievedTime: t0}), now2026, nil)
	if s := h.Summary(); s != "ok: active, steady state, 0 escrows, last successful run 1m30s ago" {
		t.Errorf("summary %q", s)
	}
	h = graphsync.CheckHealth(statusJob(models.SynchronizationStatus{Code: models.StatusNotRun,
		Progress: []models.SynchronizationProgress{{CompletedUnits: 1, TotalUnits: 4, Units: "Entries"}}}), now2026, nil)
	if s := h.Summary(); s != "ok: active, initial cycle 1 of 4 Entries, 0 escrows" {
		t.Errorf("summary %q", s)
	}
	h = graphsync.CheckHealth(statusJob(models.SynchronizationStatus{Code: models.StatusPaused}), now2026, nil)
	if s := h.Summary(); s != "warning: paused: it does not run" {
		t.Errorf("summary %q", s)
	}
}
