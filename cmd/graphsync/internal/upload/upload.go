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
// cleared). Lines starting with '#' are comments only before the header;
// after it, every line is a record, and its quotes are strict. An empty
// input, an externalId given twice, a repeated column, a quote out of
// place (one opened and never closed would swallow the lines after it),
// a cell that is not valid UTF-8 and a cell with a control character are
// errors, before anything is sent. With -map FILE the header names the
// HR system's own columns and the mapping file (package hrcsv: Mapping)
// says which SCIM attribute each becomes, with constants, joins,
// transforms and value tables. -validate checks that every attribute the
// mapping (or the header) sets is one the job's schema accepts (the
// attributes of its source directory, "API"), reads every record, and
// sends nothing: exit 0, or 2 naming what does not fit.
//
// # Daily runs: -state
//
// -state FILE keeps, per externalId, a fingerprint of the record Entra
// last accepted (success or skipped in the logs); its first line names
// the service principal and the job, and a state of another job is
// refused (exit 2). A run reads the export one record at a time and
// uploads only the new and changed records; the unchanged ones are
// counted. Records of the state that the export lacks are leavers, sent
// as {externalId, active: false} (never deleted; -leavers ignore sends
// none); an accepted leaver leaves the state. The brake refuses the run
// before anything is sent (exit 2, with the numbers) when the people it
// would disable (the leavers, and those the export now marks active=false
// whom the state holds as active) are more than -max-leavers (a count, or
// a percentage of the state; 5%), or
// the export is empty, has less than half the state's records, or does
// not end with a line break (cut short: read while still written, its
// last record maybe cut), unless -force.
//
// The state is written only from outcomes in the logs, atomically (a new
// file renamed over the old one), at the end of a run. Its journal
// (-journal FILE, or FILE.journal; the state, the export or the mapping by
// another path is refused, exit 2) is written as the run goes: a pending
// line for each record before the request that carries it, an outcome
// line as soon as the logs show one. The state remembers how much of the
// journal it holds (a byte count, and a digest of the journal's first
// bytes: a journal removed and written anew is read from its start); a
// run first takes in the outcomes written after that
// (a run killed before writing the state), and follows in the logs the
// records still pending there rather than sending them again, as long as
// today's export has the same content for them (their outcome is their
// first event since the pending line, less -skew). A record pending
// with other content than today's export has (or whose person the export
// no longer has, or has as the state does) is followed all the same, and
// the state takes its outcome: the killed run's upload may still be in
// Graph's pipeline, and its event says nothing of which content it is
// of, so today's content is sent only once that event is in, never taken
// for the new content's outcome. A run whose journal is another file
// than the one the state names (-journal given or dropped, the state
// renamed) is refused (exit 2, naming that journal) while that one holds
// lines the state has not taken in. A record pending without an outcome by
// -timeout is sent again by the run after. So a run killed at any point
// neither sends a record twice nor loses one; a run whose journal cannot
// be written (a full disk) sends nothing more. A run holds the lock of the
// state (an flock on FILE.lock, where the system has flock): a second run
// on the same state exits 2 before reading anything.
// -resume does not go with -state.
//
// # Retries
//
// When every record has an outcome (or -timeout passed), those that
// failed for a transient reason are sent again, up to -retry times (2),
// after -retry-wait (1m), doubled each time: Graph's errorCategory
// failure (the provisioning service's own), or an error code of a busy
// service (a timeout, throttling, an unavailable service). Other failures
// are the record's data: reported with Graph's reason and recommended
// action, not sent again (with -state, the next day's run sends them
// again, since the state did not take them).
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
// -journal and -resume finish one export: run, stop, run again with the
// same file until done. -state is for every day's export; its journal is
// the same format, with pending lines besides.
//
// -journal FILE appends one JSON line per record as its outcome is known,
// synced to disk, with the service principal and the job; records
// uploaded without an outcome before -timeout (unknown) and records not
// uploaded when the run stopped (not-uploaded) get a line at the end that
// is not final. -resume FILE skips the records with a final line there:
// an outcome, or rejected, a request whose content Graph refused (400,
// 413, 415, 422). A line counts only for the same record: each line holds
// a fingerprint of the record as uploaded (a SHA-256 of its SCIM JSON),
// and the last line of an externalId must be final and have the record's
// fingerprint (a later line that is not final means it is sent again), so the next day's export with a changed record (a leaver's
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
// With -state, the table of the records sent is followed by the end
// report: created, updated, disabled, skipped, unchanged, failed,
// retried, without an outcome; -json is then {"summary": {…}, "records":
// […]} instead of the array of records.
// Whatever the provisioning logs, Graph's errors or the HR records hold
// is shown, never interpreted by the terminal: in the table and every
// line on stderr, control and format characters (escape sequences, CR,
// LF, C1 controls, bidi overrides, zero-width characters) are written as
// escapes (\x1b, \n, \u202e), so that each record has exactly one row.
// -json and the journal write them as JSON escapes (\u001b, \u202e):
// they decode to the exact values.
//
// Exit status: 0 when every record succeeded or was skipped (or nothing
// was left to do); 1 when any failed, was refused or has no outcome, or
// the state could not be written; 2 for bad usage or configuration, or
// the brake (nothing sent); 3 when interrupted (Ctrl-C or SIGTERM). `go run` turns every non-zero status into 1: build the
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
	"strings"
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
	csvPath, mapPath        string
	journalPath, resumePath string
	statePath               string
	leavers, maxLeavers     string
	force, validate         bool
	retry                   int
	retryWait               time.Duration
	timeout, poll, skew     time.Duration
	timeoutFlag, pollFlag   bool
	retryWaitFlag           bool
	dailyFlags              []string // -leavers, -max-leavers, -force as given
}

func usagef(format string, a ...any) error { return cli.Usagef(format, a...) }

// Help is the command's -h text.
const Help = `Upload HR records to a job of API-driven inbound provisioning (bulkUpload, 50
records a request within Graph's 40 requests per second), then follow the
provisioning logs until every record has an outcome and print what Entra did
with each. Without configuration it runs the offline demo with a sample HR
export of 60 people.

-csv FILE (- for standard input) has a header of SCIM attributes, one per
column; externalId is required. -map FILE reads an export with the HR
system's own columns instead: a JSON object of SCIM attribute to its source,
a column ("WorkerID"), or {"column"|"join"|"constant", "transform" (trim,
lower, upper, date:DD/MM/YYYY), "values" (a table such as HR status to
true/false), "default"}. -validate checks the mapping (or the header) against
the attributes the job's schema accepts, reads every record, and sends
nothing.

Daily runs: -state FILE keeps, per externalId, a fingerprint of the record
Entra last accepted; a run uploads only new and changed records, and sends
the records of the state that today's export lacks as leavers (active=false;
-leavers ignore does not). A brake refuses the run, sending nothing (exit 2),
when the people it would disable (the leavers, and those the export now marks
active=false whom the state holds as active) are more than -max-leavers (a
count, or a percentage of the state), or the export is empty, less than half
the state, or cut short (no line break at its end), unless -force.
The state is written only from outcomes in the logs, atomically; its journal
(-journal, or FILE.journal) lets a run killed at any point resume without
sending anything twice.

Records that fail for a transient reason (Graph's errorCategory failure, or
an error code of a busy service) are sent again, up to -retry times, after
-retry-wait, doubled each time; data errors are reported with Graph's reason
and recommended action.

-journal FILE appends one line per record as its outcome is known; -resume
FILE skips the records already done there (the same record content; a changed
record is uploaded again): for finishing one export, where -state is for
every day's.

Exit status: 0 every record succeeded or was skipped, 1 any failed or has no
outcome by -timeout, 2 bad usage or configuration, or the brake (nothing
sent), 3 interrupted.`

// Command is graphsync upload.
func Command() *cli.Command {
	return &cli.Command{
		Name:    "upload",
		Summary: "upload HR records to API-driven inbound provisioning and follow them through the logs",
		Help:    Help,
		Flags: func(fs *flag.FlagSet, shared *cli.Config) cli.Run {
			cfg := &config{Config: shared}
			shared.Shared(fs, cli.UsesInboundJob|cli.UsesJSON)
			fs.StringVar(&cfg.csvPath, "csv", "", "HR records as CSV with a header of SCIM attributes, or of the columns -map names (- for standard input)")
			fs.StringVar(&cfg.mapPath, "map", "", "a mapping file (JSON) from the export's columns to SCIM attributes")
			fs.BoolVar(&cfg.validate, "validate", false, "check the mapping or header against the job's schema and read every record; send nothing")
			fs.StringVar(&cfg.journalPath, "journal", "", "append one JSON line per record as its outcome is known to this file")
			fs.StringVar(&cfg.resumePath, "resume", "", "skip the records that have a final line in this journal")
			fs.StringVar(&cfg.statePath, "state", "", "daily deltas: the state of what Entra accepted, per externalId; upload only new and changed records, and leavers")
			fs.StringVar(&cfg.leavers, "leavers", "disable", "with -state, records of the state absent from the export: disable (send active=false) or ignore")
			fs.StringVar(&cfg.maxLeavers, "max-leavers", "5%", "with -state, the most people a run disables (leavers, and people the export now marks active=false): a count, or a percentage of the state")
			fs.BoolVar(&cfg.force, "force", false, "with -state, run past the brake (too many leavers, an empty, shrunken or cut export)")
			fs.IntVar(&cfg.retry, "retry", 2, "send records that failed for a transient reason again, up to this many times")
			fs.DurationVar(&cfg.retryWait, "retry-wait", time.Minute, "wait before the first retry, doubled for each next one (demo: 1s)")
			fs.DurationVar(&cfg.timeout, "timeout", 40*time.Minute, "how long to follow the provisioning logs after an upload, every read of them included (demo: 30s)")
			fs.DurationVar(&cfg.poll, "poll", 30*time.Second, "how often to read the provisioning logs (demo: 250ms)")
			fs.DurationVar(&cfg.skew, "skew", 5*time.Minute, "read events from this long before the run, for clock differences")
			return func(ctx context.Context, inv *cli.Invocation) error {
				fs.Visit(func(f *flag.Flag) {
					switch f.Name {
					case "timeout":
						cfg.timeoutFlag = true
					case "poll":
						cfg.pollFlag = true
					case "retry-wait":
						cfg.retryWaitFlag = true
					case "leavers", "max-leavers", "force":
						cfg.dailyFlags = append(cfg.dailyFlags, "-"+f.Name)
					}
				})
				if cfg.timeout <= 0 || cfg.poll <= 0 || cfg.skew < 0 || cfg.retryWait <= 0 || cfg.retry < 0 {
					return usagef("-timeout, -poll and -retry-wait must be positive, -skew and -retry not negative")
				}
				p := &program{cfg: cfg, inv: inv, stdout: inv.Out, stderr: inv.Err}
				return cli.Exit(p.run(ctx, inv.Stdin))
			}
		},
	}
}

type program struct {
	cfg            *config
	inv            *cli.Invocation
	stdout, stderr *report.Writer
	mapping        *hrcsv.Mapping
}

// checkFlags refuses the flags that do not go together.
func (cfg *config) checkFlags() error {
	switch {
	case cfg.statePath != "" && cfg.resumePath != "":
		return usagef("-state and -resume do not go together: the state (and its journal) decide what is sent again")
	case cfg.statePath == "" && len(cfg.dailyFlags) > 0:
		return usagef("%s go with -state", strings.Join(cfg.dailyFlags, ", "))
	case cfg.validate && (cfg.statePath != "" || cfg.journalPath != "" || cfg.resumePath != ""):
		return usagef("-validate sends nothing: it takes no -state, -journal or -resume")
	case cfg.leavers != "disable" && cfg.leavers != "ignore":
		return usagef("-leavers %q: want disable or ignore", cfg.leavers)
	}
	if _, _, err := parseMaxLeavers(cfg.maxLeavers); err != nil {
		return err
	}
	return cfg.checkFiles()
}

func (p *program) run(ctx context.Context, stdin io.Reader) (int, error) {
	cfg := p.cfg
	demoMode := cfg.IsDemo()
	if err := p.inv.CheckConfig(); err != nil {
		return exitUsage, err
	}
	if err := cfg.checkFlags(); err != nil {
		return exitUsage, err
	}
	if cfg.mapPath != "" {
		f, err := os.Open(cfg.mapPath)
		if err != nil {
			return exitUsage, err
		}
		p.mapping, err = hrcsv.ParseMapping(cfg.mapPath, f)
		f.Close()
		if err != nil {
			return exitUsage, err
		}
	}
	if demoMode {
		if !cfg.timeoutFlag {
			cfg.timeout = 30 * time.Second
		}
		if !cfg.pollFlag {
			cfg.poll = 250 * time.Millisecond
		}
		if !cfg.retryWaitFlag {
			cfg.retryWait = time.Second
		}
	}
	if cfg.validate {
		return p.validateRun(ctx, stdin)
	}
	if cfg.statePath != "" {
		return p.runDaily(ctx, stdin)
	}
	records, _, err := p.readInput(stdin, demoMode)
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
	e, err := p.inv.Connect(nil)
	if err != nil {
		return exitUsage, err
	}
	defer e.Close()
	p.inv.DemoNotice(e)
	f := &follower{program: p, cfg: cfg, client: e.Client, sp: e.ServicePrincipalID, job: e.JobID, journalPath: cfg.journalPath}
	return f.run(ctx, records, nil)
}

// warn says on stderr what package jsonl warns of.
func (p *program) warn(msg string) { p.stderr.Println("inbound:", msg) }

// openInput opens -csv; only the demo has a sample to fall back on.
func (p *program) openInput(stdin io.Reader, demoMode bool) (string, io.Reader, func(), error) {
	switch {
	case p.cfg.csvPath == "" && (!demoMode || p.mapping != nil):
		return "", nil, nil, usagef("no records: give -csv FILE (or -csv - for standard input)")
	case p.cfg.csvPath == "":
		return demotenant.HRSampleName, bytes.NewReader(demotenant.HRSample), func() {}, nil
	case p.cfg.csvPath == "-":
		return "standard input", stdin, func() {}, nil
	}
	f, err := os.Open(p.cfg.csvPath)
	if err != nil {
		return "", nil, nil, &cli.UsageError{Msg: err.Error()}
	}
	return p.cfg.csvPath, f, func() { f.Close() }, nil
}

// readInput reads every record of -csv (with -map), refusing an
// externalId given twice and an input without a record; it returns the
// attributes the input sets too (hrcsv.Reader.Attributes).
func (p *program) readInput(stdin io.Reader, demoMode bool) ([]record, []string, error) {
	name, in, done, err := p.openInput(stdin, demoMode)
	if err != nil {
		return nil, nil, err
	}
	defer done()
	r, err := hrcsv.NewReader(name, in, p.mapping)
	if err != nil {
		return nil, nil, &cli.UsageError{Msg: err.Error()}
	}
	var out []record
	seen := map[string]int{}
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, &cli.UsageError{Msg: err.Error()}
		}
		if prev, dup := seen[rec.User.ExternalID]; dup {
			return nil, nil, &cli.UsageError{Msg: hrcsv.DuplicateError(name, rec, prev).Error()}
		}
		seen[rec.User.ExternalID] = rec.Line
		out = append(out, rec)
	}
	if len(out) == 0 {
		return nil, nil, &cli.UsageError{Msg: fmt.Sprintf("%s: %v (an empty or header-only CSV)", name, hrcsv.ErrNoRecords)}
	}
	return out, r.Attributes(), nil
}

// follower uploads the records and follows the logs.
type follower struct {
	*program
	cfg         *config
	client      *graphsync.Client
	sp, job     string
	journalPath string
	// st is -state (nil without): pending lines are journalled before
	// each request, and accepted outcomes update it.
	st    *state
	daily *plan

	jr       *journal
	writeErr error
	rows     map[string]*entry // by externalId
	recs     map[string]record // by externalId: what is sent again
	order    []string          // externalIds, in the order of the report
	before   map[string]bool   // event IDs logged before the run
	used     map[string]bool   // event IDs taken as an outcome
	query    models.ProvisioningLogQuery
	waiting  int
	retried  int
	stopped  bool // an upload met an error every later request would meet
	finalBuf []any
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

// record notes that e has changed; a final entry is journalled with the
// next flush.
func (f *follower) record(e *entry) {
	e.Time = time.Now().UTC()
	if f.jr != nil && e.final() {
		f.finalBuf = append(f.finalBuf, f.jr.line(*e))
	}
}

// flush writes the journal lines noted since the last flush, in one write.
func (f *follower) flush() {
	if f.jr != nil && f.writeErr == nil && len(f.finalBuf) > 0 {
		f.writeErr = f.jr.w.WriteAll(f.finalBuf...)
		f.journalFailed()
	}
	f.finalBuf = f.finalBuf[:0]
}

// journalFailed, when the journal has just failed (f.writeErr) in a run
// with -state, says so and stops the uploads: a record sent without its
// pending line would be sent again by the run after one that stops
// early, while it may still be in Graph's pipeline.
func (f *follower) journalFailed() {
	if f.writeErr == nil || f.st == nil || f.stopped {
		return
	}
	f.stderr.Println("inbound: journal:", f.writeErr)
	f.stderr.Println("inbound: stopped uploading: without the journal, a run that stops early could send records twice")
	f.stopped = true
}

// run uploads records, follows them and those of follow (sent by a run
// that was killed before their outcome) in the logs, sends the transient
// failures again, and reports.
func (f *follower) run(ctx context.Context, records, follow []record) (int, error) {
	start := time.Now()
	// What every request needs: a token and the job.
	if _, err := f.client.GetJob(ctx, f.sp, f.job); err != nil {
		if ctx.Err() != nil {
			return exitInterrupted, err
		}
		return exitUsage, fmt.Errorf("preflight: %w", err)
	}
	since := start.Add(-f.cfg.skew)
	f.rows = make(map[string]*entry, len(records)+len(follow))
	f.recs = make(map[string]record, len(records)+len(follow))
	for _, r := range follow {
		e := f.newEntry(r)
		pe := f.daily.pending[r.User.ExternalID]
		e.State, e.since, e.RequestID, e.Attempts = stateUnknown, pe.Time, pe.RequestID, 0
		if t := pe.Time.Add(-f.cfg.skew); t.Before(since) {
			since = t
		}
		f.waiting++
	}
	for _, r := range records {
		f.newEntry(r)
	}
	// Records a killed run sent with another content than today's, or
	// that today's export no longer holds: that content is followed
	// first, and today's sent once it has an outcome (see plan).
	var deferred []record
	var settled []entry
	if f.daily != nil {
		for _, r := range f.daily.supersede {
			since = f.followPending(f.daily.pending[r.User.ExternalID], since)
			f.recs[r.User.ExternalID] = r
			deferred = append(deferred, r)
		}
		for _, pe := range f.daily.settle {
			since = f.followPending(pe, since)
		}
		settled = f.daily.settle
	}
	f.query = models.ProvisioningLogQuery{JobID: f.job, After: since}
	// The job's events from before the upload are not outcomes of ours
	// (but those of the records a killed run sent may be).
	f.before, f.used = map[string]bool{}, map[string]bool{}
	for ev, err := range f.client.ProvisioningLogs(ctx, f.query) {
		if err != nil {
			if ctx.Err() != nil {
				return exitInterrupted, err
			}
			return exitUsage, fmt.Errorf("preflight: reading the provisioning logs: %w", err)
		}
		f.before[ev.Key()] = true
	}
	if f.journalPath != "" {
		var err error
		warn := f.warn
		if f.journalPath == f.cfg.resumePath || f.st != nil {
			warn = nil // -resume or -state read it and warned
		}
		if f.jr, err = openJournal(f.journalPath, f.sp, f.job, warn); err != nil {
			return exitUsage, err
		}
		defer f.jr.Close()
	}

	waiting := f.waiting
	n, uploadErr := f.upload(ctx, records, 0)
	f.stderr.Printf("Uploaded %d of %d record(s) in %d request(s) in %s; following the provisioning logs (up to %s).",
		f.waiting-waiting, len(records), n, time.Since(start).Round(10*time.Millisecond), f.cfg.timeout)
	if len(follow) > 0 {
		f.stderr.Printf("Following %d record(s) that a run which stopped early sent, without sending them again.", len(follow))
	}
	if k := len(deferred) + len(settled); k > 0 {
		f.stderr.Printf("Following %d record(s) that a run which stopped early sent with other content than today's export's (or for people it no longer has); "+
			"the state takes their outcome, and today's content (%d) is sent once they have one.", k, len(deferred))
	}
	if uploadErr == nil {
		uploadErr = f.follow(ctx)
	}
	if len(deferred) > 0 && ctx.Err() == nil {
		// What the killed run sent has an outcome now (or none by
		// -timeout): the state takes it, and today's content is sent.
		for _, r := range deferred {
			id := r.User.ExternalID
			e := f.rows[id]
			if fp, ok := parseFingerprint(e.Record); ok && e.accepted() {
				f.st.accept(id, fp, e.Leaver, e.Inactive)
			}
			*e = entry{Line: r.Line, ExternalID: id, UserName: r.User.UserName, Record: r.Fingerprint(), Leaver: f.daily.leaver[id],
				Inactive: inactive(r.User, f.daily.leaver[id]), State: stateNotUploaded}
		}
		if !f.stopped {
			waiting, sent := f.waiting, n
			n, uploadErr = f.upload(ctx, deferred, n)
			f.stderr.Printf("Uploaded %d of %d record(s) in %d request(s), now that what a run which stopped early sent of them has an outcome; following the provisioning logs (up to %s).",
				f.waiting-waiting, len(deferred), n-sent, f.cfg.timeout)
			if uploadErr == nil {
				uploadErr = f.follow(ctx)
			}
		}
	}
	for attempt := 1; attempt <= f.cfg.retry && uploadErr == nil && !f.stopped; attempt++ {
		var again []record
		for _, id := range f.order {
			// A record only followed (what a killed run sent, not in
			// today's export) is not sent: nothing of it is today's.
			if r, ok := f.recs[id]; ok {
				if e := f.rows[id]; e.State == stateOutcome && e.Transient && !e.succeeded() {
					again = append(again, r)
				}
			}
		}
		if len(again) == 0 {
			break
		}
		wait := retryWait(f.cfg.retryWait, attempt)
		f.stderr.Printf("Retry %d of %d: %d record(s) failed for a transient reason; sending them again in %s.", attempt, f.cfg.retry, len(again), wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			uploadErr = ctx.Err()
			continue
		case <-t.C:
		}
		for _, r := range again {
			e := f.rows[r.User.ExternalID]
			if e.Attempts <= 1 { // the first retry of this record
				f.retried++
			}
			*e = entry{Line: e.Line, ExternalID: e.ExternalID, UserName: e.UserName, Record: e.Record, Leaver: e.Leaver,
				Inactive: e.Inactive, Attempts: e.Attempts, State: stateNotUploaded}
		}
		if _, uploadErr = f.upload(ctx, again, n); uploadErr == nil {
			uploadErr = f.follow(ctx)
		}
	}
	return f.report(ctx, start)
}

// followPending adds the row of what a killed run sent (its pending line
// pe), to follow in the logs: its outcome is its first event from when it
// was sent (less -skew) on. It returns since, or that time if earlier.
func (f *follower) followPending(pe entry, since time.Time) time.Time {
	e := &entry{Line: pe.Line, ExternalID: pe.ExternalID, UserName: pe.UserName, Record: pe.Record, Leaver: pe.Leaver,
		Inactive: pe.Inactive, State: stateUnknown, RequestID: pe.RequestID, since: pe.Time}
	f.rows[e.ExternalID] = e
	f.order = append(f.order, e.ExternalID)
	f.waiting++
	if t := pe.Time.Add(-f.cfg.skew); t.Before(since) {
		return t
	}
	return since
}

// newEntry adds the row of r, not uploaded.
func (f *follower) newEntry(r record) *entry {
	e := &entry{Line: r.Line, ExternalID: r.User.ExternalID, UserName: r.User.UserName, Record: r.Fingerprint(), State: stateNotUploaded}
	if f.daily != nil {
		e.Leaver = f.daily.leaver[r.User.ExternalID]
		e.Inactive = inactive(r.User, e.Leaver)
	}
	f.rows[e.ExternalID] = e
	f.recs[e.ExternalID] = r
	f.order = append(f.order, e.ExternalID)
	return e
}

// upload sends records, 50 a request, paced by the client's bulkUpload
// limiter; n is how many requests this run sent before. It returns how
// many it has sent in all, and the context's error if it ended.
func (f *follower) upload(ctx context.Context, records []record, n int) (int, error) {
	users := func(yield func(models.SCIMUser) bool) {
		for _, r := range records {
			if !yield(r.User) {
				return
			}
		}
	}
	for req := range models.BulkUploadChunks(iter.Seq[models.SCIMUser](users)) {
		n++
		for _, op := range req.Operations {
			e := f.rows[op.Data.ExternalID]
			e.Attempts++
			e.State, e.Time = statePending, time.Now().UTC()
		}
		if f.st != nil && f.jr != nil {
			// Before the request: a run killed from here on leaves the
			// records pending, and the next one follows them in the logs
			// rather than sending them again. Once the journal has
			// failed (here, or writing outcomes), nothing more is sent.
			if f.writeErr == nil {
				lines := make([]any, len(req.Operations))
				for i, op := range req.Operations {
					lines[i] = f.jr.line(*f.rows[op.Data.ExternalID])
				}
				f.writeErr = f.jr.w.WriteAll(lines...)
				f.journalFailed()
			}
			if f.writeErr != nil {
				f.stopped = true
				for _, op := range req.Operations {
					f.rows[op.Data.ExternalID].State = stateNotUploaded
				}
				return n - 1, nil
			}
		}
		rc, err := f.client.BulkUpload(ctx, f.sp, f.job, req)
		var re *graphsync.ResponseError
		var stopErr error
		switch {
		case ctx.Err() != nil:
			// Maybe sent: the records stay pending (with -state, their
			// journal lines say so, and the next run follows them).
			return n, ctx.Err()
		case err == nil:
			for _, op := range req.Operations {
				e := f.rows[op.Data.ExternalID]
				e.State, e.RequestID = stateUnknown, rc.RequestID
				f.waiting++
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
			f.flush()
		case errors.As(err, &re) && re.StatusCode >= 400 && re.StatusCode < 500:
			// Refused for the job, the permission or the pace (401, 403,
			// 404, 408, 409, 429…): every later request would meet it
			// too. Its records stay not-uploaded (not final), as do the
			// rest; a resumed run sends them once it is fixed.
			for _, op := range req.Operations {
				e := f.rows[op.Data.ExternalID]
				e.State, e.ErrorCode, e.Reason, e.RequestID = stateNotUploaded, re.Code, re.Message, re.RequestID
				if e.Reason == "" {
					e.Reason = re.Error()
				}
			}
			stopErr = fmt.Errorf("request %d: %w", n, err)
		case errors.Is(err, graphsync.ErrCredential):
			// No token, nothing sent: its records stay not-uploaded.
			for _, op := range req.Operations {
				e := f.rows[op.Data.ExternalID]
				e.State, e.Reason = stateNotUploaded, err.Error()
			}
			stopErr = fmt.Errorf("request %d: %w", n, err)
		case re == nil && !errors.Is(err, graphsync.ErrInvalidInput):
			// A transport error: Graph may have staged the request, so
			// its records are watched in the logs; the next requests
			// would most likely fail the same way.
			for _, op := range req.Operations {
				e := f.rows[op.Data.ExternalID]
				e.State, e.Reason = stateUnknown, err.Error()
				f.waiting++
			}
			stopErr = fmt.Errorf("request %d: %w", n, err)
		default:
			// Graph may have staged it: watch the logs for its records.
			f.stderr.Printf("inbound: request %d: %v (its records are watched in the logs anyway)", n, err)
			for _, op := range req.Operations {
				e := f.rows[op.Data.ExternalID]
				e.State, e.Reason = stateUnknown, err.Error()
				f.waiting++
			}
		}
		if stopErr != nil {
			f.stderr.Println("inbound:", stopErr)
			f.stderr.Println("inbound: stopped uploading; the records not uploaded are not final: fix the cause and run again")
			f.stopped = true
			return n, nil
		}
	}
	return n, nil
}

// follow reads the logs until every record sent has an outcome, or
// -timeout passes: every read of the logs runs under the deadline, so a
// read that stalls or a walk whose nextLink never ends is cut there. It
// returns the context's error if it ended.
func (f *follower) follow(ctx context.Context) error {
	followCtx, cancel := context.WithTimeout(ctx, f.cfg.timeout)
	defer cancel()
	tick := time.NewTicker(f.cfg.poll)
	defer tick.Stop()
	for f.waiting > 0 {
		select {
		case <-followCtx.Done():
		case <-tick.C:
		}
		if ctx.Err() != nil {
			f.flush()
			return ctx.Err()
		}
		if followCtx.Err() != nil {
			f.stderr.Printf("inbound: %d record(s) have no outcome after %s", f.waiting, f.cfg.timeout)
			return nil
		}
		for ev, err := range f.client.ProvisioningLogs(followCtx, f.query) {
			if err != nil {
				if followCtx.Err() == nil {
					f.stderr.Println("inbound: reading the provisioning logs:", err)
				}
				break
			}
			if f.used[ev.ID] || ev.SourceIdentity == nil {
				continue
			}
			e := f.rows[ev.SourceIdentity.ID]
			switch {
			case e == nil || e.State != stateUnknown:
				continue
			case e.since.IsZero() && f.before[ev.Key()]:
				continue // there before this run sent it
			case !e.since.IsZero() && ev.ActivityDateTime.Before(e.since.Add(-f.cfg.skew)):
				continue // before a killed run sent it
			}
			f.used[ev.ID] = true
			fill(e, ev)
			f.record(e)
			f.waiting--
		}
		f.flush()
	}
	return nil
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
			e.ErrorCategory, e.ErrorCode, e.Reason, e.AdditionalDetails, e.RecommendedAction =
				string(ei.ErrorCategory), ei.ErrorCode, ei.Reason, ei.AdditionalDetails, ei.RecommendedAction
			e.Transient = !e.succeeded() && transientFailure(ei.ErrorCategory, ei.ErrorCode)
		}
	}
}

func (f *follower) report(ctx context.Context, start time.Time) (int, error) {
	rows := make([]entry, 0, len(f.order))
	var notFinal []any
	interrupted := ctx.Err() != nil
	for _, id := range f.order {
		e := f.rows[id]
		if !e.final() {
			// Not final: a resumed run uploads it again, except (with
			// -state) the records sent, or maybe sent, when the run was
			// interrupted: their pending lines stay the last, and the
			// next run follows them in the logs first.
			inFlight := e.State == statePending || e.State == stateUnknown
			if e.State == statePending && !(f.st != nil && interrupted) {
				e.State = stateNotUploaded
			}
			if f.jr != nil && !(f.st != nil && interrupted && inFlight) {
				e.Time = time.Now().UTC()
				notFinal = append(notFinal, f.jr.line(*e))
			}
		}
		rows = append(rows, *e)
	}
	if f.jr != nil && f.writeErr == nil {
		f.writeErr = f.jr.w.WriteAll(notFinal...)
	}
	sum := summarize(rows, f.retried, f.daily)
	if f.st != nil {
		if err := f.saveState(rows); err != nil {
			f.stderr.Println("inbound: state:", err)
			sum.StateError = err.Error()
		}
	}
	switch {
	case f.cfg.JSON && f.daily != nil:
		f.stdout.JSON(dailyReport{Summary: sum, Records: rows})
	case f.cfg.JSON:
		f.stdout.JSON(rows)
	default:
		printTable(f.stdout, rows)
		if f.daily != nil {
			printSummary(f.stdout, sum)
		}
	}
	f.stderr.Printf("%d record(s) in %s: %d failed or refused, %d without an outcome; %s",
		len(rows), time.Since(start).Round(100*time.Millisecond), sum.Failed, sum.WithoutOutcome, sum.line())
	failed := sum.Failed
	if f.writeErr != nil {
		f.stderr.Println("inbound: journal:", f.writeErr)
		failed++
	}
	if sum.StateError != "" {
		failed++
	}
	switch {
	case ctx.Err() != nil:
		f.stderr.Println("inbound: interrupted; run again to finish")
		return exitInterrupted, nil
	case failed > 0 || sum.WithoutOutcome > 0:
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
		line := any(r.Line)
		if r.Leaver {
			line = "leaver"
		}
		tw.Row(line, r.ExternalID, r.UserName, r.Action, status, r.ErrorCode, r.Reason, r.RecommendedAction)
	}
	tw.Flush()
}
