package graphsync

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/graphsync/graphsync/internal/printable"
)

// ATTACK: the cleaning of printed text on arbitrary input: valid UTF-8,
// bounded, nothing that is not graphic (so nothing a terminal
// interprets), idempotent, and clean text within the bound unchanged.
func FuzzAttackSanitize(f *testing.F) {
	for _, s := range []string{"", " ", "a\u2028b", "\xff", "é", strings.Repeat("é", 40), "\u00a0x\u00a0", "x \u3000y", "\ufffd", "…", "a …", "a" + strings.Repeat(" ", 30) + "b"} {
		f.Add(s, 16)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = 4 + absInt(n)%200
		out := printable.Cut(s, n)
		if len(out) > n {
			t.Fatalf("Cut(%q, %d) = %q: %d bytes", s, n, out, len(out))
		}
		if !utf8.ValidString(out) {
			t.Fatalf("Cut(%q) = %q: invalid UTF-8", s, out)
		}
		for _, r := range out {
			if breaksLine(r) || !unicode.IsGraphic(r) {
				t.Fatalf("Cut(%q) = %q holds %U", s, out, r)
			}
		}
		if again := printable.Cut(out, n); again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, out, again)
		}
		if utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsGraphic(r) }) && len(s) <= n && out != s {
			t.Fatalf("clean %q changed to %q", s, out)
		}
	})
}

func absInt(n int) int {
	if n < 0 {
		if n == -n {
			return 0
		}
		return -n
	}
	return n
}
