package graphtest

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"
)

// Fault is an injected misbehaviour. It applies to requests matching
// Method and PathContains (empty matches all), from the Nth matching
// request on (0 or 1: the first), Times times (0: once).
type Fault struct {
	// Method is the HTTP method of the requests the fault applies to,
	// compared without regard to case; empty matches every method.
	Method string
	// PathContains is a substring of the escaped path of the requests
	// the fault applies to, e.g. "provisionOnDemand"; empty matches every
	// path.
	PathContains string
	// PathSuffix, if set, is how the escaped path of the requests the
	// fault applies to ends, e.g. "/provisionOnDemand".
	PathSuffix string
	// Nth is the first matching request the fault applies to: 0 or 1
	// for the first, 2 for the second, and so on.
	Nth int
	// Times is how many matching requests, from the Nth on, the fault
	// applies to; 0 means once.
	Times int

	// Status, if set, is answered instead of the real handling, with a
	// Graph error body (or Body, if set) and Retry-After if set.
	Status int
	// RetryAfter, if set, is sent as the Retry-After header of a Status
	// answer, as written (e.g. "2", or an HTTP date).
	RetryAfter string
	// Body, if set, replaces the answer's body: with Status, the whole
	// answer; without, the real answer's status with this body (for
	// malformed 2xx bodies).
	Body string
	// Latency delays the answer (honouring the request's context).
	Latency time.Duration
	// Drop closes the connection without an answer.
	Drop bool

	seen, applied int
}

// InjectFault adds a fault; faults are checked in the order added.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f.seen, f.applied = 0, 0
	s.faults = append(s.faults, &f)
}

// matchFault returns the fault to apply to r, if any. Called with s.mu held.
func (s *Server) matchFault(method, path string) *Fault {
	for _, f := range s.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, method) {
			continue
		}
		if f.PathContains != "" && !strings.Contains(path, f.PathContains) {
			continue
		}
		if f.PathSuffix != "" && !strings.HasSuffix(path, f.PathSuffix) {
			continue
		}
		times := max(f.Times, 1)
		if f.applied >= times {
			continue
		}
		f.seen++
		if f.seen < max(f.Nth, 1) {
			continue
		}
		f.applied++
		return f
	}
	return nil
}

func faultCode(status int) string {
	switch status {
	case http.StatusTooManyRequests:
		return "TooManyRequests"
	case http.StatusServiceUnavailable:
		return "ServiceUnavailable"
	case http.StatusGatewayTimeout:
		return "GatewayTimeout"
	case http.StatusInternalServerError:
		return "InternalServerError"
	}
	return "InjectedFault"
}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// captureWriter records the status and can replace the body.
type captureWriter struct {
	http.ResponseWriter
	status   int
	override []byte
	held     bool
}

func (c *captureWriter) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
	if c.override != nil {
		c.held = true
		return
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *captureWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.WriteHeader(http.StatusOK)
	}
	if c.override != nil {
		return len(b), nil
	}
	return c.ResponseWriter.Write(b)
}

func (c *captureWriter) flush() {
	if c.override == nil {
		return
	}
	if c.status == 0 {
		c.status = http.StatusOK
	}
	c.ResponseWriter.Header().Del("Content-Length")
	c.ResponseWriter.WriteHeader(c.status)
	c.ResponseWriter.Write(c.override)
}

func (c *captureWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if hj, ok := c.ResponseWriter.(http.Hijacker); ok {
		return hj.Hijack()
	}
	return nil, nil, errors.New("graphtest: cannot hijack")
}
