// Package provision is graphsync provision: it provisions a list of
// users and groups on demand
// through one synchronization job, within Graph's limit of 5 requests per
// 10 seconds, and reports what Graph did with each.
//
// Subjects come from -subject flags (TYPE:ID, or Group:ID=MEMBER;MEMBER)
// or a CSV file (-csv FILE, or -csv - for standard input) with the columns
// ruleId,objectId,objectTypeName and an optional fourth column of member
// IDs separated by ';'; a cell that is not valid UTF-8 or holds a
// control character (TAB included) or a bidi control is refused with its
// line and column. An empty ruleId means -rule, or, without -rule,
// the rule the job's schema has for the subject's type. A subject listed
// twice is sent once; the second is reported as a duplicate. A group with
// more than 5 members is sent in several requests (Graph's limit).
//
// # Real Graph or the demo
//
// It runs against real Graph when the configuration names it (package
// cli: any AZURE_* or GRAPHSYNC_* variable, even an empty one, -sp or
// -job). Then the service principal and the job are required, and
// anything missing ends the command with exit status 2 before anything is
// sent, saying what is missing and that -demo runs the demo. With none of
// them (or with -demo), it runs the offline demo against an in-process
// fake Graph, with the limit shortened to 5 per second, and says so.
// -rate N/DURATION paces provisionOnDemand more slowly than Graph's 5 per
// 10 s, to leave room for other tools sharing the budget (or faster, for
// a fake Graph such as graphsync fake-graph -fast).
//
// Before the first subject it checks what would make every request fail:
// a token, the job (GetJob), and the rule. A configuration failure there
// exits 2, a server failure 1; nothing is sent either way. -dry-run stops
// there and prints the plan.
//
// # Journal and resume
//
// -journal FILE appends one JSON line per input subject as it ends, synced
// to disk: its state (answered, failed, unknown, duplicate, or
// not-attempted, the only state that is not final), Graph's result, error
// code and whole message, recommended action and request-id. -resume FILE
// skips the input subjects that already have a final line there (a subject
// listed twice needs two), and refuses a journal of another job. A subject
// refused because of the caller (401, 403, 404, no token) stays
// not-attempted, so that a resumed run sends it once that is fixed. Give both the same file to run, be killed at
// any moment, and run again until done: every input line ends with exactly
// one final line. A subject in flight when the process died has no line
// and is sent again (Graph answers Skipped if it was already done).
//
// A journal is created 0600 and opened only as the file itself: a path
// that is a symbolic link is refused (exit status 2, nothing sent), for
// -journal and -resume alike, and a journal its group or others may read
// gets a warning on stderr.
//
// # Output
//
// The table (or -json) goes to stdout, with Graph's whole error message
// and recommended action; progress, errors and -v's log go to stderr.
// Whatever Graph or the input holds is shown, never interpreted by the
// terminal: in the table, the dry-run plan and every line on stderr,
// control and format characters (escape sequences, CR, LF, TAB, C1
// controls, bidi overrides) are written as escapes (\x1b, \n, \u202e),
// so that each subject has exactly one row, and IDs of Graph's in the
// plan are quoted. -json and the journal write them as JSON escapes
// (\u001b, \u202e): they decode to Graph's exact values.
//
// Exit status: 0 when every subject succeeded, was skipped or was a
// duplicate (or nothing was left to do); 1 when any failed or was not
// attempted (the run stopped, or Graph refused the caller for it); 2 for
// bad usage or configuration (nothing sent); 3 when interrupted (Ctrl-C or
// SIGTERM): what was done is reported and what was not attempted is
// listed. `go run` turns every non-zero status into 1: build the command
// where the status matters.
package provision

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/demotenant"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/report"
	"github.com/graphsync/graphsync/internal/printable"
	"github.com/graphsync/graphsync/models"
	"github.com/graphsync/graphsync/ratelimit"
)

const (
	exitOK          = cli.ExitOK
	exitFailed      = cli.ExitFailed
	exitUsage       = cli.ExitUsage
	exitInterrupted = cli.ExitInterrupted
)

type config struct {
	*cli.Config
	rule, csvPath           string
	subjects                []string
	noProgress, dryRun      bool
	journalPath, resumePath string
	rate                    rate
}

// rate is -rate: N starts in any window of D.
type rate struct {
	n int
	d time.Duration
}

func (r *rate) String() string {
	if r.n == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%s", r.n, r.d)
}

func (r *rate) Set(s string) error {
	n, d, ok := strings.Cut(s, "/")
	count, err := strconv.Atoi(n)
	if !ok || err != nil || count < 1 {
		return fmt.Errorf("%q: want N/DURATION, e.g. 5/10s", s)
	}
	window, err := time.ParseDuration(d)
	if err != nil || window <= 0 {
		return fmt.Errorf("%q: want N/DURATION, e.g. 5/10s", s)
	}
	r.n, r.d = count, window
	return nil
}

// Help is the command's -h text.
const Help = `Provision users and groups on demand through one synchronization job, within
Graph's limit of 5 requests per 10 seconds, and report what Graph did with each.

Subjects come from -subject (TYPE:ID, or Group:ID=MEMBER;MEMBER) or -csv FILE
(- for standard input) with the columns ruleId,objectId,objectTypeName and an
optional fourth of member IDs separated by ';'. An empty ruleId means -rule, or
the rule the job's schema has for the subject's type. Without configuration it
runs the offline demo with 23 sample subjects.

Before the first subject it checks the token, the job and the rule; -dry-run
stops there and prints the plan. -journal FILE appends one line per subject as
it ends; -resume FILE skips the subjects already done there.

Exit status: 0 every subject succeeded or was skipped, 1 any failed or was not
attempted, 2 bad usage or configuration (nothing sent), 3 interrupted.`

// Command is graphsync provision.
func Command() *cli.Command {
	return &cli.Command{
		Name:    "provision",
		Summary: "provision users and groups on demand, paced, with a journal to resume from",
		Help:    Help,
		Flags: func(fs *flag.FlagSet, shared *cli.Config) cli.Run {
			cfg := &config{Config: shared}
			shared.Shared(fs, cli.UsesJob|cli.UsesJSON)
			fs.StringVar(&cfg.rule, "rule", "", "rule ID from the job's schema (default $GRAPHSYNC_RULE_ID, else found in the schema)")
			fs.StringVar(&cfg.csvPath, "csv", "", "CSV file (- for standard input): ruleId,objectId,objectTypeName[,members separated by ;]")
			fs.Func("subject", "TYPE:ID or Group:ID=MEMBER;MEMBER (repeatable)", func(s string) error {
				cfg.subjects = append(cfg.subjects, s)
				return nil
			})
			fs.BoolVar(&cfg.noProgress, "no-progress", false, "no progress bar (there is none unless stderr is a terminal)")
			fs.BoolVar(&cfg.dryRun, "dry-run", false, "check the configuration, the job, the rule and the input, print the plan, send nothing")
			fs.StringVar(&cfg.journalPath, "journal", "", "append one JSON line per input subject as it ends to this file")
			fs.StringVar(&cfg.resumePath, "resume", "", "skip the input subjects that have a final line in this journal")
			fs.Var(&cfg.rate, "rate", "provisionOnDemand pace, N/DURATION (default Graph's 5/10s, the demo's 5/1s; faster meets 429s from Graph)")
			return func(ctx context.Context, inv *cli.Invocation) error {
				ruleGiven := false
				fs.Visit(func(f *flag.Flag) { ruleGiven = ruleGiven || f.Name == "rule" })
				if !ruleGiven {
					cfg.rule = os.Getenv("GRAPHSYNC_RULE_ID")
				}
				p := &program{cfg: cfg, inv: inv, stdout: inv.Out, stderr: inv.Err}
				if f, ok := inv.Stderr().(*os.File); ok && !cfg.noProgress && term.IsTerminal(int(f.Fd())) {
					p.bar = f
				}
				return cli.Exit(p.run(ctx, inv.Stdin))
			}
		},
	}
}

func usagef(format string, a ...any) error { return cli.Usagef(format, a...) }

type program struct {
	cfg            *config
	inv            *cli.Invocation
	stdout, stderr *report.Writer
	// bar is the terminal the progress bar is drawn on, or nil.
	bar io.Writer

	client  *graphsync.Client
	sp, job string
}

func (p *program) run(ctx context.Context, stdin io.Reader) (int, error) {
	cfg := p.cfg
	demoMode := cfg.IsDemo()
	if err := p.inv.CheckConfig(); err != nil {
		return exitUsage, err
	}
	subjects, err := p.readInput(stdin, demoMode)
	if err != nil {
		return exitUsage, err
	}
	var opts graphsync.ClientOptions
	if cfg.rate.n > 0 {
		opts.Limiter = ratelimit.New(cfg.rate.n, cfg.rate.d)
	}
	env, err := p.inv.Connect(&opts)
	if err != nil {
		return exitUsage, err
	}
	defer env.Close()
	p.client, p.sp, p.job = env.Client, env.ServicePrincipalID, env.JobID
	if demoMode {
		p.inv.DemoNotice(env)
		p.stderr.Println("Demo only: the fake and the limiter use 5 requests per 1 s instead of Graph's 5 per 10 s.")
	}

	plan, err := p.preflight(ctx, subjects)
	if err != nil && ctx.Err() != nil {
		p.listNotAttempted(subjects)
		return exitInterrupted, fmt.Errorf("interrupted during the preflight: %w", ctx.Err())
	}
	if err != nil {
		var ue *cli.UsageError
		if errors.As(err, &ue) || errors.Is(err, graphsync.ErrCredential) || errors.Is(err, graphsync.ErrNotFound) ||
			errors.Is(err, graphsync.ErrUnauthorized) || errors.Is(err, graphsync.ErrForbidden) || errors.Is(err, graphsync.ErrInvalidInput) {
			return exitUsage, fmt.Errorf("preflight: %w", err)
		}
		return exitFailed, fmt.Errorf("preflight: %w", err)
	}
	if cfg.resumePath != "" {
		if err := plan.resume(cfg.resumePath, p.stderr, p.warn, p.sp, p.job, demoMode); err != nil {
			return exitUsage, err
		}
	}
	if cfg.dryRun {
		plan.print(p.stdout, cfg.JSON)
		return exitOK, nil
	}
	if len(plan.todo) == 0 && len(plan.dupOf) == 0 {
		p.stderr.Println("Nothing left to do.")
		if cfg.JSON {
			p.stdout.JSON([]entry{})
		}
		return exitOK, nil
	}
	return p.provision(ctx, plan)
}

// readInput reads the subjects from -subject and -csv; only the demo has
// a sample list to fall back on.
func (p *program) readInput(stdin io.Reader, demoMode bool) ([]subject, error) {
	cfg := p.cfg
	var out []subject
	for i, s := range cfg.subjects {
		sub, err := parseSubjectFlag(s)
		if err != nil {
			return nil, &cli.UsageError{Msg: err.Error()}
		}
		out = append(out, subject{source: "-subject", line: i + 1, sub: sub})
	}
	if cfg.csvPath != "" {
		name, in := cfg.csvPath, stdin
		if name == "-" {
			name = "standard input"
		} else {
			f, err := os.Open(cfg.csvPath)
			if err != nil {
				return nil, &cli.UsageError{Msg: err.Error()}
			}
			defer f.Close()
			in = f
		}
		rows, err := readCSV(name, in)
		if err != nil {
			return nil, &cli.UsageError{Msg: err.Error()}
		}
		out = append(out, rows...)
	}
	if len(out) == 0 {
		if !demoMode {
			return nil, usagef("no subjects: give -subject or -csv")
		}
		for i, s := range demotenant.SampleSubjects() {
			out = append(out, subject{source: "sample", line: i + 1, sub: s})
		}
	}
	for i := range out {
		out[i].seq = i
	}
	return out, nil
}

// work is one input subject to provision: its requests (more than one
// for a group of more than 5 members).
type work struct {
	subject
	reqs []models.ProvisionRequest
}

// plan is what a run will do.
type plan struct {
	jobDesc string
	todo    []work
	dups    map[int]int // index in todo -> later duplicates of it (count)
	dupOf   []subject   // the duplicates, in input order
	rules   map[string]string
	skipped int // by -resume
}

// preflight checks what every request needs (a token, the job, the rule)
// and builds the plan.
func (p *program) preflight(ctx context.Context, subjects []subject) (*plan, error) {
	job, err := p.client.GetJob(ctx, p.sp, p.job)
	if err != nil {
		return nil, err
	}
	pl := &plan{rules: map[string]string{}, dups: map[int]int{}}
	// The job's ID, template and status are Graph's: quoted, so that
	// where they begin and end is plain.
	pl.jobDesc = fmt.Sprintf("job %s (template %s", printable.Quote(job.ID, maxQuoted), printable.Quote(job.TemplateID, maxQuoted))
	if job.Status != nil && job.Status.Code != "" {
		pl.jobDesc += ", status " + printable.Quote(string(job.Status.Code), maxQuoted)
	}
	pl.jobDesc += ") of service principal " + p.sp
	var schema *models.SynchronizationSchema
	ruleFor := func(typ string) (string, error) {
		if p.cfg.rule != "" {
			return p.cfg.rule, nil
		}
		if r, ok := pl.rules[strings.ToLower(typ)]; ok {
			return r, nil
		}
		if schema == nil {
			if schema, err = p.client.GetJobSchema(ctx, p.sp, p.job); err != nil {
				return "", fmt.Errorf("reading the job's schema to find the rule (or give -rule): %w", err)
			}
		}
		r, err := schema.RuleFor(typ)
		if err != nil {
			return "", usagef("no rule for %s subjects (give -rule or a ruleId column): %v", typ, err)
		}
		pl.rules[strings.ToLower(typ)] = r
		return r, nil
	}
	first := map[string]int{} // key -> index in todo
	for _, s := range subjects {
		if s.rule == "" {
			if s.rule, err = ruleFor(s.sub.ObjectTypeName); err != nil {
				return nil, err
			}
		}
		if i, ok := first[s.key()]; ok {
			pl.dups[i]++
			pl.dupOf = append(pl.dupOf, s)
			continue
		}
		w := work{subject: s}
		for _, part := range s.sub.SplitMembers() {
			req := models.NewProvisionRequest(s.rule, part)
			if err := req.Validate(); err != nil {
				return nil, usagef("line %d (%s): %v", s.line, s.sub.ObjectID, err)
			}
			w.reqs = append(w.reqs, req)
		}
		first[s.key()] = len(pl.todo)
		pl.todo = append(pl.todo, w)
	}
	return pl, nil
}

// resume drops from the plan the subjects the journal already ended,
// counting occurrences: a subject listed twice needs two final lines.
//
// A journal of another job is refused: its subjects were not provisioned
// through this one. The demo creates a new job in every run, so there the
// check is not made.
func (pl *plan) resume(path string, stderr *report.Writer, warn func(string), sp, job string, demoMode bool) error {
	counts, torn, jobs, err := readJournal(path, warn)
	if err != nil {
		return usagef("resume: %v", err)
	}
	if !demoMode {
		for j := range jobs {
			if j != sp+"/"+job {
				return usagef("resume: %s records job %s, not %s/%s; give a journal of this job", path, j, sp, job)
			}
		}
	}
	if torn > 0 {
		stderr.Printf("resume: ignored %d unreadable line(s) of %s (a write cut short); those subjects are sent again", torn, path)
	}
	take := func(key string) bool {
		if counts[key] > 0 {
			counts[key]--
			pl.skipped++
			return true
		}
		return false
	}
	// Walk the input order: originals and duplicates as they were listed.
	var todo []work
	newIndex := map[int]int{}
	for i, w := range pl.todo {
		if !take(w.key()) {
			newIndex[i] = len(todo)
			todo = append(todo, w)
		}
	}
	var dupOf []subject
	dups := map[int]int{}
	for _, d := range pl.dupOf {
		if take(d.key()) {
			continue
		}
		dupOf = append(dupOf, d)
		// A duplicate whose original was already done is reported as a
		// duplicate at once; otherwise after its original.
		for i, w := range pl.todo {
			if w.key() == d.key() {
				if j, ok := newIndex[i]; ok {
					dups[j]++
				}
				break
			}
		}
	}
	pl.todo, pl.dupOf, pl.dups = todo, dupOf, dups
	stderr.Printf("resume: %d subject(s) already done in %s, skipped", pl.skipped, path)
	return nil
}

func (pl *plan) requests() int {
	n := 0
	for _, w := range pl.todo {
		n += len(w.reqs)
	}
	return n
}

func (pl *plan) print(w *report.Writer, jsonOut bool) {
	n := pl.requests()
	// 5 starts per 10.25 s (the default limiter's margin).
	eta := time.Duration((n+graphsync.ProvisionOnDemandLimit-1)/graphsync.ProvisionOnDemandLimit) * (graphsync.ProvisionOnDemandWindow + ratelimit.DefaultMargin)
	if jsonOut {
		var subjects []entry
		for _, t := range pl.todo {
			subjects = append(subjects, t.entry(stateNotAttempted))
		}
		w.JSON(map[string]any{
			"job": pl.jobDesc, "subjects": subjects, "requests": n, "duplicates": len(pl.dupOf),
			"skippedByResume": pl.skipped, "rules": pl.rules, "estimatedSeconds": eta.Seconds(),
		})
		return
	}
	w.Println("Dry run: nothing was sent.")
	w.Printf("Target: %s", pl.jobDesc)
	for _, typ := range sortedKeys(pl.rules) {
		w.Printf("Rule for %s subjects (from the job's schema): %s", typ, printable.Quote(pl.rules[typ], maxQuoted))
	}
	w.Printf("%d subject(s) in %d request(s); %d duplicate(s) not sent; %d skipped by -resume.",
		len(pl.todo), n, len(pl.dupOf), pl.skipped)
	w.Printf("At Graph's limit of 5 per 10 s this takes about %s.", eta.Round(time.Second))
	tw := w.Table("LINE", "SUBJECT", "TYPE", "RULE", "MEMBERS", "REQUESTS")
	for _, t := range pl.todo {
		tw.Row(t.line, t.sub.ObjectID, t.sub.ObjectTypeName, t.rule, len(t.members()), len(t.reqs))
	}
	tw.Flush()
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// entry returns the journal entry of s with the given state.
func (s subject) entry(state string) entry {
	return entry{Source: s.source, Line: s.line, seq: s.seq, Subject: s.sub.ObjectID, Type: s.sub.ObjectTypeName, RuleID: s.rule,
		Members: s.members(), State: state, Time: time.Now().UTC()}
}

// outcome gathers the results of one subject's requests.
type outcome struct {
	parts []graphsync.RequestOutcome
	left  int
}

func (p *program) provision(ctx context.Context, pl *plan) (int, error) {
	var jr *journal
	if p.cfg.journalPath != "" {
		var err error
		warn := p.warn
		if p.cfg.journalPath == p.cfg.resumePath {
			warn = nil // -resume read it and warned
		}
		if jr, err = openJournal(p.cfg.journalPath, warn); err != nil {
			return exitUsage, err
		}
		defer jr.Close()
	}
	var reqs []models.ProvisionRequest
	var owner []int // request index -> todo index
	outcomes := make([]outcome, len(pl.todo))
	for i, w := range pl.todo {
		for _, r := range w.reqs {
			reqs = append(reqs, r)
			owner = append(owner, i)
		}
		outcomes[i].left = len(w.reqs)
	}
	var bar *progressbar.ProgressBar
	if p.bar != nil {
		// The bar draws the program's own text only.
		bar = progressbar.NewOptions(len(pl.todo),
			progressbar.OptionSetWriter(p.bar),
			progressbar.OptionSetDescription("provisioning"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("subjects"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
		)
	}
	var (
		rows     []entry
		writeErr error
		done     int
	)
	record := func(e entry) {
		e.ServicePrincipalID, e.JobID = p.sp, p.job
		rows = append(rows, e)
		if jr != nil && writeErr == nil {
			writeErr = jr.Write(e)
		}
	}
	// Duplicates of subjects that -resume found already done.
	pending := map[string]int{}
	for i, n := range pl.dups {
		pending[pl.todo[i].key()] = n
	}
	for _, d := range pl.dupOf {
		if pending[d.key()] > 0 {
			pending[d.key()]--
			continue
		}
		e := d.entry(stateDuplicate)
		e.ErrorMessage = "listed before and done in an earlier run; not sent again"
		record(e)
	}
	start := time.Now()
	runErr := p.client.ProvisionEach(ctx, p.sp, p.job, reqs, nil, func(r graphsync.RequestOutcome) {
		i := owner[r.Index]
		o := &outcomes[i]
		o.parts = append(o.parts, r)
		if o.left--; o.left > 0 {
			return
		}
		e := combine(pl.todo[i], o.parts)
		o.parts = nil
		record(e)
		if e.final() {
			for _, d := range pl.dupOf {
				if d.key() == pl.todo[i].key() && pl.dups[i] > 0 {
					pl.dups[i]--
					de := d.entry(stateDuplicate)
					de.ErrorMessage = fmt.Sprintf("same subject as %s line %d; not sent again", pl.todo[i].source, pl.todo[i].line)
					record(de)
				}
			}
		}
		done++
		if bar != nil {
			bar.Set(done)
		}
	})
	if bar != nil {
		bar.Finish()
		fmt.Fprintln(p.bar)
	}
	// Duplicates whose original was not attempted are not attempted
	// either.
	for i, n := range pl.dups {
		for range n {
			for _, d := range pl.dupOf {
				if d.key() == pl.todo[i].key() {
					rows = append(rows, d.entry(stateNotAttempted))
					break
				}
			}
		}
	}
	slices.SortStableFunc(rows, func(a, b entry) int { return a.seq - b.seq })
	if p.cfg.JSON {
		p.stdout.JSON(rows)
	} else {
		printTable(p.stdout, rows)
	}
	var failed int
	var notAttempted []string
	for _, e := range rows {
		switch {
		case e.State == stateNotAttempted:
			notAttempted = append(notAttempted, e.Subject)
		case e.State == stateFailed || e.State == stateUnknown || (e.State == stateAnswered && e.Result != string(models.OutcomeSuccess) && e.Result != string(models.OutcomeSkipped)):
			failed++
		}
	}
	p.stderr.Printf("%d subject(s) in %s: %d failed, %d not attempted",
		len(rows), time.Since(start).Round(100*time.Millisecond), failed, len(notAttempted))
	if writeErr != nil {
		p.stderr.Println("provision: journal:", writeErr)
		failed++
	}
	if len(notAttempted) > 0 {
		p.stderr.Println("not attempted (safe to run again):", strings.Join(notAttempted, " "))
	}
	switch {
	case ctx.Err() != nil:
		p.stderr.Println("provision: interrupted")
		return exitInterrupted, nil
	case runErr != nil:
		var ve *graphsync.ValidationError
		if errors.As(runErr, &ve) {
			return exitUsage, runErr
		}
		return exitFailed, fmt.Errorf("the run stopped: %w", runErr)
	case failed > 0 || len(notAttempted) > 0:
		// A subject Graph refused because of the caller (a 403 on the
		// last request in flight ends no run) was not provisioned either.
		return exitFailed, nil
	}
	return exitOK, nil
}

// warn says on stderr what package jsonl warns of.
func (p *program) warn(msg string) { p.stderr.Println("provision:", msg) }

// listNotAttempted says on stderr which subjects were not attempted.
func (p *program) listNotAttempted(subjects []subject) {
	ids := make([]string, len(subjects))
	for i, s := range subjects {
		ids[i] = s.sub.ObjectID
	}
	p.stderr.Println("not attempted (safe to run again):", strings.Join(ids, " "))
}

// combine makes one entry of the results of a subject's requests.
func combine(w work, parts []graphsync.RequestOutcome) entry {
	state := stateAnswered
	for _, r := range parts {
		switch {
		case r.State == graphsync.RequestNotAttempted:
			state = stateNotAttempted
		case r.State == graphsync.RequestUnknown && state != stateNotAttempted:
			state = stateUnknown
		case r.State == graphsync.RequestFailed && state == stateAnswered:
			state = stateFailed
		}
	}
	e := w.entry(state)
	if len(parts) > 1 {
		e.Parts = len(parts)
	}
	// Report the part that explains the state best: the first that did
	// not succeed, else the first.
	best := parts[0]
	for _, r := range parts {
		if r.Err != nil || (r.Result != nil && r.Result.Failed()) {
			best = r
			break
		}
		if r.Result != nil && r.Result.Skipped() && best.Result != nil && best.Result.Succeeded() {
			best = r
		}
	}
	if res := best.Result; res != nil {
		e.Result = string(res.Key.Result)
		e.Action = string(res.Value.Action)
		e.ErrorCode = res.Key.Details.ErrorCode
		e.ErrorMessage = res.Key.Details.ErrorMessage
		e.RequestID = res.RequestID
		if si := res.Value.StatusInfo; si != nil {
			if e.ErrorCode == "" {
				e.ErrorCode = si.ErrorCode
			}
			e.Reason = si.Reason
			e.RecommendedAction = si.RecommendedAction
		}
		if st := res.FailedStep(); st != nil {
			e.FailedStep = st.Name
			if e.ErrorMessage == "" {
				e.ErrorMessage = st.Description
			}
		}
	}
	if err := best.Err; err != nil && state != stateNotAttempted &&
		(errors.Is(err, graphsync.ErrUnauthorized) || errors.Is(err, graphsync.ErrForbidden) ||
			errors.Is(err, graphsync.ErrNotFound) || errors.Is(err, graphsync.ErrCredential)) {
		// Graph refused the caller, not the subject (and the run stopped
		// there): once that is fixed, -resume must send it again.
		e.State = stateNotAttempted
	}
	if err := best.Err; err != nil {
		var re *graphsync.ResponseError
		if errors.As(err, &re) {
			e.ErrorCode, e.ErrorMessage, e.RequestID = re.Code, re.Message, re.RequestID
			if e.ErrorMessage == "" {
				e.ErrorMessage = re.Error()
			}
		} else if e.ErrorMessage == "" {
			e.ErrorMessage = err.Error()
		}
	}
	return e
}

// printTable prints one row per entry; the table cleans every cell, so
// that whatever Graph sent is shown escaped and whole, on its row.
func printTable(w *report.Writer, rows []entry) {
	tw := w.Table("LINE", "SUBJECT", "TYPE", "RESULT", "ACTION", "ERROR CODE", "FAILED STEP", "MESSAGE", "RECOMMENDED ACTION")
	for _, r := range rows {
		result := r.Result
		if result == "" {
			result = r.State
		}
		tw.Row(r.Line, r.Subject, r.Type, result, r.Action, r.ErrorCode, r.FailedStep, r.ErrorMessage, r.RecommendedAction)
	}
	tw.Flush()
}

// maxQuoted bounds an ID of Graph's quoted in a line of the plan.
const maxQuoted = 256
