package graphtest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/graphsync/graphsync/models"
)

// Simulated cycles (Options.CycleLength): a started job runs its initial
// cycle over every registered user and group (AddUser, AddGroup), with
// progress, then incremental cycles back to back, each CycleLength long.
// Nothing runs in the background: every request and accessor first
// brings the jobs up to the time it is made (settleJobs), so virtual time
// under testing/synctest works.

// progressUnits names the units of the fake's progress.
const progressUnits = "Entries"

// maxCatchUp is how many due incremental cycles settleJobs writes at
// most: a fake left idle for a long time skips the older ones instead of
// writing thousands of cycles (never the initial cycle).
const maxCatchUp = 100

// jobSim is the simulation state of a job whose cycles run.
type jobSim struct {
	running bool          // started, not paused, not in quarantine
	initial bool          // the cycle under way is the initial cycle
	began   time.Time     // when the cycle under way began
	done    time.Duration // how much of it had run when it stopped
	cycleID string        // the cycle under way
	escrows int           // entries each cycle escrows (InjectEscrows)
	// progress is the initial cycle's progress at the last settle.
	progress int64
}

// simOf returns j's simulation state, made on first use.
func simOf(j *job) *jobSim {
	if j.sim == nil {
		j.sim = &jobSim{initial: true, cycleID: newID()}
	}
	return j.sim
}

// cycleEntry is an object a cycle provisions.
type cycleEntry struct{ id, typeName, name string }

// cycleEntries returns the registered users and groups, by ID. Called
// with s.mu held.
func (s *Server) cycleEntries() []cycleEntry {
	out := make([]cycleEntry, 0, len(s.objects))
	for _, o := range s.objects {
		out = append(out, cycleEntry{o.id, o.typeName, o.name})
	}
	slices.SortFunc(out, func(a, b cycleEntry) int { return strings.Compare(a.id, b.id) })
	return out
}

// settleJobs ends the cycles that are due at now, writing each job's
// status and provisioning events as of each cycle's end, and sets the
// progress of the initial cycles under way. Called with s.mu held.
func (s *Server) settleJobs(now time.Time) {
	length := s.opts.CycleLength
	if length <= 0 {
		return
	}
	ids := make([]string, 0, len(s.sps))
	for id := range s.sps {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, spID := range ids {
		for _, j := range s.sps[spID].jobs {
			sim := j.sim
			if sim == nil || !sim.running {
				continue
			}
			if end := sim.began.Add(length); sim.initial && !now.Before(end) {
				s.endCycle(spID, j, end) // the initial cycle is never skipped
			}
			if due := int(now.Sub(sim.began) / length); due > maxCatchUp {
				sim.began = sim.began.Add(time.Duration(due-maxCatchUp) * length)
			}
			for end := sim.began.Add(length); !now.Before(end); end = sim.began.Add(length) {
				s.endCycle(spID, j, end)
			}
			if sim.initial {
				s.setProgress(j, now)
			}
		}
	}
}

// setProgress writes the initial cycle's progress at now.
func (s *Server) setProgress(j *job, now time.Time) {
	sim, total := j.sim, int64(len(s.objects))
	elapsed := min(max(now.Sub(sim.began), 0), s.opts.CycleLength)
	sim.progress = total * int64(elapsed) / int64(s.opts.CycleLength)
	j.data.Status.Progress = []models.SynchronizationProgress{{CompletedUnits: sim.progress, TotalUnits: total,
		Units: progressUnits, ProgressObservationDateTime: graphTime(now)}}
}

// endCycle ends j's cycle under way at end: the last run, steady state,
// the progress of an initial cycle, and one provisioning event per entry
// provisioned (the initial cycle) or escrowed; the next cycle begins.
func (s *Server) endCycle(spID string, j *job, end time.Time) {
	sim, st := j.sim, j.data.Status
	entries := s.cycleEntries()
	total := len(entries)
	escrowed := sim.escrows
	exec := &models.SynchronizationTaskExecution{ActivityIdentifier: sim.cycleID,
		CountEntitled: int64(total), CountEntitledForProvisioning: int64(total),
		CountEscrowed: int64(escrowed), CountEscrowedRaw: int64(escrowed),
		State: models.ExecutionSucceeded, TimeBegan: graphTime(sim.began), TimeEnded: graphTime(end)}
	if sim.initial {
		exec.CountImported = int64(total)
		exec.CountExports = int64(total)
		exec.CountExported = int64(max(total-escrowed, 0))
		st.Progress = []models.SynchronizationProgress{{CompletedUnits: int64(total), TotalUnits: int64(total),
			Units: progressUnits, ProgressObservationDateTime: graphTime(end)}}
	}
	if escrowed > 0 {
		exec.State = models.ExecutionEntryLevelErrors
	}
	st.LastExecution = exec
	if escrowed == 0 {
		st.LastSuccessfulExecution = exec
		if exec.CountExported > 0 {
			st.LastSuccessfulExecutionWithExports = exec
		}
	}
	if models.IsNever(st.SteadyStateFirstAchievedTime) {
		st.SteadyStateFirstAchievedTime = graphTime(end)
	}
	st.SteadyStateLastAchievedTime = graphTime(end)
	st.Code = models.StatusActive
	for i := range max(total, escrowed) {
		failed := i < escrowed
		if !sim.initial && !failed {
			break // an incremental cycle has nothing to do but retry its escrows
		}
		e := cycleEntry{id: fmt.Sprintf("graphtest-escrow-%d", i+1), typeName: models.ObjectTypeUser, name: fmt.Sprintf("escrow%d@%s", i+1, FakeTenantDomain)}
		if i < total {
			e = entries[i]
		}
		s.inbound.logs = append(s.inbound.logs, cycleEvent(spID, j, sim.cycleID, sim.began, end, e, failed))
	}
	sim.began, sim.initial, sim.cycleID, sim.done = end, false, newID(), 0
}

// cycleEvent is the provisioning event of one entry of a cycle: created
// in the application, or escrowed (failed, to be retried).
func cycleEvent(spID string, j *job, cycleID string, began, end time.Time, e cycleEntry, failed bool) models.ProvisioningObjectSummary {
	target := targetDirectory(j.data.TemplateID)
	ev := models.ProvisioningObjectSummary{
		ID: newID(), ActivityDateTime: graphTime(end), TenantID: FakeTenantID, JobID: j.data.ID, CycleID: cycleID,
		ChangeID: newID(), ProvisioningAction: models.LogActionCreate, DurationInMilliseconds: end.Sub(began).Milliseconds(),
		ServicePrincipal: &models.ProvisioningServicePrincipal{ID: spID, DisplayName: spID},
		SourceSystem: &models.ProvisioningSystem{ID: "e69d4bd2-2da2-483e-bc49-aad4080b91b3", DisplayName: "Azure Active Directory",
			Details: models.StringMap{}},
		TargetSystem:       &models.ProvisioningSystem{ID: j.data.ID, DisplayName: target, Details: models.StringMap{"ServicePrincipalId": spID}},
		InitiatedBy:        &models.Initiator{ID: "", DisplayName: "Azure AD Provisioning Service", InitiatorType: models.InitiatorSystem},
		SourceIdentity:     &models.ProvisionedIdentity{ID: e.id, DisplayName: e.name, IdentityType: e.typeName, Details: models.StringMap{}},
		ModifiedProperties: []models.ModifiedProperty{},
	}
	step := func(name string, typ models.LogStepType, st models.LogStatus, desc string) models.ProvisioningLogStep {
		return models.ProvisioningLogStep{Name: name, ProvisioningStepType: typ, Status: st, Description: desc, Details: models.StringMap{}}
	}
	ev.ProvisioningSteps = []models.ProvisioningLogStep{
		step("EntryImport", models.LogStepImport, models.LogStatusSuccess, fmt.Sprintf("Retrieved %s '%s' from Azure Active Directory", e.typeName, e.name)),
		step("EntrySynchronizationScoping", models.LogStepScoping, models.LogStatusSuccess, fmt.Sprintf("%s is in scope of the job", e.typeName)),
		step("EntryMatching", models.LogStepMatching, models.LogStatusSuccess, fmt.Sprintf("No %s matched '%s' in %s", e.typeName, e.name, target)),
	}
	if failed {
		reason := fmt.Sprintf("graphtest: the export of %s '%s' was escrowed (Server.InjectEscrows); it is retried every cycle.", e.typeName, e.name)
		ev.ProvisioningStatusInfo = &models.ProvisioningStatusInfo{Status: models.LogStatusFailure,
			ErrorInformation: &models.ProvisioningErrorInfo{ErrorCode: EscrowErrorCode, Reason: reason,
				ErrorCategory: models.LogErrorNonServiceFailure, RecommendedAction: "Remove the injected escrows (InjectEscrows with 0) or restart the job resetting Escrows."}}
		ev.ProvisioningSteps = append(ev.ProvisioningSteps, step("EntryExportAdd", models.LogStepExport, models.LogStatusFailure, reason))
		return ev
	}
	ev.ProvisioningStatusInfo = &models.ProvisioningStatusInfo{Status: models.LogStatusSuccess}
	ev.ProvisioningSteps = append(ev.ProvisioningSteps, step("EntryExportAdd", models.LogStepExport, models.LogStatusSuccess,
		fmt.Sprintf("%s '%s' was created in %s", e.typeName, e.name, target)))
	ev.TargetIdentity = &models.ProvisionedIdentity{ID: stableID("target", j.data.ID+"/"+e.id), DisplayName: e.name, IdentityType: e.typeName, Details: models.StringMap{}}
	return ev
}

// EscrowErrorCode is the error code of the provisioning events of the
// entries InjectEscrows escrows (the fake's own).
const EscrowErrorCode = "InjectedEscrow"

// QuarantineErrorCode is the error code of the quarantine QuarantineJob
// imposes (the fake's own).
const QuarantineErrorCode = "InjectedQuarantine"

// quarantineRetry is when Graph first evaluates a quarantine again
// (Entra's quarantine page: six hours after the failure).
const quarantineRetry = 6 * time.Hour

// startCycles runs a job's cycles from now: the initial cycle if the job
// has none under way, or the one that stopped, from where it stopped.
// Called with s.mu held, with Options.CycleLength set.
func (s *Server) startCycles(j *job, now time.Time) {
	sim := simOf(j)
	if sim.running {
		return
	}
	sim.running = true
	sim.began = now.Add(-sim.done)
	if j.data.Status.LastExecution == nil {
		j.data.Status.Code = models.StatusNotRun // configured and started, its first run not ended
	}
	if sim.initial {
		s.setProgress(j, now)
	}
}

// stopCycles stops a job's cycles (pause, quarantine), remembering how
// far the cycle under way had run.
func stopCycles(j *job, now time.Time) {
	if sim := j.sim; sim != nil && sim.running {
		sim.running = false
		sim.done = max(now.Sub(sim.began), 0)
	}
}

// QuarantineJob puts a job in quarantine with reason, as Graph does when
// it finds the job unhealthy: status code Quarantine, a quarantine that
// began now (or, for a job already in quarantine, one more evaluation of
// the series) with the fake's own error (QuarantineErrorCode), and no
// cycle runs until a start or a restart that resets QuarantineState
// lifts it. It returns false when there is no such job.
func (s *Server) QuarantineJob(servicePrincipalID, jobID string, reason models.QuarantineReason) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	s.settleJobs(now)
	j := s.job(servicePrincipalID, jobID)
	if j == nil {
		return false
	}
	st := j.data.Status
	t := graphTime(now)
	if q := st.Quarantine; q != nil && st.Code == models.StatusQuarantine {
		q.CurrentBegan, q.NextAttempt, q.Reason = t, graphTime(now.Add(quarantineRetry)), reason
		q.SeriesCount++
	} else {
		st.Quarantine = &models.SynchronizationQuarantine{CurrentBegan: t, SeriesBegan: t, NextAttempt: graphTime(now.Add(quarantineRetry)),
			Reason: reason}
	}
	st.Quarantine.Error = &models.SynchronizationError{Code: QuarantineErrorCode, TenantActionable: true,
		Message: fmt.Sprintf("graphtest: the job was put in quarantine with reason '%s' (Server.QuarantineJob).", reason)}
	st.Code = models.StatusQuarantine
	stopCycles(j, now)
	return true
}

// InjectEscrows makes every cycle of a job escrow count entries (0 stops
// it): their exports fail and are retried at every cycle, each failure a
// provisioning event with EscrowErrorCode. The job's last run shows them
// at once (countEscrowed, state EntryLevelErrors), as it would after the
// cycle that escrowed them; a restart that resets Escrows clears them. It
// returns false when there is no such job.
func (s *Server) InjectEscrows(servicePrincipalID, jobID string, count int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleJobs(time.Now())
	j := s.job(servicePrincipalID, jobID)
	if j == nil || count < 0 {
		return false
	}
	simOf(j).escrows = count
	setEscrows(j, count)
	return true
}

// setEscrows shows count escrows in the job's last run, if it has one.
func setEscrows(j *job, count int) {
	st := j.data.Status
	if st.LastExecution == nil {
		return
	}
	exec := *st.LastExecution // LastSuccessfulExecution may be the same run
	exec.CountEscrowed, exec.CountEscrowedRaw = int64(count), int64(count)
	exec.State = models.ExecutionSucceeded
	if count > 0 {
		exec.State = models.ExecutionEntryLevelErrors
	}
	st.LastExecution = &exec
}

// controlJob serves POST /_graphtest/jobs/{servicePrincipalId}/{jobId}/quarantine
// ({"reason": "..."}) and .../escrows ({"count": N}).
func (s *Server) controlJob(w http.ResponseWriter, r *http.Request, action string, decode func(any) bool, fail func(*apiError)) {
	segs := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), controlPrefix), "/")
	sp, err1 := url.PathUnescape(segs[1])
	jobID, err2 := url.PathUnescape(segs[2])
	if err1 != nil || err2 != nil {
		fail(badRequest("Malformed path."))
		return
	}
	var ok bool
	switch action {
	case "quarantine":
		var q struct {
			Reason string `json:"reason"`
		}
		if !decode(&q) {
			return
		}
		if strings.TrimSpace(q.Reason) == "" {
			fail(badRequest("A quarantine needs a reason, such as \"EncounteredEscrowProportionThreshold\"."))
			return
		}
		ok = s.QuarantineJob(sp, jobID, models.QuarantineReason(q.Reason))
	case "escrows":
		var e struct {
			Count *int `json:"count"`
		}
		if !decode(&e) {
			return
		}
		if e.Count == nil || *e.Count < 0 {
			fail(badRequest("escrows needs a count of 0 or more."))
			return
		}
		ok = s.InjectEscrows(sp, jobID, *e.Count)
	}
	if !ok {
		fail(&apiError{http.StatusNotFound, "NotFound", fmt.Sprintf("The fake has no job '%s' of service principal '%s'.", jobID, sp)})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// controlRoute is the control API's route of a request: method and path
// after /_graphtest/, with the IDs of a job's path replaced by
// {servicePrincipalId} and {jobId}.
func controlRoute(method, path string) string {
	if segs := strings.Split(path, "/"); len(segs) == 4 && segs[0] == "jobs" && segs[1] != "" && segs[2] != "" {
		return method + " jobs/{servicePrincipalId}/{jobId}/" + segs[3]
	}
	return method + " " + path
}

// startJob starts a job, or resumes a paused one or one in quarantine
// (Graph's start clears the quarantine). Without Options.CycleLength the
// job runs one cycle at once and is in steady state; with it, its cycles
// run from now. Called with s.mu held.
func (s *Server) startJob(j *job, now time.Time) {
	d := &j.data
	d.Schedule.State = models.ScheduleActive
	d.Status.Code = models.StatusActive
	d.Status.Quarantine = nil
	if s.opts.CycleLength > 0 {
		s.startCycles(j, now)
		return
	}
	exec := &models.SynchronizationTaskExecution{
		ActivityIdentifier: newID(), State: models.ExecutionSucceeded, TimeBegan: now, TimeEnded: now,
	}
	d.Status.LastExecution = exec
	d.Status.LastSuccessfulExecution = exec
	if models.IsNever(d.Status.SteadyStateFirstAchievedTime) {
		d.Status.SteadyStateFirstAchievedTime = now
	}
	d.Status.SteadyStateLastAchievedTime = now
	if j.sim != nil && j.sim.escrows > 0 {
		setEscrows(j, j.sim.escrows)
	}
}

// restartJob restarts a job after resetting what scope names: the
// quarantine (QuarantineState), the injected escrows (Escrows), and, with
// Options.CycleLength, the watermark (Watermark: a new initial cycle
// begins). Called with s.mu held.
func (s *Server) restartJob(j *job, scope models.ResetScope, now time.Time) {
	d := &j.data
	if scope&models.ResetQuarantineState != 0 {
		d.Status.Quarantine = nil
	}
	if scope&models.ResetEscrows != 0 && j.sim != nil {
		j.sim.escrows = 0
	}
	d.Schedule.State = models.ScheduleActive
	d.Status.Code = models.StatusActive
	if s.opts.CycleLength <= 0 {
		return
	}
	stopCycles(j, now)
	if scope&models.ResetWatermark != 0 {
		sim := simOf(j)
		sim.initial, sim.done, sim.cycleID = true, 0, newID()
	}
	s.startCycles(j, now)
}
