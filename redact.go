package graphsync

import (
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// redactor takes the secrets a request carried (credential values, its
// bearer token) out of what a server sent back, whatever encoding the
// server echoed them in. It looks for each secret in decoded text, not
// for a list of encoded forms: text is searched as it is and under up to
// maxLayers layers of decoding, each layer undoing at once every escape a
// server writes text with (JSON and Go string escapes such as \u0074 or
// \", in either hex case; percent-encoding in either case, "+" for a
// space in form encoding; HTML character references such as &amp; or
// &#x74;), so that a form a server happens to choose is covered by
// construction: JSON inside JSON, JSON in an HTML page, a URL in a JSON
// string, a Go-quoted transport error. What a secret was found in is
// replaced with redactedMark in the text as it was; the text around it is
// kept byte for byte.
//
// The work is linear in the text for each layer: one decoded copy per
// layer is kept at a time (depth first), and positions are mapped back
// only for the matches found.
//
// Secrets shorter than minSecret bytes are not looked for: they would
// redact ordinary words.
type redactor []string

const (
	redactedMark = "[redacted]"
	minSecret    = 4
	// maxLayers is how many layers of decoding deep a secret is looked
	// for: enough for a percent-encoded JSON document in an HTML page.
	maxLayers = 3
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
	return replaceSpans(s, r.spans(s))
}

// body is text for an answer's body.
func (r redactor) body(b []byte) []byte {
	if len(r) == 0 || len(b) == 0 {
		return b
	}
	s := string(b)
	spans := r.spans(s)
	if len(spans) == 0 {
		return b
	}
	return []byte(replaceSpans(s, spans))
}

// spans returns the ranges of s where a secret is, as it is or under up
// to maxLayers layers of decoding.
func (r redactor) spans(s string) [][2]int {
	plus := false // "+" for a space matters only to a secret with a space
	for _, secret := range r {
		plus = plus || strings.ContainsRune(secret, ' ')
	}
	var (
		out    [][2]int
		texts  = []string{s} // texts[i+1] is texts[i] decoded with plusAt[i]
		plusAt []bool
	)
	var walk func()
	walk = func() {
		t := texts[len(texts)-1]
		var found [][2]int
		for _, secret := range r {
			for off := 0; len(secret) <= len(t)-off; {
				k := strings.Index(t[off:], secret)
				if k < 0 {
					break
				}
				found = append(found, [2]int{off + k, off + k + len(secret)})
				off += k + len(secret)
			}
		}
		if len(found) > 0 {
			out = append(out, mapBack(found, texts, plusAt)...)
		}
		if len(texts) > maxLayers {
			return
		}
		for _, p := range [2]bool{false, true} {
			if p && (!plus || !strings.ContainsRune(t, '+')) {
				continue
			}
			d, _ := unescape(t, p, nil)
			if d == t || len(d) < minSecret {
				continue
			}
			texts, plusAt = append(texts, d), append(plusAt, p)
			walk()
			texts, plusAt = texts[:len(texts)-1], plusAt[:len(plusAt)-1]
		}
	}
	walk()
	return out
}

// mapBack maps ranges of the last of texts to ranges of the first, each
// text being the one before it decoded (with plusAt's choice).
func mapBack(found [][2]int, texts []string, plusAt []bool) [][2]int {
	var at []int
	for _, f := range found {
		at = append(at, f[0], f[1])
	}
	sort.Ints(at)
	at = dedupe(at)
	pos := at
	for layer := len(texts) - 1; layer > 0; layer-- {
		_, pos = unescape(texts[layer-1], plusAt[layer-1], pos)
	}
	out := make([][2]int, len(found))
	for i, f := range found {
		out[i] = [2]int{pos[sort.SearchInts(at, f[0])], pos[sort.SearchInts(at, f[1])]}
	}
	return out
}

func dedupe(sorted []int) []int {
	out := sorted[:0]
	for i, v := range sorted {
		if i == 0 || v != sorted[i-1] {
			out = append(out, v)
		}
	}
	return out
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

// unescape decodes one layer of every escape the redactor knows, at
// once: backslash escapes (\" \\ \/ \b \f \n \r \t, and \uXXXX with
// surrogate pairs, either hex case), percent-encoding (%XX, either case;
// with plusSpace "+" is a space), and HTML character references (named
// and numeric). Text that is none of these is copied. It returns the
// decoded text and, for each offset of at (ascending offsets into the
// decoded text, len included), the offset in s where the byte there was
// decoded from (len(s) for the decoded text's len).
func unescape(s string, plusSpace bool, at []int) (string, []int) {
	specials := `\%&`
	if plusSpace {
		specials = `\%&+`
	}
	if !strings.ContainsAny(s, specials) {
		return s, at
	}
	var src []int
	if at != nil {
		src = make([]int, len(at))
	}
	next := 0 // the next entry of at to fill
	var b strings.Builder
	b.Grow(len(s))
	// emit writes out, decoded from s[from:].
	emit := func(out string, from int) {
		for next < len(at) && at[next] < b.Len()+len(out) {
			src[next] = from
			next++
		}
		b.WriteString(out)
	}
	for i := 0; i < len(s); {
		k := strings.IndexAny(s[i:], specials)
		if k < 0 {
			k = len(s) - i
		}
		if k > 0 {
			// A run copied as it is maps byte for byte.
			for next < len(at) && at[next] < b.Len()+k {
				src[next] = i + at[next] - b.Len()
				next++
			}
			b.WriteString(s[i : i+k])
			i += k
			continue
		}
		out, n := unit(s[i:], plusSpace)
		emit(out, i)
		i += n
	}
	for ; next < len(at); next++ {
		src[next] = len(s) // the decoded text's end
	}
	return b.String(), src
}

// unit decodes the escape at the start of s (which starts with one of
// the special bytes): the text it stands for and its length; a special
// byte that starts no escape stands for itself.
func unit(s string, plusSpace bool) (string, int) {
	switch s[0] {
	case '+':
		if plusSpace {
			return " ", 1
		}
	case '%':
		if len(s) >= 3 && isHex(s[1]) && isHex(s[2]) {
			return string([]byte{unhex(s[1])<<4 | unhex(s[2])}), 3
		}
	case '&':
		if r, n := htmlReference(s); n > 0 {
			return string(r), n
		}
	case '\\':
		if len(s) < 2 {
			break
		}
		switch s[1] {
		case '"', '\\', '/', '\'':
			return s[1:2], 2
		case 'b':
			return "\b", 2
		case 'f':
			return "\f", 2
		case 'n':
			return "\n", 2
		case 'r':
			return "\r", 2
		case 't':
			return "\t", 2
		case 'u':
			r, ok := hex4(s[2:])
			if !ok {
				break
			}
			if utf16.IsSurrogate(r) {
				if len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
					if r2, ok := hex4(s[8:]); ok {
						if c := utf16.DecodeRune(r, r2); c != utf8.RuneError {
							return string(c), 12
						}
					}
				}
				break
			}
			return string(r), 6
		}
	}
	return s[:1], 1
}

// hex4 reads four hex digits at the start of s.
func hex4(s string) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for i := range 4 {
		if !isHex(s[i]) {
			return 0, false
		}
		r = r<<4 | rune(unhex(s[i]))
	}
	return r, true
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
