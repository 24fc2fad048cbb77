package jsonl

import (
	"encoding/json"
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
	w, err := Open(path)
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
	err = Read(path, func(_ int, line []byte) error {
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
