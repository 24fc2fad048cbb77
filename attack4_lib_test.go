package graphsync_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"unicode"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/models"
)

// attack4Raw returns the first rune of s that a terminal could interpret
// (not graphic), or -1.
func attack4Raw(s string) rune {
	for _, r := range s {
		if !unicode.IsGraphic(r) {
			return r
		}
	}
	return -1
}

// Attack (issue #21 item 2, "errors built from server text are quoted or
// cleaned"): a page of a list call that is a JSON string instead of an
// object gives an error holding the server's string as it is: an OSC 52
// (write the clipboard), a BEL, a CSI, a bidi override, raw in
// err.Error(), in every list call.
func TestAttack4PageErrorHoldsServerTextRaw(t *testing.T) {
	c, ts, _ := setup(t, nil)
	const hostile = `"\u001b]52;c;cHduZWQ=\u0007\u001b[2J\u202eSSECCUS\u009b31m"`
	for _, p := range []string{
		"GET /v1.0/servicePrincipals/sp/synchronization/jobs",
		"GET /v1.0/servicePrincipals/sp/synchronization/templates",
		"GET /v1.0/servicePrincipals/sp/synchronization/jobs/j/schema/functions",
		"GET /v1.0/auditLogs/provisioning",
	} {
		ts.mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, hostile)
		})
	}
	calls := map[string]func() error{
		"ListJobs":             func() error { _, err := c.ListJobs(ctx, "sp"); return err },
		"ListTemplates":        func() error { _, err := c.ListTemplates(ctx, "sp"); return err },
		"ListSchemaFunctions":  func() error { _, err := c.ListSchemaFunctions(ctx, "sp", "j"); return err },
		"ListProvisioningLogs": func() error { _, err := c.ListProvisioningLogs(ctx, models.ProvisioningLogQuery{}); return err },
	}
	for name, call := range calls {
		err := call()
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if r := attack4Raw(err.Error()); r != -1 {
			t.Errorf("%s: %U raw in the error: %q", name, r, err.Error())
		}
	}
}

// Attack (issue #21 item 10): the bearer token a server echoes is taken
// out of a ResponseError, but not out of the error of a 2xx answer that
// does not decode: a page that is a JSON string echoing the token, or a
// job whose timestamp is the token, gives an error, a span status and
// (ListJobs) nothing else, all holding the token.
func TestAttack4EchoedTokenInUndecodable2xx(t *testing.T) {
	var logs bytes.Buffer
	rec := tracetest.NewSpanRecorder()
	c, ts, _ := setup(t, &graphsync.ClientOptions{
		Logger:         slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		TracerProvider: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)),
	})
	ts.mux.HandleFunc("GET /v1.0/servicePrincipals/sp/synchronization/jobs", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%q", r.Header.Get("Authorization"))
	})
	ts.mux.HandleFunc("GET /v1.0/servicePrincipals/sp/synchronization/jobs/j", func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		fmt.Fprintf(w, `{"id":"j","status":{"lastExecution":{"timeBegan":%q}}}`, tok)
	})
	_, err1 := c.ListJobs(ctx, "sp")
	_, err2 := c.GetJob(ctx, "sp", "j")
	for i, err := range []error{err1, err2} {
		if err == nil || strings.Contains(err.Error(), testToken) {
			t.Errorf("call %d: the token is in the error: %v", i+1, err)
		}
	}
	for _, s := range rec.Ended() {
		if strings.Contains(s.Status().Description, testToken) || strings.Contains(fmt.Sprint(s.Attributes()), testToken) {
			t.Errorf("span %s: the token is in its status: %q", s.Name(), s.Status().Description)
		}
	}
	if strings.Contains(logs.String(), testToken) {
		t.Errorf("the token is in the log: %s", logs.String())
	}
}

// Attack (issue #21 items 10 and 11, JSON \u escapes): ResponseError.Body
// keeps the token a server echoed with a JSON escape (\u0074 for its
// first letter) when the escape is not inside a JSON string literal the
// redactor can delimit: an HTML error page showing JSON (quotes written
// &quot;), the same JSON percent-encoded in a form body (%5Cu0074: JSON
// under a percent layer), an answer cut short inside a string (a proxy's
// truncation), and a valid Graph error whose message is longer than the
// window redacted before the 64 KiB cut.
func TestAttack4EscapedTokenStaysInErrorBody(t *testing.T) {
	c, ts, _ := setup(t, nil)
	escaped := func(r *http.Request) string {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		return fmt.Sprintf(`\u%04x%s`, tok[0], tok[1:])
	}
	bodies := map[string]func(r *http.Request) string{
		"html": func(r *http.Request) string {
			return `<html><body><pre>{&quot;error&quot;:{&quot;message&quot;:&quot;bad token ` + escaped(r) + `&quot;}}</pre></body></html>`
		},
		"percent": func(r *http.Request) string {
			return `error=invalid_token&state=%7B%22token%22%3A%22` + strings.Replace(escaped(r), `\`, "%5C", 1) + `%22%7D`
		},
		"truncated": func(r *http.Request) string {
			return `{"error":{"code":"InvalidAuthenticationToken","message":"bad token ` + escaped(r)
		},
		"long message": func(r *http.Request) string {
			return `{"error":{"code":"InvalidAuthenticationToken","message":"` + strings.Repeat("a", 60000) + ` bad token ` + escaped(r) +
				strings.Repeat("b", 100000) + `"}}`
		},
	}
	for name, body := range bodies {
		ts.mux.HandleFunc("GET /v1.0/servicePrincipals/sp/synchronization/jobs/"+strings.ReplaceAll(name, " ", "-"), func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, body(r))
		})
	}
	leak := testToken[1:] // what follows the escaped first letter
	for name := range bodies {
		_, err := c.GetJob(ctx, "sp", strings.ReplaceAll(name, " ", "-"))
		var re *graphsync.ResponseError
		if !errors.As(err, &re) {
			t.Fatalf("%s: %v", name, err)
		}
		if bytes.Contains(re.Body, []byte(leak)) || strings.Contains(re.Message, leak) || strings.Contains(re.Error(), leak) {
			t.Errorf("%s: the token is in the ResponseError's body, escaped:\n%.300s", name, re.Body)
		}
	}
}

// Attack (issue #21 item 11, "two layers"): Graph's own answers carry
// JSON inside JSON strings (provisionOnDemand's key and value). A message
// that is a JSON document echoing the token with a \u escape is decoded
// once; the escape of the inner layer is left, and the token with it, in
// Message, Error() and Body.
func TestAttack4TokenInJSONInsideJSONMessage(t *testing.T) {
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("GET /v1.0/servicePrincipals/sp/synchronization/jobs/j", func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		inner := fmt.Sprintf(`{"token":"\u%04x%s"}`, tok[0], tok[1:])
		outer, _ := json.Marshal(map[string]any{"error": map[string]string{"code": "BadRequest", "message": inner}})
		w.WriteHeader(http.StatusBadRequest)
		w.Write(outer)
	})
	_, err := c.GetJob(ctx, "sp", "j")
	var re *graphsync.ResponseError
	if !errors.As(err, &re) {
		t.Fatal(err)
	}
	leak := testToken[1:]
	if strings.Contains(re.Message, leak) || strings.Contains(re.Error(), leak) || bytes.Contains(re.Body, []byte(leak)) {
		t.Errorf("the token is in the ResponseError:\nMessage %q\nBody %s", re.Message, re.Body)
	}
}

// Attack (issue #21 item 11, "a secret in any encoding"): a transport
// error quotes the server's bytes Go-style (%q), which escapes '"' and
// '\'; a credential value holding either, echoed by the server in its
// status line, is then in the error escaped, and the redactor, which
// does not undo Go's quoting, leaves it there.
func TestAttack4SecretQuotedInTransportError(t *testing.T) {
	const secret = `pa"ss\w0rd-123`
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("POST /v1.0/servicePrincipals/sp/synchronization/jobs/j/validateCredentials", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Credentials []struct{ Value string } }
		json.NewDecoder(r.Body).Decode(&req)
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(buf, "%s\r\n\r\n", req.Credentials[0].Value)
		buf.Flush()
	})
	err := c.ValidateCredentials(ctx, "sp", "j", models.ValidateCredentialsRequest{
		Credentials: []models.SecretKeyValue{{Key: models.CredentialSecretToken, Value: models.NewSecret(secret)}}})
	if err == nil {
		t.Fatal("no error")
	}
	if q := fmt.Sprintf("%q", secret); strings.Contains(err.Error(), q[1:len(q)-1]) {
		t.Errorf("the secret is in the error, Go-quoted: %v", err)
	}
}

// Attack (issue #21 item 9, "nextLink loops stop at the first repeat"):
// a stateless server whose nextLink is the page itself, spelled with a
// fragment (which is never sent, so it is the same request), has that
// page fetched again, and the iterator yields its events twice before the
// loop is seen (the first page's URL is remembered without a fragment).
func TestAttack4NextLinkRepeatSpelledWithAFragment(t *testing.T) {
	c, ts, _ := setup(t, nil)
	var reads atomic.Int32
	ts.mux.HandleFunc("GET /v1.0/auditLogs/provisioning", func(w http.ResponseWriter, r *http.Request) {
		reads.Add(1)
		fmt.Fprintf(w, `{"value":[{"id":"ev-1"}],"@odata.nextLink":"%s/v1.0/auditLogs/provisioning#page"}`, ts.URL)
	})
	seen := 0
	for ev, err := range c.ProvisioningLogs(ctx, models.ProvisioningLogQuery{}) {
		if err == nil && ev.ID == "ev-1" {
			seen++
		}
	}
	if reads.Load() != 1 || seen != 1 {
		t.Errorf("the same page was read %d times and its event yielded %d times", reads.Load(), seen)
	}
}

// Attack (issue #21 item 11, "can redaction be made to cost huge CPU or
// memory"): an error message of 2 MiB mixing percent-encoding, "+" and
// HTML references, with the token once at its end (so that every decoded
// variant holds it), makes the Client allocate more than ten times what
// the same answer costs in plain text: every variant of the whole message
// is kept, and each is mapped back to the message with four bytes per
// byte per layer. Graph's answers are read up to 64 MiB, so one answer
// (and each retry of it) costs gigabytes.
func TestAttack4RedactionCostOfAnEncodedMessage(t *testing.T) {
	c, ts, _ := setup(t, nil)
	const size = 2 << 20
	bodies := map[string][]byte{}
	for name, unit := range map[string]string{"plain": "abcdefghijklmnopqrstuvwxyz012345", "encoded": "%2541+&amp;amp;%26amp;&#37;41xx"} {
		msg := strings.Repeat(unit, size/len(unit)) + " " + testToken
		bodies[name], _ = json.Marshal(map[string]any{"error": map[string]string{"code": "BadRequest", "message": msg}})
		b := bodies[name]
		ts.mux.HandleFunc("GET /v1.0/servicePrincipals/sp/synchronization/jobs/"+name, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			w.Write(b)
		})
	}
	alloc := func(name string) uint64 {
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		c.GetJob(ctx, "sp", name)
		runtime.ReadMemStats(&m1)
		return m1.TotalAlloc - m0.TotalAlloc
	}
	plain, encoded := alloc("plain"), alloc("encoded")
	if encoded > 3*plain {
		t.Errorf("a %d MiB error answer: %d MiB allocated in plain text, %d MiB when encoded", size>>20, plain>>20, encoded>>20)
	}
}

// Attack (issue #21 item 10): a nextLink is the server's text, and so is
// the path of the request made from it. A server that puts the bearer
// token it received into the path of its nextLink (same scheme, host and
// port, so it is followed) gets the token into the ResponseError of the
// next page (its Path and Error()), into the debug log line of that
// request and into the span's status.
func TestAttack4EchoedTokenInNextLinkPath(t *testing.T) {
	var logs bytes.Buffer
	rec := tracetest.NewSpanRecorder()
	c, ts, _ := setup(t, &graphsync.ClientOptions{
		Logger:         slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		TracerProvider: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)),
	})
	ts.mux.HandleFunc("GET /v1.0/servicePrincipals/sp/synchronization/jobs", func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		fmt.Fprintf(w, `{"value":[],"@odata.nextLink":"%s/v1.0/echo/%s"}`, ts.URL, tok)
	})
	ts.mux.HandleFunc("GET /v1.0/echo/{rest...}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"error":{"code":"BadRequest","message":"no"}}`)
	})
	_, err := c.ListJobs(ctx, "sp")
	var re *graphsync.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(re.Path, testToken) || strings.Contains(re.Error(), testToken) {
		t.Errorf("the token is in the ResponseError: %v", re)
	}
	if strings.Contains(logs.String(), testToken) {
		t.Errorf("the token is in the log:\n%s", logs.String())
	}
	for _, s := range rec.Ended() {
		if strings.Contains(s.Status().Description, testToken) {
			t.Errorf("span %s: the token is in its status: %q", s.Name(), s.Status().Description)
		}
	}
}

// Attack (checkID: "must not contain control characters"): an ID with a
// C1 control (U+0085 NEXT LINE, U+009B CSI) is sent
// (percent-encoded); only C0 controls and DEL are refused before
// sending.
func TestAttack4IDWithC1ControlIsSent(t *testing.T) {
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("GET /v1.0/servicePrincipals/{sp}/synchronization/jobs/{job}", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"id":"j"}`)
	})
	for _, id := range []string{"sp\u0085x", "sp\u009b31m"} {
		before := ts.requests()
		_, err := c.GetJob(ctx, id, "j")
		if !errors.Is(err, graphsync.ErrInvalidInput) || ts.requests() != before {
			t.Errorf("GetJob(%q): %v, %d request(s) sent", id, err, ts.requests()-before)
		}
	}
}

// Attack (issue #21 items 2 and 10): StartJob's ErrJobActive names the
// job's schedule state and status code as Graph sent them, quoted but not
// redacted: a server that answers the GetJob before the start with the
// bearer token as the status code gets it into the error.
func TestAttack4EchoedTokenInErrJobActive(t *testing.T) {
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("GET /v1.0/servicePrincipals/sp/synchronization/jobs/j", func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		fmt.Fprintf(w, `{"id":"j","schedule":{"state":"Active","interval":"PT40M"},"status":{"code":%q}}`, "Active "+tok)
	})
	err := c.StartJob(ctx, "sp", "j", nil)
	if !errors.Is(err, graphsync.ErrJobActive) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), testToken) {
		t.Errorf("the token is in the error: %v", err)
	}
}

// Attack (issue #21 item 2): a 2xx answer that does not decode gives an
// error quoting the server's text by other rules than graphsync's: a
// timestamp that is not one is quoted by package time, which leaves DEL
// (U+007F) raw.
func TestAttack4DecodeErrorHoldsDEL(t *testing.T) {
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("GET /v1.0/servicePrincipals/sp/synchronization/jobs/j", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "{\"id\":\"j\",\"status\":{\"lastExecution\":{\"timeBegan\":\"x\x7f\x7f\x7fy\"}}}")
	})
	_, err := c.GetJob(ctx, "sp", "j")
	if err == nil {
		t.Fatal("no error")
	}
	if r := attack4Raw(err.Error()); r != -1 {
		t.Errorf("%U raw in the error: %q", r, err.Error())
	}
}
