package printable

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Success", "Success"},
		{"CONTOSO\\ada", "CONTOSO\\ada"},
		{"Zoë Ålund 李 🙂 a\u00a0b", "Zoë Ålund 李 🙂 a\u00a0b"},
		{"two  spaces ", "two  spaces "},
		{"a\nb\r\tc", `a\nb\r\tc`},
		{"\x1b]0;pwned\x07", `\x1b]0;pwned\a`},
		{"\x1b]52;c;ZXZpbA==\x1b\\", `\x1b]52;c;ZXZpbA==\x1b\`},
		{"\x1b[2J\x1b[1A", `\x1b[2J\x1b[1A`},
		{"\u009b31m", `\u009b31m`},
		{"\x7f", `\x7f`},
		{"abc\u202eSSECCUS", `abc\u202eSSECCUS`},
		{"zero\u200bwidth", `zero\u200bwidth`},
		{"line\u2028para\u2029", `line\u2028para\u2029`},
		{"tag\U000E0041", `tag\U000e0041`},
		{"bad\xff\xfe", `bad\xff\xfe`},
		{"\x9b", `\x9b`},
		{"\ufffd", "\ufffd"},
	} {
		if got := Clean(tc.in); got != tc.want {
			t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCut(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 16, "short"},
		{"exactly16bytes!!", 16, "exactly16bytes!!"},
		{"seventeen bytes!!", 16, "seventeen byt…"},
		{"a\x1b[2Jbcdefgh", 16, `a\x1b[2Jbcdefgh`},       // 15 bytes cleaned: fits
		{"ab\x1b[2Jbcdefghij", 16, `ab\x1b[2Jbcde…`},     // the escape is never split
		{"abcdefghijkl\x1bzz", 16, "abcdefghijkl…"},      // nor is the mark written over half of one
		{"ééééééééé", 16, "éééééé…"},                     // on a rune boundary
		{"\U000E0041\U000E0041", 8, "…"},                 // nothing fits but the mark
		{"abcdef", 1, "a…"},                              // at least 4 bytes
		{strings.Repeat("x", 1<<20), 10, "xxxxxxx…"},     // bounded work
		{strings.Repeat("\x1b", 1<<20), 12, `\x1b\x1b…`}, // bounded work
	} {
		got := Cut(tc.in, tc.n)
		if got != tc.want {
			t.Errorf("Cut(%.20q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
		if len(got) > max(tc.n, 4) {
			t.Errorf("Cut(%.20q, %d) is %d bytes", tc.in, tc.n, len(got))
		}
	}
}

func TestQuote(t *testing.T) {
	if got, want := Quote(`say "hi"`+"\n", 64), `"say \"hi\"\n"`; got != want {
		t.Errorf("Quote = %s, want %s", got, want)
	}
	if got, want := Quote("rule", 64), `"rule"`; got != want {
		t.Errorf("Quote = %s, want %s", got, want)
	}
}

func TestCleanDoesNotAllocateForCleanText(t *testing.T) {
	s := "9bb0f679-a883-4a6f-8260-35b491b8b801 Success Ada Lovelace Zoë"
	if n := testing.AllocsPerRun(100, func() { _ = Clean(s); _ = Cut(s, 100) }); n != 0 {
		t.Errorf("%v allocations for text that needs no cleaning", n)
	}
}

// FuzzClean: whatever the input, the output is valid UTF-8 made of
// graphic runes only (so nothing a terminal interprets), Clean keeps every
// graphic rune of the input in order, and Cut stays within its bound.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"", "ok", "a\x1b[2Jb", "\xff\xfe", "\u202e", "\r\n", "CONTOSO\\x1b"} {
		f.Add(s, 16)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		c := Clean(s)
		if !utf8.ValidString(c) {
			t.Fatalf("Clean(%q) = %q is not UTF-8", s, c)
		}
		for _, r := range c {
			if !unicode.IsGraphic(r) {
				t.Fatalf("Clean(%q) = %q holds %U", s, c, r)
			}
		}
		var kept strings.Builder
		for i := 0; i < len(s); {
			r, w := utf8.DecodeRuneInString(s[i:])
			if keep(r, w) {
				kept.WriteRune(r)
			}
			i += w
		}
		if !isSubsequence(kept.String(), c) {
			t.Fatalf("Clean(%q) = %q lost graphic text", s, c)
		}
		n = n%4096 + 1
		cut := Cut(s, n)
		if len(cut) > max(n, 4) || !utf8.ValidString(cut) {
			t.Fatalf("Cut(%q, %d) = %q", s, n, cut)
		}
		if len(c) <= max(n, 4) && cut != c {
			t.Fatalf("Cut(%q, %d) = %q, want the whole %q", s, n, cut, c)
		}
	})
}

func isSubsequence(sub, s string) bool {
	for _, r := range sub {
		i := strings.IndexRune(s, r)
		if i < 0 {
			return false
		}
		s = s[i+utf8.RuneLen(r):]
	}
	return true
}

func TestReserve(t *testing.T) {
	for _, tc := range []struct{ in, reserved, want string }{
		{"", "|", ""},
		{"plain", "|", "plain"},
		{"see docs | escrows=0;1;5000", "|", `see docs \x7c escrows=0;1;5000`},
		{"a|b\nc", "|", `a\x7cb\nc`},                 // and cleaned as Clean does
		{"a|b¦c🙂", "|¦🙂", `a\x7cb\u00a6c\U0001f642`}, // any rune
		{"bad\xff|", "|", `bad\xff\x7c`},             // not UTF-8: as Clean
		{"a|b\x1b", "", `a|b\x1b`},                   // nothing reserved: Clean
		{`already \x7c`, "|", `already \x7c`},        // the writer's own backslash
	} {
		got := Reserve(tc.in, tc.reserved)
		if got != tc.want {
			t.Errorf("Reserve(%q, %q) = %q, want %q", tc.in, tc.reserved, got, tc.want)
		}
		if Clean(got) != got {
			t.Errorf("Reserve(%q, %q) = %q is not clean", tc.in, tc.reserved, got)
		}
	}
}

// ReserveCut is Reserve cut as Cut cuts: never past n bytes, never
// within an escape, a reserved rune escaped wherever it is.
func TestReserveCut(t *testing.T) {
	for _, tc := range []struct {
		in, reserved string
		n            int
		want         string
	}{
		{"plain", "|", 10, "plain"},
		{"a|b", "|", 10, `a\x7cb`},
		{"abcdef|ghij", "|", 10, "abcdef…"},
		{"abcd|efgh", "|", 10, "abcd…"}, // not `abcd\x…`: the escape goes whole or not at all
		{"a\nb|c", "", 10, `a\nb|c`},    // nothing reserved: Cut
	} {
		got := ReserveCut(tc.in, tc.reserved, tc.n)
		if got != tc.want || len(got) > tc.n {
			t.Errorf("ReserveCut(%q, %q, %d) = %q, want %q", tc.in, tc.reserved, tc.n, got, tc.want)
		}
	}
}
