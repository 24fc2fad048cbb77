// Package report is how the example programs print: a table or JSON on
// stdout, one-line diagnostics and logs on stderr. Every piece of text
// goes through internal/printable's rule on the way out, in the Writer
// itself, so that no call site can forget it: whatever a server or an
// input file holds is shown (escaped), never interpreted by the terminal,
// and a row or a line can never become two.
package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/graphsync/graphsync/internal/printable"
)

// Writer writes cleaned text to one stream. It is safe for concurrent use;
// each line, table and JSON value is written whole.
type Writer struct {
	mu sync.Mutex
	w  io.Writer
}

// New returns a Writer to w.
func New(w io.Writer) *Writer { return &Writer{w: w} }

// Printf writes one line: the formatted text cleaned (printable.Clean),
// then a newline. A newline or any other control character in the text,
// whether from format or from an argument, is shown escaped: one call is
// one line.
func (w *Writer) Printf(format string, a ...any) {
	w.line(fmt.Sprintf(format, a...))
}

// Println writes its operands as fmt.Println does, as one cleaned line.
func (w *Writer) Println(a ...any) {
	w.line(strings.TrimSuffix(fmt.Sprintln(a...), "\n"))
}

// Text writes text of the program's own that spans lines (a usage
// message): each of its lines cleaned, with a TAB written as four spaces.
func (w *Writer) Text(text string) {
	var b strings.Builder
	for l := range strings.Lines(text) {
		l = strings.ReplaceAll(strings.TrimSuffix(l, "\n"), "\t", "    ")
		b.WriteString(printable.Clean(l))
		b.WriteByte('\n')
	}
	w.write([]byte(b.String()))
}

// Write writes p as one line, cleaned, ending in a newline: the newline p
// ends with is kept, any other is escaped. It is for a log handler that
// writes one record per call, as log/slog's handlers do.
func (w *Writer) Write(p []byte) (int, error) {
	s := strings.TrimSuffix(string(p), "\n")
	if err := w.line(s); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (w *Writer) line(s string) error {
	return w.write([]byte(printable.Clean(s) + "\n"))
}

func (w *Writer) write(b []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	_, err := w.w.Write(b)
	return err
}

// JSON writes v as indented JSON and a newline. Every rune in its strings
// that a terminal could interpret is a \u escape (printable.JSON): the
// output decodes to exactly v's values.
func (w *Writer) JSON(v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	return w.write(printable.JSON(b.Bytes()))
}

// JSONLine writes v as JSON on one line (JSON lines: a stream of values
// a program reads line by line), escaped as JSON does.
func (w *Writer) JSONLine(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return w.write(append(printable.JSON(b), '\n'))
}

// Table returns a table with the given column headings, written to w by
// Flush with its columns aligned.
func (w *Writer) Table(columns ...string) *Table {
	t := &Table{w: w, n: len(columns)}
	t.tw = tabwriter.NewWriter(&t.buf, 0, 0, 2, ' ', 0)
	t.Row(anys(columns)...)
	return t
}

// Rows returns a table of n columns without headings, for rows that
// follow a table printed before (new events, as they come).
func (w *Writer) Rows(n int) *Table {
	t := &Table{w: w, n: n}
	t.tw = tabwriter.NewWriter(&t.buf, 0, 0, 2, ' ', 0)
	return t
}

// Table is a table of cleaned cells: each cell is on its row and each row
// on its line, whatever the cells hold.
type Table struct {
	w   *Writer
	n   int
	buf bytes.Buffer
	tw  *tabwriter.Writer
}

// Row adds a row of as many cells as the table has columns. A cell is
// fmt.Sprint of its value, cleaned (printable.Clean: a TAB, newline or
// other control character in it is shown escaped, so it can neither
// break the columns nor start a row); an empty cell is shown as "-".
func (t *Table) Row(cells ...any) {
	if len(cells) != t.n {
		panic(fmt.Sprintf("report: a row of %d cells in a table of %d columns", len(cells), t.n))
	}
	var b strings.Builder
	for i, c := range cells {
		if i > 0 {
			b.WriteByte('\t')
		}
		s := printable.Clean(fmt.Sprint(c))
		if s == "" {
			s = "-"
		}
		b.WriteString(s)
	}
	b.WriteByte('\n')
	t.tw.Write([]byte(b.String()))
}

// Flush writes the table.
func (t *Table) Flush() error {
	if err := t.tw.Flush(); err != nil {
		return err
	}
	err := t.w.write(t.buf.Bytes())
	t.buf.Reset()
	return err
}

func anys(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
