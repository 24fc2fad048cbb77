package graphsync

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	kiotahttp "github.com/microsoft/kiota-http-go"

	"github.com/graphsync/graphsync/internal/printable"
)

// origin is where a Client's tokens may go: one scheme, host and port.
// Every place that decides where a request is sent (the redirect policy,
// the transport guard, a nextLink) asks it, so that an https Client never
// sends anything over plain http and never to another host or port.
type origin struct {
	scheme, host, port string // lower-case scheme and host; port explicit
}

func newOrigin(u *url.URL) origin {
	return origin{scheme: strings.ToLower(u.Scheme), host: strings.ToLower(u.Hostname()), port: portOf(u)}
}

// portOf returns u's port, or the scheme's default port.
func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

func (o origin) String() string {
	return o.scheme + "://" + net.JoinHostPort(o.host, o.port)
}

// check returns an error unless u is at the origin: same scheme, host and
// port, and no user information.
func (o origin) check(u *url.URL) error {
	if u == nil {
		return errors.New("graphsync: refusing to send a request without a URL")
	}
	if u.User != nil || !strings.EqualFold(u.Scheme, o.scheme) || !strings.EqualFold(u.Hostname(), o.host) || portOf(u) != o.port {
		return fmt.Errorf("graphsync: refusing to send a request to %s://%s: tokens are only sent to %s",
			printable.Cut(u.Scheme, 16), printable.Cut(u.Host, 256), o)
	}
	return nil
}

// checkRedirect wraps the caller's redirect policy: a redirect that leaves
// the origin is refused before anything is sent (Go's http.Client would
// otherwise keep the Authorization header on a same-host redirect from
// https to http), and at most 5 redirects are followed unless the caller's
// policy says otherwise.
func (o origin) checkRedirect(user func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if err := o.check(req.URL); err != nil {
			return fmt.Errorf("refusing redirect: %w", err)
		}
		if user != nil {
			return user(req, via)
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("graphsync: stopped after %d redirects", maxRedirects)
		}
		return nil
	}
}

const maxRedirects = 5

// hostGuard is a Kiota middleware, the last check before a request leaves
// the process: it refuses any request that is not for the origin, whatever
// produced its URL (a nextLink, a redirect, a bug). It also sets the
// headers every request carries.
type hostGuard struct {
	origin    origin
	userAgent string
}

func (g hostGuard) Intercept(p kiotahttp.Pipeline, i int, req *http.Request) (*http.Response, error) {
	if err := g.origin.check(req.URL); err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", g.userAgent)
	return p.Next(req, i)
}

// isLoopback reports whether host is one the Kiota token provider sends
// a token to over plain http: localhost, 127.0.0.1 or ::1, spelled so.
func isLoopback(host string) bool {
	return strings.EqualFold(host, "localhost") || host == "127.0.0.1" || host == "::1"
}
