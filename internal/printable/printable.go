// Package printable is graphsync's one rule for text that came from a
// server or an input file and is about to be shown to a person: in an
// error's message, a log line, a table cell, a plan. Such text belongs to
// whoever wrote it, the terminal to the operator: nothing in it may move
// the cursor, retitle or clear the screen, write the clipboard, reorder
// the line or start a new one.
//
// The rule: every rune that is graphic (letters, marks, numbers,
// punctuation, symbols and spaces, as unicode.IsGraphic says) is kept as
// it is; every other rune is written as a Go escape, so that it is shown
// and never interpreted: C0 and C1 controls (\n, \r, \t, \x1b, \u009b),
// DEL (\x7f), format characters such as bidi overrides and zero-width
// characters (\u202e, \u200b), line and paragraph separators (\u2028),
// private-use and unassigned code points; a byte that is not UTF-8 is
// written as \xNN. A backslash already in the text stays as it is (a
// Windows account name keeps its DOMAIN\user form), so an escape shown is
// either one of these or the writer's own backslash, never a control.
//
// Reserve applies the rule and escapes too the runes a line's own format
// reserves, such as the "|" before a Nagios plugin's performance data;
// ReserveCut bounds its result as Cut does.
//
// JSON applies the same rule to encoded JSON, with JSON's own escapes
// (\u0085, \u202e), so that JSON shown on a terminal is as safe and
// still decodes to exactly the values it holds.
package printable

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean returns s with every rune that is not graphic escaped (see the
// package comment). Text that needs nothing is returned as it is, without
// allocating.
func Clean(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		writeRune(&b, s[i:i+n], r, n)
		i += n
	}
	return b.String()
}

// Cut is Clean bounded to at most n bytes: when the cleaned text is longer
// it is cut, on a rune and escape boundary, and ends in "…". n below 4
// is taken as 4.
func Cut(s string, n int) string { return ReserveCut(s, "", n) }

// ReserveCut is Reserve bounded to at most n bytes as Cut is: for text
// set in a line whose format reserves runes and whose reader keeps only
// so many bytes of it (a Nagios plugin's status text, before its "|"
// and performance data).
func ReserveCut(s, reserved string, n int) string {
	n = max(n, 4)
	if len(s) <= n && isClean(s) && !strings.ContainsAny(s, reserved) {
		return s
	}
	const mark = "…"
	var b strings.Builder
	b.Grow(min(len(s), n) + 8)
	fit := 0 // the length of b when it last fitted with the mark after it
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		writeReserved(&b, s[i:i+w], r, w, reserved)
		i += w
		if b.Len() <= n-len(mark) {
			fit = b.Len()
		}
		if b.Len() > n {
			return b.String()[:fit] + mark
		}
	}
	return b.String()
}

// Quote returns s cleaned, cut to n bytes and in double quotes, for text
// named inside a message (a rule ID, an object name): where it begins and
// ends is then plain, whatever it holds. A double quote inside is escaped.
func Quote(s string, n int) string {
	c := Cut(s, n)
	if !strings.ContainsRune(c, '"') {
		return `"` + c + `"`
	}
	return `"` + strings.ReplaceAll(c, `"`, `\"`) + `"`
}

// Reserve is Clean with every rune of reserved escaped too, as a Go
// escape ("|" as \x7c): for text set in a line whose format gives those
// runes a meaning of their own, such as the "|" that begins a Nagios
// plugin's performance data. The text still shows them, and none of them
// can be taken for the format's. Reserve(s, "") is Clean(s).
func Reserve(s, reserved string) string {
	if !strings.ContainsAny(s, reserved) {
		return Clean(s)
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		writeReserved(&b, s[i:i+n], r, n, reserved)
		i += n
	}
	return b.String()
}

// writeReserved is writeRune, with the runes of reserved escaped too.
func writeReserved(b *strings.Builder, raw string, r rune, n int, reserved string) {
	if reserved != "" && !(r == utf8.RuneError && n == 1) && strings.ContainsRune(reserved, r) {
		writeEscape(b, r)
		return
	}
	writeRune(b, raw, r, n)
}

// writeEscape writes r as a Go escape, whether or not it is graphic.
func writeEscape(b *strings.Builder, r rune) {
	switch {
	case r < utf8.RuneSelf:
		b.WriteString(`\x`)
	case r <= 0xffff:
		b.WriteString(`\u`)
		b.WriteByte(hex[r>>12&15])
		b.WriteByte(hex[r>>8&15])
	default:
		b.WriteString(`\U`)
		for shift := 28; shift >= 8; shift -= 4 {
			b.WriteByte(hex[r>>shift&15])
		}
	}
	b.WriteByte(hex[r>>4&15])
	b.WriteByte(hex[r&15])
}

// isClean reports whether Clean(s) is s: every rune graphic.
func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return isCleanUnicode(s[i:])
		}
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}

func isCleanUnicode(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !keep(r, n) {
			return false
		}
		i += n
	}
	return true
}

// keep reports whether the rune r, n bytes long, is shown as it is.
func keep(r rune, n int) bool {
	if r == utf8.RuneError && n == 1 {
		return false // not UTF-8
	}
	return unicode.IsGraphic(r)
}

// writeRune writes the rune r (whose bytes are raw) or its escape.
func writeRune(b *strings.Builder, raw string, r rune, n int) {
	switch {
	case keep(r, n):
		b.WriteString(raw)
	case r == utf8.RuneError && n == 1:
		b.WriteString(`\x`)
		b.WriteByte(hex[raw[0]>>4])
		b.WriteByte(hex[raw[0]&15])
	default:
		// \n, \t, \x1b, \u202e, \U000e0001: strconv's escapes, without
		// the quotes.
		q := strconv.QuoteRuneToASCII(r)
		b.WriteString(q[1 : len(q)-1])
	}
}

const hex = "0123456789abcdef"
