package graphsync_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/graphsync/graphsync"
)

// listenOn serves h on addr (a loopback address), or skips.
func listenOn(t *testing.T, addr string, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	ts := httptest.NewUnstartedServer(h)
	ts.Listener.Close()
	ts.Listener = ln
	ts.Start()
	t.Cleanup(ts.Close)
	return ts.URL
}

// ATTACK: every loopback BaseURL that NewClient accepts must be usable.
func TestAttackLoopbackBaseURLs(t *testing.T) {
	var mu sync.Mutex
	var auths []string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.Header.Get("Authorization"))
		mu.Unlock()
		io.WriteString(w, `{"id":"j"}`)
	})
	for _, addr := range []string{"127.0.0.1:0", "[::1]:0", "[0:0:0:0:0:0:0:1]:0", "127.0.0.2:0", "127.1.2.3:0"} {
		t.Run(addr, func(t *testing.T) {
			u := listenOn(t, addr, h)
			if strings.HasPrefix(addr, "[0:") {
				u = strings.Replace(u, "[::1]", "[0:0:0:0:0:0:0:1]", 1)
			}
			c, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: u})
			if err != nil {
				t.Skipf("NewClient refused %s: %v", u, err)
			}
			if _, err := c.GetJob(ctx, spID, jobID); err != nil {
				t.Errorf("NewClient accepted BaseURL %s but GetJob fails: %v (ErrCredential: %v)", u, err, errors.Is(err, graphsync.ErrCredential))
			}
		})
	}
}

// ATTACK: redirect variants on the same loopback server.
func TestAttackRedirectVariants(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	var base string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.Host+" "+r.URL.Path+" auth="+r.Header.Get("Authorization"))
		mu.Unlock()
		host := strings.TrimPrefix(base, "http://")
		_, port, _ := net.SplitHostPort(host)
		switch r.URL.Path {
		case "/v1.0/servicePrincipals/userinfo/synchronization/jobs/j":
			http.Redirect(w, r, "http://user:pw@"+host+"/final", http.StatusFound)
		case "/v1.0/servicePrincipals/trailingdot/synchronization/jobs/j":
			http.Redirect(w, r, "http://localhost.:"+port+"/final", http.StatusFound)
		case "/v1.0/servicePrincipals/upper/synchronization/jobs/j":
			http.Redirect(w, r, "HTTP://LOCALHOST:"+port+"/final", http.StatusFound)
		case "/v1.0/servicePrincipals/otherhost/synchronization/jobs/j":
			http.Redirect(w, r, "http://127.0.0.1:"+port+"/final", http.StatusFound)
		case "/v1.0/servicePrincipals/loop/synchronization/jobs/j":
			http.Redirect(w, r, r.URL.Path, http.StatusFound)
		case "/final":
			io.WriteString(w, `{"id":"final"}`)
		default:
			w.WriteHeader(404)
		}
	})
	base = listenOn(t, "127.0.0.1:0", h)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(base, "http://"))
	c, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: "http://localhost:" + port})
	if err != nil {
		t.Fatal(err)
	}
	for sp, wantOK := range map[string]bool{"userinfo": false, "trailingdot": false, "upper": true, "otherhost": false, "loop": false} {
		mu.Lock()
		seen = nil
		mu.Unlock()
		_, err := c.GetJob(ctx, sp, "j")
		mu.Lock()
		t.Logf("%s: err=%v seen=%d %q", sp, err, len(seen), seen[:min(len(seen), 3)])
		for _, s := range seen {
			if strings.Contains(s, "/final") && !wantOK {
				t.Errorf("%s: followed to %s", sp, s)
			}
		}
		mu.Unlock()
		if (err == nil) != wantOK {
			t.Errorf("%s: err = %v", sp, err)
		}
		// The Location's own user:pw shows in Go's url.Error (quoted): it is
		// the hostile server's text, not a secret of the client. Held.
	}
}

// rawServer answers every connection with the raw bytes resp.
func rawServer(t *testing.T, resp string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer conn.Close()
				br := bufio.NewReader(conn)
				req, err := http.ReadRequest(br)
				if err != nil {
					return
				}
				io.Copy(io.Discard, req.Body)
				io.WriteString(conn, resp)
			})
		}
	})
	return "http://" + ln.Addr().String()
}

// ATTACK: a hostile server puts terminal escapes and other controls in a
// malformed header line: does the error printed to the operator carry them?
func TestAttackMalformedHeaderControlsInError(t *testing.T) {
	for name, resp := range map[string]string{
		"esc in header name":  "HTTP/1.1 200 OK\r\nX-\x1b[2J\x1b]0;pwned\x07: v\r\nContent-Length: 2\r\n\r\n{}",
		"esc in status text":  "HTTP/1.1 500 \x1b[31mred\r\nContent-Length: 0\r\n\r\n",
		"bad status code":     "HTTP/1.1 2\x1b[31m0 OK\r\nContent-Length: 0\r\n\r\n",
		"u2028 in header key": "HTTP/1.1 200 OK\r\nX\u2028Y: v\r\nContent-Length: 2\r\n\r\n{}",
		"bad chunk":           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\x1b[2J\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			u := rawServer(t, resp)
			c, err := graphsync.NewClient(&fakeCredential{}, &graphsync.ClientOptions{BaseURL: u})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.GetJob(ctx, spID, jobID)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			t.Logf("%q", msg)
			if strings.ContainsFunc(msg, func(r rune) bool { return r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029 }) {
				t.Errorf("error carries server-sent control characters: %q", msg)
			}
		})
	}
}

var _ = fmt.Sprint

// ATTACK: a hostile server sends a nextLink with a huge query, then drops
// the connection of the request that follows it. How long is the error
// the operator gets?
func TestAttackHugeNextLinkInError(t *testing.T) {
	c, ts, _ := setup(t, nil)
	huge := strings.Repeat("A", 500_000)
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "" {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		fmt.Fprintf(w, `{"value":[],"@odata.nextLink":%q}`, ts.URL+"/v1.0/next?$skiptoken="+huge)
	})
	_, err := c.ListJobs(ctx, spID)
	if err == nil {
		t.Fatal("no error")
	}
	t.Logf("error: %d bytes: %.200s…", len(err.Error()), err.Error())
	if len(err.Error()) > 2*graphsync.MaxErrorLength {
		t.Errorf("a hostile nextLink made a %d-byte error", len(err.Error()))
	}
}
