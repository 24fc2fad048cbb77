// Package cli is what graphsync's subcommands share: the command tree and
// its help at every level, one resolution of the configuration (flags
// over environment) and one connection to Graph or to the offline demo,
// and one table of exit codes. Everything a subcommand prints goes
// through package report.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/report"
)

// Exit codes, the same for every subcommand (jobs health, a Nagios check,
// documents its own).
const (
	ExitOK          = 0 // done
	ExitFailed      = 1 // something failed or was left undone
	ExitUsage       = 2 // bad usage or configuration; nothing was sent
	ExitInterrupted = 3 // interrupted (Ctrl-C, SIGTERM)
)

// Command is a node of the command tree: a group of subcommands (a noun)
// or a command that runs (a verb, or a noun without verbs).
type Command struct {
	// Name is the word that selects the command.
	Name string
	// Args is the synopsis after the flags, e.g. "FILE", if any.
	Args string
	// Summary is one line for the parent's list.
	Summary string
	// Help is printed after the usage line by -h; paragraphs of the
	// program's own text.
	Help string
	// Subcommands, for a group.
	Subcommands []*Command
	// Secret marks a command, or a group, whose stray arguments and
	// flags may be secrets typed in the wrong place: they are refused
	// without being echoed.
	Secret bool
	// Flags, for a command that runs, registers its flags (the shared
	// ones through cfg) and returns what runs it once they are parsed.
	// A command may have both Flags and Subcommands (graphsync logs and
	// graphsync logs stats): a first argument that names a subcommand
	// selects it, anything else runs the command itself, and its -h lists
	// the subcommands too.
	Flags func(fs *flag.FlagSet, cfg *Config) Run
	// UsageExit, if not 0, is the exit code of bad usage or configuration
	// instead of ExitUsage (graphsync jobs health: 3, Nagios's UNKNOWN).
	UsageExit int
}

// usageExit is the command's exit code for bad usage.
func (c *Command) usageExit() int {
	if c.UsageExit != 0 {
		return c.UsageExit
	}
	return ExitUsage
}

// Run runs a command. Its error decides the exit code: nil is ExitOK, an
// error from Exit carries its code, a UsageError is ExitUsage, an ended
// context ExitInterrupted, anything else ExitFailed; the error is printed
// on standard error unless it is from Exit with no message.
type Run func(ctx context.Context, inv *Invocation) error

// Invocation is one run of a command.
type Invocation struct {
	// Path is the command's words, e.g. "graphsync jobs list".
	Path string
	// Args are the arguments left after the flags.
	Args []string
	// Config is the resolved configuration.
	Config *Config
	// Stdin is standard input; Out and Err write cleaned text to
	// standard output and standard error.
	Stdin    io.Reader
	Out, Err *report.Writer
	// RawOut is standard output as it is, for JSON and files a command
	// copies byte for byte (schema get), never for text from a server.
	RawOut io.Writer
	rawErr io.Writer
	// transport is Options.Transport.
	transport http.RoundTripper
}

// Stderr is standard error as it is, for what draws on a terminal (a
// progress bar of the command's own text), never for text from a
// server or an input.
func (inv *Invocation) Stderr() io.Writer { return inv.rawErr }

// UsageError is a problem with the command line or the configuration:
// nothing was sent (ExitUsage).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef returns a *UsageError.
func Usagef(format string, a ...any) error { return &UsageError{fmt.Sprintf(format, a...)} }

// exitError is an explicit exit code, with an error to print or none.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// Exit returns an error that ends the command with code, printing err
// (when not nil) on standard error.
func Exit(code int, err error) error {
	if code == ExitOK && err == nil {
		return nil
	}
	return &exitError{code, err}
}

// Execute runs the command args select under root, and returns the exit
// code. name is the program's name for messages ("graphsync").
func Execute(ctx context.Context, root *Command, name string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return ExecuteWith(ctx, root, name, args, stdin, stdout, stderr, nil)
}

// Options are what a test changes in a run: nil means none.
type Options struct {
	// Transport, if set, carries the requests to Graph (graphtest's
	// in-process transport, under testing/synctest).
	Transport http.RoundTripper
}

// ExecuteWith is Execute with opts.
func ExecuteWith(ctx context.Context, root *Command, name string, args []string, stdin io.Reader, stdout, stderr io.Writer, opts *Options) int {
	out, errw := report.New(stdout), report.New(stderr)
	cmd, path := root, name
	for len(cmd.Subcommands) > 0 {
		if cmd.Flags != nil && (len(args) == 0 || cmd.find(args[0]) == nil) {
			break // no subcommand named: the command itself runs
		}
		if len(args) == 0 {
			errw.Text(groupHelp(cmd, path))
			return ExitUsage
		}
		switch a := args[0]; {
		case a == "-h" || a == "-help" || a == "--help" || a == "help":
			out.Text(groupHelp(cmd, path))
			return ExitOK
		case strings.HasPrefix(a, "-"):
			errw.Printf("%s: %s: give a subcommand first", path, echo(cmd, a))
			errw.Text(groupHelp(cmd, path))
			return ExitUsage
		}
		next := cmd.find(args[0])
		if next == nil {
			errw.Printf("%s: unknown subcommand %s", path, echo(cmd, args[0]))
			errw.Text(groupHelp(cmd, path))
			return ExitUsage
		}
		cmd, path, args = next, path+" "+next.Name, args[1:]
	}

	fs := flag.NewFlagSet(path, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors and usage are printed below, cleaned
	cfg := &Config{}
	run := cmd.Flags(fs, cfg)
	usage := func(w *report.Writer) { w.Text(leafHelp(cmd, path, fs)) }
	positional, err := parseInterspersed(fs, args, cmd.Args != "")
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(out)
			return ExitOK
		}
		if cmd.Secret {
			// flag's message repeats the value: it may be a secret.
			errw.Printf("%s: a flag it does not take, or a value it cannot read (not repeated here: it may be a secret typed in the wrong place)", path)
		} else {
			errw.Printf("%s: %v", path, err)
		}
		usage(errw)
		return cmd.usageExit()
	}
	if err := cfg.resolve(fs); err != nil {
		errw.Printf("%s: %v", path, err)
		return cmd.usageExit()
	}
	inv := &Invocation{Path: path, Args: positional, Config: cfg, Stdin: stdin, Out: out, Err: errw, RawOut: stdout, rawErr: stderr}
	if opts != nil {
		inv.transport = opts.Transport
	}
	if cmd.Args == "" && len(inv.Args) > 0 {
		if cmd.Secret {
			errw.Printf("%s: takes no arguments: secrets are read from a file (-f FILE) or standard input (-f -), "+
				"never from the command line, which other users of the machine can see; nothing was sent", path)
		} else {
			errw.Printf("%s: unexpected argument %q", path, inv.Args[0])
		}
		return cmd.usageExit()
	}
	return exitCode(ctx, errw, path, run(ctx, inv), cmd.usageExit())
}

// parseInterspersed parses args with fs and returns the arguments that
// are not flags. A command that takes arguments (Command.Args) may have
// flags after them too, as in "schema apply plan.json -backup b.json";
// after "--" everything is an argument.
func parseInterspersed(fs *flag.FlagSet, args []string, takesArgs bool) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if !takesArgs || len(rest) == 0 {
			return append(positional, rest...), nil
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// echo is what a message about the word a given to cmd shows of it:
// the word quoted, or, where a secret may be typed in the wrong place
// (Secret), only that there was one.
func echo(cmd *Command, a string) string {
	if cmd.Secret {
		return "(a word not repeated here: it may be a secret typed in the wrong place)"
	}
	return strconv.Quote(a)
}

// exitCode prints err and returns the exit code it stands for; usage is
// the code of a *UsageError.
func exitCode(ctx context.Context, errw *report.Writer, path string, err error, usage int) int {
	var ee *exitError
	var ue *UsageError
	code := ExitFailed
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		code = ee.code
		err = ee.err
	case errors.As(err, &ue), errors.Is(err, graphsync.ErrInvalidInput):
		// The library refused an argument before sending anything
		// (*graphsync.ValidationError): bad usage too.
		code = usage
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		code = ExitInterrupted
	}
	if err != nil {
		errw.Printf("%s: %v", path, err)
	}
	return code
}

func (c *Command) find(name string) *Command {
	for _, s := range c.Subcommands {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// groupHelp lists a group's subcommands.
func groupHelp(c *Command, path string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s <command> [flags]\n", path)
	if c.Help != "" {
		fmt.Fprintf(&b, "\n%s\n", strings.TrimSpace(c.Help))
	}
	b.WriteString("\nCommands:\n")
	width := 0
	for _, s := range c.Subcommands {
		width = max(width, len(s.Name))
	}
	for _, s := range c.Subcommands {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, s.Name, s.Summary)
	}
	fmt.Fprintf(&b, "\nRun %q for a command's flags.\n", path+" <command> -h")
	return b.String()
}

// leafHelp is a command's usage line, help and flags.
func leafHelp(c *Command, path string, fs *flag.FlagSet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s [flags]", path)
	if c.Args != "" {
		fmt.Fprintf(&b, " %s", c.Args)
	}
	b.WriteString("\n")
	if len(c.Subcommands) > 0 {
		fmt.Fprintf(&b, "   or: %s <command> [flags]\n", path)
	}
	if c.Help != "" {
		fmt.Fprintf(&b, "\n%s\n", strings.TrimSpace(c.Help))
	} else if c.Summary != "" {
		fmt.Fprintf(&b, "\n%s\n", c.Summary)
	}
	if len(c.Subcommands) > 0 {
		b.WriteString("\nCommands:\n")
		width := 0
		for _, s := range c.Subcommands {
			width = max(width, len(s.Name))
		}
		for _, s := range c.Subcommands {
			fmt.Fprintf(&b, "  %-*s  %s\n", width, s.Name, s.Summary)
		}
		fmt.Fprintf(&b, "\nRun %q for a command's flags.\n", path+" <command> -h")
	}
	var flags []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) { flags = append(flags, f) })
	if len(flags) > 0 {
		sort.Slice(flags, func(i, j int) bool { return flags[i].Name < flags[j].Name })
		b.WriteString("\nFlags:\n")
		for _, f := range flags {
			name, use := flag.UnquoteUsage(f)
			fmt.Fprintf(&b, "  -%s", f.Name)
			if name != "" {
				fmt.Fprintf(&b, " %s", name)
			}
			fmt.Fprintf(&b, "\n      %s", use)
			if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "[]" {
				fmt.Fprintf(&b, " (default %s)", f.DefValue)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}
