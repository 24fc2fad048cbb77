package graphtest

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/graphsync/graphsync"
)

// maxBody bounds a request body, compressed or not, and what a compressed
// one expands to, so that a gzip bomb cannot exhaust memory.
const maxBody = 4 << 20

// apiError is an answer with a Graph error body.
type apiError struct {
	status        int
	code, message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func badRequest(format string, args ...any) *apiError {
	return &apiError{http.StatusBadRequest, "BadRequest", fmt.Sprintf(format, args...)}
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, bodyErr := readBody(r)
	if s.opts.ControlAPI && strings.HasPrefix(r.URL.Path, controlPrefix) {
		s.control(w, r, body, bodyErr) // not recorded, never faulted
		return
	}
	s.mu.Lock()
	s.seq++
	rec := Request{Seq: s.seq, Time: time.Now(), Method: r.Method, Path: r.URL.EscapedPath(),
		Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body}
	idx := len(s.requests)
	s.requests = append(s.requests, rec)
	fault := s.matchFault(r.Method, rec.Path)
	s.mu.Unlock()

	cw := &captureWriter{ResponseWriter: w}
	defer func() {
		s.mu.Lock()
		s.requests[idx].Status = cw.status
		s.mu.Unlock()
	}()
	reqID := newID()
	// Graph answers every request with these; client-request-id echoes
	// the client's, or repeats request-id when the client sent none.
	cw.Header().Set("request-id", reqID)
	cw.Header().Set("client-request-id", clientRequestID(r, reqID))
	cw.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))

	if fault != nil {
		if fault.Latency > 0 {
			t := time.NewTimer(fault.Latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		if fault.Drop {
			dropConnection(w)
			return
		}
		if fault.Status != 0 {
			if fault.RetryAfter != "" {
				cw.Header().Set("Retry-After", fault.RetryAfter)
			}
			if fault.Body != "" {
				cw.Header().Set("Content-Type", "application/json")
				cw.WriteHeader(fault.Status)
				io.WriteString(cw, fault.Body)
				return
			}
			writeError(cw, r, reqID, &apiError{fault.Status, faultCode(fault.Status), "Injected fault."})
			return
		}
		if fault.Body != "" {
			cw.override = []byte(fault.Body)
		}
	}
	s.route(cw, r, reqID, body, bodyErr)
	cw.flush()
}

// readBody reads the request body whole and decodes its Content-Encoding.
func readBody(r *http.Request) ([]byte, *apiError) {
	tooLarge := &apiError{http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
		fmt.Sprintf("The request body is larger than %d bytes.", maxBody)}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, badRequest("The request body could not be read.")
	}
	if len(raw) > maxBody {
		return nil, tooLarge
	}
	enc := strings.ToLower(strings.TrimSpace(strings.Join(r.Header.Values("Content-Encoding"), ",")))
	if len(raw) == 0 || enc == "" || enc == "identity" {
		return raw, nil
	}
	if enc != "gzip" {
		return nil, &apiError{http.StatusUnsupportedMediaType, "UnsupportedMediaType",
			fmt.Sprintf("Content-Encoding '%s' is not supported; send gzip or an uncompressed body.", enc)}
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, badRequest("The request body is labelled Content-Encoding: gzip but is not gzip data (%v).", err)
	}
	body, err := io.ReadAll(io.LimitReader(zr, maxBody+1))
	if err != nil {
		return nil, badRequest("The request body is labelled Content-Encoding: gzip but does not decompress (%v).", err)
	}
	if len(body) > maxBody {
		return nil, tooLarge
	}
	return body, nil
}

// resourceNotFound is Graph's answer for an object ID it does not know.
func resourceNotFound(id string) *apiError {
	return &apiError{http.StatusNotFound, "Request_ResourceNotFound",
		fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", id)}
}

func clientRequestID(r *http.Request, reqID string) string {
	if c := r.Header.Get("client-request-id"); c != "" {
		return c
	}
	return reqID
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// authorized reports whether r carries the server's token.
func (s *Server) authorized(r *http.Request) bool {
	return r.Header.Get("Authorization") == "Bearer "+s.opts.Token
}

// route dispatches on the path: /{version}/servicePrincipals/{sp}/synchronization/...
// or /{version}/auditLogs/...
func (s *Server) route(w http.ResponseWriter, r *http.Request, reqID string, body []byte, bodyErr *apiError) {
	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm=""`)
		writeError(w, r, reqID, &apiError{http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty or not valid."})
		return
	}
	if bodyErr != nil {
		writeError(w, r, reqID, bodyErr)
		return
	}
	segs := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	for i, seg := range segs {
		u, err := url.PathUnescape(seg)
		if err != nil {
			writeError(w, r, reqID, badRequest("Malformed path."))
			return
		}
		segs[i] = u
	}
	if len(segs) >= 2 && segs[1] == "auditLogs" && (segs[0] == graphsync.APIVersionV1 || segs[0] == graphsync.APIVersionBeta) {
		s.auditLogs(w, r, reqID, segs[0], segs[2:])
		return
	}
	versioned := len(segs) >= 2 && (segs[0] == graphsync.APIVersionV1 || segs[0] == graphsync.APIVersionBeta)
	if versioned && segs[1] == "applicationTemplates" {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.applicationTemplates(handler{s: s, version: segs[0], w: w, r: r, reqID: reqID, body: body}, segs[2:])
		return
	}
	if versioned && segs[1] == "applications" {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.applicationSynchronization(handler{s: s, version: segs[0], w: w, r: r, reqID: reqID, body: body}, segs[2:])
		return
	}
	if !versioned || len(segs) < 3 || segs[1] != "servicePrincipals" || (len(segs) > 3 && segs[3] != "synchronization") {
		writeError(w, r, reqID, badRequest("Unsupported path."))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleJobs(time.Now())
	sp := s.sps[segs[2]]
	if !sp.visible(time.Now()) {
		writeError(w, r, reqID, resourceNotFound(segs[2]))
		return
	}
	h := handler{s: s, sp: sp, spID: segs[2], version: segs[0], w: w, r: r, reqID: reqID, body: body}
	if len(segs) == 3 {
		h.only(http.MethodGet, h.getServicePrincipal)
		return
	}
	rest := segs[4:]
	method := r.Method
	switch {
	case len(rest) == 1 && rest[0] == "templates":
		h.only(http.MethodGet, h.listTemplates)
	case len(rest) == 2 && rest[0] == "templates":
		h.only(http.MethodGet, func() { h.getTemplate(rest[1]) })
	case len(rest) == 1 && rest[0] == "secrets":
		h.only(http.MethodPut, h.saveSecrets)
	case len(rest) == 1 && rest[0] == "acquireAccessToken":
		h.only(http.MethodPost, h.acquireAccessToken)
	case len(rest) == 1 && rest[0] == "jobs" && method == http.MethodGet:
		h.listJobs()
	case len(rest) == 1 && rest[0] == "jobs":
		h.only(http.MethodPost, h.createJob)
	case len(rest) == 2 && rest[0] == "jobs" && rest[1] == typeValidateCredentials:
		h.only(http.MethodPost, h.validateTemplateCredentials)
	case len(rest) == 2 && rest[0] == "jobs":
		h.job(rest[1])
	case len(rest) == 3 && rest[0] == "jobs" && rest[2] == "schema":
		h.jobSchema(rest[1])
	case len(rest) == 4 && rest[0] == "jobs" && rest[2] == "schema" && rest[3] == "functions":
		h.only(http.MethodGet, func() { h.schemaFunctions(rest[1]) })
	case len(rest) == 4 && rest[0] == "jobs" && rest[2] == "schema" && rest[3] == "filterOperators":
		h.only(http.MethodGet, func() { h.schemaFilterOperators(rest[1]) })
	case len(rest) == 4 && rest[0] == "jobs" && rest[2] == "schema" && rest[3] == "parseExpression":
		h.only(http.MethodPost, func() { h.parseExpression(rest[1]) })
	case len(rest) == 6 && rest[0] == "jobs" && rest[2] == "schema" && rest[3] == "directories" && rest[5] == "discover":
		h.only(http.MethodPost, func() { h.discoverDirectory(rest[1], rest[4]) })
	case len(rest) == 3 && rest[0] == "jobs" && rest[2] == "bulkUpload":
		h.only(http.MethodPost, func() { h.bulkUpload(rest[1]) })
	case len(rest) == 3 && rest[0] == "jobs":
		h.only(http.MethodPost, func() { h.action(rest[1], rest[2]) })
	default:
		h.fail(badRequest("Unsupported request."))
	}
}
