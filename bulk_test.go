package graphsync_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// bulkSetup starts an in-process fake with n known users and a job.
func bulkSetup(t *testing.T, n int) (*graphtest.Server, *graphsync.Client, string, []models.ProvisionRequest) {
	t.Helper()
	srv := graphtest.NewServer(&graphtest.Options{InProcess: true})
	srv.AddServicePrincipal("sp")
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	if err != nil {
		t.Fatal(err)
	}
	reqs := make([]models.ProvisionRequest, n)
	for i := range reqs {
		id := fmt.Sprintf("user-%02d", i)
		srv.AddUser(id, id+"@contoso.com")
		reqs[i] = models.NewProvisionRequest(graphtest.DefaultRuleID, models.User(id))
	}
	return srv, c, job.ID, reqs
}

func provisionCalls(srv *graphtest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/provisionOnDemand") {
			n++
		}
	}
	return n
}

func TestProvisionManyStaysWithinLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c, job, reqs := bulkSetup(t, 23)
		reqs[7] = models.NewProvisionRequest(graphtest.DefaultRuleID, models.User("ghost")) // fails at Graph
		var calls []graphsync.Progress
		t0 := time.Now()
		results, err := c.ProvisionMany(ctx, "sp", job, reqs, &graphsync.ProvisionOptions{
			Progress: func(p graphsync.Progress) { calls = append(calls, p) },
		})
		if err != nil {
			t.Fatal(err)
		}
		if srv.Throttled() != 0 {
			t.Fatalf("%d server-side 429s", srv.Throttled())
		}
		if got := graphtest.MaxInWindow(srv.ProvisionTimes(), 10*time.Second); got > 5 {
			t.Fatalf("%d calls in a 10 s window", got)
		}
		// 23 calls: 5 per 10.25 s, the last in the 5th window.
		if el := time.Since(t0); el < 40*time.Second || el > 42*time.Second {
			t.Fatalf("took %v", el)
		}
		for i, r := range results {
			if r.Index != i || r.State != graphsync.RequestAnswered {
				t.Fatalf("result %d = %+v", i, r)
			}
			want := fmt.Sprintf("user-%02d", i)
			if i == 7 {
				want = "ghost"
			}
			if r.Result.Value.ReportableIdentifier != want && r.Result.Value.ReportableIdentifier != want+"@contoso.com" {
				t.Fatalf("result %d is for %s, want %s", i, r.Result.Value.ReportableIdentifier, want)
			}
		}
		if !results[7].Result.Failed() || results[8].Result.Failed() {
			t.Fatal("the failing subject is not the one reported failed")
		}
		if len(calls) != 23 {
			t.Fatalf("%d progress calls", len(calls))
		}
		last := calls[22]
		if last.Done != 23 || last.Total != 23 || last.Succeeded != 22 || last.Failed != 1 || last.Skipped != 0 {
			t.Fatalf("last progress = %+v", last)
		}
		for i, p := range calls {
			if p.Done != i+1 {
				t.Fatalf("progress %d has Done %d", i, p.Done)
			}
		}
	})
}

func TestProvisionManyCancelMidRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c, job, reqs := bulkSetup(t, 23)
		cctx, cancel := context.WithCancel(ctx)
		time.AfterFunc(15*time.Second, cancel) // after the 2nd window opened
		results, err := c.ProvisionMany(cctx, "sp", job, reqs, nil)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
		answered := 0
		for i, r := range results {
			switch r.State {
			case graphsync.RequestAnswered:
				answered++
				if i >= 10 {
					t.Fatalf("request %d answered after the cancel", i)
				}
			case graphsync.RequestNotAttempted:
				if r.Result != nil || i < 10 {
					t.Fatalf("request %d not attempted: %+v", i, r)
				}
			default:
				t.Fatalf("request %d: %v", i, r.State)
			}
		}
		if answered != 10 {
			t.Fatalf("%d answered, want 10 (two windows)", answered)
		}
		// Nothing lost, nothing sent twice: the server saw exactly those.
		if got := provisionCalls(srv); got != answered {
			t.Fatalf("server saw %d calls, %d answered", got, answered)
		}
	})
}

func TestProvisionManyInjected429And5xx(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c, job, reqs := bulkSetup(t, 8)
		srv.InjectFault(graphtest.Fault{PathContains: "provisionOnDemand", Nth: 2, Status: 429, RetryAfter: "2"})
		srv.InjectFault(graphtest.Fault{PathContains: "provisionOnDemand", Nth: 5, Status: 503})
		results, err := c.ProvisionMany(ctx, "sp", job, reqs, &graphsync.ProvisionOptions{Concurrency: 1})
		if err != nil {
			t.Fatal(err)
		}
		failed := 0
		for i, r := range results {
			switch r.State {
			case graphsync.RequestAnswered:
				if !r.Result.Succeeded() {
					t.Fatalf("request %d: %+v", i, r.Result.Key)
				}
			case graphsync.RequestFailed:
				failed++
				var re *graphsync.ResponseError
				if !errors.As(r.Err, &re) || re.StatusCode != 503 {
					t.Fatalf("request %d failed with %v", i, r.Err)
				}
			default:
				t.Fatalf("request %d: %v %v", i, r.State, r.Err)
			}
		}
		if failed != 1 {
			t.Fatalf("%d failed, want the one 503 (not retried)", failed)
		}
		// 8 requests + one retry after the 429; the 503 is not retried.
		if got := provisionCalls(srv); got != 9 {
			t.Fatalf("server saw %d calls, want 9", got)
		}
	})
}

func TestProvisionManyValidatesEverythingFirst(t *testing.T) {
	srv, c, job, reqs := bulkSetup(t, 3)
	reqs[2].Parameters[0].Subjects[0].ObjectTypeName = ""
	_, err := c.ProvisionMany(ctx, "sp", job, reqs, nil)
	var ve *graphsync.ValidationError
	if !errors.As(err, &ve) || ve.Field != "reqs[2].parameters[0].subjects[0].objectTypeName" {
		t.Fatalf("err = %v", err)
	}
	if provisionCalls(srv) != 0 {
		t.Fatal("requests were sent")
	}
	results, err := c.ProvisionMany(ctx, "sp", job, nil, nil)
	if err != nil || len(results) != 0 {
		t.Fatalf("empty input: %v, %v", results, err)
	}
}

func TestProvisionManyDeadlineReportsNotSent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, c, job, reqs := bulkSetup(t, 12)
		dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		results, err := c.ProvisionMany(dctx, "sp", job, reqs, nil)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v", err)
		}
		notSent := 0
		for _, r := range results {
			if r.State == graphsync.RequestNotAttempted {
				notSent++
			}
		}
		if notSent != 7 || provisionCalls(srv) != 5 {
			t.Fatalf("%d not sent, server saw %d; want 7 and 5", notSent, provisionCalls(srv))
		}
	})
}
