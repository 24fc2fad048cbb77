package graphsync_test

import (
	"errors"
	"slices"
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
