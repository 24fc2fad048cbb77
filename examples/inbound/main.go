// Command inbound provisions users from HR records through API-driven
// inbound provisioning: it uploads them to a synchronization job with
// bulkUpload, in requests of 50 within Graph's limit of 40 requests per
// second, then follows the provisioning logs until every record has an
// outcome (or -timeout passes) and reports what the provisioning service
// did with each: created, updated, disabled, skipped or failed, with the
// error and the recommended action.
//
// # Input
//
// A CSV file (-csv FILE, or -csv - for standard input) whose header names
// one SCIM attribute per column; externalId (the person's ID in the HR
// system) is required, and an empty cell leaves its attribute out (it is
// not cleared). Columns, matched without regard to case:
//
//	externalId, userName, displayName, nickName, title, userType,
//	preferredLanguage, locale, timezone, profileUrl
//	active                      true or false (false disables the account)
//	name.givenName              also familyName, middleName, formatted,
//	                            honorificPrefix, honorificSuffix
//	emails[type eq "work"].value   a value of a multi-valued attribute by
//	                            type: emails, phoneNumbers, ims, photos,
//	                            roles, entitlements, x509Certificates
//	                            (.value, .display, .primary) and addresses
//	                            (.streetAddress, .locality, .region,
//	                            .postalCode, .country, .formatted,
//	                            .primary); emails[work].value is short
//	                            for the same. The quotes need no CSV
//	                            quoting (the CSV is read with lazy quotes).
//	urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department
//	                            the enterprise extension: employeeNumber,
//	                            costCenter, organization, division,
//	                            department, manager (the manager's
//	                            externalId), manager.displayName
//	urn:contoso:employee:HireDate  a custom extension: URN:attribute, sent
//	                            as a string
//
// Each attribute may have one column: two spellings of the same one
// (letter case, surrounding spaces, externalId and
// urn:ietf:params:scim:schemas:core:2.0:User:externalId, emails[work].value
// and emails[type eq "work"].value, the enterprise manager and
// manager.value) are a repeated column, refused naming both.
//
// A byte-order mark is dropped, lines starting with '#' are comments, and
// errors name the physical line. An empty input, an externalId given
// twice, a cell that is not valid UTF-8 and a cell with a control
// character are errors, before anything is sent: C0 and C1 controls (TAB
// and a lone CR included; a line break inside a quoted cell is fine), DEL,
// bidi embeddings, overrides and isolates, and the line and paragraph
// separators. Invisible characters that names need (zero-width joiners,
// direction marks, a soft hyphen) are accepted.
//
// # Real Graph or the demo
//
// It runs against real Graph when the configuration names it: any
// AZURE_* or GRAPHSYNC_* variable that is set (even empty), -sp or -job.
// Then the service principal (-sp or GRAPHSYNC_SERVICE_PRINCIPAL_ID) and
// the job of the API-driven provisioning app (-job or GRAPHSYNC_JOB_ID)
// are required, the credential is azidentity's DefaultAzureCredential (it
// needs SynchronizationData-User.Upload and AuditLog.Read.All), and
// anything missing ends the program with exit status 2 before anything is
// sent.
// With none of them (or with -demo) it runs an offline demo against an
// in-process fake Graph with testdata/hr.csv (or -csv), and says so.
//
// Graph shows the outcome of a record in the provisioning logs within
// minutes (the fake within a second). The program reads the job's events
// from shortly before the run (-skew), ignores those that were there
// before it uploaded, and takes a record's first new event as its
// outcome. -timeout bounds everything after the upload, every read of
// the logs included: a read that stalls, or pages that never end, are cut
// at the deadline, and the records still without an outcome are reported
// (unknown) and make the exit status 1.
//
// # Journal and resume
//
// -journal FILE appends one JSON line per record as its outcome is known,
// synced to disk, with the service principal and the job; records
// uploaded without an outcome before -timeout (unknown) and records not
// uploaded when the run stopped (not-uploaded) get a line at the end that
// is not final. -resume FILE skips the records with a final line there:
// an outcome, or rejected, a request whose content Graph refused (400,
// 413, 415, 422). A line counts only for the same record: each line holds
// a fingerprint of the record as uploaded (a SHA-256 of its SCIM JSON),
// and the last final line of an externalId must have the record's
// fingerprint, so the next day's export with a changed record (a leaver's
// active=false, a rehire) uploads it again. Lines written before the
// fingerprint existed count for nothing: their records are uploaded
// again (safe: the service skips what is already done). Any other refusal of a bulkUpload (401, 403, 404, 408,
// 409, 429 still throttled after the client's retries, another 4xx) or a
// transport error is not the records' fault: the program stops uploading
// at the first one (every later request would meet it), says so, leaves
// the records not final and exits 1; fix the cause and resume. Against
// real Graph, -resume with a journal of another service principal or job
// ends the program with exit status 2, naming both jobs; the demo's job is
// new in every run, so the demo does not check. Give both the same file to
// run, stop, and run again until done; uploading a record again is safe
// (the service matches the user on externalId). A journal is created 0600
// and opened only as the file itself: a path that is a symbolic link is
// refused (exit status 2, nothing sent), for -journal and -resume alike,
// and a journal its group or others may read gets a warning on stderr.
//
// # Output
//
// The table (or -json) goes to stdout, progress and errors to stderr.
// Whatever the provisioning logs, Graph's errors or the HR records hold
// is shown, never interpreted by the terminal: in the table and every
// line on stderr, control and format characters (escape sequences, CR,
// LF, C1 controls, bidi overrides, zero-width characters) are written as
// escapes (\x1b, \n, \u202e), so that each record has exactly one row.
// -json and the journal write them as JSON escapes (\u001b, \u202e):
// they decode to the exact values.
//
// Exit status: 0 when every record succeeded or was skipped (or nothing
// was left to do); 1 when any failed, was refused or has no outcome; 2 for
// bad usage or configuration (nothing sent); 3 when interrupted (Ctrl-C or
// SIGTERM). `go run` turns every non-zero status into 1: build the
// program where the status matters.
package main

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/examples/internal/demo"
	"github.com/graphsync/graphsync/examples/internal/report"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

//go:embed testdata/hr.csv
var sampleCSV []byte

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitInterrupted = 3
)

type config struct {
	sp, job, csvPath        string
	jsonOut, demo           bool
	journalPath, resumePath string
	timeout, poll, skew     time.Duration
	spFlag, jobFlag         bool
	timeoutFlag, pollFlag   bool
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// env is a connected Client and the job to upload to.
type env struct {
	client  *graphsync.Client
	sp, job string
	fake    *graphtest.Server // nil against real Graph
}

// connectGraph connects to real Graph or to a fresh demo fake; tests
// replace it to point "real" runs at a graphtest server.
var connectGraph = connect

// run is the program. Everything it prints goes through package report:
// stdout and stderr are written only by report.Writers.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	errw := report.New(stderr)
	cfg, err := parseFlags(args, errw)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		errw.Println("inbound:", err)
		return exitUsage
	}
	p := &program{cfg: cfg, stdout: report.New(stdout), stderr: errw}
	code, err := p.run(ctx, stdin)
	if err != nil {
		errw.Println("inbound:", err)
	}
	return code
}

// parseFlags reads the command line; when it cannot, it prints the usage
// on stderr and returns the error (flag.ErrHelp for -h).
func parseFlags(args []string, stderr *report.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("inbound", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the error is printed by run, the usage below
	fs.StringVar(&cfg.sp, "sp", "", "service principal ID of the API-driven provisioning app (default $GRAPHSYNC_SERVICE_PRINCIPAL_ID)")
	fs.StringVar(&cfg.job, "job", "", "its synchronization job ID (default $GRAPHSYNC_JOB_ID)")
	fs.StringVar(&cfg.csvPath, "csv", "", "HR records as CSV with a header of SCIM attributes (- for standard input)")
	fs.BoolVar(&cfg.jsonOut, "json", false, "print results as JSON on stdout")
	fs.BoolVar(&cfg.demo, "demo", false, "run the offline demo against an in-process fake Graph, whatever the environment says")
	fs.StringVar(&cfg.journalPath, "journal", "", "append one JSON line per record as its outcome is known to this file")
	fs.StringVar(&cfg.resumePath, "resume", "", "skip the records that have a final line in this journal")
	fs.DurationVar(&cfg.timeout, "timeout", 40*time.Minute, "how long to follow the provisioning logs after the upload, every read of them included (demo: 30s)")
	fs.DurationVar(&cfg.poll, "poll", 30*time.Second, "how often to read the provisioning logs (demo: 250ms)")
	fs.DurationVar(&cfg.skew, "skew", 5*time.Minute, "read events from this long before the run, for clock differences")
	if err := fs.Parse(args); err != nil {
		var usage strings.Builder
		fs.SetOutput(&usage)
		fs.PrintDefaults()
		stderr.Text("Usage of inbound:\n" + usage.String())
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, usagef("unexpected argument %q", fs.Arg(0))
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "sp":
			cfg.spFlag = true
		case "job":
			cfg.jobFlag = true
		case "timeout":
			cfg.timeoutFlag = true
		case "poll":
			cfg.pollFlag = true
		}
	})
	if cfg.timeout <= 0 || cfg.poll <= 0 || cfg.skew < 0 {
		return cfg, usagef("-timeout and -poll must be positive, -skew not negative")
	}
	if !cfg.spFlag {
		cfg.sp = os.Getenv("GRAPHSYNC_SERVICE_PRINCIPAL_ID")
	}
	if !cfg.jobFlag {
		cfg.job = os.Getenv("GRAPHSYNC_JOB_ID")
	}
	return cfg, nil
}

// connect returns a Client for real Graph when real, else for a fresh
// fake with the demo's job and directory.
func connect(opts *graphsync.ClientOptions, real bool, sp, job string) (*env, error) {
	if real {
		cred, err := azidentity.NewDefaultAzureCredential(nil)
		if err != nil {
			return nil, fmt.Errorf("credentials: %w", err)
		}
		c, err := graphsync.NewClient(cred, opts)
		if err != nil {
			return nil, err
		}
		return &env{client: c, sp: sp, job: job}, nil
	}
	srv := graphtest.NewServer(&graphtest.Options{InboundDelay: 500 * time.Millisecond})
	srv.AddServicePrincipal(demo.SampleServicePrincipal, "API2AAD")
	seedDirectory(srv)
	o := *opts
	o.BaseURL = srv.URL
	c, err := graphsync.NewClient(srv.Credential(), &o)
	if err != nil {
		srv.Close()
		return nil, err
	}
	j, err := c.CreateJob(context.Background(), demo.SampleServicePrincipal, models.SynchronizationJob{TemplateID: "API2AAD"})
	if err != nil {
		srv.Close()
		return nil, fmt.Errorf("create demo job: %w", err)
	}
	return &env{client: c, sp: demo.SampleServicePrincipal, job: j.ID, fake: srv}, nil
}

// seedDirectory gives the demo's directory three people of the sample as
// an earlier upload left them, so the demo shows an update (E1001's title
// changed), a disable (E1002 left) and a skip (E1003 unchanged).
func seedDirectory(srv *graphtest.Server) {
	recs, err := readCSV("sample", bytes.NewReader(sampleCSV))
	if err != nil {
		return
	}
	for _, r := range recs {
		u := r.user
		switch u.ExternalID {
		case "E1001":
			u.Title = "Associate"
		case "E1002":
			u.Active = nil
		case "E1003":
		default:
			continue
		}
		srv.AddInboundUser(u)
	}
}

type program struct {
	cfg            config
	stdout, stderr *report.Writer
}

func (p *program) run(ctx context.Context, stdin io.Reader) (int, error) {
	cfg := p.cfg
	demoMode := cfg.demo || !(cfg.spFlag || cfg.jobFlag || demo.Configured())
	if !demoMode {
		if m := demo.Missing(cfg.sp, cfg.job); len(m) > 0 {
			return exitUsage, usagef("real Graph is configured but incomplete; missing: %s", strings.Join(m, ", "))
		}
	}
	records, err := p.readInput(stdin, demoMode)
	if err != nil {
		return exitUsage, err
	}
	skipped := 0
	if cfg.resumePath != "" {
		// The demo's job is new in every run: its journal is not checked.
		sp, job := cfg.sp, cfg.job
		if demoMode {
			sp, job = "", ""
		}
		done, torn, err := readJournal(cfg.resumePath, sp, job, p.warn)
		if err != nil {
			return exitUsage, usagef("resume: %v", err)
		}
		if torn > 0 {
			p.stderr.Printf("resume: ignored %d unreadable line(s) of %s (a write cut short)", torn, cfg.resumePath)
		}
		// A line counts only for the same record: a changed one (a
		// leaver's active=false) is uploaded again, as is one whose line
		// has no fingerprint (an older version's journal).
		changed, older := 0, 0
		records = slices.DeleteFunc(records, func(r record) bool {
			fp, ok := done[r.user.ExternalID]
			switch {
			case !ok:
			case fp == "":
				older++
			case fp != r.fingerprint():
				changed++
			default:
				skipped++
				return true
			}
			return false
		})
		p.stderr.Printf("resume: %d record(s) already done in %s, skipped", skipped, cfg.resumePath)
		if changed > 0 {
			p.stderr.Printf("resume: %d record(s) changed since their line in %s, uploaded again", changed, cfg.resumePath)
		}
		if older > 0 {
			p.stderr.Printf("resume: %d record(s) have a line of an older version in %s (no record fingerprint), uploaded again", older, cfg.resumePath)
		}
	}
	if len(records) == 0 {
		p.stderr.Println("Nothing left to do.")
		if cfg.jsonOut {
			p.stdout.JSON([]entry{})
		}
		return exitOK, nil
	}
	if demoMode {
		if !cfg.timeoutFlag {
			cfg.timeout = 30 * time.Second
		}
		if !cfg.pollFlag {
			cfg.poll = 250 * time.Millisecond
		}
	}
	e, err := connectGraph(&graphsync.ClientOptions{UserAgent: "graphsync-inbound"}, !demoMode, cfg.sp, cfg.job)
	if err != nil {
		return exitUsage, err
	}
	if e.fake != nil {
		defer e.fake.Close()
		p.stderr.Printf("Offline demo against an in-process fake Graph (%s); nothing leaves this machine.", e.fake.URL)
	}
	f := &follower{program: p, cfg: cfg, client: e.client, sp: e.sp, job: e.job}
	return f.run(ctx, records)
}

// warn says on stderr what package jsonl warns of.
func (p *program) warn(msg string) { p.stderr.Println("inbound:", msg) }

// readInput reads the records from -csv; only the demo has a sample to
// fall back on.
func (p *program) readInput(stdin io.Reader, demoMode bool) ([]record, error) {
	switch {
	case p.cfg.csvPath == "" && !demoMode:
		return nil, usagef("no records: give -csv FILE (or -csv - for standard input)")
	case p.cfg.csvPath == "":
		return readCSV("testdata/hr.csv (the demo's sample)", bytes.NewReader(sampleCSV))
	case p.cfg.csvPath == "-":
		return wrapUsage(readCSV("standard input", stdin))
	}
	f, err := os.Open(p.cfg.csvPath)
	if err != nil {
		return nil, usageError{err.Error()}
	}
	defer f.Close()
	return wrapUsage(readCSV(p.cfg.csvPath, f))
}

func wrapUsage(r []record, err error) ([]record, error) {
	if err != nil {
		return nil, usageError{err.Error()}
	}
	return r, nil
}

// follower uploads the records and follows the logs.
type follower struct {
	*program
	cfg     config
	client  *graphsync.Client
	sp, job string

	jr       *journal
	writeErr error
	rows     map[string]*entry // by externalId
}

// refusesContent reports whether a bulkUpload answered with status was
// refused for what it carries (bad request, too large, unsupported media
// type, unprocessable): sending the same records again is refused again.
func refusesContent(status int) bool {
	switch status {
	case 400, 413, 415, 422:
		return true
	}
	return false
}

func (f *follower) record(e *entry) {
	e.Time = time.Now().UTC()
	if f.jr != nil && f.writeErr == nil && e.final() {
		f.writeErr = f.jr.Write(*e)
	}
}

func (f *follower) run(ctx context.Context, records []record) (int, error) {
	start := time.Now()
	// What every request needs: a token and the job.
	if _, err := f.client.GetJob(ctx, f.sp, f.job); err != nil {
		if ctx.Err() != nil {
			return exitInterrupted, err
		}
		return exitUsage, fmt.Errorf("preflight: %w", err)
	}
	since := start.Add(-f.cfg.skew)
	query := models.ProvisioningLogQuery{JobID: f.job, After: since}
	// The job's events from before the upload are not outcomes of ours.
	before := map[string]bool{}
	for ev, err := range f.client.ProvisioningLogs(ctx, query) {
		if err != nil {
			if ctx.Err() != nil {
				return exitInterrupted, err
			}
			return exitUsage, fmt.Errorf("preflight: reading the provisioning logs: %w", err)
		}
		before[ev.ID] = true
	}
	if f.cfg.journalPath != "" {
		var err error
		warn := f.warn
		if f.cfg.journalPath == f.cfg.resumePath {
			warn = nil // -resume read it and warned
		}
		if f.jr, err = openJournal(f.cfg.journalPath, f.sp, f.job, warn); err != nil {
			return exitUsage, err
		}
		defer f.jr.Close()
	}
	f.rows = make(map[string]*entry, len(records))
	for _, r := range records {
		f.rows[r.user.ExternalID] = &entry{Line: r.line, ExternalID: r.user.ExternalID, UserName: r.user.UserName,
			Record: r.fingerprint(), State: stateNotUploaded}
	}

	// Upload, 50 records a request, paced by the client's bulkUpload
	// limiter.
	waiting := 0
	users := func(yield func(models.SCIMUser) bool) {
		for _, r := range records {
			if !yield(r.user) {
				return
			}
		}
	}
	var uploadErr, stopErr error
	n := 0
	for req := range models.BulkUploadChunks(iter.Seq[models.SCIMUser](users)) {
		n++
		rc, err := f.client.BulkUpload(ctx, f.sp, f.job, req)
		var re *graphsync.ResponseError
		switch {
		case ctx.Err() != nil:
			uploadErr = ctx.Err()
		case err == nil:
			for _, op := range req.Operations {
				e := f.rows[op.Data.ExternalID]
				e.State, e.RequestID = stateUnknown, rc.RequestID
				waiting++
			}
		case errors.As(err, &re) && refusesContent(re.StatusCode):
			// Graph refused what the request carries: final.
			for _, op := range req.Operations {
				e := f.rows[op.Data.ExternalID]
				e.State, e.ErrorCode, e.Reason, e.RequestID = stateRejected, re.Code, re.Message, re.RequestID
				if e.Reason == "" {
					e.Reason = re.Error()
				}
				f.record(e)
			}
		case errors.As(err, &re) && re.StatusCode >= 400 && re.StatusCode < 500:
			// Refused for the job, the permission or the pace (401, 403,
			// 404, 408, 409, 429…): every later request would meet it
			// too. Its records stay not-uploaded (not final), as do the
			// rest; a resumed run sends them once it is fixed.
			for _, op := range req.Operations {
				e := f.rows[op.Data.ExternalID]
				e.ErrorCode, e.Reason, e.RequestID = re.Code, re.Message, re.RequestID
				if e.Reason == "" {
					e.Reason = re.Error()
				}
			}
			stopErr = fmt.Errorf("request %d: %w", n, err)
		case errors.Is(err, graphsync.ErrCredential):
			// No token, nothing sent: its records stay not-uploaded.
			for _, op := range req.Operations {
				f.rows[op.Data.ExternalID].Reason = err.Error()
			}
			stopErr = fmt.Errorf("request %d: %w", n, err)
		case re == nil && !errors.Is(err, graphsync.ErrInvalidInput):
			// A transport error: Graph may have staged the request, so
			// its records are watched in the logs; the next requests
			// would most likely fail the same way.
			for _, op := range req.Operations {
				e := f.rows[op.Data.ExternalID]
				e.State, e.Reason = stateUnknown, err.Error()
				waiting++
			}
			stopErr = fmt.Errorf("request %d: %w", n, err)
		default:
			// Graph may have staged it: watch the logs for its records.
			f.stderr.Printf("inbound: request %d: %v (its records are watched in the logs anyway)", n, err)
			for _, op := range req.Operations {
				e := f.rows[op.Data.ExternalID]
				e.State, e.Reason = stateUnknown, err.Error()
				waiting++
			}
		}
		if stopErr != nil {
			f.stderr.Println("inbound:", stopErr)
			f.stderr.Println("inbound: stopped uploading; the records not uploaded are not final: fix the cause and run again with -resume")
			break
		}
		if uploadErr != nil {
			break
		}
	}
	f.stderr.Printf("Uploaded %d of %d record(s) in %d request(s) in %s; following the provisioning logs (up to %s).",
		waiting, len(records), n, time.Since(start).Round(10*time.Millisecond), f.cfg.timeout)

	// Follow the logs until every uploaded record has an outcome, or
	// -timeout passes: every read of the logs runs under the deadline, so
	// a read that stalls or a walk whose nextLink never ends is cut there.
	followCtx, cancel := context.WithTimeout(ctx, f.cfg.timeout)
	defer cancel()
	tick := time.NewTicker(f.cfg.poll)
	defer tick.Stop()
	var followErr error
	for waiting > 0 && uploadErr == nil && followErr == nil {
		select {
		case <-followCtx.Done():
		case <-tick.C:
		}
		if ctx.Err() != nil {
			uploadErr = ctx.Err()
			break
		}
		if followCtx.Err() != nil {
			followErr = fmt.Errorf("%d record(s) have no outcome after %s", waiting, f.cfg.timeout)
			break
		}
		for ev, err := range f.client.ProvisioningLogs(followCtx, query) {
			if err != nil {
				if followCtx.Err() == nil {
					f.stderr.Println("inbound: reading the provisioning logs:", err)
				}
				break
			}
			if before[ev.ID] || ev.SourceIdentity == nil {
				continue
			}
			e := f.rows[ev.SourceIdentity.ID]
			if e == nil || e.State != stateUnknown {
				continue
			}
			fill(e, ev)
			f.record(e)
			waiting--
		}
	}
	if followErr != nil {
		f.stderr.Println("inbound:", followErr)
	}
	return f.report(ctx, records, start)
}

// fill copies an event's outcome into e.
func fill(e *entry, ev models.ProvisioningObjectSummary) {
	e.State = stateOutcome
	e.Action = string(ev.ProvisioningAction)
	e.ChangeID, e.CycleID, e.Reason = ev.ChangeID, ev.CycleID, ""
	if ev.TargetIdentity != nil {
		e.TargetID = ev.TargetIdentity.ID
	}
	if si := ev.ProvisioningStatusInfo; si != nil {
		e.Status = string(si.Status)
		if ei := si.ErrorInformation; ei != nil {
			e.ErrorCode, e.Reason, e.AdditionalDetails, e.RecommendedAction = ei.ErrorCode, ei.Reason, ei.AdditionalDetails, ei.RecommendedAction
		}
	}
}

func (f *follower) report(ctx context.Context, records []record, start time.Time) (int, error) {
	rows := make([]entry, 0, len(records))
	failed, unknown := 0, 0
	for _, r := range records {
		e := f.rows[r.user.ExternalID]
		if !e.final() {
			// Not final: a resumed run uploads it again.
			if f.jr != nil && f.writeErr == nil {
				e.Time = time.Now().UTC()
				f.writeErr = f.jr.Write(*e)
			}
			unknown++
		} else if !e.succeeded() {
			failed++
		}
		rows = append(rows, *e)
	}
	if f.cfg.jsonOut {
		f.stdout.JSON(rows)
	} else {
		printTable(f.stdout, rows)
	}
	f.stderr.Printf("%d record(s) in %s: %d failed or refused, %d without an outcome",
		len(rows), time.Since(start).Round(100*time.Millisecond), failed, unknown)
	if f.writeErr != nil {
		f.stderr.Println("inbound: journal:", f.writeErr)
		failed++
	}
	switch {
	case ctx.Err() != nil:
		f.stderr.Println("inbound: interrupted; run again with -resume to finish")
		return exitInterrupted, nil
	case failed > 0 || unknown > 0:
		return exitFailed, nil
	}
	return exitOK, nil
}

// printTable prints one row per record; the table cleans every cell (the
// HR values too), so that whatever the logs or the input hold is shown
// escaped and whole, on its row.
func printTable(w *report.Writer, rows []entry) {
	tw := w.Table("LINE", "EXTERNAL ID", "USER NAME", "ACTION", "STATUS", "ERROR CODE", "REASON", "RECOMMENDED ACTION")
	for _, r := range rows {
		status := r.Status
		if r.State != stateOutcome {
			status = r.State
		}
		tw.Row(r.Line, r.ExternalID, r.UserName, r.Action, status, r.ErrorCode, r.Reason, r.RecommendedAction)
	}
	tw.Flush()
}
