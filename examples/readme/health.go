package readme

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/graphsync/graphsync"
)

// README:begin waitForJob
// waitUntilProvisioned starts nothing: it waits, reading the job every
// 30 s, until its initial cycle has ended, and says why if it cannot.
func waitUntilProvisioned(ctx context.Context, client *graphsync.Client, spID, jobID string) error {
	h, err := client.WaitForJob(ctx, spID, jobID, &graphsync.JobWaitOptions{
		Until:   graphsync.WaitInitialCycle,
		Timeout: 4 * time.Hour,
	})
	switch {
	case errors.Is(err, graphsync.ErrJobQuarantined):
		return fmt.Errorf("%w\nwhat to do: %s", err, h.Quarantine.Remedy)
	case err != nil:
		return err // ErrJobFailed, ErrWaitTimeout, a refusal, ctx
	}
	fmt.Println(h.Summary()) // "ok: active, steady state, 0 escrows, ..."
	return nil
}

// README:end
