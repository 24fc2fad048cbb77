package cli

import (
	"bytes"
	"context"
	"flag"
	"strings"
	"testing"
)

// A command with flags and subcommands: a first argument naming a
// subcommand selects it, anything else runs the command; -h shows both.
// UsageExit replaces ExitUsage for the command's bad usage.
func TestFlagsAndSubcommands(t *testing.T) {
	var ran []string
	leaf := func(name string) func(fs *flag.FlagSet, cfg *Config) Run {
		return func(fs *flag.FlagSet, cfg *Config) Run {
			x := fs.String("x", "", "a flag")
			return func(ctx context.Context, inv *Invocation) error {
				ran = append(ran, name+":"+*x)
				if *x == "bad" {
					return Usagef("bad x")
				}
				return nil
			}
		}
	}
	root := &Command{Name: "prog", Subcommands: []*Command{
		{Name: "logs", Summary: "the logs", Flags: leaf("logs"), Subcommands: []*Command{
			{Name: "stats", Summary: "a cycle in numbers", Flags: leaf("stats")},
		}},
		{Name: "health", Summary: "a check", Flags: leaf("health"), UsageExit: 3},
	}}
	run := func(args ...string) (int, string, string) {
		var out, errw bytes.Buffer
		code := Execute(context.Background(), root, "prog", args, strings.NewReader(""), &out, &errw)
		return code, out.String(), errw.String()
	}
	for _, tc := range []struct {
		args []string
		code int
		ran  string
	}{
		{[]string{"logs"}, 0, "logs:"},
		{[]string{"logs", "-x", "1"}, 0, "logs:1"},
		{[]string{"logs", "stats", "-x", "2"}, 0, "stats:2"},
		{[]string{"logs", "-nope"}, 2, ""},
		{[]string{"logs", "stray"}, 2, ""},
		{[]string{"health", "-nope"}, 3, ""},
		{[]string{"health", "stray"}, 3, ""},
		{[]string{"health", "-x", "bad"}, 3, "health:bad"},
		{[]string{"logs", "-x", "bad"}, 2, "logs:bad"},
	} {
		ran = nil
		code, _, _ := run(tc.args...)
		if code != tc.code || strings.Join(ran, ",") != tc.ran {
			t.Errorf("%v: exit %d, ran %q", tc.args, code, ran)
		}
	}
	code, out, _ := run("logs", "-h")
	if code != 0 || !strings.Contains(out, "Usage: prog logs [flags]\n   or: prog logs <command> [flags]") ||
		!strings.Contains(out, "stats  a cycle in numbers") || !strings.Contains(out, "-x string") {
		t.Errorf("logs -h: %d\n%s", code, out)
	}
	if code, out, _ := run("logs", "stats", "-h"); code != 0 || !strings.HasPrefix(out, "Usage: prog logs stats [flags]") {
		t.Errorf("logs stats -h: %d\n%s", code, out)
	}
}
