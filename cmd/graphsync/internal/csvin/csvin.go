// Package csvin reads the example programs' CSV input the same way: a
// byte-order mark is dropped, '#' starts a comment, records may have any
// number of fields, and each record comes with the physical line it
// starts on (blank lines counted).
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
}

// New returns a Reader of in, which errors call name. With lazyQuotes, a
// quote inside an unquoted field is taken as it is.
func New(name string, in io.Reader, lazyQuotes bool) *Reader {
	br := bufio.NewReader(in)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	r := csv.NewReader(br)
	r.FieldsPerRecord = -1
	r.Comment = '#'
	r.LazyQuotes = lazyQuotes
	return &Reader{name: name, r: r}
}

// Next returns the next record and the physical line it starts on, or
// io.EOF after the last. Errors name the input and the line, and the
// column of a field that is not valid UTF-8 or holds a control character
// (see the package comment).
func (r *Reader) Next() (rec []string, line int, err error) {
	rec, err = r.r.Read()
	if err == io.EOF {
		return nil, 0, io.EOF
	}
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", r.name, err)
	}
	line, _ = r.r.FieldPos(0)
	for i, cell := range rec {
		bad, rn := firstRefused(cell)
		if bad == len(cell) {
			continue
		}
		l, _ := r.r.FieldPos(i)
		l += strings.Count(cell[:bad], "\n")
		if rn == utf8.RuneError {
			return nil, 0, fmt.Errorf("%s line %d column %d: not valid UTF-8 (save the file as UTF-8)", r.name, l, i+1)
		}
		return nil, 0, fmt.Errorf("%s line %d column %d: control character %s (U+%04X) in a cell; "+
			"control characters, TAB included, and bidi controls are refused (a line break inside a quoted cell is fine)",
			r.name, l, i+1, printable.Clean(string(rn)), rn)
	}
	return rec, line, nil
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
