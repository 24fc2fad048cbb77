package graphsync

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// ATTACK: sanitize on arbitrary input: valid UTF-8, bounded, nothing that
// breaks a line, idempotent, and its output is what isClean accepts.
func FuzzAttackSanitize(f *testing.F) {
	for _, s := range []string{"", " ", "a\u2028b", "\xff", "é", strings.Repeat("é", 40), "\u00a0x\u00a0", "x \u3000y", "\ufffd", "…", "a …", "a" + strings.Repeat(" ", 30) + "b"} {
		f.Add(s, 16)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = 4 + absInt(n)%200
		out := sanitize(s, n)
		if len(out) > n {
			t.Fatalf("sanitize(%q, %d) = %q: %d bytes", s, n, out, len(out))
		}
		if !utf8.ValidString(out) {
			t.Fatalf("sanitize(%q) = %q: invalid UTF-8", s, out)
		}
		for _, r := range out {
			if breaksLine(r) || r == utf8.RuneError {
				t.Fatalf("sanitize(%q) = %q holds %U", s, out, r)
			}
		}
		if again := sanitize(out, n); again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, out, again)
		}
		if !isClean(out, n) {
			t.Fatalf("output %q of %q is not clean", out, s)
		}
		if isClean(s, n) && out != s {
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
