package graphsync

import (
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestOriginCheck(t *testing.T) {
	o := newOrigin(&url.URL{Scheme: "https", Host: "graph.microsoft.com"})
	for raw, ok := range map[string]bool{
		"https://graph.microsoft.com/v1.0/x":      true,
		"https://GRAPH.microsoft.com:443/v1.0/x":  true,
		"HTTPS://graph.microsoft.com/v1.0/x":      true,
		"http://graph.microsoft.com/v1.0/x":       false,
		"http://graph.microsoft.com:443/v1.0/x":   false,
		"https://graph.microsoft.com:8443/v1.0/x": false,
		"https://graph.microsoft.com.evil/x":      false,
		"https://evil.com/x":                      false,
		"https://user:pw@graph.microsoft.com/x":   false,
		"ftp://graph.microsoft.com/x":             false,
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if err := o.check(u); (err == nil) != ok {
			t.Errorf("%s: err = %v, want allowed %v", raw, err, ok)
		}
	}
	if o.check(nil) == nil {
		t.Error("nil URL allowed")
	}
	loop := newOrigin(&url.URL{Scheme: "http", Host: "127.0.0.1:8080"})
	for raw, ok := range map[string]bool{
		"http://127.0.0.1:8080/x":  true,
		"https://127.0.0.1:8080/x": false,
		"http://127.0.0.1/x":       false,
		"http://localhost:8080/x":  false,
	} {
		u, _ := url.Parse(raw)
		if err := loop.check(u); (err == nil) != ok {
			t.Errorf("%s: err = %v, want allowed %v", raw, err, ok)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"":                                 0,
		"0":                                0,
		"  7 ":                             7 * time.Second,
		"86400":                            24 * time.Hour,
		"-1":                               0,
		"+1":                               0,
		"1.5":                              0,
		"1e3":                              0,
		"soon":                             0,
		"99999999999999999999":             math.MaxInt64,
		"9223372037":                       math.MaxInt64,
		"9223372035":                       9223372035 * time.Second,
		"9223372036":                       9223372036 * time.Second, // the largest that fits
		"Thu, 01 Jan 2026 00:00:30 GMT":    30 * time.Second,
		"Wed, 31 Dec 2025 23:59:00 GMT":    0,
		"Fri, 31 Dec 9999 23:59:59 GMT":    math.MaxInt64,
		"Thursday, 01-Jan-26 00:01:00 GMT": time.Minute,
	} {
		if got := parseRetryAfter(v, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", v, got, want)
		}
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"", "0", "120", "99999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT",
		"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "-5", "1.5"} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, v string, nowUnix int64) {
		now := time.Unix(nowUnix%(1<<40), 0)
		d := parseRetryAfter(v, now)
		if d < 0 {
			t.Fatalf("parseRetryAfter(%q) = %v < 0", v, d)
		}
		p := DefaultRetryPolicy
		e := &ResponseError{RetryAfter: d}
		delay, honoured := p.delay(e, 1)
		if honoured && (delay <= 0 || delay > MaxRetryAfter) {
			t.Fatalf("%q: honoured delay %v", v, delay)
		}
		if !honoured && d <= MaxRetryAfter {
			t.Fatalf("%q: %v not honoured", v, d)
		}
		// The MaxWait check never wraps.
		if honoured && delay > p.MaxWait-p.MaxWait/2 != (delay > p.MaxWait/2) {
			t.Fatal("overflow")
		}
	})
}

// FuzzResponseErrorLine: for any answer, Error() is one bounded line, and
// Graph's message, when clean and short, is in it whole.
func FuzzResponseErrorLine(f *testing.F) {
	f.Add(`{"error":{"code":"Bad\r\nFAKE","message":"a\u2028b\u001b[31m"}}`, "req\u0085id", "Fri, 31 Dec 9999 23:59:59 GMT", "/v1.0/x")
	f.Add(`{"error":{"code":"Request_ResourceNotFound","message":"Resource 'x' does not exist."}}`, "r1", "5", "/v1.0/servicePrincipals/a%2Fb")
	f.Add(`{"error":{"message":"`+strings.Repeat("é", 3000)+`"}}`, "", "", "")
	f.Add("\xff\xfe", "\x00", "x", "\x1b]0;t\x07")
	f.Fuzz(func(t *testing.T, body, reqID, retryAfter, path string) {
		h := http.Header{}
		h["Request-Id"] = []string{reqID}
		h["Retry-After"] = []string{retryAfter}
		e := newResponseError("GET", path, 429, h, []byte(body), time.Unix(0, 0))
		s := e.Error()
		if len(s) > MaxErrorLength {
			t.Fatalf("Error() is %d bytes", len(s))
		}
		if !utf8.ValidString(s) {
			t.Fatalf("Error() is not UTF-8: %q", s)
		}
		for _, r := range s {
			if breaksLine(r) {
				t.Fatalf("Error() holds %U: %q", r, s)
			}
		}
		if m := e.Message; m != "" && len(m) < 200 && isClean(m, maxMessageLength) && !strings.Contains(s, m) &&
			len(path)+len(e.Code) < 300 && len(e.Code) < maxCodeLength && isClean(e.Code, maxCodeLength) {
			t.Fatalf("Error() %q lost the message %q", s, m)
		}
	})
}

func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":            "plain text",
		"a\r\nb":                "a b",
		" lead  x ":             "lead x",
		"tab\there":             "tab here",
		"x\u2028y\u2029z":       "x y z",
		"\u202eevil\u202c":      "evil",
		"\x1b[1mX\x1b":          "[1mX",
		"bad\xffutf8":           "bad utf8",
		"nbsp\u00a0here":        "nbsp here",
		strings.Repeat("a", 20): strings.Repeat("a", 7) + "…",
		"éééééé":                "ééé…", // never cuts a rune in half
	} {
		if got := sanitize(in, 10); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}

// redact replaces a secret of 4 bytes or more in every form a server may
// echo it (as sent, query- and path-escaped, JSON-escaped) in every field
// built from the body and in Body; shorter ones are left alone.
func TestRedactForms(t *testing.T) {
	const secret = `p<a"s s/wd` // escapes differently in JSON, a query and a path
	body := `{"error":{"message":"p\u003ca\"s s/wd","target":"p<a\"s s/wd"}} p%3Ca%22s+s%2Fwd p%3Ca%22s%20s%2Fwd`
	e := &ResponseError{Code: "abcd", Message: secret + " abc", Target: url.QueryEscape(secret),
		Details: []ErrorDetail{{Code: url.PathEscape(secret), Message: secret, Target: secret}}, Body: []byte(body)}
	e.redact([]string{secret, "abcd", "abc"})
	want := &ResponseError{Code: "[redacted]", Message: "[redacted] abc", Target: "[redacted]",
		Details: []ErrorDetail{{Code: "[redacted]", Message: "[redacted]", Target: "[redacted]"}},
		Body:    []byte(`{"error":{"message":"[redacted]","target":"[redacted]"}} [redacted] [redacted]`)}
	if !reflect.DeepEqual(e, want) {
		t.Fatalf("redacted:\n%+v\nwant\n%+v", e, want)
	}
}

// A cleaned text of exactly the bound is kept whole; one byte more is cut
// with "…".
func TestSanitizeAtTheBound(t *testing.T) {
	exact := "a\n" + strings.Repeat("x", 14) // "a " and 14 x: 16 bytes once cleaned
	if got, want := sanitize(exact, 16), "a "+strings.Repeat("x", 14); got != want {
		t.Fatalf("sanitize(%q, 16) = %q, want %q", exact, got, want)
	}
	if got := sanitize(exact+"y", 16); len(got) > 16 || !strings.HasSuffix(got, "…") {
		t.Fatalf("sanitize one byte over = %q", got)
	}
}

// backoff doubles from BaseDelay up to 30 s, also from a base of a
// nanosecond over 30 attempts, and a doubling that shifts every bit out
// (to 0) or into the sign is the cap, never no wait.
func TestBackoffTable(t *testing.T) {
	for _, tc := range []struct {
		base    time.Duration
		attempt int
		want    time.Duration
	}{
		{time.Second, 1, time.Second},
		{time.Second, 5, 16 * time.Second},
		{time.Second, 6, 30 * time.Second},
		{time.Nanosecond, 30, 1 << 29},
		{time.Nanosecond, 31, maxBackoff},
		{1 << 40, 25, maxBackoff}, // 2^40 << 24 is 2^64: 0 in an int64
		{1 << 40, 24, maxBackoff}, // 2^63: negative
		{maxBackoff, 1, maxBackoff},
	} {
		if got := (RetryPolicy{BaseDelay: tc.base}).backoff(tc.attempt); got != tc.want {
			t.Errorf("backoff(%v, %d) = %v, want %v", tc.base, tc.attempt, got, tc.want)
		}
	}
}
