package graphsync

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/graphsync/graphsync/models"
)

// JobState is the state of a job as CheckHealth reads it from the status
// Graph reports.
type JobState string

// Job states, in the order CheckHealth decides them: a job in quarantine
// is JobQuarantined whatever else its status says, and so on down.
const (
	// JobQuarantined: the status code is Quarantine. Graph runs the job
	// less and less often (once a day at most) and disables it after four
	// weeks.
	JobQuarantined JobState = "quarantined"
	// JobPaused: the status code or the schedule is Paused. A paused job
	// does not run, so it never reaches steady state.
	JobPaused JobState = "paused"
	// JobNotStarted: the status code is NotConfigured, or the schedule is
	// Disabled (Graph creates jobs disabled): the job does not run.
	JobNotStarted JobState = "not-started"
	// JobFailed: the job runs, but its last run (status.lastExecution)
	// failed.
	JobFailed JobState = "failed"
	// JobActive: the job runs (status Active, or NotRun: its first run
	// has not ended yet).
	JobActive JobState = "active"
)

// JobStates returns every JobState, in the order CheckHealth decides them.
func JobStates() []JobState {
	return []JobState{JobQuarantined, JobPaused, JobNotStarted, JobFailed, JobActive}
}

// HealthLevel is the overall verdict of a Health: ok, warning or critical.
type HealthLevel int

// Health levels, in increasing order of gravity (as Nagios's 0, 1, 2).
const (
	HealthOK HealthLevel = iota
	HealthWarning
	HealthCritical
)

func (l HealthLevel) String() string {
	switch l {
	case HealthOK:
		return "ok"
	case HealthWarning:
		return "warning"
	case HealthCritical:
		return "critical"
	}
	return fmt.Sprintf("HealthLevel(%d)", int(l))
}

// MarshalText writes the level as String does, for JSON.
func (l HealthLevel) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// HealthThresholds are the limits past which CheckHealth warns or calls a
// job critical. Nil, and a zero field, mean the defaults below; a
// negative field turns that check off.
type HealthThresholds struct {
	// WarnEscrows and CriticalEscrows are the numbers of entries the last
	// run escrowed (object-level errors Graph retries) from which the job
	// is at warning or critical. Defaults: 1 and 5,000 (from 5,000
	// failures on Graph starts evaluating whether to quarantine a job).
	WarnEscrows, CriticalEscrows int64
	// WarnAge and CriticalAge are how long after the end of the last
	// successful run (a run without errors) a running job is at warning
	// or critical. Defaults: 2 hours (three of Graph's usual 40-minute
	// intervals) and 24 hours.
	WarnAge, CriticalAge time.Duration
}

// Defaults of HealthThresholds.
const (
	DefaultWarnEscrows     = 1
	DefaultCriticalEscrows = 5000
	DefaultWarnAge         = 2 * time.Hour
	DefaultCriticalAge     = 24 * time.Hour
)

func (t *HealthThresholds) withDefaults() HealthThresholds {
	var o HealthThresholds
	if t != nil {
		o = *t
	}
	if o.WarnEscrows == 0 {
		o.WarnEscrows = DefaultWarnEscrows
	}
	if o.CriticalEscrows == 0 {
		o.CriticalEscrows = DefaultCriticalEscrows
	}
	if o.WarnAge == 0 {
		o.WarnAge = DefaultWarnAge
	}
	if o.CriticalAge == 0 {
		o.CriticalAge = DefaultCriticalAge
	}
	return o
}

// Health is a job's status decoded: its state, why it is in quarantine
// and what to do about it, the initial cycle's progress, escrows, the
// last run and the last successful one, and a verdict with its reasons.
type Health struct {
	// ServicePrincipalID is set by the Client's calls; JobID is the job's
	// ID.
	ServicePrincipalID string `json:"servicePrincipalId,omitempty"`
	JobID              string `json:"jobId"`
	// CheckedAt is the time the health was read at (ages are from it).
	CheckedAt time.Time `json:"checkedAt"`
	// State is the job's state (see JobState); Code and Schedule are the
	// status code and the schedule's state as Graph sent them.
	State    JobState             `json:"state"`
	Code     models.StatusCode    `json:"code"`
	Schedule models.ScheduleState `json:"schedule"`
	// Quarantine is the job's quarantine, decoded; nil when Graph sent
	// none. Graph may send quarantine details with another status code
	// (its documented get example: Paused): then they are here and State
	// is not JobQuarantined.
	Quarantine *QuarantineHealth `json:"quarantine,omitempty"`
	// InitialCycle is the progress of the initial cycle.
	InitialCycle CycleProgress `json:"initialCycle"`
	// SteadyState is true when the job is active and its last cycle ended
	// in steady state (no more changes to process); SteadyStateAt is when
	// it was last reached, zero if never.
	SteadyState   bool      `json:"steadyState"`
	SteadyStateAt time.Time `json:"steadyStateAt"`
	// Escrows counts the entries the last run escrowed (countEscrowed);
	// EscrowsPruned is Graph's escrowsPruned.
	Escrows       int64 `json:"escrows"`
	EscrowsPruned bool  `json:"escrowsPruned"`
	// LastRun is the last run (status.lastExecution), nil if none ended
	// yet; LastError is its error, nil if none.
	LastRun   *models.SynchronizationTaskExecution `json:"lastRun,omitempty"`
	LastError *models.SynchronizationError         `json:"lastError,omitempty"`
	// LastSuccess is the end of the last successful run (a run without
	// errors, status.lastSuccessfulExecution), zero if none;
	// SinceLastSuccess is CheckedAt minus it, 0 if none.
	LastSuccess      time.Time     `json:"lastSuccess"`
	SinceLastSuccess time.Duration `json:"sinceLastSuccess"`
	// ConsecutiveFailures is countSuccessiveCompleteFailures.
	ConsecutiveFailures int64 `json:"consecutiveFailures"`
	// Level is the verdict under the thresholds; Reasons say why it is
	// not ok, gravest first, one line each (empty when ok).
	Level   HealthLevel `json:"level"`
	Reasons []string    `json:"reasons"`
}

// QuarantineHealth is a job's quarantine with what its reason means.
type QuarantineHealth struct {
	models.QuarantineReasonInfo
	// Since is when the quarantine series began (or, without that, when
	// it was last imposed); zero when Graph sent no time.
	Since time.Time `json:"since"`
	// NextAttempt is when Graph evaluates the quarantine again.
	NextAttempt time.Time `json:"nextAttempt"`
	// SeriesCount counts the evaluations that left it in effect.
	SeriesCount int64 `json:"seriesCount"`
	// Error is the error that put the job in quarantine, nil if none.
	Error *models.SynchronizationError `json:"error,omitempty"`
}

// CycleProgress is the progress of the initial cycle, from the status's
// progress and times.
type CycleProgress struct {
	// Completed and Total are the units done and to do, from Graph's last
	// progress observation; Units names them. Both are 0 when Graph sent
	// none.
	Completed int64  `json:"completed"`
	Total     int64  `json:"total"`
	Units     string `json:"units,omitempty"`
	// ObservedAt is when Graph observed the progress.
	ObservedAt time.Time `json:"observedAt"`
	// Done is true when the initial cycle has ended: steady state was
	// reached once, or a run ended without failing, and no progress
	// observed since shows a cycle under way (a restart begins a new
	// initial cycle).
	Done bool `json:"done"`
}

// Fraction returns the part done, from 0 to 1: 1 when Done, and 0 when
// Graph sent no progress; a count out of range (Completed below 0 or
// past Total) is taken as the bound it passed.
func (p CycleProgress) Fraction() float64 {
	switch {
	case p.Done:
		return 1
	case p.Total <= 0:
		return 0
	}
	return min(max(float64(p.Completed)/float64(p.Total), 0), 1)
}

// CheckHealth decodes job's status as read at now, under the thresholds
// t (nil means the defaults). It never fails: a job without a status is
// JobNotStarted. It is what Client.JobHealth returns; call it on a job
// read otherwise (ListJobs) to check many jobs with one request.
//
// The verdict: critical when the job is in quarantine, its last run
// failed, or the escrows or the age of the last successful run pass the
// critical thresholds; warning when it is paused or not started, has
// quarantine details, had its escrows pruned, or passes a warning
// threshold, or when a running job whose initial cycle ended has never
// had a successful run; ok otherwise.
func CheckHealth(job *models.SynchronizationJob, now time.Time, t *HealthThresholds) *Health {
	th := t.withDefaults()
	h := &Health{CheckedAt: now, Reasons: []string{}}
	if job == nil {
		h.State = JobNotStarted
		h.judge(th)
		return h
	}
	h.JobID = job.ID
	if job.Schedule != nil {
		h.Schedule = job.Schedule.State
	}
	st := job.Status
	if st == nil {
		st = &models.SynchronizationStatus{}
	}
	h.Code = st.Code
	h.EscrowsPruned = st.EscrowsPruned
	h.ConsecutiveFailures = st.CountSuccessiveCompleteFailures
	h.SteadyStateAt = st.SteadyStateLastAchievedTime
	if q := st.Quarantine; q != nil {
		h.Quarantine = &QuarantineHealth{QuarantineReasonInfo: q.Reason.Info(), Since: q.SeriesBegan,
			NextAttempt: q.NextAttempt, SeriesCount: q.SeriesCount, Error: q.Error}
		if h.Quarantine.Since.IsZero() {
			h.Quarantine.Since = q.CurrentBegan
		}
	}
	if r := st.LastExecution; r != nil {
		h.LastRun = r
		h.LastError = r.Error
		h.Escrows = r.CountEscrowed
	}
	if s := st.LastSuccessfulExecution; s != nil && !s.TimeEnded.IsZero() {
		h.LastSuccess = s.TimeEnded
		h.SinceLastSuccess = max(now.Sub(s.TimeEnded), 0)
	}
	switch {
	case st.Code == models.StatusQuarantine:
		h.State = JobQuarantined
	case st.Code == models.StatusPaused || h.Schedule == models.SchedulePaused:
		h.State = JobPaused
	case st.Code == models.StatusNotConfigured || st.Code == "" || h.Schedule == models.ScheduleDisabled:
		h.State = JobNotStarted
	case h.LastRun != nil && h.LastRun.State == models.ExecutionFailed:
		h.State = JobFailed
	default:
		h.State = JobActive
	}
	h.InitialCycle = initialCycle(st)
	h.SteadyState = h.State == JobActive && !models.IsNever(st.SteadyStateLastAchievedTime) &&
		(h.LastRun == nil || !st.SteadyStateLastAchievedTime.Before(h.LastRun.TimeBegan)) && h.InitialCycle.Done
	h.judge(th)
	return h
}

// initialCycle reads the initial cycle's progress from a status.
func initialCycle(st *models.SynchronizationStatus) CycleProgress {
	var p CycleProgress
	var ended time.Time // the end of the last run that did not fail
	for _, r := range []*models.SynchronizationTaskExecution{st.LastExecution, st.LastSuccessfulExecution} {
		if r != nil && r.State != models.ExecutionFailed && r.TimeEnded.After(ended) {
			ended = r.TimeEnded
		}
	}
	if n := len(st.Progress); n > 0 {
		last := st.Progress[n-1]
		p.Completed, p.Total, p.Units, p.ObservedAt = last.CompletedUnits, last.TotalUnits, last.Units, last.ProgressObservationDateTime
	}
	underWay := p.Total > 0 && p.Completed < p.Total && !p.ObservedAt.Before(ended)
	p.Done = !underWay && (!models.IsNever(st.SteadyStateFirstAchievedTime) || !ended.IsZero())
	return p
}

// judge sets Level and Reasons.
func (h *Health) judge(th HealthThresholds) {
	var crit, warn []string
	switch h.State {
	case JobQuarantined:
		crit = append(crit, "in quarantine"+h.Quarantine.describe())
	case JobPaused:
		warn = append(warn, "paused: it does not run")
	case JobNotStarted:
		warn = append(warn, fmt.Sprintf("not started (status %s, schedule %s): it does not run", orNone(string(h.Code)), orNone(string(h.Schedule))))
	case JobFailed:
		crit = append(crit, "last run failed"+errorText(h.LastError))
	}
	if h.Quarantine != nil && h.State != JobQuarantined {
		warn = append(warn, "quarantine details with status "+orNone(string(h.Code))+h.Quarantine.describe())
	}
	if over(h.Escrows, th.CriticalEscrows) {
		crit = append(crit, fmt.Sprintf("%d escrowed entries in the last run (critical from %d)", h.Escrows, th.CriticalEscrows))
	} else if over(h.Escrows, th.WarnEscrows) {
		warn = append(warn, fmt.Sprintf("%d escrowed entries in the last run (warning from %d)", h.Escrows, th.WarnEscrows))
	}
	if h.EscrowsPruned {
		warn = append(warn, "escrows pruned during the initial cycle: the job pauses when it ends")
	}
	if running := h.State == JobActive || h.State == JobFailed; running {
		switch {
		case h.LastSuccess.IsZero() && h.InitialCycle.Done:
			warn = append(warn, "no successful run yet")
		case h.LastSuccess.IsZero():
		case th.CriticalAge > 0 && h.SinceLastSuccess >= th.CriticalAge:
			crit = append(crit, fmt.Sprintf("last successful run %s ago (critical after %s)", roundAge(h.SinceLastSuccess), th.CriticalAge))
		case th.WarnAge > 0 && h.SinceLastSuccess >= th.WarnAge:
			warn = append(warn, fmt.Sprintf("last successful run %s ago (warning after %s)", roundAge(h.SinceLastSuccess), th.WarnAge))
		}
	}
	h.Reasons = append(append(h.Reasons[:0], crit...), warn...)
	switch {
	case len(crit) > 0:
		h.Level = HealthCritical
	case len(warn) > 0:
		h.Level = HealthWarning
	default:
		h.Level = HealthOK
	}
}

// over reports whether n reaches a threshold that is on (positive).
func over(n, threshold int64) bool { return threshold > 0 && n >= threshold }

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// describe is the quarantine in a few words: its reason, since when, its
// error ("" for none: Graph may send the code Quarantine without details).
func (q *QuarantineHealth) describe() string {
	if q == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, " (%s)", orNone(string(q.Reason)))
	if !q.Since.IsZero() {
		fmt.Fprintf(&b, " since %s", q.Since.UTC().Format(time.RFC3339))
	}
	b.WriteString(errorText(q.Error))
	return b.String()
}

func errorText(e *models.SynchronizationError) string {
	switch {
	case e == nil || (e.Code == "" && e.Message == ""):
		return ""
	case e.Message == "":
		return ": " + e.Code
	case e.Code == "":
		return ": " + e.Message
	}
	return ": " + e.Code + ": " + e.Message
}

// roundAge rounds an age for a message: to the second, or the minute
// past an hour.
func roundAge(d time.Duration) time.Duration {
	if d >= time.Hour {
		return d.Round(time.Minute)
	}
	return d.Round(time.Second)
}

// Summary is the health in one line: the level and the reasons, or, when
// ok, what is well (state, initial cycle or steady state, escrows, last
// successful run).
func (h *Health) Summary() string {
	if len(h.Reasons) > 0 {
		return h.Level.String() + ": " + strings.Join(h.Reasons, "; ")
	}
	parts := []string{string(h.State)}
	switch {
	case h.SteadyState:
		parts = append(parts, "steady state")
	case !h.InitialCycle.Done && h.InitialCycle.Total > 0:
		parts = append(parts, fmt.Sprintf("initial cycle %d of %d %s", h.InitialCycle.Completed, h.InitialCycle.Total, orDefault(h.InitialCycle.Units, "units")))
	case !h.InitialCycle.Done:
		parts = append(parts, "initial cycle under way")
	}
	parts = append(parts, fmt.Sprintf("%d escrows", h.Escrows))
	if !h.LastSuccess.IsZero() {
		parts = append(parts, fmt.Sprintf("last successful run %s ago", roundAge(h.SinceLastSuccess)))
	}
	return h.Level.String() + ": " + strings.Join(parts, ", ")
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// JobHealth reads a job (GetJob) and returns its health at the time of
// the answer under the thresholds t (nil means the defaults; see
// CheckHealth). It fails only as GetJob does. With
// ClientOptions.MeterProvider, it also sets the job's gauges (see
// ClientOptions.MeterProvider).
func (c *Client) JobHealth(ctx context.Context, servicePrincipalID, jobID string, t *HealthThresholds) (*Health, error) {
	job, err := c.GetJob(ctx, servicePrincipalID, jobID)
	if err != nil {
		return nil, err
	}
	h := CheckHealth(job, time.Now(), t)
	h.ServicePrincipalID = servicePrincipalID
	if h.JobID == "" {
		h.JobID = jobID
	}
	c.obs.recordHealth(servicePrincipalID, jobID, h)
	return h, nil
}
