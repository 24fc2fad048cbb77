// Package upload is graphsync upload: it provisions users from HR
// records through API-driven inbound provisioning. It uploads them to a
// synchronization job with bulkUpload, in requests of 50 within Graph's
// limit of 40 requests per second, then follows the provisioning logs
// until every record has an outcome (or -timeout passes) and reports what
// the provisioning service did with each: created, updated, disabled,
// skipped or failed, with the error and the recommended action.
//
// # Input
//
// A CSV file (-csv FILE, or -csv - for standard input) whose header names
// one SCIM attribute per column, read by package hrcsv (its documentation
// lists the columns); externalId (the person's ID in the HR system) is
// required, and an empty cell leaves its attribute out (it is not
// cleared). An empty input, an externalId given twice, a repeated column,
// a cell that is not valid UTF-8 and a cell with a control character are
// errors, before anything is sent.
//
// # Real Graph or the demo
//
// It runs against real Graph when the configuration names it (package
// cli: any AZURE_* or GRAPHSYNC_* variable that is set, even empty, -sp or
// -job). Then the service principal and the job of the API-driven
// provisioning app are required (the credential needs
// SynchronizationData-User.Upload and AuditLog.Read.All), and anything
// missing ends the command with exit status 2 before anything is sent.
// With none of them (or with -demo) it runs the offline demo against an
// in-process fake Graph with the demo's sample HR export (or -csv), and
// says so.
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
// command where the status matters.
package upload

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/demotenant"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/hrcsv"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/report"
	"github.com/graphsync/graphsync/models"
)

const (
	exitOK          = cli.ExitOK
	exitFailed      = cli.ExitFailed
	exitUsage       = cli.ExitUsage
	exitInterrupted = cli.ExitInterrupted
)

// record is an HR record.
type record = hrcsv.Record

type config struct {
	*cli.Config
	csvPath                 string
	journalPath, resumePath string
	timeout, poll, skew     time.Duration
	timeoutFlag, pollFlag   bool
}

func usagef(format string, a ...any) error { return cli.Usagef(format, a...) }

// Help is the command's -h text.
const Help = `Upload HR records to a job of API-driven inbound provisioning (bulkUpload, 50
records a request within Graph's 40 requests per second), then follow the
provisioning logs until every record has an outcome and print what Entra did
with each. Without configuration it runs the offline demo with a sample HR
export of 60 people.

-csv FILE (- for standard input) has a header of SCIM attributes, one per
column; externalId is required. -journal FILE appends one line per record as
its outcome is known; -resume FILE skips the records already done there (the
same record content; a changed record is uploaded again).

Exit status: 0 every record succeeded or was skipped, 1 any failed or has no
outcome by -timeout, 2 bad usage or configuration (nothing sent), 3
interrupted.`

// Command is graphsync upload.
func Command() *cli.Command {
	return &cli.Command{
		Name:    "upload",
		Summary: "upload HR records to API-driven inbound provisioning and follow them through the logs",
		Help:    Help,
		Flags: func(fs *flag.FlagSet, shared *cli.Config) cli.Run {
			cfg := &config{Config: shared}
			shared.Shared(fs, cli.UsesInboundJob|cli.UsesJSON)
			fs.StringVar(&cfg.csvPath, "csv", "", "HR records as CSV with a header of SCIM attributes (- for standard input)")
			fs.StringVar(&cfg.journalPath, "journal", "", "append one JSON line per record as its outcome is known to this file")
			fs.StringVar(&cfg.resumePath, "resume", "", "skip the records that have a final line in this journal")
			fs.DurationVar(&cfg.timeout, "timeout", 40*time.Minute, "how long to follow the provisioning logs after the upload, every read of them included (demo: 30s)")
			fs.DurationVar(&cfg.poll, "poll", 30*time.Second, "how often to read the provisioning logs (demo: 250ms)")
			fs.DurationVar(&cfg.skew, "skew", 5*time.Minute, "read events from this long before the run, for clock differences")
			return func(ctx context.Context, inv *cli.Invocation) error {
				fs.Visit(func(f *flag.Flag) {
					switch f.Name {
					case "timeout":
						cfg.timeoutFlag = true
					case "poll":
						cfg.pollFlag = true
					}
				})
				if cfg.timeout <= 0 || cfg.poll <= 0 || cfg.skew < 0 {
					return usagef("-timeout and -poll must be positive, -skew not negative")
				}
				p := &program{cfg: cfg, inv: inv, stdout: inv.Out, stderr: inv.Err}
				code, err := p.run(ctx, inv.Stdin)
				var ue *cli.UsageError
				if errors.As(err, &ue) {
					err = errors.New(ue.Msg)
				}
				return cli.Exit(code, err)
			}
		},
	}
}

type program struct {
	cfg            *config
	inv            *cli.Invocation
	stdout, stderr *report.Writer
}

func (p *program) run(ctx context.Context, stdin io.Reader) (int, error) {
	cfg := p.cfg
	demoMode := cfg.IsDemo()
	if err := p.inv.CheckConfig(); err != nil {
		return exitUsage, err
	}
	records, err := p.readInput(stdin, demoMode)
	if err != nil {
		return exitUsage, err
	}
	skipped := 0
	if cfg.resumePath != "" {
		// The demo's job is new in every run: its journal is not checked.
		sp, job := cfg.ServicePrincipalID, cfg.JobID
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
			fp, ok := done[r.User.ExternalID]
			switch {
			case !ok:
			case fp == "":
				older++
			case fp != r.Fingerprint():
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
		if cfg.JSON {
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
	e, err := p.inv.Connect(nil)
	if err != nil {
		return exitUsage, err
	}
	defer e.Close()
	p.inv.DemoNotice(e)
	f := &follower{program: p, cfg: cfg, client: e.Client, sp: e.ServicePrincipalID, job: e.JobID}
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
		return hrcsv.Read(demotenant.HRSampleName, bytes.NewReader(demotenant.HRSample))
	case p.cfg.csvPath == "-":
		return wrapUsage(hrcsv.Read("standard input", stdin))
	}
	f, err := os.Open(p.cfg.csvPath)
	if err != nil {
		return nil, &cli.UsageError{Msg: err.Error()}
	}
	defer f.Close()
	return wrapUsage(hrcsv.Read(p.cfg.csvPath, f))
}

func wrapUsage(r []record, err error) ([]record, error) {
	if err != nil {
		return nil, &cli.UsageError{Msg: err.Error()}
	}
	return r, nil
}

// follower uploads the records and follows the logs.
type follower struct {
	*program
	cfg     *config
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
		f.rows[r.User.ExternalID] = &entry{Line: r.Line, ExternalID: r.User.ExternalID, UserName: r.User.UserName,
			Record: r.Fingerprint(), State: stateNotUploaded}
	}

	// Upload, 50 records a request, paced by the client's bulkUpload
	// limiter.
	waiting := 0
	users := func(yield func(models.SCIMUser) bool) {
		for _, r := range records {
			if !yield(r.User) {
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
		e := f.rows[r.User.ExternalID]
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
	if f.cfg.JSON {
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
