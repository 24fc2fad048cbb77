package graphsync

import (
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/graphsync/graphsync/internal/printable"
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
		e := newResponseError("GET", path, 429, h, []byte(body), time.Unix(0, 0), nil)
		s := e.Error()
		if len(s) > MaxErrorLength {
			t.Fatalf("Error() is %d bytes", len(s))
		}
		if !utf8.ValidString(s) {
			t.Fatalf("Error() is not UTF-8: %q", s)
		}
		for _, r := range s {
			if breaksLine(r) || !unicode.IsGraphic(r) {
				t.Fatalf("Error() holds %U: %q", r, s)
			}
		}
		if m := e.Message; m != "" && len(m) < 200 && printable.Clean(m) == m && !strings.Contains(s, m) &&
			len(path)+len(e.Code) < 300 && len(e.Code) < maxCodeLength && printable.Clean(e.Code) == e.Code {
			t.Fatalf("Error() %q lost the message %q", s, m)
		}
	})
}

// Error shows what would break or rewrite its line as escapes, through
// the one cleaning rule (internal/printable), in every field it prints.
func TestErrorLineEscapes(t *testing.T) {
	body := `{"error":{"code":"Bad\r\nCode","message":"a\r\nb\u001b[31m\u202eevil\u0085 C:\\dir"}}`
	h := http.Header{"Request-Id": {"id\x1b]0;t\x07"}}
	e := newResponseError("GET", "/v1.0/x\ny", 400, h, []byte(body), time.Unix(0, 0), nil)
	want := `graphsync: GET /v1.0/x\ny: 400 Bad Request: Bad\r\nCode: a\r\nb\x1b[31m\u202eevil\u0085 C:\dir (request-id id\x1b]0;t\a)`
	if got := e.Error(); got != want {
		t.Fatalf("Error() =\n%s\nwant\n%s", got, want)
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
