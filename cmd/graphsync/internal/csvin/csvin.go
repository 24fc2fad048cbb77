// Package csvin reads the example programs' CSV input the same way: a
// byte-order mark is dropped, records may have any number of fields, and
// each record comes with the physical line it starts on (blank lines
// counted). Quotes are strict (RFC 4180): a quote opens a cell only as
// its first character, ends it only before a comma or the line's end,
// and is doubled inside it; anything else is an error naming the line,
// since a quote opened and never closed would swallow the lines after it
// into one cell. New reads a list where '#' starts a comment line
// anywhere; NewHeader reads a header and the records after it, where
// only the lines before the header may be comments.
//
// Every field must be valid UTF-8 and free of control characters: C0
// controls (TAB and a lone CR included; a line break inside a quoted
// field is fine, as are CRLF line ends), DEL, C1 controls, the bidi
// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and
// the line and paragraph separators (U+2028, U+2029). Such a character in
// an HR export is a mistake or an attack: it would reach the directory as
// it is, and a bidi override can make a name read as another. Characters
// that are only invisible (a zero-width space, a soft hyphen, the joiners
// and direction marks some scripts need) are accepted. The error names
// the physical line and the column, and shows the character escaped.
package csvin

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/graphsync/graphsync/internal/printable"
)

// Reader reads records from one input.
type Reader struct {
	name string
	r    *csv.Reader
	// offset is how many physical lines of the input r does not read
	// (NewHeader's header and the lines before it).
	offset int
	// tail is NewHeader's input, which remembers its last byte.
	tail *lastByte
}

// lastByte is a reader that remembers the last byte read through it.
type lastByte struct {
	r io.Reader
	b byte
}

func (l *lastByte) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if n > 0 {
		l.b = p[n-1]
	}
	return n, err
}

// EndsWithLineBreak reports, once Next has returned io.EOF, whether the
// input of NewHeader ended with a line break (a Reader of New: always
// true). A file written whole ends its last record with one; a file cut
// short (read while it is still written, a transfer that failed) almost
// always ends inside a record, whose last cell Next returns cut, and
// without the records after it.
func (r *Reader) EndsWithLineBreak() bool { return r.tail == nil || r.tail.b == '\n' }

// New returns a Reader of in, which errors call name. Quotes are strict;
// every line that starts with '#' is a comment.
func New(name string, in io.Reader) *Reader {
	r := csv.NewReader(dropBOM(in))
	r.FieldsPerRecord = -1
	r.Comment = '#'
	return &Reader{name: name, r: r}
}

// NewHeader reads in's header: its first line that is neither blank nor
// a comment (starting with '#'). The header is that one physical line,
// read with lazy quotes, so that a cell such as emails[type eq
// "work"].value needs no CSV quoting; a quote it opens must close on the
// same line. It returns the header, the physical line it is on, and a
// Reader of the records after it, which errors call name. After the
// header, quotes are strict and there are no comments: every line that
// is not blank is a record, one whose first cell starts with '#'
// included (an office "#12", a cost centre), so that no record is
// skipped without a word. An input without a header is io.EOF.
func NewHeader(name string, in io.Reader) (r *Reader, header []string, line int, err error) {
	tail := &lastByte{r: in}
	br := dropBOM(tail)
	for {
		s, rerr := br.ReadString('\n')
		if rerr != nil && rerr != io.EOF {
			return nil, nil, 0, fmt.Errorf("%s: %w", name, rerr)
		}
		if s == "" && rerr == io.EOF {
			return nil, nil, 0, io.EOF
		}
		line++
		if t := strings.TrimSuffix(strings.TrimSuffix(s, "\n"), "\r"); t != "" && t[0] != '#' {
			hr := csv.NewReader(strings.NewReader(s))
			hr.FieldsPerRecord = -1
			hr.LazyQuotes = true
			if header, err = hr.Read(); err != nil {
				return nil, nil, 0, fmt.Errorf("%s line %d (header): %w", name, line, err)
			}
			for i, cell := range header {
				if strings.Contains(cell, "\n") {
					return nil, nil, 0, fmt.Errorf("%s line %d column %d (header): a quote opens the cell and is not closed on the header's line", name, line, i+1)
				}
			}
			if err := check(name, hr, header, line-1); err != nil {
				return nil, nil, 0, err
			}
			break
		}
		if rerr == io.EOF {
			return nil, nil, 0, io.EOF
		}
	}
	// The records: br is at the line after the header (csv.NewReader
	// reads through br itself, a bufio.Reader of the default size).
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	return &Reader{name: name, r: cr, offset: line, tail: tail}, header, line, nil
}

// dropBOM returns a bufio.Reader of in without a leading byte-order mark.
func dropBOM(in io.Reader) *bufio.Reader {
	br := bufio.NewReader(in)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	return br
}

// Next returns the next record and the physical line it starts on, or
// io.EOF after the last. Errors name the input and the line, and the
// column of a field that is not valid UTF-8 or holds a control character
// (see the package comment), or of a quote out of place.
func (r *Reader) Next() (rec []string, line int, err error) {
	rec, err = r.r.Read()
	if err == io.EOF {
		return nil, 0, io.EOF
	}
	if err != nil {
		return nil, 0, r.parseError(err)
	}
	line, _ = r.r.FieldPos(0)
	if err := check(r.name, r.r, rec, r.offset); err != nil {
		return nil, 0, err
	}
	return rec, line + r.offset, nil
}

// check refuses a record with a cell that is not valid UTF-8 or holds a
// refused character, naming its physical line (cr's, plus offset) and
// column.
func check(name string, cr *csv.Reader, rec []string, offset int) error {
	for i, cell := range rec {
		bad, rn := firstRefused(cell)
		if bad == len(cell) {
			continue
		}
		l, _ := cr.FieldPos(i)
		l += offset + strings.Count(cell[:bad], "\n")
		if rn == utf8.RuneError {
			return fmt.Errorf("%s line %d column %d: not valid UTF-8 (save the file as UTF-8)", name, l, i+1)
		}
		return fmt.Errorf("%s line %d column %d: control character %s (U+%04X) in a cell; "+
			"control characters, TAB included, and bidi controls are refused (a line break inside a quoted cell is fine)",
			name, l, i+1, printable.Clean(string(rn)), rn)
	}
	return nil
}

// parseError is err, a csv.Reader's, in this package's words: the input,
// the physical line the record starts on, and what is wrong with its
// quotes.
func (r *Reader) parseError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", r.name, err)
	}
	start, at := pe.StartLine+r.offset, pe.Line+r.offset
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Errorf("%s line %d column %d: a quote inside a cell that does not start with one; "+
			"quote the whole cell and double the quotes inside it (\"O\"\"Brien\")", r.name, at, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote) && start != at:
		return fmt.Errorf("%s line %d: a quoted cell that starts on this line is not closed where CSV closes one "+
			"(line %d column %d); the lines after it would be read as part of the cell. "+
			"A quoted cell ends with a quote before a comma or the line's end, and doubles the quotes inside it", r.name, start, at, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Errorf("%s line %d column %d: a quoted cell is not closed where CSV closes one: "+
			"it ends with a quote before a comma or the line's end, and doubles the quotes inside it", r.name, at, pe.Column)
	}
	return fmt.Errorf("%s line %d: %v", r.name, start, pe.Err)
}

// CheckText refuses, as a cell, text given another way (a command-line
// value): not valid UTF-8, or holding a refused character. The error
// names the character, escaped.
func CheckText(s string) error {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return fmt.Errorf("a line break at byte %d; it is refused outside a quoted CSV cell", i)
	}
	bad, rn := firstRefused(s)
	switch {
	case bad == len(s):
		return nil
	case rn == utf8.RuneError:
		return fmt.Errorf("not valid UTF-8")
	}
	return fmt.Errorf("control character %s (U+%04X) at byte %d; control characters and bidi controls are refused",
		printable.Clean(string(rn)), rn, bad)
}

// firstRefused returns the index of the first byte of s that is not
// valid UTF-8 (and utf8.RuneError) or starts a refused character (and
// it), or len(s).
func firstRefused(s string) (int, rune) {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || refused(r) {
			return i, r
		}
		i += n
	}
	return len(s), 0
}

// refused reports whether r is a character the package refuses in a
// field: a control character other than a line feed, a bidi embedding,
// override or isolate, or a line or paragraph separator.
func refused(r rune) bool {
	switch {
	case r == '\n':
		return false
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}
