package report

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"unicode"
)

const evil = "\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x1b\\\x1b[2J\x1b[1A\r\n2  forged  Success\u0085\u009b31m\x7f\u202e\u2028\t"

func shown(t *testing.T, text string) {
	t.Helper()
	for _, r := range text {
		if r != '\n' && !unicode.IsGraphic(r) {
			t.Fatalf("%U raw in %q", r, text)
		}
	}
}

func TestTableCleansEveryCell(t *testing.T) {
	var b bytes.Buffer
	w := New(&b)
	tw := w.Table("LINE", "NAME", "MESSAGE")
	tw.Row(1, "ada"+evil, evil)
	tw.Row(2, "", "ok")
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	shown(t, b.String())
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "1 ") || !strings.HasPrefix(lines[2], "2 ") {
		t.Fatalf("want a header and two rows:\n%s", b.String())
	}
	if f := strings.Fields(lines[2]); len(f) != 3 || f[1] != "-" {
		t.Fatalf("an empty cell is not shown as -: %q", lines[2])
	}
	if !strings.Contains(lines[1], `ada\x1b]0;pwned\a`) {
		t.Fatalf("not escaped: %q", lines[1])
	}
}

func TestLinesAreOneLineEach(t *testing.T) {
	var b bytes.Buffer
	w := New(&b)
	w.Printf("inbound: %s", evil)
	w.Println("inbound:", evil)
	// A log handler's record: one Write, one line.
	slog.New(slog.NewTextHandler(w, nil)).Info(evil, "k", evil)
	w.Write([]byte("raw " + evil + "\n"))
	shown(t, b.String())
	if n := strings.Count(b.String(), "\n"); n != 4 {
		t.Fatalf("%d lines, want 4:\n%s", n, b.String())
	}
	b.Reset()
	// Text is the program's own: its newlines end lines; the rest is
	// cleaned, a TAB made spaces.
	w.Text("Usage:\n  -v\tverbose " + strings.ReplaceAll(evil, "\n", "") + "\n")
	shown(t, b.String())
	if n := strings.Count(b.String(), "\n"); n != 2 || !strings.Contains(b.String(), "-v    verbose") {
		t.Fatalf("usage:\n%s", b.String())
	}
}

func TestJSONIsExactAndShown(t *testing.T) {
	var b bytes.Buffer
	in := []map[string]string{{"message": evil, "name": "Zoë 🙂"}}
	if err := New(&b).JSON(in); err != nil {
		t.Fatal(err)
	}
	shown(t, b.String())
	var back []map[string]string
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || back[0]["message"] != evil || back[0]["name"] != "Zoë 🙂" {
		t.Fatalf("%v: %q", err, back)
	}
}

// JSONLine writes one value a line, escaped: a string holding a newline
// or an escape sequence cannot end the line or reach the terminal.
func TestJSONLine(t *testing.T) {
	var b bytes.Buffer
	w := New(&b)
	if err := w.JSONLine(map[string]string{"a": evil}); err != nil {
		t.Fatal(err)
	}
	w.JSONLine([]int{1, 2})
	out := b.String()
	shown(t, out)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	var got map[string]string
	if len(lines) != 2 || json.Unmarshal([]byte(lines[0]), &got) != nil || got["a"] != evil || lines[1] != "[1,2]" {
		t.Errorf("%q", out)
	}
}
