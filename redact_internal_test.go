package graphsync

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Encodings a server may echo a secret in, each written by hand here so
// that the redactor is checked against forms it was not built from.

// jsonUnicode writes every character of s as a JSON \u escape, in upper-
// or lower-case hex (.NET's encoder writes upper case).
func jsonUnicode(s string, upper bool) string {
	var b strings.Builder
	for _, r := range s {
		for _, u := range utf16.Encode([]rune{r}) {
			if upper {
				fmt.Fprintf(&b, `\u%04X`, u)
			} else {
				fmt.Fprintf(&b, `\u%04x`, u)
			}
		}
	}
	return b.String()
}

// percentAll percent-encodes every byte of s, in either hex case.
func percentAll(s string, upper bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if upper {
			fmt.Fprintf(&b, "%%%02X", s[i])
		} else {
			fmt.Fprintf(&b, "%%%02x", s[i])
		}
	}
	return b.String()
}

// htmlNumeric writes every character of s as an HTML numeric reference.
func htmlNumeric(s string, hex bool) string {
	var b strings.Builder
	for _, r := range s {
		if hex {
			fmt.Fprintf(&b, "&#x%X;", r)
		} else {
			fmt.Fprintf(&b, "&#%d;", r)
		}
	}
	return b.String()
}

// jsonString returns s as the inside of a JSON string, as encoding/json
// writes it without HTML escaping.
func jsonString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	q := strings.TrimSuffix(b.String(), "\n")
	return q[1 : len(q)-1]
}

// A secret echoed in any of the encodings a server may use, inside the
// JSON strings of an error body, comes out of every field of the
// ResponseError, of Body and of Error() as "[redacted]", and the text
// around it stays.
func TestRedactorFindsEveryEncoding(t *testing.T) {
	const secret = `p<a"s s/wd&+é:ok` // changes under JSON, percent, form and HTML encoding
	lowerQuery := strings.NewReplacer("%3C", "%3c", "%2F", "%2f", "%3A", "%3a", "%2B", "%2b", "%26", "%26", "%C3%A9", "%c3%a9", "%22", "%22")
	forms := map[string]string{ // name -> the text inside the JSON string
		"as sent":                    jsonString(secret),
		"Go's JSON (HTML escaped)":   strings.NewReplacer("<", `\u003c`, "&", `\u0026`).Replace(jsonString(secret)),
		".NET JSON (upper hex)":      jsonUnicode(secret, true),
		"JSON lower hex":             jsonUnicode(secret, false),
		"query escaped":              jsonString(url.QueryEscape(secret)),
		"query escaped, lower hex":   jsonString(lowerQuery.Replace(url.QueryEscape(secret))),
		"path escaped":               jsonString(url.PathEscape(secret)),
		"every byte percent, lower":  percentAll(secret, false),
		"every byte percent, upper":  percentAll(secret, true),
		"URL-encoded, & as \\u0026":  strings.ReplaceAll(jsonString("https://scim.example/?a=1&token="+url.QueryEscape(secret)), "&", `\u0026`),
		"percent-encoded twice":      jsonString(url.QueryEscape(url.QueryEscape(secret))),
		"HTML decimal references":    jsonString(htmlNumeric(secret, false)),
		"HTML hex references":        jsonString(htmlNumeric(secret, true)),
		"HTML named, in JSON \\u":    jsonUnicode(strings.NewReplacer("&", "&amp;", "<", "&lt;", `"`, "&quot;").Replace(secret), true),
		"form-encoded HTML entities": jsonString(url.QueryEscape(strings.NewReplacer("&", "&amp;", "<", "&lt;").Replace(secret))),
	}
	for name, form := range forms {
		t.Run(name, func(t *testing.T) {
			body := `{"error":{"code":"Bad` + form + `","message":"before ` + form + ` after","target":"` + form + `",` +
				`"details":[{"code":"c","message":"` + form + `","target":"t ` + form + `"}],` +
				`"innerError":{"request-id":"r-` + form + `"}}}`
			h := http.Header{"Client-Request-Id": {"c-" + url.QueryEscape(secret)}}
			e := newResponseError("POST", "/v1.0/x", 400, h, []byte(body), time.Unix(0, 0), newRedactor(secret))
			fields := map[string]string{"Code": e.Code, "Message": e.Message, "Target": e.Target, "Details[0].Message": e.Details[0].Message,
				"Details[0].Target": e.Details[0].Target, "RequestID": e.RequestID, "ClientRequestID": e.ClientRequestID,
				"Body": string(e.Body), "Error()": e.Error()}
			for f, v := range fields {
				if strings.Contains(v, form) || strings.Contains(v, secret) || !strings.Contains(v, redactedMark) {
					t.Errorf("%s = %q", f, v)
				}
			}
			// The URL form keeps the URL around the token.
			if !strings.HasPrefix(e.Message, "before ") || !strings.HasSuffix(e.Message, "[redacted] after") ||
				!strings.HasPrefix(e.Code, "Bad") || !strings.HasPrefix(e.Details[0].Target, "t ") {
				t.Errorf("the text around the secret changed: %+v", e)
			}
			if !strings.Contains(string(e.Body), `"message":"before `) || !strings.Contains(string(e.Body), `[redacted] after"`) {
				t.Errorf("Body = %s", e.Body)
			}
		})
	}
}

// Redaction keeps what is not a secret byte for byte: the rest of the
// body, its other escapes (written as they were), and secrets under 4
// bytes (ordinary words).
func TestRedactorKeepsTheRest(t *testing.T) {
	red := newRedactor("abc", "", "wxyz")
	body := `{"error":{"code":"abc","message":"keep \u00e9\u003c and a%20b, wxyz and w%78yz"}} tail wxyz`
	got := red.body([]byte(body))
	want := `{"error":{"code":"abc","message":"keep \u00e9\u003c and a%20b, [redacted] and [redacted]"}} tail [redacted]`
	if string(got) != want {
		t.Fatalf("body =\n%s\nwant\n%s", got, want)
	}
	clean := `{"error":{"message":"nothing \u0041 here"}}`
	if got := red.body([]byte(clean)); string(got) != clean {
		t.Fatalf("a body without secrets changed: %s", got)
	}
	if len(newRedactor("abc", "ab")) != 0 {
		t.Fatal("secrets under 4 bytes are looked for")
	}
}

// A secret across the 64 KiB cut of Body is redacted whole, not kept in
// part; Graph's message after the cut is still read from the whole body.
func TestRedactorBeforeTheBodyCut(t *testing.T) {
	const secret = "0123456789abcdefghij"
	pad := strings.Repeat("x", maxErrorBody-len(`{"error":{"message":"`)-8)
	body := `{"error":{"message":"` + pad + url.QueryEscape(secret) + `","code":"Late"}}`
	e := newResponseError("GET", "/v1.0/x", 500, http.Header{}, []byte(body), time.Unix(0, 0), newRedactor(secret))
	if len(e.Body) != maxErrorBody {
		t.Fatalf("Body is %d bytes", len(e.Body))
	}
	if strings.Contains(string(e.Body), secret[:4]) || !strings.Contains(string(e.Body), "[redac") {
		t.Fatalf("Body ends %q", e.Body[len(e.Body)-40:])
	}
	if e.Code != "Late" || !strings.HasSuffix(e.Message, "[redacted]") {
		t.Fatalf("code %q, message ends %q", e.Code, e.Message[len(e.Message)-20:])
	}
}

// FuzzRedactor: a secret embedded in any text, under any of the
// encodings above, is never left in what text and body return, and a
// text without the secret in any form is returned as it is.
func FuzzRedactor(f *testing.F) {
	f.Add("s3cr3t/+&<", "before ", " after", uint8(0))
	f.Add("ééé€", "", "", uint8(3))
	f.Add("a%41b", "%", "%4", uint8(5))
	f.Fuzz(func(t *testing.T, secret, pre, post string, how uint8) {
		if len(secret) < minSecret || !utf8.ValidString(secret) { // secrets are text; HTML cannot say an invalid byte
			return
		}
		encodings := []func(string) string{
			func(s string) string { return s },
			url.QueryEscape,
			url.PathEscape,
			func(s string) string { return percentAll(s, false) },
			func(s string) string { return percentAll(s, true) },
			func(s string) string { return htmlNumeric(s, true) },
			func(s string) string { return url.QueryEscape(url.QueryEscape(s)) },
		}
		form := encodings[int(how)%len(encodings)](secret)
		red := newRedactor(secret)
		text := red.text(pre + form + post)
		if strings.Contains(text, form) || strings.Contains(text, secret) {
			t.Fatalf("text(%q) = %q", pre+form+post, text)
		}
		body := red.body([]byte(`"` + jsonString(pre+form+post) + `"`))
		if strings.Contains(string(body), form) || strings.Contains(string(body), secret) {
			t.Fatalf("body = %s", body)
		}
		var upper bool = how&128 != 0
		body = red.body([]byte(`"` + jsonUnicode(pre+form+post, upper) + `"`))
		if strings.Contains(string(body), form) || strings.Contains(string(body), secret) {
			t.Fatalf("body of \\u escapes = %s", body)
		}
		if len(red.spans(pre+post)) == 0 && red.text(pre+post) != pre+post {
			t.Fatalf("text without the secret changed: %q -> %q", pre+post, red.text(pre+post))
		}
	})
}

// BenchmarkRedactorWorstCase: a megabyte dense with what the decoders
// read ("%", "+", "&" without ";"), two secrets in none of its forms.
// Linear: a reference never looks past 12 bytes for its ";".
func BenchmarkRedactorWorstCase(b *testing.B) {
	s := strings.Repeat("a%41+&amp;x&&&&", 70000)
	red := newRedactor("eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.payload.sig", "secretvalue")
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		red.text(s)
	}
}
