// Command provision provisions a list of users and groups on demand
// through one synchronization job, within Graph's limit of 5 requests per
// 10 seconds, with a progress bar on stderr and a result table (or JSON)
// at the end.
//
// Subjects come from -subject flags (TYPE:ID, or Group:ID=MEMBER;MEMBER)
// or a CSV file (-csv) with the columns ruleId,objectId,objectTypeName and
// an optional fourth column of member IDs separated by ';'. An empty ruleId
// in the CSV means -rule.
//
// With AZURE_TENANT_ID, AZURE_CLIENT_ID (plus a DefaultAzureCredential
// source such as AZURE_CLIENT_SECRET) and GRAPHSYNC_SERVICE_PRINCIPAL_ID
// set, it runs against real Graph; -job (or GRAPHSYNC_JOB_ID) and -rule
// (or GRAPHSYNC_RULE_ID) are then required. Otherwise it runs against an
// in-process fake Graph with a sample list, offline, and with the limit
// shortened to 5 per second so the demo takes seconds; its jobs have one
// rule, graphtest.DefaultRuleID, for users and groups.
//
// Exit status: 0 when every subject succeeded or was skipped, 1 when any
// failed, 2 for bad usage, 3 when interrupted (Ctrl-C): what was done is
// reported and what was not attempted is listed; nothing is sent twice.
package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/examples/internal/demo"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
	"github.com/graphsync/graphsync/ratelimit"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitInterrupted = 3
)

// subject is one line of input.
type subject struct {
	label string
	req   models.ProvisionRequest
}

// row is one line of output.
type row struct {
	Subject    string `json:"subject"`
	Type       string `json:"type"`
	State      string `json:"state"`
	Result     string `json:"result,omitempty"`
	Action     string `json:"action,omitempty"`
	ErrorCode  string `json:"errorCode,omitempty"`
	FailedStep string `json:"failedStep,omitempty"`
	Error      string `json:"error,omitempty"`
}

type config struct {
	sp, job, rule, csvPath string
	subjects               []string
	jsonOut, noProgress    bool
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var cfg config
	fs := flag.NewFlagSet("provision", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.sp, "sp", os.Getenv("GRAPHSYNC_SERVICE_PRINCIPAL_ID"), "service principal ID")
	fs.StringVar(&cfg.job, "job", os.Getenv("GRAPHSYNC_JOB_ID"), "synchronization job ID")
	fs.StringVar(&cfg.rule, "rule", os.Getenv("GRAPHSYNC_RULE_ID"), "rule ID from the job's schema")
	fs.StringVar(&cfg.csvPath, "csv", "", "CSV file: ruleId,objectId,objectTypeName[,members separated by ;]")
	fs.Func("subject", "TYPE:ID or Group:ID=MEMBER;MEMBER (repeatable)", func(s string) error {
		cfg.subjects = append(cfg.subjects, s)
		return nil
	})
	fs.BoolVar(&cfg.jsonOut, "json", false, "print results as JSON on stdout")
	fs.BoolVar(&cfg.noProgress, "no-progress", false, "no progress bar")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}

	var (
		opts     graphsync.ClientOptions
		fakeOpts *graphtest.Options
	)
	real := demo.Real()
	if !real {
		// The offline demo shortens the window so it takes seconds; the
		// fake Graph enforces the same shortened limit with 429s.
		fakeOpts = &graphtest.Options{ProvisionWindow: time.Second}
		opts.Limiter = ratelimit.New(graphsync.ProvisionOnDemandLimit, time.Second, ratelimit.WithMargin(50*time.Millisecond))
	}
	subjects, err := readSubjects(cfg, real)
	if err != nil {
		fmt.Fprintln(stderr, "provision:", err)
		return exitUsage
	}
	env, err := demo.Connect(&opts, fakeOpts, seedSample)
	if err != nil {
		fmt.Fprintln(stderr, "provision:", err)
		return exitFailed
	}
	defer env.Close()
	c, sp := env.Client, env.ServicePrincipalID
	if !real {
		fmt.Fprintf(stderr, "No AZURE_* credentials: running against an in-process fake Graph (%s).\n", env.Fake.URL)
		fmt.Fprintln(stderr, "Demo only: the fake and the limiter use 5 requests per 1 s instead of Graph's 5 per 10 s.")
		job, err := c.CreateJob(ctx, sp, models.SynchronizationJob{TemplateID: "scim"})
		if err != nil {
			fmt.Fprintln(stderr, "provision: create demo job:", err)
			return exitFailed
		}
		cfg.job = job.ID
	} else if cfg.job == "" {
		fmt.Fprintln(stderr, "provision: -job (or GRAPHSYNC_JOB_ID) is required against real Graph")
		return exitUsage
	}

	reqs := make([]models.ProvisionRequest, len(subjects))
	for i, s := range subjects {
		reqs[i] = s.req
	}
	var bar *progressbar.ProgressBar
	if !cfg.noProgress {
		bar = progressbar.NewOptions(len(reqs),
			progressbar.OptionSetWriter(stderr),
			progressbar.OptionSetDescription("provisioning"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("subjects"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(stderr) }),
		)
	}
	start := time.Now()
	results, runErr := c.ProvisionMany(ctx, sp, cfg.job, reqs, &graphsync.BulkOptions{
		Progress: func(p graphsync.Progress) {
			if bar != nil {
				bar.Set(p.Done)
			}
		},
	})
	if bar != nil {
		bar.Exit()
		fmt.Fprintln(stderr)
	}
	var ve *graphsync.ValidationError
	if errors.As(runErr, &ve) {
		fmt.Fprintln(stderr, "provision:", runErr)
		return exitUsage
	}

	rows, failed, notAttempted := summarize(subjects, results)
	if cfg.jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(rows)
	} else {
		printTable(stdout, rows)
	}
	fmt.Fprintf(stderr, "%d subjects in %s: %d failed, %d not attempted\n",
		len(rows), time.Since(start).Round(100*time.Millisecond), failed, len(notAttempted))
	if runErr != nil {
		fmt.Fprintln(stderr, "provision: interrupted:", runErr)
		if len(notAttempted) > 0 {
			fmt.Fprintln(stderr, "not attempted (safe to run again):", strings.Join(notAttempted, " "))
		}
		return exitInterrupted
	}
	if failed > 0 {
		return exitFailed
	}
	return exitOK
}

func summarize(subjects []subject, results []graphsync.BulkResult) (rows []row, failed int, notAttempted []string) {
	for i, r := range results {
		s := subjects[i]
		out := row{Subject: s.label, Type: s.req.Parameters[0].Subjects[0].ObjectTypeName, State: r.State.String()}
		if r.Result != nil {
			out.Result = string(r.Result.Key.Result)
			out.Action = string(r.Result.Value.Action)
			out.ErrorCode = r.Result.Key.Details.ErrorCode
			if st := r.Result.FailedStep(); st != nil {
				out.FailedStep = st.Name
			}
		}
		if r.Err != nil {
			out.Error = r.Err.Error()
		}
		switch {
		case r.State == graphsync.BulkNotAttempted:
			notAttempted = append(notAttempted, s.label)
		case r.State != graphsync.BulkAnswered || r.Result.Failed():
			failed++
		}
		rows = append(rows, out)
	}
	return rows, failed, notAttempted
}

func printTable(w io.Writer, rows []row) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tSUBJECT\tTYPE\tRESULT\tACTION\tERROR CODE\tFAILED STEP")
	for i, r := range rows {
		result := r.Result
		if result == "" {
			result = r.State
		}
		code := r.ErrorCode
		if code == "" && r.Error != "" {
			code = "error: " + r.Error
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", i+1, r.Subject, r.Type, result, dash(r.Action), dash(code), dash(r.FailedStep))
	}
	tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// readSubjects builds the requests from -subject and -csv; without either
// (and only offline) it uses the sample list.
func readSubjects(cfg config, real bool) ([]subject, error) {
	var out []subject
	for _, s := range cfg.subjects {
		sub, err := parseSubject(s)
		if err != nil {
			return nil, err
		}
		out = append(out, newSubject(cfg.rule, sub))
	}
	if cfg.csvPath != "" {
		rows, err := readCSV(cfg.csvPath, cfg.rule)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	if len(out) == 0 {
		if real {
			return nil, errors.New("no subjects: give -subject or -csv")
		}
		for _, s := range sampleSubjects() {
			out = append(out, newSubject(graphtest.DefaultRuleID, s)) // the fake's rule
		}
	}
	for _, s := range out {
		if s.req.Parameters[0].RuleID == "" {
			return nil, fmt.Errorf("subject %s has no rule: give -rule (or GRAPHSYNC_RULE_ID) or a ruleId column", s.label)
		}
	}
	return out, nil
}

func newSubject(rule string, s models.Subject) subject {
	return subject{label: s.ObjectID, req: models.NewProvisionRequest(rule, s)}
}

// parseSubject reads TYPE:ID or TYPE:ID=MEMBER;MEMBER.
func parseSubject(s string) (models.Subject, error) {
	typ, rest, ok := strings.Cut(s, ":")
	if !ok || typ == "" || rest == "" {
		return models.Subject{}, fmt.Errorf("subject %q: want TYPE:ID or Group:ID=MEMBER;MEMBER", s)
	}
	id, members, _ := strings.Cut(rest, "=")
	return subjectWith(id, typ, members), nil
}

func subjectWith(id, typ, members string) models.Subject {
	sub := models.Subject{ObjectID: strings.TrimSpace(id), ObjectTypeName: strings.TrimSpace(typ)}
	for _, m := range strings.Split(members, ";") {
		if m = strings.TrimSpace(m); m != "" {
			if sub.Links == nil {
				sub.Links = &models.LinkedObjects{}
			}
			sub.Links.Members = append(sub.Links.Members, models.User(m))
		}
	}
	return sub
}

func readCSV(path, defaultRule string) ([]subject, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.Comment = '#'
	records, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []subject
	for i, rec := range records {
		if i == 0 && len(rec) > 0 && strings.EqualFold(strings.TrimSpace(rec[0]), "ruleId") {
			continue // header
		}
		if len(rec) < 3 || len(rec) > 4 {
			return nil, fmt.Errorf("%s line %d: want ruleId,objectId,objectTypeName[,members]", path, i+1)
		}
		members := ""
		if len(rec) == 4 {
			members = rec[3]
		}
		rule := strings.TrimSpace(rec[0])
		if rule == "" {
			rule = defaultRule
		}
		sub := subjectWith(rec[1], rec[2], members)
		if sub.ObjectID == "" || sub.ObjectTypeName == "" {
			return nil, fmt.Errorf("%s line %d: objectId and objectTypeName are required", path, i+1)
		}
		out = append(out, newSubject(rule, sub))
	}
	return out, nil
}

// The offline sample: 21 users, a group with two members, and one user
// listed twice (Graph skips it the second time): 23 subjects.
func sampleSubjects() []models.Subject {
	var out []models.Subject
	for i := 1; i <= 21; i++ {
		out = append(out, models.User(sampleUser(i)))
	}
	out = append(out, models.Group("8213fd99-d6b6-417b-8e13-af6334856215", sampleUser(1), sampleUser(2)))
	out = append(out, models.User(sampleUser(3)))
	return out
}

func sampleUser(i int) string { return fmt.Sprintf("9bb0f679-a883-4a6f-8260-35b491b8b8%02d", i) }

func seedSample(srv *graphtest.Server) {
	for i := 1; i <= 21; i++ {
		srv.AddUser(sampleUser(i), fmt.Sprintf("user%02d@contoso.com", i))
	}
	srv.AddGroup("8213fd99-d6b6-417b-8e13-af6334856215", "Sales")
}
