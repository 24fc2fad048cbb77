package graphsync

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"unicode/utf8"
)

// redactor takes the secrets a request carried (credential values, its
// bearer token) out of what a server sent back, whatever encoding the
// server echoed them in. It looks for each secret in decoded text, not
// for a list of encoded forms: a JSON string is decoded first (any \u
// escape, upper- or lower-case hex), and then text is searched as it is
// and under up to two layers of percent-encoding (either hex case, "+"
// or "%20" for a space) and HTML character references ("&amp;",
// "&#x2F;"), so that the form a server happens to choose is covered by
// construction. What a secret was found in is replaced with
// redactedMark; the text around it is kept.
//
// Secrets shorter than minSecret bytes are not looked for: they would
// redact ordinary words.
type redactor []string

const (
	redactedMark = "[redacted]"
	minSecret    = 4
	// maxLayers is how many encodings deep a secret is looked for.
	maxLayers = 2
)

// newRedactor returns a redactor of the secrets long enough to look for,
// or nil when there are none (a nil redactor changes nothing).
func newRedactor(secrets ...string) redactor {
	var r redactor
	for _, s := range secrets {
		if len(s) >= minSecret && !contains(r, s) {
			r = append(r, s)
		}
	}
	return r
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// longest returns the length of the longest secret.
func (r redactor) longest() int {
	n := 0
	for _, s := range r {
		n = max(n, len(s))
	}
	return n
}

// text returns s with every secret in it replaced by redactedMark.
func (r redactor) text(s string) string {
	if len(r) == 0 || s == "" {
		return s
	}
	var spans [][2]int
	var vs []variant // decoded once, for every secret
	for _, secret := range r {
		if len(secret) > len(s) {
			continue // decoding never lengthens a text
		}
		if vs == nil {
			vs = variants(s)
		}
		for _, v := range vs {
			if !strings.Contains(v.text, secret) {
				continue
			}
			// Positions are mapped only for a variant that holds a
			// secret: most answers hold none.
			d, toSrc := v.mapped(s)
			spans = appendSpans(spans, d, toSrc, secret)
		}
	}
	return replaceSpans(s, spans)
}

// body returns b with every secret in it replaced: within each JSON
// string literal, decoded (a literal that changes is written back
// re-encoded, the rest of b is kept byte for byte), then in the whole of
// b as text, for secrets outside strings and for answers that are not
// JSON.
func (r redactor) body(b []byte) []byte {
	if len(r) == 0 || len(b) == 0 {
		return b
	}
	var out []byte // nil until a literal changes
	last := 0
	for i := 0; i < len(b); i++ {
		if b[i] != '"' {
			continue
		}
		j := i + 1
		escaped := false
		for ; j < len(b) && b[j] != '"'; j++ {
			if b[j] == '\\' {
				escaped = true
				j++
			}
		}
		if j >= len(b) {
			break
		}
		// A literal without escapes reads as it is written: the pass
		// over the whole body finds what is in it.
		if escaped {
			var s string
			if json.Unmarshal(b[i:j+1], &s) == nil {
				if red := r.text(s); red != s {
					out = append(out, b[last:i]...)
					out = appendJSONString(out, red)
					last = j + 1
				}
			}
		}
		i = j
	}
	if out != nil {
		b = append(out, b[last:]...)
	}
	if t := r.text(string(b)); t != string(b) {
		return []byte(t)
	}
	return b
}

// appendJSONString appends s as a JSON string, "<", ">" and "&" as they
// are.
func appendJSONString(dst []byte, s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return append(dst, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

// decoder decodes one layer of encoding from s: the decoded text and,
// when mapped, for each of its bytes where in s it starts (one more
// entry, len(s), ends the list). ok is false when s holds nothing of this
// encoding.
type decoder func(s string, mapped bool) (d string, starts []int32, ok bool)

var decoders = []decoder{percentDecoder(true), percentDecoder(false), htmlDecoder}

// variant is a text decoded from another by a chain of decoders.
type variant struct {
	text  string
	chain []decoder
}

// variants returns s and every different text it decodes to under up to
// maxLayers layers of encoding.
func variants(s string) []variant {
	vs := []variant{{text: s}}
	seen := map[string]bool{s: true}
	for from := 0; ; {
		to := len(vs)
		for _, v := range vs[from:to] {
			if len(v.chain) == maxLayers {
				continue
			}
			for _, dec := range decoders {
				d, _, ok := dec(v.text, false)
				if ok && !seen[d] {
					seen[d] = true
					vs = append(vs, variant{text: d, chain: append(v.chain[:len(v.chain):len(v.chain)], dec)})
				}
			}
		}
		if len(vs) == to {
			return vs
		}
		from = to
	}
}

// mapped decodes s again through v's chain, keeping positions: the text
// and, for each of its bytes, where it starts in s.
func (v variant) mapped(s string) (string, []int32) {
	toSrc := make([]int32, len(s)+1)
	for i := range toSrc {
		toSrc[i] = int32(i)
	}
	for _, dec := range v.chain {
		d, starts, _ := dec(s, true)
		for i, p := range starts {
			starts[i] = toSrc[p]
		}
		s, toSrc = d, starts
	}
	return s, toSrc
}

// appendSpans appends the ranges of the original text where secret is in
// the decoded text d, whose bytes start in the original at toSrc.
func appendSpans(spans [][2]int, d string, toSrc []int32, secret string) [][2]int {
	for off := 0; ; {
		k := strings.Index(d[off:], secret)
		if k < 0 {
			return spans
		}
		a, b := off+k, off+k+len(secret)
		spans = append(spans, [2]int{int(toSrc[a]), int(toSrc[b])})
		off = b
	}
}

// replaceSpans replaces each span of s (merged where they overlap) with
// redactedMark.
func replaceSpans(s string, spans [][2]int) string {
	if len(spans) == 0 {
		return s
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	var b strings.Builder
	b.Grow(len(s))
	at := 0
	for i := 0; i < len(spans); {
		a, end := spans[i][0], spans[i][1]
		for i++; i < len(spans) && spans[i][0] < end; i++ {
			end = max(end, spans[i][1])
		}
		b.WriteString(s[at:a])
		b.WriteString(redactedMark)
		at = end
	}
	b.WriteString(s[at:])
	return b.String()
}

// output is a decoder's result being built.
type output struct {
	b      []byte
	starts []int32 // nil unless mapped
	mapped bool
}

func newOutput(n int, mapped bool) *output {
	o := &output{b: make([]byte, 0, n), mapped: mapped}
	if mapped {
		o.starts = make([]int32, 0, n+1)
	}
	return o
}

// add appends the byte c, which starts at at in the encoded text.
func (o *output) add(c byte, at int) {
	o.b = append(o.b, c)
	if o.mapped {
		o.starts = append(o.starts, int32(at))
	}
}

// addRun appends s, which starts at at in the encoded text, as it is.
func (o *output) addRun(s string, at int) {
	o.b = append(o.b, s...)
	if o.mapped {
		for i := range len(s) {
			o.starts = append(o.starts, int32(at+i))
		}
	}
}

// done ends the output of an encoded text of n bytes.
func (o *output) done(n int) (string, []int32, bool) {
	if o.mapped {
		o.starts = append(o.starts, int32(n))
	}
	return string(o.b), o.starts, true
}

// percentDecoder decodes %XX escapes (either case) and, with plus, "+" as
// a space (form encoding); a "%" not followed by two hex digits stays.
func percentDecoder(plus bool) decoder {
	return func(s string, mapped bool) (string, []int32, bool) {
		if !strings.ContainsRune(s, '%') && !(plus && strings.ContainsRune(s, '+')) {
			return "", nil, false
		}
		specials := "%"
		if plus {
			specials = "%+"
		}
		o := newOutput(len(s), mapped)
		for i := 0; i < len(s); {
			if k := strings.IndexAny(s[i:], specials); k != 0 {
				if k < 0 {
					k = len(s) - i
				}
				o.addRun(s[i:i+k], i)
				i += k
				continue
			}
			switch {
			case s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
				o.add(unhex(s[i+1])<<4|unhex(s[i+2]), i)
				i += 3
			case plus && s[i] == '+':
				o.add(' ', i)
				i++
			default:
				o.add(s[i], i)
				i++
			}
		}
		return o.done(len(s))
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// htmlEntities are the named references a server escaping text for HTML
// writes; numeric ones (&#47; &#x2F;) are decoded whatever they name.
var htmlEntities = map[string]rune{"amp": '&', "lt": '<', "gt": '>', "quot": '"', "apos": '\'', "nbsp": '\u00a0'}

// htmlDecoder decodes HTML character references.
func htmlDecoder(s string, mapped bool) (string, []int32, bool) {
	if !strings.ContainsRune(s, '&') {
		return "", nil, false
	}
	o := newOutput(len(s), mapped)
	for i := 0; i < len(s); {
		if k := strings.IndexByte(s[i:], '&'); k != 0 {
			if k < 0 {
				k = len(s) - i
			}
			o.addRun(s[i:i+k], i)
			i += k
			continue
		}
		// s[i] is '&'.
		if r, n := htmlReference(s[i:]); n > 0 {
			var buf [utf8.UTFMax]byte
			for _, c := range buf[:utf8.EncodeRune(buf[:], r)] {
				o.add(c, i)
			}
			i += n
			continue
		}
		o.add(s[i], i)
		i++
	}
	return o.done(len(s))
}

// htmlReference reads the character reference at the start of s ("&amp;",
// "&#47;", "&#x2f;"): the character and its length, or 0 when there is
// none.
func htmlReference(s string) (rune, int) {
	end := strings.IndexByte(s[:min(len(s), 12)], ';') // never further: a text of many "&" stays linear
	if end < 2 || end > 10 {
		return 0, 0
	}
	ref := s[1:end]
	if ref[0] != '#' {
		if r, ok := htmlEntities[strings.ToLower(ref)]; ok {
			return r, end + 1
		}
		return 0, 0
	}
	var v rune
	digits := ref[1:]
	base := rune(10)
	if len(digits) > 0 && (digits[0] == 'x' || digits[0] == 'X') {
		base, digits = 16, digits[1:]
	}
	if digits == "" {
		return 0, 0
	}
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if !isHex(c) || (base == 10 && c > '9') {
			return 0, 0
		}
		v = v*base + rune(unhex(c))
	}
	if !utf8.ValidRune(v) {
		return 0, 0
	}
	return v, end + 1
}
