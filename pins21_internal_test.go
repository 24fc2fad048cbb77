package graphsync

// Tests that pin promises of the redactor that the mutation run of issue
// #21 (root package, stronger mutators) found unpinned: each fails if the
// behaviour it names is changed.

import (
	"net/url"
	"strings"
	"testing"
)

// Redaction replaces exactly what the secret was found in, whatever its
// encoding: the text before and after stays byte for byte, and none of
// the encoded secret is left beside the mark (a "%70%3C" before it would
// give away the secret's first two characters). A character outside the
// Basic Multilingual Plane is written in JSON as a surrogate pair.
func TestRedactorReplacesExactlyTheSecret(t *testing.T) {
	const secret = `p<a"s s/wd&+é:ok🔑`
	for name, form := range map[string]string{
		"every byte percent, lower": percentAll(secret, false),
		"every byte percent, upper": percentAll(secret, true),
		"JSON \\u, upper hex":       jsonUnicode(secret, true),
		"JSON \\u, lower hex":       jsonUnicode(secret, false),
		"HTML decimal references":   htmlNumeric(secret, false),
		"HTML hex references":       htmlNumeric(secret, true),
		"query escaped twice":       url.QueryEscape(url.QueryEscape(secret)),
		"JSON string":               jsonString(secret),
	} {
		got := newRedactor(secret).text("before " + form + " after")
		if got != "before [redacted] after" {
			t.Errorf("%s: %q", name, got)
		}
	}
}

// A secret is found under three layers of encoding (maxLayers), e.g. a
// token percent-encoded three times by a chain of redirects and error
// pages.
func TestRedactorLooksThreeLayersDeep(t *testing.T) {
	const secret = "s/cr3t?x"
	three := url.QueryEscape(url.QueryEscape(url.QueryEscape(secret)))
	if got := newRedactor(secret).text("a " + three + " b"); got != "a [redacted] b" {
		t.Fatalf("%q -> %q", three, got)
	}
}

// A decoded text as long as the shortest secret looked for (minSecret
// bytes) is still searched.
func TestRedactorSearchesADecodedTextOfMinSecretBytes(t *testing.T) {
	if got := newRedactor("a/bc").text("a%2Fbc"); got != redactedMark {
		t.Fatalf("got %q", got)
	}
}

// A secret with a space echoed form-encoded ("+" for the space) is found
// also when the text holds no other escape, so that decoding without
// "+" changes nothing.
func TestRedactorFindsFormEncodingAlone(t *testing.T) {
	if got := newRedactor("pass word").text("x=pass+word&y"); got != "x=[redacted]&y" {
		t.Fatalf("got %q", got)
	}
}

// Each echo of a secret is its own mark: two echoes side by side are two
// marks; only spans that overlap are merged.
func TestRedactorMarksAdjacentEchoesApart(t *testing.T) {
	if got := newRedactor("abcd").text("abcdabcd"); got != "[redacted][redacted]" {
		t.Fatalf("got %q", got)
	}
}

// An escape that ends the text is decoded like any other: a two-byte
// backslash escape, a \u escape and a surrogate pair in its last bytes.
func TestRedactorDecodesAnEscapeAtTheEnd(t *testing.T) {
	for secret, text := range map[string]string{
		"abc/": `abc\/`,
		"abcd": `abc\u0064`,
		"abc🔑": `abc\uD83D\uDD11`,
	} {
		if got := newRedactor(secret).text(text); got != redactedMark {
			t.Errorf("%q: got %q", text, got)
		}
	}
}

// An HTML numeric reference is decoded up to 11 bytes long with its "&"
// and ";" (leading zeros are allowed in HTML): "&#00000047;" is "/".
func TestRedactorDecodesAZeroPaddedReference(t *testing.T) {
	if got := newRedactor("a/bcd").text("a&#00000047;bcd"); got != redactedMark {
		t.Fatalf("got %q", got)
	}
}

// unescape copies what is not an escape as it is: malformed references,
// a backslash at the end, a \u without four hex digits, a surrogate that
// is not one half of a pair (alone at the end, before text, a low one
// first, a high one before a \u that is not a low one). None of them
// panics.
func TestUnescapeCopiesWhatIsNoEscape(t *testing.T) {
	for _, s := range []string{
		"&#;", "&#x;", "&#1a;", "&#x6g;", "&;", "&#", "a&#;b",
		`\`, `ab\`, `\u12`, `\u12G4`,
		`\uD83D`, `\uD83Dx`, `\uD83Dxy`, `\uD83DxuDD11`, `\uD83Dx\uDD11`, `\uDD11\uD83D`,
	} {
		if got, _ := unescape(s, true, nil); got != s {
			t.Errorf("unescape(%q) = %q", s, got)
		}
	}
	// A high surrogate before a \u that is not a low one is kept; the \u
	// after it is decoded.
	if got, _ := unescape(`\uD83D\u0041`, false, nil); got != `\uD83DA` {
		t.Errorf("got %q", got)
	}
}

// Every field of every error and every header value passes through
// text, and every error body through body: with nothing to look for
// (no secrets, or an empty text) they return at once, without
// allocating.
func TestRedactorWithNothingToLookForIsFree(t *testing.T) {
	var none redactor
	red := newRedactor("secret-token")
	text, body := strings.Repeat("a%41&amp;", 100), []byte(strings.Repeat("a%41&amp;", 100))
	for name, f := range map[string]func(){
		"text, no secrets": func() { none.text(text) },
		"body, no secrets": func() { none.body(body) },
		"empty text":       func() { red.text("") },
		"empty body":       func() { red.body(nil) },
	} {
		if n := testing.AllocsPerRun(10, f); n != 0 {
			t.Errorf("%s: %v allocations", name, n)
		}
	}
}
