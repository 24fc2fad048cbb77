package graphsync_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/models"
)

const logsPath = "/v1.0/auditLogs/provisioning"

// docsLogPage returns provisioning logs example n of Graph's list page,
// example 1 with its documented trailing comma removed (see
// testdata/provisioninglogs/README.md; the models tests check the repair).
func docsLogPage(t *testing.T, n int) []byte {
	t.Helper()
	b := readFile(t, fmt.Sprintf("testdata/provisioninglogs/list_response_%d.json", n))
	if n == 1 {
		b = bytes.Replace(b, []byte("},\n            ],"), []byte("}\n            ],"), 1)
	}
	if !json.Valid(b) {
		t.Fatalf("example %d is not JSON", n)
	}
	return b
}

func TestListProvisioningLogsDocsExamples(t *testing.T) {
	for n := 1; n <= 2; n++ {
		t.Run(fmt.Sprint("example", n), func(t *testing.T) {
			c, ts, _ := setup(t, nil)
			ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				assertRequest(t, r, "GET", logsPath)
				if r.URL.RawQuery != "" {
					t.Errorf("query %q for an empty query", r.URL.RawQuery)
				}
				w.Header().Set("Content-Type", "application/json")
				w.Write(docsLogPage(t, n))
			})
			evs, err := c.ListProvisioningLogs(ctx, models.ProvisioningLogQuery{})
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) != 1 {
				t.Fatalf("%d events", len(evs))
			}
			ev := evs[0]
			switch n {
			case 1:
				if ev.ID != "75b5b0ae-9fc5-8d0e-e0a9-7y6a4728de56" || ev.ProvisioningStatusInfo.Status != models.LogStatusSuccess ||
					len(ev.ModifiedProperties) != 5 || string(ev.InitiatedBy.Extra["initiatingType"]) != `"system"` {
					t.Fatalf("event %+v", ev)
				}
			case 2:
				if ev.ProvisioningStatusInfo.ErrorInformation.ErrorCode != "ContosoEntryConflict" || ev.ProvisioningSteps[2].Status != models.LogStatusFailure {
					t.Fatalf("event %+v", ev)
				}
			}
		})
	}
}

// The filter reaches the server exactly as Filter wrote it, whatever the
// IDs hold: one percent-encoded $filter value, IDs inside quoted literals
// (a "/" is not path-escaped, a "&" or "#" cannot end the value, a quote
// cannot end the literal), and $top with its literal "$".
func TestProvisioningLogsQueryString(t *testing.T) {
	q := models.ProvisioningLogQuery{
		JobID:            "API2AAD.b16687d38faf42adb29892cdcaf01c6e.1a03de52",
		CycleID:          "a' or jobId eq 'b",
		ChangeID:         "x&$top=1000#frag%20+",
		SourceIdentityID: "CN=Ana/OU=HR,DC=corp",
		After:            time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC),
		Before:           time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC),
		Top:              25,
	}
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		assertRequest(t, r, "GET", logsPath)
		if !strings.HasPrefix(r.URL.RawQuery, "$filter=") || !strings.HasSuffix(r.URL.RawQuery, "&$top=25") || strings.ContainsAny(r.URL.RawQuery, "+' #") {
			t.Errorf("raw query %q", r.URL.RawQuery)
		}
		vals := r.URL.Query()
		if len(vals) != 2 || vals.Get("$filter") != q.Filter() || vals.Get("$top") != "25" {
			t.Errorf("query %q\nwant $filter=%s", vals, q.Filter())
		}
		io.WriteString(w, `{"value":[]}`)
	})
	evs, err := c.ListProvisioningLogs(ctx, q)
	if err != nil || evs == nil || len(evs) != 0 {
		t.Fatalf("%v %v", evs, err)
	}
	want := "jobId eq 'API2AAD.b16687d38faf42adb29892cdcaf01c6e.1a03de52' and cycleId eq 'a'' or jobId eq ''b' and " +
		"changeId eq 'x&$top=1000#frag%20+' and sourceIdentity/id eq 'CN=Ana/OU=HR,DC=corp' and " +
		"activityDateTime gt 2024-05-01T00:00:00Z and activityDateTime lt 2024-05-02T00:00:00Z"
	if q.Filter() != want {
		t.Fatalf("filter\n got %s\nwant %s", q.Filter(), want)
	}
	if n := ts.requests(); n != 1 {
		t.Fatalf("%d requests", n)
	}
}

// The new filter parts reach the server exactly: eq on an enumeration,
// contains with a quote in its text, the beta durations, and $orderby
// between $filter and $top, each percent-encoded with its literal "$".
func TestProvisioningLogsQueryStringEveryPart(t *testing.T) {
	q := models.ProvisioningLogQuery{
		JobID:              "API2AAD.1",
		Status:             models.LogStatusFailure,
		ServicePrincipalID: "sp-1",
		SourceIdentityType: "User",
		Contains:           models.LogContains{SourceIdentityName: "O'Neil", InitiatedByName: "Service"},
		LongerThan:         1500 * time.Millisecond,
		OrderBy:            models.LogNewestFirst,
		Top:                50,
	}
	want := "$filter=jobId%20eq%20%27API2AAD.1%27%20and%20provisioningStatusInfo%2Fstatus%20eq%20%27failure%27%20and%20" +
		"servicePrincipal%2Fid%20eq%20%27sp-1%27%20and%20sourceIdentity%2FidentityType%20eq%20%27User%27%20and%20" +
		"contains%28sourceIdentity%2FdisplayName%2C%27O%27%27Neil%27%29%20and%20contains%28initiatedBy%2FdisplayName%2C%27Service%27%29%20and%20" +
		"durationInMilliseconds%20gt%201500&$orderby=activityDateTime%20desc&$top=50"
	c, ts, _ := setup(t, nil)
	var mu sync.Mutex
	var got []url.Values
	var raw []string
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		assertRequest(t, r, "GET", logsPath)
		mu.Lock()
		got, raw = append(got, r.URL.Query()), append(raw, r.URL.RawQuery)
		mu.Unlock()
		io.WriteString(w, `{"value":[]}`)
	})
	if _, err := c.ListProvisioningLogs(ctx, q); err != nil {
		t.Fatal(err)
	}
	// $orderby alone.
	if _, err := c.ListProvisioningLogs(ctx, models.ProvisioningLogQuery{OrderBy: models.LogOldestFirst}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(raw) != 2 || raw[0] != want || raw[1] != "$orderby=activityDateTime%20asc" {
		t.Fatalf("raw queries\n got %q\nwant %q", raw, []string{want, "$orderby=activityDateTime%20asc"})
	}
	if got[0].Get("$filter") != q.Filter() || got[0].Get("$orderby") != "activityDateTime desc" {
		t.Errorf("query %v, want $filter=%s", got[0], q.Filter())
	}
	// A bad query is refused before anything is sent.
	before := ts.requests()
	for _, bad := range []struct {
		q     models.ProvisioningLogQuery
		field string
	}{
		{models.ProvisioningLogQuery{OrderBy: "jobId"}, "query.OrderBy"},
		{models.ProvisioningLogQuery{Contains: models.LogContains{TargetIdentityName: "a\nb"}}, "query.Contains.TargetIdentityName"},
		{models.ProvisioningLogQuery{ShorterThan: time.Microsecond}, "query.ShorterThan"},
	} {
		_, err := c.ListProvisioningLogs(ctx, bad.q)
		var ve *graphsync.ValidationError
		if !errors.As(err, &ve) || ve.Field != bad.field {
			t.Errorf("%+v: %v, want a *ValidationError for %s", bad.q, err, bad.field)
		}
	}
	if ts.requests() != before {
		t.Fatalf("%d requests for bad queries", ts.requests()-before)
	}
}

// pagedLogs serves three pages of two events; each page links to the
// next at the same origin.
func pagedLogs(t *testing.T, ts *testServer) {
	ts.mux.HandleFunc("GET "+logsPath, func(w http.ResponseWriter, r *http.Request) {
		page := 1
		if tok := r.URL.Query().Get("$skiptoken"); tok != "" {
			fmt.Sscan(tok, &page)
		} else if r.URL.Query().Get("$filter") != "jobId eq 'j'" {
			t.Errorf("first page query %q", r.URL.RawQuery)
		}
		next := ""
		if page < 3 {
			next = fmt.Sprintf(`,"@odata.nextLink":"%s%s?$filter=jobId%%20eq%%20%%27j%%27&$skiptoken=%d"`, ts.URL, logsPath, page+1)
		}
		fmt.Fprintf(w, `{"@odata.context":"x","value":[{"id":"%d-a"},{"id":"%d-b"}]%s}`, page, page, next)
	})
}

func TestProvisioningLogsPaging(t *testing.T) {
	want := []string{"1-a", "1-b", "2-a", "2-b", "3-a", "3-b"}
	c, ts, _ := setup(t, nil)
	pagedLogs(t, ts)
	evs, err := c.ListProvisioningLogs(ctx, models.ProvisioningLogQuery{JobID: "j"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ev := range evs {
		got = append(got, ev.ID)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || ts.requests() != 3 {
		t.Fatalf("list: %v in %d requests", got, ts.requests())
	}

	got = nil
	for ev, err := range c.ProvisioningLogs(ctx, models.ProvisioningLogQuery{JobID: "j"}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ev.ID)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || ts.requests() != 6 {
		t.Fatalf("iterator: %v in %d requests", got, ts.requests()-3)
	}
}

// The iterator fetches a page only when the consumer gets to it.
func TestProvisioningLogsIteratorStopsWhenConsumerBreaks(t *testing.T) {
	c, ts, _ := setup(t, nil)
	pagedLogs(t, ts)
	for _, stopAt := range []string{"1-a", "1-b", "2-a"} {
		before := ts.requests()
		for ev, err := range c.ProvisioningLogs(ctx, models.ProvisioningLogQuery{JobID: "j"}) {
			if err != nil {
				t.Fatal(err)
			}
			if ev.ID == stopAt {
				break
			}
		}
		wantPages := 1
		if stopAt == "2-a" {
			wantPages = 2
		}
		if n := ts.requests() - before; n != wantPages {
			t.Fatalf("stopped at %s after %d requests, want %d", stopAt, n, wantPages)
		}
	}
}

// A nextLink to another scheme, host or port is refused: the list call
// fails without sending it, the iterator yields the first page's events
// and then the error, once.
func TestProvisioningLogsNextLinkElsewhereIsRefused(t *testing.T) {
	c, ts, _ := setup(t, nil)
	host := strings.TrimPrefix(ts.URL, "http://")
	hostname, _, _ := net.SplitHostPort(host)
	for _, next := range []string{
		"https://" + host + logsPath + "?$skiptoken=2",     // another scheme
		"http://evil.example" + logsPath + "?$skiptoken=2", // another host
		"http://" + hostname + ":1" + logsPath,             // another port
	} {
		mux := http.NewServeMux()
		mux.HandleFunc("GET "+logsPath, func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `{"value":[{"id":"1"}],"@odata.nextLink":%q}`, next)
		})
		ts.mux = mux
		before := ts.requests()
		if _, err := c.ListProvisioningLogs(ctx, models.ProvisioningLogQuery{}); err == nil || !strings.Contains(err.Error(), "nextLink") {
			t.Errorf("%s: list err = %v", next, err)
		}
		var ids []string
		var errs []error
		for ev, err := range c.ProvisioningLogs(ctx, models.ProvisioningLogQuery{}) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			ids = append(ids, ev.ID)
		}
		if len(ids) != 1 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "refusing") {
			t.Errorf("%s: iterator gave %v then %v", next, ids, errs)
		}
		if n := ts.requests() - before; n != 2 {
			t.Errorf("%s: %d requests, want 2 (one per call)", next, n)
		}
	}
}

func TestProvisioningLogsErrors(t *testing.T) {
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"error":{"code":"Authorization_RequestDenied","message":"needs AuditLog.Read.All"}}`)
	})
	_, err := c.ListProvisioningLogs(ctx, models.ProvisioningLogQuery{JobID: "j"})
	var re *graphsync.ResponseError
	if !errors.As(err, &re) || !errors.Is(err, graphsync.ErrForbidden) || re.Path != logsPath || re.Message != "needs AuditLog.Read.All" {
		t.Fatalf("err = %v", err)
	}
	n := 0
	for ev, err := range c.ProvisioningLogs(ctx, models.ProvisioningLogQuery{JobID: "j"}) {
		n++
		if !errors.Is(err, graphsync.ErrForbidden) || ev.ID != "" {
			t.Fatalf("yielded %+v, %v", ev, err)
		}
	}
	if n != 1 {
		t.Fatalf("%d yields, want the error once", n)
	}

	// Bad queries are refused before sending, naming the field.
	before := ts.requests()
	bad := models.ProvisioningLogQuery{Top: -1}
	var ve *graphsync.ValidationError
	if _, err := c.ListProvisioningLogs(ctx, bad); !errors.As(err, &ve) || ve.Field != "query.Top" {
		t.Fatalf("err = %v", err)
	}
	n = 0
	for _, err := range c.ProvisioningLogs(ctx, models.ProvisioningLogQuery{JobID: "a\x00b"}) {
		n++
		if !errors.As(err, &ve) || ve.Field != "query.JobID" {
			t.Fatalf("err = %v", err)
		}
	}
	//lint:ignore SA1012 a nil context is what is tested
	if _, err := c.ListProvisioningLogs(nil, models.ProvisioningLogQuery{}); !errors.Is(err, graphsync.ErrInvalidInput) { //nolint:staticcheck
		t.Fatalf("nil ctx: %v", err)
	}
	if n != 1 || ts.requests() != before {
		t.Fatalf("%d yields, %d requests", n, ts.requests()-before)
	}
}
