package graphtest

import (
	"context"
	"testing"

	"github.com/graphsync/graphsync/models"
)

// A restart clears a job's quarantine when its scope says QuarantineState
// (Full includes it) and keeps it otherwise. Nothing in the API
// quarantines a job, so the test sets the quarantine itself.
func TestRestartQuarantineState(t *testing.T) {
	srv := NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp", "scim")
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	job, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		scope models.ResetScope
		kept  bool
	}{
		{models.ResetNone, true},
		{models.ResetWatermark | models.ResetEscrows, true},
		{models.ResetQuarantineState, false},
		{models.ResetWatermark | models.ResetQuarantineState, false},
		{models.ResetFull, false},
	} {
		srv.mu.Lock()
		srv.job("sp", job.ID).data.Status.Quarantine = &models.SynchronizationQuarantine{Reason: models.QuarantineTooManyDeletes}
		srv.mu.Unlock()
		if err := c.RestartJob(ctx, "sp", job.ID, tc.scope); err != nil {
			t.Fatal(err)
		}
		got, err := c.GetJob(ctx, "sp", job.ID)
		if err != nil {
			t.Fatal(err)
		}
		if kept := got.Status.Quarantine != nil; kept != tc.kept {
			t.Errorf("restart with %s: quarantine kept %v; want %v", tc.scope, kept, tc.kept)
		}
	}
}
