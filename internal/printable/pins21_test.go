package printable

// Tests that pin promises the mutation run of issue #21 (stronger
// mutators) found unpinned: each fails if the behaviour it names is
// changed.

import "testing"

// A byte that is not UTF-8 is escaped wherever it stands, 0x80 (the
// smallest byte that is not ASCII) included.
func TestCleanEscapesByte80(t *testing.T) {
	for in, want := range map[string]string{"\x80": `\x80`, "a\x80b": `a\x80b`} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// Clean text is returned as it is without allocating also when runes
// of other widths follow its first non-ASCII rune, and by Cut also when
// it is exactly n bytes long.
func TestCleanTextIsNotCopied(t *testing.T) {
	s := "Zoë Ålund, 李 🙂 ok"
	if n := testing.AllocsPerRun(100, func() { _ = Clean(s); _ = Cut(s, len(s)) }); n != 0 {
		t.Errorf("%v allocations for text that needs no cleaning", n)
	}
}

// A text whose cleaned form is exactly n bytes is not cut.
func TestCutKeepsCleanedTextOfExactlyN(t *testing.T) {
	if got := Cut("abc\n", 5); got != `abc\n` {
		t.Errorf("Cut = %q", got)
	}
}

// U+FFFF, the last rune written as one \u escape, is not graphic and is
// escaped as \uffff, not as a surrogate pair.
func TestJSONEscapesUFFFF(t *testing.T) {
	if got := string(JSON([]byte("\"a\uffffb\""))); got != `"a\uffffb"` {
		t.Errorf("JSON = %q", got)
	}
}

// JSON does not check its input: a text cut after a backslash inside a
// string comes out as it is, without a panic.
func TestJSONTruncatedAfterABackslash(t *testing.T) {
	if got := string(JSON([]byte("\"\x7f\\"))); got != `"\u007f\` {
		t.Errorf("JSON = %q", got)
	}
}

// A byte inside a string that is not UTF-8 is written as \ufffd, 0x80
// (the smallest byte that is not ASCII) included, whether it is the first
// byte JSON rewrites or a later one.
func TestJSONEscapesByte80(t *testing.T) {
	for in, want := range map[string]string{"\"\x80\"": `"\ufffd"`, "\"\x7fa\x80\"": `"\u007fa\ufffd"`} {
		if got := string(JSON([]byte(in))); got != want {
			t.Errorf("JSON(%q) = %q, want %q", in, got, want)
		}
	}
}
