package printable

import (
	"unicode/utf8"
)

// JSON returns the encoded JSON b with every rune inside its strings that
// Clean would escape written as a JSON escape instead: \u0085, \u202e, a
// rune above U+FFFF as its surrogate pair (\udb40\udc41). encoding/json
// escapes C0 controls, U+2028 and U+2029 itself but leaves DEL, C1
// controls, bidi overrides and other format characters raw; after JSON,
// output shown on a terminal holds nothing the terminal interprets, and it
// decodes to exactly the same values. A byte inside a string that is not
// UTF-8 is written as \ufffd, which is what a JSON decoder reads it as.
// Escapes already in b and everything outside strings (structure,
// numbers, indentation) are kept as they are.
//
// b should be JSON, such as encoding/json writes; JSON does not check it.
// When nothing needs escaping, b itself is returned, without allocating.
func JSON(b []byte) []byte {
	i := firstJSONEscape(b)
	if i == len(b) {
		return b
	}
	out := make([]byte, 0, len(b)+len(b)/8+16)
	out = append(out, b[:i]...)
	// firstJSONEscape stops only inside a string.
	inString := true
	for i < len(b) {
		c := b[i]
		switch {
		case !inString:
			if c == '"' {
				inString = true
			}
			out = append(out, c)
			i++
		case c == '"':
			inString = false
			out = append(out, c)
			i++
		case c == '\\':
			// An escape already there: \" \\ \n \u00e9 are all ASCII.
			out = append(out, c)
			if i+1 < len(b) {
				out = append(out, b[i+1])
			}
			i += 2
		case c < utf8.RuneSelf && c >= 0x20 && c != 0x7f:
			out = append(out, c)
			i++
		default:
			r, n := utf8.DecodeRune(b[i:])
			if keep(r, n) {
				out = append(out, b[i:i+n]...)
			} else {
				out = appendJSONEscape(out, r)
			}
			i += n
		}
	}
	return out
}

// firstJSONEscape returns the index of the first byte of b that JSON
// rewrites (always inside a string), or len(b).
func firstJSONEscape(b []byte) int {
	inString := false
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case !inString:
			inString = c == '"'
			i++
		case c == '"':
			inString = false
			i++
		case c == '\\':
			i += 2
		case c < utf8.RuneSelf:
			if c < 0x20 || c == 0x7f {
				return i
			}
			i++
		default:
			r, n := utf8.DecodeRune(b[i:])
			if !keep(r, n) {
				return i
			}
			i += n
		}
	}
	return len(b)
}

// appendJSONEscape appends r as \uXXXX, or as a surrogate pair above
// U+FFFF; an invalid byte (utf8.RuneError) is \ufffd.
func appendJSONEscape(out []byte, r rune) []byte {
	if r > 0xffff {
		r -= 0x10000
		out = appendU(out, 0xd800+(r>>10))
		return appendU(out, 0xdc00+(r&0x3ff))
	}
	return appendU(out, r)
}

func appendU(out []byte, r rune) []byte {
	return append(out, '\\', 'u', hex[r>>12&15], hex[r>>8&15], hex[r>>4&15], hex[r&15])
}
