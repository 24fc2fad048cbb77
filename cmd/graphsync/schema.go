package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/jsonpos"
	"github.com/graphsync/graphsync/expression"
	"github.com/graphsync/graphsync/internal/printable"
	"github.com/graphsync/graphsync/models"
	"github.com/graphsync/graphsync/schemaedit"
)

// schemaCommand is graphsync schema: a job's synchronization schema, read
// and written losslessly (everything Graph sends is kept, so a schema
// read and written back is unchanged), and changed as code: lint and
// test offline, plan against the live schema, apply only to the schema
// the plan was made against, with a backup, and restore.
func schemaCommand() *cli.Command {
	return &cli.Command{
		Name:    "schema",
		Summary: "read, plan, apply and restore a job's synchronization schema; lint and test expressions",
		Help: `A job's synchronization schema as code. Graph replaces the whole schema on
PUT and finds a broken expression only when the job runs, so change it in
four steps:

    graphsync schema get -o live.json          # the live schema, lossless
    (edit a copy: desired.json)
    graphsync schema lint -f desired.json -from-text  # offline checks, file positions
    graphsync schema plan -f desired.json -from-text -out plan.json
    graphsync schema apply plan.json           # only if the live schema is still the planned one

Graph stores each expression twice, as text and as a tree (type, name,
parameters); an edit of the text needs plan's -from-text, which rebuilds
the trees that no longer say what their text says.

apply writes the schema it replaces to a backup file first and reads the
schema back after the PUT; graphsync schema restore -f BACKUP puts it back
the same way. test-expression evaluates one expression on a sample object.`,
		Subcommands: []*cli.Command{
			{Name: "get", Summary: "print the job's schema as JSON (or write it to -o FILE)", Flags: schemaGet},
			{Name: "lint", Summary: "check a schema file offline: expressions, attributes, objects; findings at their line and column", Flags: schemaLint,
				Help: `Check a schema file offline, as package expression's CheckSchema does: every
expression parses and calls known functions rightly, reads attributes the
source object has, says what its source tree says; every target attribute
exists, is mapped once, and the required ones are mapped; rules and object
mappings name directories and objects the schema defines. Each finding is
one line on stdout, FILE:LINE:COLUMN: kind: where: what, the position that
of the offending value in the file (inside an expression, its character).
Exit status 0 without findings, 1 with any, 2 when the file is not a schema.
Nothing is sent anywhere.`},
			{Name: "test-expression", Summary: "evaluate an attribute-mapping expression on a sample object (offline, or Graph's with -online)", Flags: schemaTestExpression,
				Help: `Evaluate an attribute-mapping expression on a sample source object given as
attribute name to value, offline with package expression (every function of
Microsoft's reference), or with -online by the job's own parseExpression.
The result alone goes to stdout (one line a value; -json: {"expression":
..., "result": ...}); a null result is said on stderr. An expression that
does not parse, calls a function wrongly or fails to evaluate is shown on
stderr with its line and column and a caret under it: exit status 1.`},
			{Name: "plan", Summary: "show what changes from the live schema to -f FILE; -out writes a plan for apply", Flags: schemaPlan,
				Help: `Read the job's live schema and print what would change if -f FILE replaced
it: rules, object mappings, scoping filters, attribute mappings (old and new
side by side), directories; "No changes." when they are the same JSON (the
version Graph sets aside). The offline checks of what the plan adds or
changes are printed as warnings on stderr; an edited expression text whose
source tree was left as it was stops the plan (-from-text rebuilds the
trees). -out writes a plan file for graphsync schema apply: the desired
schema and the live one, each with its fingerprint.`},
			{Name: "apply", Args: "PLAN", Summary: "apply a plan if the live schema is still the one it was made against; back up, PUT, read back", Flags: schemaApply,
				Help: `Apply a plan that graphsync schema plan -out wrote. When the live schema is
no longer the one the plan was made against (someone changed it since),
nothing is sent: the changes since are printed on stderr, exit status 1;
make a new plan. Otherwise the live schema is written to the backup file
(never overwriting one), the desired schema is PUT, read back and compared
with the desired one; the changes applied go to stdout. A plan already
applied is nothing to do (exit 0). A plan for another job, or a plan file
changed after it was written (its live or desired schema no longer has
the fingerprint the plan records, or its list of changes is not what the
two differ by): exit 2, nothing sent.`},
			{Name: "restore", Summary: "put a backed-up schema back (-f FILE), the same safe way as apply", Flags: schemaRestore,
				Help: `Put a schema back: apply's backup file, or any schema graphsync schema get
wrote. As apply does, the schema it replaces is written to a backup file
first, the file's schema is PUT, read back and compared; the changes go to
stdout.

A schema file says whose it is as Graph wrote it: its @odata.context names
its service principal, its id is its job's schema id. A file of another
service principal, or whose id is not that of the configured job's live
schema, is a backup of another job: it is refused, exit 2, and nothing is
changed. -from-other-job restores it all the same, with the configured
job's own schema id.`},
			{Name: "put", Summary: "replace the job's whole schema with -f FILE (asks for -yes; plan and apply are safer)", Flags: schemaPut,
				Help: `Replace the job's whole schema with the file's, at once: no plan, no
backup, no read back (plan and apply do all three). -yes is required.

As restore does, put refuses a file of another job (its @odata.context
names another service principal, or its id is not the configured job's
schema id): exit 2, nothing changed. -from-other-job puts it all the same,
with the configured job's own schema id.`},
		},
	}
}

func schemaGet(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	cfg.Shared(fs, cli.UsesJob)
	out := fs.String("o", "", "write the schema to this file instead of standard output")
	return connected(func(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
		s, err := env.Client.GetJobSchema(ctx, env.ServicePrincipalID, env.JobID)
		if err != nil {
			return err
		}
		if *out == "" {
			return inv.Out.JSON(s)
		}
		b, err := schemaJSON(s)
		if err != nil {
			return err
		}
		if err := os.WriteFile(*out, b, 0o600); err != nil {
			return err
		}
		inv.Err.Printf("Wrote the schema of job %s (%d rule(s)) to %s.", env.JobID, len(s.SynchronizationRules), *out)
		return nil
	})
}

// schemaJSON is v (a schema or a plan) as an indented JSON file, with
// every non-graphic rune in its strings written as an escape (the values
// are the same).
func schemaJSON(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return printable.JSON(append(b, '\n')), nil
}

func schemaPut(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	cfg.Shared(fs, cli.UsesJob)
	file := fs.String("f", "", "the schema as JSON (- for standard input), as graphsync schema get writes it")
	yes := fs.Bool("yes", false, "replace without asking: Graph replaces the whole schema with the file's")
	otherJob := fs.Bool("from-other-job", false, "put a schema of another job or service principal (its id or @odata.context says so) into the configured job, with that job's own schema id")
	return func(ctx context.Context, inv *cli.Invocation) error {
		s, err := readSchemaFile(inv, *file)
		if err != nil {
			return err
		}
		if !*yes {
			return cli.Usagef("schema put replaces the job's whole schema; give -yes to replace it (plan and apply show the changes and keep a backup)")
		}
		name := fileName(*file)
		return connected(func(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
			otherSP, err := checkSchemaServicePrincipal(inv, env, name, s, *otherJob)
			if err != nil {
				return err
			}
			// Only a file that names its job needs the live schema's id.
			if s.ID != "" {
				live, err := env.Client.GetJobSchema(ctx, env.ServicePrincipalID, env.JobID)
				if err != nil {
					return err
				}
				if err := checkSchemaJob(inv, env, name, s, live.ID, otherSP, *otherJob); err != nil {
					return err
				}
			}
			if err := env.Client.UpdateJobSchema(ctx, env.ServicePrincipalID, env.JobID, *s); err != nil {
				return err
			}
			inv.Err.Printf("Replaced the schema of job %s (%d rule(s)).", env.JobID, len(s.SynchronizationRules))
			return nil
		})(ctx, inv)
	}
}

// readSchemaFile reads a schema from name (- for standard input): a
// *UsageError when there is none or it is not a schema.
func readSchemaFile(inv *cli.Invocation, name string) (*models.SynchronizationSchema, error) {
	s, _, err := readSchemaBytes(inv, name)
	return s, err
}

// readSchemaBytes is readSchemaFile that returns the file's bytes too.
func readSchemaBytes(inv *cli.Invocation, name string) (*models.SynchronizationSchema, []byte, error) {
	b, err := readInputFile(inv, name)
	if err != nil {
		return nil, nil, err
	}
	var s models.SynchronizationSchema
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, nil, cli.Usagef("%s: not a synchronization schema: %v", name, err)
	}
	return &s, b, nil
}

// readInputFile reads the file -f names, - for standard input.
func readInputFile(inv *cli.Invocation, name string) ([]byte, error) {
	var (
		b   []byte
		err error
	)
	switch name {
	case "":
		return nil, cli.Usagef("-f is required (- for standard input)")
	case "-":
		b, err = io.ReadAll(io.LimitReader(inv.Stdin, maxInputFile+1))
	default:
		b, err = readFileLimited(name)
	}
	if err != nil {
		return nil, cli.Usagef("%v", err)
	}
	if len(b) > maxInputFile {
		return nil, cli.Usagef("%s: larger than %d MiB", name, maxInputFile>>20)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, cli.Usagef("%s is empty", name)
	}
	return b, nil
}

// maxInputFile bounds a file a command reads whole.
const maxInputFile = 64 << 20

func readFileLimited(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxInputFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return b, nil
}

// fileName is how messages name the file -f read.
func fileName(name string) string {
	if name == "-" {
		return "<stdin>"
	}
	return name
}

// lintFinding is a finding of CheckSchema with where it is in the file.
type lintFinding struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	expression.Finding
}

func schemaLint(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	file := fs.String("f", "", "the schema to check, as JSON (- for standard input)")
	asJSON := fs.Bool("json", false, "print the findings as JSON (with file, line and column) on stdout")
	fromText := fs.Bool("from-text", false, "check the schema as plan -from-text sends it: the source trees rebuilt from the expression texts (no treeMismatch)")
	return func(ctx context.Context, inv *cli.Invocation) error {
		s, b, err := readSchemaBytes(inv, *file)
		if err != nil {
			return err
		}
		ix, err := jsonpos.New(b)
		if err != nil {
			return cli.Usagef("%s: %v", *file, err)
		}
		name := fileName(*file)
		out := []lintFinding{}
		for _, f := range expression.CheckSchema(*s) {
			// The other checks read the text, which -from-text keeps.
			if !*fromText || f.Kind != expression.TreeMismatch {
				out = append(out, locate(ix, name, f))
			}
		}
		if *asJSON {
			if err := inv.Out.JSON(out); err != nil {
				return err
			}
		} else {
			for _, f := range out {
				inv.Out.Printf("%s:%d:%d: %s", f.File, f.Line, f.Column, f.Finding.String())
			}
		}
		if len(out) > 0 {
			return cli.Exit(cli.ExitFailed, fmt.Errorf("%s: %d finding(s)", name, len(out)))
		}
		inv.Err.Printf("%s: no findings in %d attribute mapping(s) of %d rule(s).", name, countMappings(s), len(s.SynchronizationRules))
		return nil
	}
}

// locate places a finding in the file: at the character of the
// expression it points at, or at the value it names.
func locate(ix *jsonpos.Index, file string, f expression.Finding) lintFinding {
	lf := lintFinding{File: file, Finding: f}
	var ok bool
	if f.Position != nil && strings.HasSuffix(f.Path, ".expression") {
		lf.Line, lf.Column, ok = ix.InString(f.Path, f.Position.Offset)
	}
	if !ok {
		lf.Line, lf.Column, ok = ix.Position(f.Path)
	}
	if !ok {
		lf.Line, lf.Column = 1, 1
	}
	return lf
}

func countMappings(s *models.SynchronizationSchema) int {
	n := 0
	for _, r := range s.SynchronizationRules {
		for _, m := range r.ObjectMappings {
			n += len(m.AttributeMappings)
		}
	}
	return n
}

// expressionResult is test-expression's -json output.
type expressionResult struct {
	Expression string `json:"expression"`
	// Result is a string, an array of strings (several values) or null.
	Result any `json:"result"`
	// Ignored is set when the result is IgnoreFlowIfNullOrEmpty's mark.
	Ignored bool `json:"ignored,omitempty"`
}

func schemaTestExpression(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	cfg.Shared(fs, cli.UsesJob|cli.UsesJSON)
	expr := fs.String("expr", "", `the expression, such as 'Join(" ", [givenName], [surname])'`)
	input := fs.String("input", "", `the sample source object as JSON, attribute name to value, such as '{"givenName":"John","proxyAddresses":["smtp:a@b"]}' (@FILE reads it from FILE; default none: every attribute null)`)
	online := fs.Bool("online", false, "ask Graph's parseExpression of the job (-sp and -job) instead of evaluating offline")
	return func(ctx context.Context, inv *cli.Invocation) error {
		if strings.TrimSpace(*expr) == "" {
			return cli.Usagef("-expr is required: the expression to evaluate")
		}
		obj, props, err := readSample(*input)
		if err != nil {
			return err
		}
		if !*online {
			return evaluateOffline(inv, *expr, obj)
		}
		if err := inv.CheckConfig(); err != nil {
			return err
		}
		return connected(func(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
			return evaluateOnline(ctx, inv, env, *expr, props)
		})(ctx, inv)
	}
}

// readSample reads -input: the sample object for the offline evaluator
// and as parseExpression's testInputObject properties, in name order.
func readSample(input string) (expression.Object, []models.StringKeyObjectValuePair, error) {
	obj := expression.Object{}
	props := []models.StringKeyObjectValuePair{}
	text := []byte(input)
	if name, ok := strings.CutPrefix(input, "@"); ok {
		b, err := readFileLimited(name)
		if err != nil {
			return nil, nil, cli.Usagef("-input: %v", err)
		}
		text = b
	}
	if len(bytes.TrimSpace(text)) == 0 {
		return obj, props, nil
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(text, &members); err != nil || members == nil {
		return nil, nil, cli.Usagef(`-input: not a JSON object of attribute names to values, such as {"givenName":"John"}: %v`, err)
	}
	names := make([]string, 0, len(members))
	for k := range members {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		raw := members[k]
		var v any
		_ = json.Unmarshal(raw, &v) // it decoded once already
		switch v := v.(type) {
		case nil:
			obj[k] = expression.Null()
		case string:
			obj[k] = expression.Single(v)
		case float64, bool:
			obj[k] = expression.Single(string(bytes.TrimSpace(raw)))
		case []any:
			items := make([]string, 0, len(v))
			for _, e := range v {
				s, ok := e.(string)
				if !ok {
					return nil, nil, cli.Usagef("-input: %s: an array's values must be strings", printable.Quote(k, 80))
				}
				items = append(items, s)
			}
			obj[k] = expression.Multi(items...)
		default:
			return nil, nil, cli.Usagef("-input: %s: a value must be a string, an array of strings, a number, a boolean or null", printable.Quote(k, 80))
		}
		pv, err := models.RawValue(raw)
		if err != nil {
			return nil, nil, cli.Usagef("-input: %s: %v", printable.Quote(k, 80), err)
		}
		props = append(props, models.StringKeyObjectValuePair{Key: k, Value: pv})
	}
	return obj, props, nil
}

// evaluateOffline parses, checks and evaluates expr with package
// expression; an error is shown with its position under the expression.
func evaluateOffline(inv *cli.Invocation, expr string, obj expression.Object) error {
	n, err := expression.Parse(expr)
	var se *expression.SyntaxError
	if errors.As(err, &se) {
		showAt(inv, expr, se.Offset, "syntax error: "+se.Msg)
		return cli.Exit(cli.ExitFailed, nil)
	}
	if err != nil {
		return err
	}
	if problems := expression.Check(n); len(problems) > 0 {
		for _, p := range problems {
			showAt(inv, expr, p.Pos, p.Msg)
		}
		return cli.Exit(cli.ExitFailed, nil)
	}
	v, err := expression.Evaluate(n, obj, nil)
	var ee *expression.EvalError
	if errors.As(err, &ee) {
		msg := ee.Msg
		if ee.Func != "" {
			msg = ee.Func + ": " + msg
		}
		showAt(inv, expr, ee.Pos, msg)
		return cli.Exit(cli.ExitFailed, nil)
	}
	if err != nil {
		return err
	}
	var result any
	switch {
	case v.IsMulti():
		result = v.Items()
	case !v.IsNull() && !v.Ignored():
		result, _ = v.Text()
	}
	return printResult(inv, expressionResult{Expression: expr, Result: result, Ignored: v.Ignored()})
}

// printResult prints an expression's result: alone on stdout (one line a
// value), or as JSON with -json; a null or ignored result is said on
// stderr.
func printResult(inv *cli.Invocation, r expressionResult) error {
	if inv.Config.JSON {
		return inv.Out.JSON(r)
	}
	switch v := r.Result.(type) {
	case string:
		inv.Out.Printf("%s", v)
	case []string:
		for _, s := range v {
			inv.Out.Printf("%s", s)
		}
		if len(v) == 0 {
			inv.Err.Printf("The result has no values (an empty multi-valued attribute).")
		}
	default:
		if r.Ignored {
			inv.Err.Printf("The result is IgnoreFlowIfNullOrEmpty's mark: the attribute is left out of the flow.")
		} else {
			inv.Err.Printf("The result is null: the attribute gets its mapping's default value, or none.")
		}
	}
	return nil
}

// showAt says on stderr what is wrong at byte offset off of expr: the
// position, the message, the expression's line and a caret under the
// character.
func showAt(inv *cli.Invocation, expr string, off int, msg string) {
	off = min(max(off, 0), len(expr))
	lineStart := strings.LastIndexByte(expr[:off], '\n') + 1
	lineEnd := strings.IndexByte(expr[off:], '\n')
	if lineEnd < 0 {
		lineEnd = len(expr)
	} else {
		lineEnd += off
	}
	line := 1 + strings.Count(expr[:off], "\n")
	col := 1 + utf8.RuneCountInString(expr[lineStart:off])
	inv.Err.Printf("%s: at %d:%d: %s", inv.Path, line, col, msg)
	inv.Err.Printf("    %s", expr[lineStart:lineEnd])
	// The caret goes under the character as the cleaned line shows it.
	inv.Err.Printf("    %s^", strings.Repeat(" ", utf8.RuneCountInString(printable.Clean(expr[lineStart:off]))))
}

// evaluateOnline asks Graph's parseExpression, with the sample object
// (empty without -input) so that Graph evaluates.
func evaluateOnline(ctx context.Context, inv *cli.Invocation, env *cli.Env, expr string, props []models.StringKeyObjectValuePair) error {
	res, err := env.Client.ParseExpression(ctx, env.ServicePrincipalID, env.JobID, models.ParseExpressionRequest{
		Expression:      expr,
		TestInputObject: &models.ExpressionInputObject{Properties: props},
	})
	if err != nil {
		return err
	}
	if !res.ParsingSucceeded || !res.EvaluationSucceeded {
		what := "Graph could not evaluate the expression"
		if !res.ParsingSucceeded {
			what = "Graph could not parse the expression"
		}
		if res.Error != nil {
			return cli.Exit(cli.ExitFailed, fmt.Errorf("%s: %s (%s)", what, res.Error.Message, res.Error.Code))
		}
		return cli.Exit(cli.ExitFailed, errors.New(what))
	}
	var result any
	switch len(res.EvaluationResult) {
	case 0:
	case 1:
		result = res.EvaluationResult[0]
	default:
		result = []string(res.EvaluationResult)
	}
	return printResult(inv, expressionResult{Expression: expr, Result: result})
}

// planFormat is the version of the plan file's format: 2 added
// desiredFingerprint.
const planFormat = "2"

// planFile is what schema plan -out writes and schema apply reads: the
// desired schema and the live one it was planned against, with the
// fingerprints of both.
type planFile struct {
	Format             string `json:"graphsyncSchemaPlan"`
	ServicePrincipalID string `json:"servicePrincipalId"`
	JobID              string `json:"jobId"`
	Created            string `json:"createdDateTime"`
	// LiveFingerprint is schemaedit.Fingerprint of Live: apply goes on
	// only while the live schema still has it.
	LiveFingerprint string `json:"liveFingerprint"`
	// DesiredFingerprint is schemaedit.Fingerprint of Desired as plan
	// showed it: apply refuses a plan whose desired schema no longer has
	// it (edited after the plan was written), since what it would PUT is
	// not what the plan showed.
	DesiredFingerprint string `json:"desiredFingerprint"`
	// Changes are what the plan changes, for a person reading the file.
	Changes []schemaedit.Change          `json:"changes"`
	Live    models.SynchronizationSchema `json:"live"`
	Desired models.SynchronizationSchema `json:"desired"`
}

func schemaPlan(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	cfg.Shared(fs, cli.UsesJob|cli.UsesJSON)
	file := fs.String("f", "", "the desired schema as JSON (- for standard input): graphsync schema get's, edited")
	out := fs.String("out", "", "write a plan file for graphsync schema apply: the desired and the live schema, each with its fingerprint")
	online := fs.Bool("online", false, "also ask Graph's parseExpression about every expression the plan adds or changes; a refusal fails the plan")
	fromText := fs.Bool("from-text", false, "rebuild each attribute mapping's source tree from its expression text where the two differ (edit the text, plan with -from-text)")
	return func(ctx context.Context, inv *cli.Invocation) error {
		desired, err := readSchemaFile(inv, *file)
		if err != nil {
			return err
		}
		if len(desired.SynchronizationRules) == 0 {
			return cli.Usagef("%s has no synchronization rules: a PUT replaces the whole schema", fileName(*file))
		}
		if *fromText {
			n, err := schemaedit.TreesFromText(desired)
			if err != nil {
				return cli.Usagef("%s: %v", fileName(*file), err)
			}
			inv.Err.Printf("Rebuilt %d source tree(s) from their expression text (-from-text).", n)
		}
		if err := inv.CheckConfig(); err != nil {
			return err
		}
		return connected(func(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
			live, err := env.Client.GetJobSchema(ctx, env.ServicePrincipalID, env.JobID)
			if err != nil {
				return err
			}
			changes, err := schemaedit.Diff(*live, *desired)
			if err != nil {
				return cli.Usagef("%s: %v", fileName(*file), err)
			}
			if err := printChanges(inv, changes); err != nil {
				return err
			}
			inv.Err.Printf("Plan: %s to the schema of job %s.", summary(changes), env.JobID)
			if mismatched := warnFindings(inv, *desired, changes, fileName(*file)); mismatched > 0 {
				return cli.Exit(cli.ExitFailed, fmt.Errorf("%d attribute mapping(s) the plan changes have an expression text that is not their source tree, "+
					"which Graph stores: plan again with -from-text to rebuild the trees from the texts (or edit the trees); no plan written", mismatched))
			}
			if *online {
				if refused := askGraph(ctx, inv, env, changes); refused > 0 {
					return cli.Exit(cli.ExitFailed, fmt.Errorf("parseExpression (Graph's) refuses %d expression(s) of the plan; no plan written", refused))
				}
			}
			if *out == "" {
				return nil
			}
			fp, err := schemaedit.Fingerprint(*live)
			if err != nil {
				return err
			}
			desiredFP, err := schemaedit.Fingerprint(*desired)
			if err != nil {
				return cli.Usagef("%s: %v", fileName(*file), err)
			}
			b, err := schemaJSON(planFile{Format: planFormat, ServicePrincipalID: env.ServicePrincipalID, JobID: env.JobID,
				Created: time.Now().UTC().Format(time.RFC3339), LiveFingerprint: fp, DesiredFingerprint: desiredFP,
				Changes: nonNil(changes), Live: *live, Desired: *desired})
			if err != nil {
				return err
			}
			if err := os.WriteFile(*out, b, 0o600); err != nil {
				return err
			}
			inv.Err.Printf("Wrote the plan to %s: graphsync schema apply %s applies it while the live schema is still this one (%s).", *out, *out, fp)
			return nil
		})(ctx, inv)
	}
}

func nonNil(cs []schemaedit.Change) []schemaedit.Change {
	if cs == nil {
		return []schemaedit.Change{}
	}
	return cs
}

// printChanges prints the changes on stdout: as text ("No changes." for
// none) or, with -json, as a JSON array.
func printChanges(inv *cli.Invocation, changes []schemaedit.Change) error {
	if inv.Config.JSON {
		return inv.Out.JSON(nonNil(changes))
	}
	inv.Out.Text(schemaedit.Text(changes))
	return nil
}

// summary counts changes: "3 change(s) (1 added, 0 removed, 2 changed)".
func summary(changes []schemaedit.Change) string {
	n := map[schemaedit.ChangeOp]int{}
	for _, c := range changes {
		n[c.Op]++
	}
	return fmt.Sprintf("%d change(s) (%d added, %d removed, %d changed)", len(changes), n[schemaedit.Added], n[schemaedit.Removed], n[schemaedit.Changed])
}

// warnFindings prints on stderr what the offline checks find in the
// parts of the desired schema the plan adds or changes, counts the
// others, and returns how many of the first are TreeMismatch.
func warnFindings(inv *cli.Invocation, desired models.SynchronizationSchema, changes []schemaedit.Change, file string) int {
	type key struct{ rule, src, dst, attr string }
	touched := map[key]bool{}
	for _, c := range changes {
		switch {
		case c.Kind == schemaedit.KindAttributeMapping && c.Op != schemaedit.Removed:
			touched[key{c.RuleID, c.SourceObject, c.TargetObject, c.TargetAttribute}] = true
		case c.Kind == schemaedit.KindObjectMapping && c.Op == schemaedit.Added:
			touched[key{c.RuleID, c.SourceObject, c.TargetObject, "*"}] = true
		}
	}
	others, mismatched := 0, 0
	for _, f := range expression.CheckSchema(desired) {
		switch {
		case !touched[key{f.RuleID, f.SourceObject, f.TargetObject, f.TargetAttribute}] && !touched[key{f.RuleID, f.SourceObject, f.TargetObject, "*"}]:
			others++
		case f.Kind == expression.TreeMismatch:
			inv.Err.Printf("error: %s", f.String())
			mismatched++
		default:
			inv.Err.Printf("warning: %s", f.String())
		}
	}
	if others > 0 {
		inv.Err.Printf("(%d finding(s) of the offline checks in parts the plan does not change: graphsync schema lint -f %s lists them.)", others, file)
	}
	return mismatched
}

// askGraph asks parseExpression about every expression the plan adds or
// changes, prints each refusal on stderr and returns how many there were.
func askGraph(ctx context.Context, inv *cli.Invocation, env *cli.Env, changes []schemaedit.Change) int {
	refused := 0
	asked := 0
	for _, c := range changes {
		if c.Kind != schemaedit.KindAttributeMapping || c.New == nil || c.New.Type != schemaedit.TypeExpression ||
			c.Old != nil && c.Old.Type == c.New.Type && c.Old.Source == c.New.Source {
			continue
		}
		asked++
		res, err := env.Client.ParseExpression(ctx, env.ServicePrincipalID, env.JobID, models.ParseExpressionRequest{Expression: c.New.Source})
		switch {
		case err != nil:
			inv.Err.Printf("parseExpression of %s: %v", printable.Quote(c.TargetAttribute, 80), err)
			refused++
		case !res.ParsingSucceeded:
			msg := "no reason given"
			if res.Error != nil {
				msg = res.Error.Message
			}
			inv.Err.Printf("Graph refuses the expression of attribute mapping %s of %s→%s: %s",
				printable.Quote(c.TargetAttribute, 80), printable.Quote(c.SourceObject, 60), printable.Quote(c.TargetObject, 60), msg)
			refused++
		}
	}
	if refused == 0 {
		inv.Err.Printf("Graph's parseExpression parses the %d expression(s) the plan adds or changes.", asked)
	}
	return refused
}

func schemaApply(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	cfg.Shared(fs, cli.UsesJob|cli.UsesJSON)
	backup := fs.String("backup", "", "write the schema the plan replaces to this file (default schema-backup-JOB-TIME.json in this directory); an existing file is never overwritten")
	return func(ctx context.Context, inv *cli.Invocation) error {
		if len(inv.Args) != 1 {
			return cli.Usagef("give one plan file, as graphsync schema plan -out writes it: graphsync schema apply PLAN")
		}
		p, err := readPlan(inv, inv.Args[0])
		if err != nil {
			return err
		}
		if err := inv.CheckConfig(); err != nil {
			return err
		}
		return connected(func(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
			if p.ServicePrincipalID != env.ServicePrincipalID || p.JobID != env.JobID {
				return cli.Usagef("%s is a plan for job %s of service principal %s, not job %s of %s; nothing was sent",
					inv.Args[0], p.JobID, p.ServicePrincipalID, env.JobID, env.ServicePrincipalID)
			}
			live, err := env.Client.GetJobSchema(ctx, env.ServicePrincipalID, env.JobID)
			if err != nil {
				return err
			}
			fp, err := schemaedit.Fingerprint(*live)
			if err != nil {
				return err
			}
			if fp != p.LiveFingerprint {
				if left, err := schemaedit.Diff(*live, p.Desired); err == nil && len(left) == 0 {
					if err := printChanges(inv, nil); err != nil {
						return err
					}
					inv.Err.Printf("The live schema of job %s is already the one %s desires (applied before?); nothing was sent.", env.JobID, inv.Args[0])
					return nil
				}
				since, err := schemaedit.Diff(p.Live, *live)
				if err != nil {
					return err
				}
				inv.Err.Printf("The live schema of job %s changed since the plan was made, %s; nothing was applied.", env.JobID, summary(since))
				inv.Err.Text(schemaedit.Text(since))
				return cli.Exit(cli.ExitFailed, fmt.Errorf("the live schema is not the one %s was planned against (%s, now %s): make a new plan", inv.Args[0], p.LiveFingerprint, fp))
			}
			return replaceSchema(ctx, inv, env, live, p.Desired, *backup, "Applied")
		})(ctx, inv)
	}
}

// readPlan reads a plan file: a *UsageError when it is not one (a plan
// of an earlier format included), or its live or its desired schema does
// not have the fingerprint it records.
func readPlan(inv *cli.Invocation, name string) (*planFile, error) {
	b, err := readInputFile(inv, name)
	if err != nil {
		return nil, err
	}
	var p planFile
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, cli.Usagef("%s: not a plan of graphsync schema plan -out: %v", name, err)
	}
	switch p.Format {
	case planFormat:
	case "1":
		return nil, cli.Usagef("%s: a plan of an earlier graphsync (graphsyncSchemaPlan 1), which records no fingerprint of its desired schema: "+
			"apply cannot tell whether it was changed after it was written; make a new plan", name)
	default:
		return nil, cli.Usagef("%s: not a plan of graphsync schema plan -out (graphsyncSchemaPlan %s, want %s)", name, printable.Quote(p.Format, 20), planFormat)
	}
	if fp, err := schemaedit.Fingerprint(p.Live); err != nil || fp != p.LiveFingerprint {
		return nil, cli.Usagef("%s: its live schema does not have the fingerprint it records: the file was changed after it was written; make a new plan", name)
	}
	// What apply PUTs must be what the plan showed: the desired schema is
	// covered as the live one is.
	if fp, err := schemaedit.Fingerprint(p.Desired); err != nil || fp != p.DesiredFingerprint {
		return nil, cli.Usagef("%s: its desired schema does not have the fingerprint it records: the file was changed after it was written "+
			"(apply would PUT what no plan showed); make a new plan", name)
	}
	if len(p.Desired.SynchronizationRules) == 0 {
		return nil, cli.Usagef("%s: its desired schema has no synchronization rules", name)
	}
	// The changes are what a reviewer of the plan file reads: they must
	// be those between its live and desired schemas, or the review
	// approved something else than apply PUTs.
	changes, err := schemaedit.Diff(p.Live, p.Desired)
	if err != nil {
		return nil, cli.Usagef("%s: %v", name, err)
	}
	want, err1 := json.Marshal(nonNil(changes))
	got, err2 := json.Marshal(p.Changes)
	if err := errors.Join(err1, err2); err != nil || !bytes.Equal(want, got) {
		return nil, cli.Usagef("%s: its list of changes is not what its live and desired schemas differ by: the file was changed after it was written "+
			"(a reader of it saw other changes than apply would make); make a new plan", name)
	}
	return &p, nil
}

func schemaRestore(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	cfg.Shared(fs, cli.UsesJob|cli.UsesJSON)
	file := fs.String("f", "", "the schema to put back, as apply's backup (or graphsync schema get) wrote it")
	backup := fs.String("backup", "", "write the schema the restore replaces to this file (default schema-backup-JOB-TIME.json in this directory)")
	otherJob := fs.Bool("from-other-job", false, "restore a schema of another job or service principal (its id or @odata.context says so) into the configured job, with that job's own schema id")
	return func(ctx context.Context, inv *cli.Invocation) error {
		s, err := readSchemaFile(inv, *file)
		if err != nil {
			return err
		}
		if len(s.SynchronizationRules) == 0 {
			return cli.Usagef("%s has no synchronization rules: a PUT replaces the whole schema", fileName(*file))
		}
		if err := inv.CheckConfig(); err != nil {
			return err
		}
		name := fileName(*file)
		return connected(func(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
			otherSP, err := checkSchemaServicePrincipal(inv, env, name, s, *otherJob)
			if err != nil {
				return err
			}
			live, err := env.Client.GetJobSchema(ctx, env.ServicePrincipalID, env.JobID)
			if err != nil {
				return err
			}
			if err := checkSchemaJob(inv, env, name, s, live.ID, otherSP, *otherJob); err != nil {
				return err
			}
			return replaceSchema(ctx, inv, env, live, *s, *backup, "Restored")
		})(ctx, inv)
	}
}

// checkSchemaServicePrincipal refuses (exit 2, before any request) the
// schema file name, s, when its @odata.context names another service
// principal than the configured one, unless otherJob. other reports that
// it does (and otherJob let it through).
func checkSchemaServicePrincipal(inv *cli.Invocation, env *cli.Env, name string, s *models.SynchronizationSchema, otherJob bool) (other bool, err error) {
	sp := schemaServicePrincipal(s)
	if sp == "" || sameID(sp, env.ServicePrincipalID) {
		return false, nil
	}
	if !otherJob {
		return true, cli.Usagef("%s is a backup of another job: its @odata.context names service principal %s, not %s; nothing was sent "+
			"(-from-other-job restores it into job %s all the same)", name, printable.Quote(sp, 80), env.ServicePrincipalID, env.JobID)
	}
	return true, nil
}

// checkSchemaJob refuses (exit 2, nothing changed) the schema file name,
// s, when its id is not liveID, the configured job's schema id: Graph
// gives each job's schema the job's own id, which a backup keeps, so a
// file whose id is another is another job's. With otherJob it is taken
// all the same (as is a file of another service principal, otherSP), with
// the configured job's own schema id, and stderr says so.
func checkSchemaJob(inv *cli.Invocation, env *cli.Env, name string, s *models.SynchronizationSchema, liveID string, otherSP, otherJob bool) error {
	otherID := s.ID != "" && liveID != "" && !sameID(s.ID, liveID)
	if otherID && !otherJob {
		return cli.Usagef("%s is a backup of another job: its schema id is %s, job %s's is %s; nothing was changed "+
			"(-from-other-job restores it into job %s all the same)", name, printable.Quote(s.ID, 120), env.JobID, printable.Quote(liveID, 120), env.JobID)
	}
	if otherSP || otherID {
		inv.Err.Printf("Taking %s, a schema of another job (-from-other-job), into job %s with its own schema id %s.", name, env.JobID, printable.Quote(liveID, 120))
		s.ID = liveID
	}
	return nil
}

// spInContext finds the service principal in a schema's @odata.context,
// whose key is an OData string literal: servicePrincipals('ID'), a quote
// in ID doubled.
var spInContext = regexp.MustCompile(`servicePrincipals\('((?:[^']|'')*)'\)`)

// schemaServicePrincipal returns the service principal the @odata.context
// of s names, as Graph writes it on a schema it sends (and graphsync schema
// get and apply's backup keep it); "" when s has none. The job's key in
// the context is not read: Graph writes there a key that need not be the
// job's ID.
func schemaServicePrincipal(s *models.SynchronizationSchema) string {
	var context string
	if raw, ok := s.Extra["@odata.context"]; !ok || json.Unmarshal(raw, &context) != nil {
		return ""
	}
	m := spInContext.FindStringSubmatch(context)
	if m == nil {
		return ""
	}
	return strings.ReplaceAll(m[1], "''", "'")
}

// sameID reports whether two Graph IDs name the same object: GUIDs and
// job IDs are compared without regard to case, as Graph reads them.
func sameID(a, b string) bool { return strings.EqualFold(a, b) }

// replaceSchema puts desired in place of live, the safe way: nothing when
// they do not differ; else it writes live to the backup file, PUTs
// desired, reads the schema back and confirms that it is desired. The
// changes go to stdout; done ("Applied") begins the line that says so.
func replaceSchema(ctx context.Context, inv *cli.Invocation, env *cli.Env, live *models.SynchronizationSchema, desired models.SynchronizationSchema, backup, done string) error {
	changes, err := schemaedit.Diff(*live, desired)
	if err != nil {
		return err
	}
	if len(changes) == 0 {
		if err := printChanges(inv, changes); err != nil {
			return err
		}
		inv.Err.Printf("The live schema of job %s is already the desired one; nothing was sent.", env.JobID)
		return nil
	}
	b, err := schemaJSON(live)
	if err != nil {
		return err
	}
	name, err := writeBackup(backup, env.JobID, b)
	if err != nil {
		return fmt.Errorf("writing the backup: %w; nothing was applied", err)
	}
	inv.Err.Printf("Wrote the schema being replaced to %s.", name)
	if err := env.Client.UpdateJobSchema(ctx, env.ServicePrincipalID, env.JobID, desired); err != nil {
		return fmt.Errorf("replacing the schema: %w (the schema before is in %s)", err, name)
	}
	got, err := env.Client.GetJobSchema(ctx, env.ServicePrincipalID, env.JobID)
	if err != nil {
		return fmt.Errorf("the schema was replaced, but reading it back failed: %w (the schema before is in %s)", err, name)
	}
	left, err := schemaedit.Diff(desired, *got)
	if err != nil {
		return err
	}
	if len(left) > 0 {
		inv.Err.Printf("After the PUT, Graph's schema differs from the desired one, %s:", summary(left))
		inv.Err.Text(schemaedit.Text(left))
		return cli.Exit(cli.ExitFailed, fmt.Errorf("the schema read back is not the desired one; graphsync schema restore -f %s puts the one before back", name))
	}
	if err := printChanges(inv, changes); err != nil {
		return err
	}
	inv.Err.Printf("%s %s to job %s; read back, the schema is the desired one. The schema it replaced is in %s (graphsync schema restore -f %s puts it back).",
		done, summary(changes), env.JobID, name, name)
	return nil
}

// unsafeName matches what a default backup file name does not keep of a
// job ID.
var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// writeBackup writes b to a new file, 0600: name, or by default
// schema-backup-JOB-TIME.json in the current directory (with -2, -3...
// when that exists). An existing file is never overwritten.
func writeBackup(name, jobID string, b []byte) (string, error) {
	candidates := []string{name}
	if name == "" {
		base := "schema-backup-" + unsafeName.ReplaceAllString(jobID, "_") + "-" + time.Now().UTC().Format("20060102T150405Z")
		candidates = []string{base + ".json"}
		for i := 2; i <= 9; i++ {
			candidates = append(candidates, fmt.Sprintf("%s-%d.json", base, i))
		}
	}
	var err error
	for _, c := range candidates {
		var f *os.File
		f, err = os.OpenFile(c, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		if _, err := f.Write(b); err != nil {
			f.Close()
			return "", err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return "", err
		}
		return c, f.Close()
	}
	return "", fmt.Errorf("%s exists (a backup is never overwritten): %w", candidates[len(candidates)-1], err)
}
