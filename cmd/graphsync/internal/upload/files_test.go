package upload

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The files a run writes (the state, its journal) are refused when they
// are each other, the export or the mapping by another spelling: a path
// through "." or "..", a directory reached by a symbolic link, a hard
// link.
func TestCheckFilesSameFileByAnotherPath(t *testing.T) {
	dir := t.TempDir()
	st := filepath.Join(dir, "hr.state")
	os.WriteFile(st, nil, 0o600)
	os.WriteFile(filepath.Join(dir, "hr.csv"), nil, 0o600)
	if err := os.Link(st, filepath.Join(dir, "hard")); err != nil {
		t.Skip("no hard links here:", err)
	}
	if err := os.Symlink(dir, filepath.Join(dir, "via")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	t.Chdir(dir)
	for _, c := range []struct {
		cfg  config
		want string // "" for accepted
	}{
		{config{statePath: "hr.state", journalPath: "./hr.state"}, "-state (hr.state) and -journal (./hr.state)"},
		{config{statePath: "hr.state", journalPath: "x/../hr.state"}, "-journal"},
		{config{statePath: "hr.state", journalPath: filepath.Join(dir, "via", "hr.state")}, "-journal"},
		{config{statePath: "hr.state", journalPath: "hard"}, "-journal (hard)"},
		{config{statePath: "hr.state", csvPath: "./hr.state"}, "-csv"},
		{config{statePath: "hr.state", csvPath: "hr.csv"}, ""},
		{config{statePath: "hr", csvPath: "hr.journal"}, "the journal of -state (hr.journal) and -csv (hr.journal)"},
		{config{journalPath: "via/hr.csv", csvPath: "hr.csv"}, "-journal (via/hr.csv) and -csv (hr.csv)"},
		{config{statePath: "hr.state", mapPath: "hard"}, "-map"},
		{config{statePath: "hr.state", journalPath: "hr.jsonl", csvPath: "-"}, ""},
	} {
		err := c.cfg.checkFiles()
		if (err == nil) != (c.want == "") || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v: %v, want %q", c.cfg, err, c.want)
		}
	}
}
