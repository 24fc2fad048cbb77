// Package csvin reads the example programs' CSV input the same way: a
// byte-order mark is dropped, '#' starts a comment, records may have any
// number of fields, every field must be valid UTF-8, and each record
// comes with the physical line it starts on (blank lines counted).
package csvin

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
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
// column of a field that is not valid UTF-8.
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
		if !utf8.ValidString(cell) {
			l, _ := r.r.FieldPos(i)
			bad := invalidUTF8(cell)
			return nil, 0, fmt.Errorf("%s line %d column %d: not valid UTF-8 (save the file as UTF-8)", r.name, l+strings.Count(cell[:bad], "\n"), i+1)
		}
	}
	return rec, line, nil
}

// invalidUTF8 returns the index of the first byte of s that is not valid
// UTF-8, or len(s).
func invalidUTF8(s string) int {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(s)
}
