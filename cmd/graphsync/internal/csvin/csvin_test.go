package csvin

import (
	"fmt"
	"io"
	"strings"
	"testing"
)

func readAll(in string) ([][]string, error) {
	r := New("hr.csv", strings.NewReader(in))
	var out [][]string
	for {
		rec, _, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
}

// A cell with a control character (TAB included), DEL, a C1 control, a
// bidi override or a line separator is refused with its physical line and
// column, as a cell that is not UTF-8 is; a line break inside a quoted
// cell, CRLF line ends and characters that are merely invisible (a
// zero-width space, a soft hyphen, the joiners some scripts need) are not.
func TestControlCharactersAreRefused(t *testing.T) {
	for in, want := range map[string]string{
		"externalId,displayName\nA1,Ada\tLovelace\n":            `line 2 column 2: control character \t`,
		"externalId,displayName\nA1,\x1b]0;pwned\x07\n":         `line 2 column 2: control character \x1b`,
		"externalId,displayName\nA1,\"one\ntwo\x1b[2J\"\n":      `line 3 column 2: control character \x1b`,
		"externalId,displayName\nA1,\"a\rb\"\n":                 `line 2 column 2: control character \r`,
		"externalId,displayName\nA1,x\x7f\n":                    `line 2 column 2: control character \x7f`,
		"externalId,displayName\nA1,x\u0085\n":                  `line 2 column 2: control character \u0085`,
		"externalId,displayName\nA1,x\u009b31m\n":               `line 2 column 2: control character \u009b`,
		"externalId,displayName\n\"A\u202e1\",x\n":              `line 2 column 1: control character \u202e`,
		"externalId,displayName\nA1,\u2066x\u2069\n":            `line 2 column 2: control character \u2066`,
		"externalId,displayName\nA1,x\u2028y\n":                 `line 2 column 2: control character \u2028`,
		"externalId\tdisplayName\nA1\n":                         `line 1 column 1: control character \t`,
		"# comment\n\nexternalId,displayName\nA1,ok\nA2,\x00\n": `line 5 column 2: control character \x00`,
		"externalId,displayName\nA1,\"x\n\n\ny\x01\"\n":         `line 5 column 2: control character \x01`,
		"externalId,displayName\nA1,\"M\xfcller\x1b\"\n":        `line 2 column 2: not valid UTF-8`,
		"externalId,displayName\nA1,\"\x1bM\xfcller\"\n":        `line 2 column 2: control character \x1b`,
	} {
		_, err := readAll(in)
		if err == nil || !strings.Contains(err.Error(), "hr.csv "+want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
		if err != nil && strings.ContainsAny(err.Error(), "\t\r\n\x1b\u0085\u202e") {
			t.Errorf("%q: the error holds the character raw: %q", in, err)
		}
	}
	for _, in := range []string{
		"externalId,formatted\r\nA1,\"1 Main St\r\nOslo\"\r\n",
		"externalId,displayName\nA1,zero\u200bwidth soft\u00adhyphen\u200c\u200d\u200e\u200f\ufeff\n",
		"\ufeffexternalId,displayName\nA1,Zoë 李 🙂\n",
	} {
		if _, err := readAll(in); err != nil {
			t.Errorf("%q: %v", in, err)
		}
	}
}

// CheckText refuses what a cell may not hold, and a line break, which
// only a quoted cell may.
func TestCheckText(t *testing.T) {
	for s, ok := range map[string]bool{
		"User:9bb0f679": true, "Zoë Ålund": true, "a\u200db": true,
		"a\x1b[2J": false, "a\nb": false, "a\rb": false, "a\tb": false, "a\u202eb": false, "a\x85b": false, "\xff": false,
	} {
		if err := CheckText(s); (err == nil) != ok || (err != nil && strings.ContainsAny(err.Error(), "\x1b\n\r\t\u202e\u0085")) {
			t.Errorf("CheckText(%q) = %v", s, err)
		}
	}
}

// NewHeader: comments and blank lines only before the header, which is
// read with lazy quotes on its own line; after it, every line that is not
// blank is a record (a first cell starting with '#' too) and quotes are
// strict, so that a quote opened and never closed cannot swallow the
// lines after it. Errors name the physical line.
func TestNewHeader(t *testing.T) {
	r, h, line, err := NewHeader("hr.csv", strings.NewReader("\ufeff# export\r\n\r\nexternalId,emails[type eq \"work\"].value\r\n#12,a\r\n\r\nB1,\"x\r\ny\"\r\n"))
	if err != nil || line != 3 || len(h) != 2 || h[1] != `emails[type eq "work"].value` {
		t.Fatalf("header %q line %d: %v", h, line, err)
	}
	var got []string
	for {
		rec, l, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d:%s", l, strings.Join(rec, "|")))
	}
	if strings.Join(got, " ") != "4:#12|a 6:B1|x\ny" {
		t.Fatalf("records %q", got)
	}
	for in, want := range map[string]string{
		"a,b\n1,\"x\n2,y\n3,z\n":     "hr.csv line 2: a quoted cell that starts on this line is not closed",
		"a,b\n1,\"x\n2,y\n3,\"z\"\n": "hr.csv line 2: a quoted cell that starts on this line is not closed",
		"a,b\n1,O\"Neil\n":           "hr.csv line 2 column 4: a quote inside a cell that does not start with one",
		"# c\na,\"b\n1,2\n":          "hr.csv line 2 column 2 (header): a quote opens the cell and is not closed",
		"a\tb\n":                     `hr.csv line 1 column 1: control character \t`,
	} {
		r, _, _, err := NewHeader("hr.csv", strings.NewReader(in))
		for err == nil {
			_, _, err = r.Next()
		}
		if err == io.EOF || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
	if _, _, _, err := NewHeader("hr.csv", strings.NewReader("\ufeff# a\n\n# b\n")); err != io.EOF {
		t.Errorf("comments only: %v, want io.EOF", err)
	}
}

// EndsWithLineBreak tells an input cut inside its last record from one
// written whole, whatever its line ends.
func TestEndsWithLineBreak(t *testing.T) {
	for in, want := range map[string]bool{
		"a,b\n1,2\n":             true,
		"a,b\r\n1,2\r\n":         true,
		"\ufeffa,b\n1,2\n\n":     true,
		"a,b\n1,2":               false,
		"a,b\r\n1,2\r":           false,
		"a,b\n1,\"x\ny\"":        false,
		"a,b\n1,\"x\ny\"\n":      true,
		"# c\na,b\n" + "1,2\n3,": false,
	} {
		r, _, _, err := NewHeader("in", strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		for {
			if _, _, err := r.Next(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%q: %v", in, err)
			}
		}
		if got := r.EndsWithLineBreak(); got != want {
			t.Errorf("%q: EndsWithLineBreak %v, want %v", in, got, want)
		}
	}
	if !New("in", strings.NewReader("a")).EndsWithLineBreak() {
		t.Error("a Reader of New: false, want true")
	}
}
