package cli

import (
	"flag"
	"io"
	"reflect"
	"testing"
)

// A command that takes arguments takes flags after them too; "--" ends
// the flags; a command without arguments leaves the rest to be refused.
func TestParseInterspersed(t *testing.T) {
	for _, tc := range []struct {
		args      []string
		takesArgs bool
		want      []string
		backup    string
	}{
		{[]string{"plan.json", "-backup", "b.json"}, true, []string{"plan.json"}, "b.json"},
		{[]string{"-backup", "b.json", "plan.json"}, true, []string{"plan.json"}, "b.json"},
		{[]string{"a", "-backup", "b.json", "c"}, true, []string{"a", "c"}, "b.json"},
		{[]string{"--", "-backup", "b.json"}, true, []string{"-backup", "b.json"}, ""},
		{[]string{"a", "--", "-backup"}, true, []string{"a", "-backup"}, ""},
		{[]string{"a", "-backup", "b.json"}, false, []string{"a", "-backup", "b.json"}, ""},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		backup := fs.String("backup", "", "")
		got, err := parseInterspersed(fs, tc.args, tc.takesArgs)
		if err != nil || !reflect.DeepEqual(got, tc.want) || *backup != tc.backup {
			t.Errorf("%q: %q %q %v", tc.args, got, *backup, err)
		}
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if _, err := parseInterspersed(fs, []string{"a", "-nope"}, true); err == nil {
		t.Error("an unknown flag after an argument was taken")
	}
}
