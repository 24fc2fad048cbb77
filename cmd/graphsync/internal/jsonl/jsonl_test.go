package jsonl

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// A journal line holds Graph's text; shown on a terminal (tail -f) it
// must not be interpreted, and read back it must be exactly what was
// written.
func TestLinesShowNoControlAndReadBackExactly(t *testing.T) {
	const evil = "\x1b]0;pwned\x07\x1b[2J\r\n\u0085\u009b31m\x7f\u202eSSECCUS\u2028\U000E0041"
	path := filepath.Join(t.TempDir(), "j.jsonl")
	w, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(map[string]string{"message": evil}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range strings.TrimSuffix(string(b), "\n") {
		if !unicode.IsGraphic(r) {
			t.Fatalf("%U raw in the journal: %q", r, b)
		}
	}
	var got []string
	err = Read(path, nil, func(_ int, line []byte) error {
		var m map[string]string
		if err := json.Unmarshal(line, &m); err != nil {
			return err
		}
		got = append(got, m["message"])
		return nil
	})
	if err != nil || len(got) != 1 || got[0] != evil {
		t.Fatalf("read back %q, %v", got, err)
	}
}

// A journal is never opened through a symbolic link at its own path
// (O_NOFOLLOW), for writing or for reading: a link planted there (to
// ~/.ssh/authorized_keys, say) is refused with an error naming the path,
// and its target is left as it was. A dangling link is not created
// through either.
func TestSymlinkIsRefused(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	os.WriteFile(target, []byte("precious\n"), 0o600)
	link := filepath.Join(dir, "j.jsonl")
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if w, err := Open(link, nil); err == nil || !strings.Contains(err.Error(), link) || !strings.Contains(err.Error(), "symbolic link") {
		if w != nil {
			w.Write(map[string]string{"x": "y"})
			w.Close()
		}
		t.Errorf("Open through a link: %v", err)
	}
	err := Read(link, nil, func(int, []byte) error { return nil })
	if err == nil || !strings.Contains(err.Error(), link) || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("Read through a link: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "precious\n" {
		t.Errorf("the link's target was written: %q", b)
	}
	dangling := filepath.Join(dir, "dangling.jsonl")
	os.Symlink(filepath.Join(dir, "created"), dangling)
	if _, err := Open(dangling, nil); err == nil {
		t.Error("Open through a dangling link")
	}
	if _, err := os.Lstat(filepath.Join(dir, "created")); err == nil {
		t.Error("a file was created through a dangling link")
	}
	if err := Read(dangling, nil, func(int, []byte) error { return nil }); err == nil {
		t.Error("Read through a dangling link: taken for a missing journal")
	}
}

// A journal that its group or others may read gets a warning (it holds
// the tenant's IDs and Graph's messages); a new one is created 0600 and
// gets none.
func TestExposedJournalIsWarnedOf(t *testing.T) {
	dir := t.TempDir()
	var warnings []string
	warn := func(msg string) { warnings = append(warnings, msg) }
	fresh := filepath.Join(dir, "new.jsonl")
	w, err := Open(fresh, warn)
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	if st, _ := os.Stat(fresh); st.Mode().Perm() != 0o600 || len(warnings) != 0 {
		t.Fatalf("new journal: mode %v, warnings %q", st.Mode().Perm(), warnings)
	}
	if err := Read(fresh, warn, func(int, []byte) error { return nil }); err != nil || len(warnings) != 0 {
		t.Fatalf("reading a 0600 journal: %v, warnings %q", err, warnings)
	}
	for _, mode := range []os.FileMode{0o640, 0o604} {
		p := filepath.Join(dir, fmt.Sprintf("exposed-%o.jsonl", mode))
		os.WriteFile(p, nil, 0o600)
		os.Chmod(p, mode)
		warnings = nil
		w, err := Open(p, warn)
		if err != nil {
			t.Fatal(err)
		}
		w.Close()
		if err := Read(p, warn, func(int, []byte) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if len(warnings) != 2 || !strings.Contains(warnings[0], p) || !strings.Contains(warnings[0], fmt.Sprintf("%04o", mode)) ||
			!strings.Contains(warnings[0], "chmod 600") {
			t.Errorf("mode %o: warnings %q", mode, warnings)
		}
	}
}

// Replace leaves the old file or the new one, whole, and nothing else;
// an error while writing leaves the old one untouched. ReadFrom reads the
// lines after an offset, and from the start when the file got shorter.
func TestReplaceAndReadFrom(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "state")
	lines := func() []string {
		var out []string
		if err := Read(p, nil, func(_ int, b []byte) error { out = append(out, strings.TrimSpace(string(b))); return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	write := func(vs ...any) error {
		return Replace(p, func(line func(any) error) error {
			for _, v := range vs {
				if err := line(v); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := write(1, "a"); err != nil {
		t.Fatal(err)
	}
	if err := write(2, func() {}); err == nil {
		t.Fatal("a value JSON cannot encode: no error")
	}
	entries, _ := os.ReadDir(dir)
	if got := strings.Join(lines(), " "); got != `1 "a"` || len(entries) != 1 {
		t.Fatalf("after a failed Replace: %s, %d file(s)", got, len(entries))
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
	os.Remove(p)
	os.Symlink(filepath.Join(dir, "elsewhere"), p)
	if err := write(3); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("Replace through a link: %v", err)
	}
	os.Remove(p)

	w, err := Open(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.WriteAll("a", "b")
	size, _ := w.Size()
	w.WriteAll("c")
	var got []string
	end, restarted, err := ReadFrom(p, size, nil, func(_ int, b []byte) error { got = append(got, strings.TrimSpace(string(b))); return nil })
	if full, _ := w.Size(); err != nil || restarted || end != full || strings.Join(got, " ") != `"c"` {
		t.Fatalf("ReadFrom %d: %q end %d (size %d) restarted %v %v", size, got, end, full, restarted, err)
	}
	got = nil
	if _, restarted, _ := ReadFrom(p, 1<<20, nil, func(_ int, b []byte) error { got = append(got, string(b)); return nil }); !restarted || len(got) != 3 {
		t.Fatalf("ReadFrom past the end: %q restarted %v", got, restarted)
	}
}

// Resume reads on from a Position of the same file, and from the start
// when the file at the path is another one: removed and written anew
// past the old size (other first bytes), or longer than 4 KiB with other
// first bytes. A Position without a Head checks the length only.
func TestResumeTellsAFileWrittenAnew(t *testing.T) {
	p := filepath.Join(t.TempDir(), "journal")
	read := func(from Position) (start, end Position, got []string) {
		t.Helper()
		start, end, err := Resume(p, from, nil, func(_ int, b []byte) error { got = append(got, strings.TrimSpace(string(b))); return nil })
		if err != nil {
			t.Fatal(err)
		}
		return start, end, got
	}
	appendLines := func(vs ...any) Position {
		t.Helper()
		w, err := Open(p, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		if err := w.WriteAll(vs...); err != nil {
			t.Fatal(err)
		}
		pos, err := w.Position()
		if err != nil {
			t.Fatal(err)
		}
		return pos
	}
	old := appendLines("first of the old", "b")
	if _, end, got := read(Position{}); end != old || len(got) != 2 {
		t.Fatalf("end %+v, Writer.Position %+v; lines %q", end, old, got)
	}
	appendLines("c")
	if start, _, got := read(old); start != old || strings.Join(got, " ") != `"c"` {
		t.Fatalf("the same file, appended to: from %+v read %q", start, got)
	}
	os.Remove(p)
	appendLines("first of the new", "x", "y", "z")
	if start, _, got := read(old); start.Offset != 0 || len(got) != 4 {
		t.Fatalf("a file written anew past the old size: from %+v read %q", start, got)
	}
	if start, _, got := read(Position{Offset: old.Offset}); start.Offset != old.Offset || len(got) != 2 {
		t.Fatalf("no Head, only the length checked: from %+v read %q", start, got)
	}
	// Past headSize, the first 4 KiB are what is compared.
	long := strings.Repeat("x", 5000)
	os.Remove(p)
	big := appendLines("a"+long, "b")
	os.Remove(p)
	appendLines("b"+long, "b", "c")
	if start, _, got := read(big); start.Offset != 0 || len(got) != 3 {
		t.Fatalf("a long file written anew: from %+v read %d line(s)", start, len(got))
	}
}
