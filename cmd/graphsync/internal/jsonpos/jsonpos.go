// Package jsonpos says where in a JSON text each value is, so that what a
// program finds in a decoded document (a schema's attribute mapping, an
// expression in it) can be shown at its line and column in the file the
// operator edits.
//
// A value is named by its path from the top: member names joined by ".",
// array indexes in brackets, as in
// "synchronizationRules[0].objectMappings[1].attributeMappings[4].source.expression"
// (expression.Finding.Path's form). The top value's path is "". When an
// object has a member twice, the path names the last, as decoding keeps
// the last.
package jsonpos

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Index holds the offset of every value of one JSON text.
type Index struct {
	src     []byte
	offsets map[string]int
}

// New indexes src, which must be one JSON value (and space around it).
func New(src []byte) (*Index, error) {
	ix := &Index{src: src, offsets: map[string]int{}}
	type frame struct {
		path    string
		object  bool
		n       int    // the next element's index, in an array
		key     string // the member being read, in an object
		wantKey bool
	}
	var stack []*frame
	d := json.NewDecoder(bytes.NewReader(src))
	d.UseNumber()
	done := func() { // a value ended: its parent moves on
		if len(stack) == 0 {
			return
		}
		top := stack[len(stack)-1]
		if top.object {
			top.wantKey = true
		} else {
			top.n++
		}
	}
	for {
		start := skip(src, int(d.InputOffset()))
		tok, err := d.Token()
		if err == io.EOF && len(stack) == 0 {
			break
		}
		if err == io.EOF {
			return nil, io.ErrUnexpectedEOF
		}
		if err != nil {
			return nil, err
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if delim, ok := tok.(json.Delim); ok && (delim == '}' || delim == ']') {
			stack = stack[:len(stack)-1]
			done()
			continue
		}
		if top != nil && top.object && top.wantKey {
			top.key, top.wantKey = tok.(string), false
			continue
		}
		path := ""
		switch {
		case top == nil:
		case top.object && top.path == "":
			path = top.key
		case top.object:
			path = top.path + "." + top.key
		default:
			path = top.path + "[" + strconv.Itoa(top.n) + "]"
		}
		ix.offsets[path] = start
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{path: path, object: true, wantKey: true})
		case json.Delim('['):
			stack = append(stack, &frame{path: path})
		default:
			done()
		}
	}
	if len(ix.offsets) == 0 {
		return nil, errors.New("jsonpos: no JSON value")
	}
	return ix, nil
}

// skip returns the offset of the first byte at or after i that is not
// space or a separator.
func skip(src []byte, i int) int {
	for i < len(src) {
		switch src[i] {
		case ' ', '\t', '\r', '\n', ',', ':':
			i++
		default:
			return i
		}
	}
	return i
}

// Offset returns the byte offset in the text where the value at path
// begins.
func (ix *Index) Offset(path string) (int, bool) {
	off, ok := ix.offsets[path]
	return off, ok
}

// Position returns the line and column (both from 1, the column in
// characters) where the value at path begins.
func (ix *Index) Position(path string) (line, column int, ok bool) {
	off, ok := ix.offsets[path]
	if !ok {
		return 0, 0, false
	}
	line, column = ix.lineColumn(off)
	return line, column, true
}

// InString returns the line and column of the byte at offset off of the
// decoded text of the string at path: escapes (\", \\, \n, \u00e9...)
// count as the characters they stand for, so an offset in an expression
// read from the file lands on that character in the file. An offset past
// the string's end gives its closing quote. ok is false when path names
// no string.
func (ix *Index) InString(path string, off int) (line, column int, ok bool) {
	start, ok := ix.offsets[path]
	if !ok || start >= len(ix.src) || ix.src[start] != '"' {
		return 0, 0, false
	}
	i, decoded := start+1, 0
	for i < len(ix.src) && ix.src[i] != '"' && decoded < off {
		if ix.src[i] != '\\' || i+1 >= len(ix.src) {
			i++
			decoded++
			continue
		}
		if ix.src[i+1] != 'u' {
			i += 2
			decoded++
			continue
		}
		r, n := unicodeEscape(ix.src[i:])
		i += n
		decoded += utf8.RuneLen(r)
	}
	line, column = ix.lineColumn(i)
	return line, column, true
}

// unicodeEscape reads \uXXXX, or a surrogate pair of them, at the start
// of b: the rune and the bytes read.
func unicodeEscape(b []byte) (rune, int) {
	hex := func(b []byte) (rune, bool) {
		if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
			return 0, false
		}
		n, err := strconv.ParseUint(string(b[2:6]), 16, 16)
		return rune(n), err == nil
	}
	r, ok := hex(b)
	if !ok {
		return utf8.RuneError, min(2, len(b))
	}
	if utf16.IsSurrogate(r) {
		if r2, ok := hex(b[6:]); ok {
			if p := utf16.DecodeRune(r, r2); p != utf8.RuneError {
				return p, 12
			}
		}
		return utf8.RuneError, 6
	}
	return r, 6
}

func (ix *Index) lineColumn(off int) (line, column int) {
	before := ix.src[:min(off, len(ix.src))]
	line = 1 + bytes.Count(before, []byte("\n"))
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, 1 + utf8.RuneCount(before)
}
