package graphtest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
)

// Transport returns a RoundTripper that serves requests by calling the
// server's handler in-process, without a network connection.
func (s *Server) Transport() http.RoundTripper { return InProcessTransport(s) }

// InProcessTransport returns a RoundTripper that serves every request by
// calling h in the caller's goroutine: no listener, no connection, so it
// works inside a testing/synctest bubble. A handler that panics with
// http.ErrAbortHandler gives the client io.ErrUnexpectedEOF, as a dropped
// connection would.
func InProcessTransport(h http.Handler) http.RoundTripper { return inProcess{h: h} }

type inProcess struct{ h http.Handler }

func (t inProcess) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	rec := httptest.NewRecorder()
	in := req.Clone(req.Context())
	in.Body = http.NoBody
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		in.Body = io.NopCloser(strings.NewReader(string(b)))
	}
	in.RequestURI = req.URL.RequestURI()
	in.RemoteAddr = "127.0.0.1:1"
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				resp, err = nil, io.ErrUnexpectedEOF
				return
			}
			panic(p)
		}
	}()
	t.h.ServeHTTP(rec, in)
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	res := rec.Result()
	res.Request = req
	return res, nil
}
