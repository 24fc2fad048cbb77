package graphsync_test

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// A cycle in numbers, from the fake's provisioning logs: the initial
// cycle created 17 users and escrowed 3; the next one only retried the 3.
func TestCountCycle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c, job := cycling(t, time.Minute)
		srv.InjectEscrows("sp", job, 3)
		time.Sleep(time.Minute)
		h, err := c.JobHealth(ctx, "sp", job, nil)
		if err != nil || h.LastRun == nil {
			t.Fatal(h, err)
		}
		s, err := c.CountCycle(ctx, models.ProvisioningLogQuery{CycleID: h.LastRun.ActivityIdentifier, JobID: job, Top: 7})
		if err != nil {
			t.Fatal(err)
		}
		want := []graphsync.ActionStatusCount{{Action: "create", Status: "success", Count: 17}, {Action: "create", Status: "failure", Count: 3}}
		if s.Events != 20 || s.CycleID != h.LastRun.ActivityIdentifier || s.JobID != job || !slices.Equal(s.Counts, want) ||
			s.ByStatus(models.LogStatusFailure) != 3 || s.ByAction(models.LogActionCreate) != 20 || s.First.IsZero() {
			t.Errorf("initial cycle: %+v", s)
		}
		if len(s.Errors) != 1 || s.Errors[0].Code != graphtest.EscrowErrorCode || s.Errors[0].Count != 3 || s.Errors[0].Reason == "" {
			t.Errorf("errors %+v", s.Errors)
		}

		time.Sleep(time.Minute)
		h, _ = c.JobHealth(ctx, "sp", job, nil)
		s, err = c.CountCycle(ctx, models.ProvisioningLogQuery{CycleID: h.LastRun.ActivityIdentifier})
		if err != nil || s.Events != 3 || s.ByStatus(models.LogStatusFailure) != 3 {
			t.Errorf("incremental cycle: %+v %v", s, err)
		}
		// No such cycle: nothing counted, no error.
		if s, err := c.CountCycle(ctx, models.ProvisioningLogQuery{CycleID: "nope"}); err != nil || s.Events != 0 || s.Counts == nil {
			t.Errorf("no such cycle: %+v %v", s, err)
		}
		before := len(srv.Requests())
		var ve *graphsync.ValidationError
		if _, err := c.CountCycle(ctx, models.ProvisioningLogQuery{JobID: job}); !errors.As(err, &ve) || len(srv.Requests()) != before {
			t.Errorf("without a cycle: %v", err)
		}
	})
}

func TestCycleStatsAdd(t *testing.T) {
	ev := func(action, status, code string, at time.Time) models.ProvisioningObjectSummary {
		e := models.ProvisioningObjectSummary{CycleID: "c1", JobID: "j", ActivityDateTime: at, ProvisioningAction: models.LogAction(action),
			ProvisioningStatusInfo: &models.ProvisioningStatusInfo{Status: models.LogStatus(status)}}
		if code != "" {
			e.ProvisioningStatusInfo.ErrorInformation = &models.ProvisioningErrorInfo{ErrorCode: code, Reason: "why " + code}
		}
		return e
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var s graphsync.CycleStats
	for i, e := range []models.ProvisioningObjectSummary{
		ev("create", "success", "", t0.Add(2*time.Second)),
		ev("Create", "Success", "", t0), // Graph's beta spells some values capitalized
		ev("update", "failure", "B", t0.Add(time.Second)),
		ev("update", "failure", "A", t0.Add(time.Second)),
		ev("update", "failure", "B", t0.Add(time.Second)),
		ev("delete", "failure", "", t0.Add(time.Second)),
		{CycleID: "c1"}, // no status at all
	} {
		s.Add(e)
		if s.Events != i+1 {
			t.Fatal(s.Events)
		}
	}
	want := []graphsync.ActionStatusCount{{"update", "failure", 3}, {"create", "success", 2}, {"", "", 1}, {"delete", "failure", 1}}
	if !slices.Equal(s.Counts, want) || s.CycleID != "c1" || !s.First.Equal(t0) || !s.Last.Equal(t0.Add(2*time.Second)) {
		t.Errorf("%+v", s)
	}
	if top := s.TopErrors(2); len(top) != 2 || top[0] != (graphsync.ErrorCodeCount{Code: "B", Count: 2, Reason: "why B"}) || top[1].Code != "" {
		t.Errorf("top errors %+v", top)
	}
	if all := s.TopErrors(0); len(all) != 3 {
		t.Errorf("all errors %+v", all)
	}
	if s.ByStatus("SUCCESS") != 2 || s.ByAction("update") != 3 {
		t.Error("by status, by action")
	}
}

// Add keeps Counts and Errors in their order (most numerous first, then
// by name) without sorting: the same as counting everything and sorting
// once, whatever the order of the events, and after the stats went
// through JSON (decoded rows are indexed anew).
func TestCycleStatsAddKeepsOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	actions := []string{"create", "Create", "update", "delete", "disable", "other"}
	statuses := []string{"success", "failure", "Failure", "skipped", "warning"}
	var s graphsync.CycleStats
	counts := map[[2]string]int{}
	spelling := map[[2]string][2]string{}
	codes := map[string]int{}
	for i := range 3000 {
		if i == 1500 {
			b, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			s = graphsync.CycleStats{}
			if err := json.Unmarshal(b, &s); err != nil {
				t.Fatal(err)
			}
		}
		a, st := actions[r.IntN(len(actions))], statuses[r.IntN(len(statuses))]
		code := fmt.Sprintf("E%d", r.IntN(40))
		s.Add(models.ProvisioningObjectSummary{ProvisioningAction: models.LogAction(a), ProvisioningStatusInfo: &models.ProvisioningStatusInfo{
			Status: models.LogStatus(st), ErrorInformation: &models.ProvisioningErrorInfo{ErrorCode: code}}})
		k := [2]string{strings.ToLower(a), strings.ToLower(st)}
		if _, ok := spelling[k]; !ok {
			spelling[k] = [2]string{a, st}
		}
		counts[k]++
		if k[1] == "failure" {
			codes[code]++
		}
	}
	var wantCounts []graphsync.ActionStatusCount
	for k, n := range counts {
		wantCounts = append(wantCounts, graphsync.ActionStatusCount{Action: models.LogAction(spelling[k][0]), Status: models.LogStatus(spelling[k][1]), Count: n})
	}
	slices.SortFunc(wantCounts, func(a, b graphsync.ActionStatusCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(string(a.Action), string(b.Action)), strings.Compare(string(a.Status), string(b.Status)))
	})
	var wantErrors []graphsync.ErrorCodeCount
	for c, n := range codes {
		wantErrors = append(wantErrors, graphsync.ErrorCodeCount{Code: c, Count: n})
	}
	slices.SortFunc(wantErrors, func(a, b graphsync.ErrorCodeCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Code, b.Code))
	})
	if !slices.Equal(s.Counts, wantCounts) {
		t.Errorf("counts\n got %v\nwant %v", s.Counts, wantCounts)
	}
	if !slices.Equal(s.Errors, wantErrors) {
		t.Errorf("errors\n got %v\nwant %v", s.Errors, wantErrors)
	}
}

// A CycleStats keeps the first MaxCycleErrorCodes error codes and
// MaxCycleCounts action and status pairs; what comes under others is
// counted, not lost.
func TestCycleStatsBounded(t *testing.T) {
	var s graphsync.CycleStats
	fail := func(action, code string) models.ProvisioningObjectSummary {
		return models.ProvisioningObjectSummary{ProvisioningAction: models.LogAction(action), ProvisioningStatusInfo: &models.ProvisioningStatusInfo{
			Status: models.LogStatusFailure, ErrorInformation: &models.ProvisioningErrorInfo{ErrorCode: code}}}
	}
	for i := range graphsync.MaxCycleErrorCodes + 5 {
		s.Add(fail("create", fmt.Sprintf("C%05d", i)))
	}
	s.Add(fail("create", "C00000")) // a code kept is still counted
	if len(s.Errors) != graphsync.MaxCycleErrorCodes || s.OtherErrors != 5 || s.Errors[0] != (graphsync.ErrorCodeCount{Code: "C00000", Count: 2}) {
		t.Errorf("%d codes, %d other failures, first %+v", len(s.Errors), s.OtherErrors, s.Errors[0])
	}
	for i := range graphsync.MaxCycleCounts + 3 {
		s.Add(fail(fmt.Sprintf("action%d", i), "C00000"))
	}
	if len(s.Counts) != graphsync.MaxCycleCounts || s.OtherEvents != 4 || s.Events != graphsync.MaxCycleErrorCodes+graphsync.MaxCycleCounts+9 ||
		s.ByAction("create") != graphsync.MaxCycleErrorCodes+6 {
		t.Errorf("%d pairs, %d other events, %d events, %d create", len(s.Counts), s.OtherEvents, s.Events, s.ByAction("create"))
	}
}
