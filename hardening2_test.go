package graphsync_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/models"
)

// Issue #21, item 10: a server that echoes the request's bearer token
// (in the message, the details, the body, the request-id header, as it
// is and encoded) never gets it into the ResponseError, its Error(), the
// slog lines (text and JSON handlers, debug level) or the span.
func TestEchoedBearerTokenIsRedacted(t *testing.T) {
	var logs bytes.Buffer
	rec := tracetest.NewSpanRecorder()
	c, ts, _ := setup(t, &graphsync.ClientOptions{
		Logger:         slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		TracerProvider: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)),
		Retry:          &graphsync.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond},
	})
	ts.mux.HandleFunc("GET /v1.0/servicePrincipals/{sp}/synchronization/jobs/{job}", func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		token := strings.TrimPrefix(auth, "Bearer ")
		w.Header().Set("request-id", "rid-"+token)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, `{"error":{"code":"Unavailable%s","message":"we got '%s' and %s","target":%q,`+
			`"details":[{"code":"d","message":"%s","target":"%s"}],"innerError":{"request-id":"%s"}},"echo":"%s"}`,
			token, auth, url.QueryEscape(token), token, strings.ToUpper(url.QueryEscape(token)), token, token, url.PathEscape(auth))
	})
	_, err := c.GetJob(ctx, "sp", "job")
	var re *graphsync.ResponseError
	if !errors.As(err, &re) || re.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("err = %v", err)
	}
	spans := rec.Ended()
	if len(spans) != 1 {
		t.Fatalf("%d spans", len(spans))
	}
	var span strings.Builder
	fmt.Fprintf(&span, "%s %v", spans[0].Status().Description, spans[0].Attributes())
	for name, s := range map[string]string{
		"Error()": err.Error(), "%+v": fmt.Sprintf("%+v", re), "Body": string(re.Body), "logs": logs.String(), "span": span.String(),
	} {
		if strings.Contains(s, testToken) || strings.Contains(s, url.QueryEscape(testToken)) {
			t.Errorf("%s holds the token: %s", name, s)
		}
	}
	if !strings.Contains(re.Message, "[redacted]") || !strings.Contains(re.RequestID, "[redacted]") ||
		!strings.Contains(logs.String(), `"request_id":"rid-[redacted]"`) {
		t.Errorf("message %q, request-id %q, logs %s", re.Message, re.RequestID, logs.String())
	}
}

// Issue #21, item 10: a malformed answer is quoted in Go's transport
// error; when it echoes the token, the error says it without.
func TestTokenEchoedInAMalformedAnswer(t *testing.T) {
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("GET /v1.0/servicePrincipals/{sp}/synchronization/jobs/{job}", func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		fmt.Fprintf(buf, "HTTP/1.1 2%s OK\r\nContent-Length: 0\r\n\r\n", token)
		buf.Flush()
		bufio.NewReader(conn).ReadByte()
	})
	_, err := c.GetJob(ctx, "sp", "job")
	if err == nil {
		t.Fatal("no error")
	}
	if strings.Contains(err.Error(), testToken) || !strings.Contains(err.Error(), "[redacted]") {
		t.Fatalf("err = %v", err)
	}
}

// Issue #21, item 11: a credential echoed in the encodings .NET and
// Graph's front ends write (upper-case \u escapes of every character, a
// URL-encoded value inside a JSON string with "&" as \u0026, lower-case
// percent escapes) is redacted like one echoed as it was sent.
func TestSecretEchoedInOtherEncodings(t *testing.T) {
	const secret = "s3cr3t/T0KEN+value&x"
	c, ts, _ := setup(t, nil)
	dotnet := ""
	for _, r := range secret {
		dotnet += fmt.Sprintf(`\u%04X`, r)
	}
	lowerPct := regexp.MustCompile(`%[0-9A-F]{2}`).ReplaceAllStringFunc(url.QueryEscape(secret), strings.ToLower)
	ts.mux.HandleFunc("POST /v1.0/servicePrincipals/{sp}/synchronization/jobs/{job}/validateCredentials", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		fmt.Fprintf(w, `{"error":{"code":"CredentialValidationFailed","message":"token %s rejected by https://scim.example/?a=1\u0026token=%s (%s)"}}`,
			dotnet, url.QueryEscape(secret), lowerPct)
	})
	err := c.ValidateCredentials(ctx, "sp", "job", models.ValidateCredentialsRequest{Credentials: []models.SecretKeyValue{
		{Key: models.CredentialSecretToken, Value: models.NewSecret(secret)},
	}})
	var re *graphsync.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v", err)
	}
	for _, s := range []string{err.Error(), re.Message, string(re.Body)} {
		if strings.Contains(s, secret) || strings.Contains(s, dotnet) || strings.Contains(s, url.QueryEscape(secret)) ||
			strings.Contains(s, lowerPct) {
			t.Errorf("secret in %s", s)
		}
	}
	if want := "token [redacted] rejected by https://scim.example/?a=1&token=[redacted] ([redacted])"; re.Message != want {
		t.Errorf("message %q, want %q", re.Message, want)
	}
}

// Issue #21, item 12: a secret's redacted copy ("<redacted>", from
// formatting or json.Marshal) is refused before anything is sent, not
// saved over the real secret or tested as one.
func TestRedactedCopyOfASecretIsRefused(t *testing.T) {
	c, ts, _ := setup(t, nil)
	var copied []models.SecretKeyValue
	b, _ := json.Marshal([]models.SecretKeyValue{{Key: models.CredentialSecretToken, Value: models.NewSecret("real")}})
	if err := json.Unmarshal(b, &copied); err != nil {
		t.Fatal(err)
	}
	err := c.SaveSecrets(ctx, "sp", copied)
	var ve *graphsync.ValidationError
	if !errors.As(err, &ve) || ve.Field != "secrets[0].Value" {
		t.Fatalf("SaveSecrets: %v", err)
	}
	err = c.ValidateCredentials(ctx, "sp", "job", models.ValidateCredentialsRequest{Credentials: copied})
	if !errors.As(err, &ve) || ve.Field != "req.Credentials[0].Value" {
		t.Fatalf("ValidateCredentials: %v", err)
	}
	if n := ts.requests(); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

// Issue #21, item 8: a page with more items than the call asked for
// ($top), or than Graph's largest page where none was asked, is refused
// before its items are decoded, in every list call: one page of 200,000
// tiny events no longer costs hundreds of MiB.
func TestPageLargerThanAskedIsRefused(t *testing.T) {
	page := func(n int) []byte {
		var b bytes.Buffer
		b.WriteString(`{"@odata.context":"x","value":[`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{}`)
		}
		b.WriteString(`]}`)
		return b.Bytes()
	}
	huge := page(200000)
	c := inProcessClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(huge) }), nil)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := c.ListProvisioningLogs(ctx, models.ProvisioningLogQuery{Top: 10})
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "more than 10 items") {
		t.Fatalf("ListProvisioningLogs: %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("a refused page of %d bytes allocated %d MiB", len(huge), alloc>>20)
	}
	n := 0
	for _, err := range c.ProvisioningLogs(ctx, models.ProvisioningLogQuery{Top: 10}) {
		if n++; err == nil || !strings.Contains(err.Error(), "more than 10 items") {
			t.Fatalf("ProvisioningLogs yielded %v", err)
		}
	}
	if n != 1 {
		t.Fatalf("ProvisioningLogs yielded %d times", n)
	}
	// Without $top: Graph's largest page, 1000, and no more.
	for _, tc := range []struct {
		items int
		ok    bool
	}{{1000, true}, {1001, false}} {
		body := page(tc.items)
		c := inProcessClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }), nil)
		calls := map[string]func() error{
			"ListJobs":      func() error { _, err := c.ListJobs(ctx, "sp"); return err },
			"ListTemplates": func() error { _, err := c.ListTemplates(ctx, "sp"); return err },
			"ListProvisioningLogs": func() error {
				_, err := c.ListProvisioningLogs(ctx, models.ProvisioningLogQuery{})
				return err
			},
		}
		for name, call := range calls {
			if err := call(); (err == nil) != tc.ok || (err != nil && !strings.Contains(err.Error(), "more than 1000 items")) {
				t.Errorf("%s with %d items: %v", name, tc.items, err)
			}
		}
	}
}

// Issue #21, item 9: a nextLink that leads back to a page already read
// ends the walk there with an error, in every list call, instead of after
// 10,000 pages.
func TestNextLinkLoopStopsAtFirstRepeat(t *testing.T) {
	const base = "http://127.0.0.1:1/v1.0"
	for name, tc := range map[string]struct {
		links []string // the nextLink of page 1, 2, 3…
		pages int      // pages read before the loop is seen
	}{
		"back to the first page": {links: []string{base + "/servicePrincipals/sp/synchronization/jobs"}, pages: 1},
		"B, C, B":                {links: []string{base + "/b", base + "/c", base + "/b"}, pages: 3},
		"to itself":              {links: []string{base + "/b", base + "/b"}, pages: 2},
	} {
		t.Run(name, func(t *testing.T) {
			var n atomic.Int32
			c := inProcessClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				k := int(n.Add(1))
				link := ""
				if k <= len(tc.links) {
					link = tc.links[k-1]
				}
				fmt.Fprintf(w, `{"value":[],"@odata.nextLink":%q}`, link)
			}), nil)
			_, err := c.ListJobs(ctx, "sp")
			if err == nil || !strings.Contains(err.Error(), "a loop") || int(n.Load()) != tc.pages {
				t.Fatalf("after %d pages: %v", n.Load(), err)
			}
		})
	}
}
