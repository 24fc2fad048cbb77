package graphtest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/graphsync/graphsync"
)

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
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
	cw.Header().Set("request-id", reqID)
	if c := r.Header.Get("client-request-id"); c != "" {
		cw.Header().Set("client-request-id", c)
	}

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
			writeError(cw, r, reqID, fault.Status, faultCode(fault.Status), "Injected fault.")
			return
		}
		if fault.Body != "" {
			cw.override = []byte(fault.Body)
		}
	}
	s.route(cw, r, reqID, body)
	cw.flush()
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// writeError writes a Graph error body.
func writeError(w http.ResponseWriter, r *http.Request, reqID string, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"code":%s,"message":%s,"innerError":{"date":%q,"request-id":%q,"client-request-id":%q}}}`,
		strconv.Quote(code), strconv.Quote(message), time.Now().UTC().Format("2006-01-02T15:04:05"),
		reqID, r.Header.Get("client-request-id"))
}

// route dispatches on the path: /{version}/servicePrincipals/{sp}/synchronization/...
func (s *Server) route(w http.ResponseWriter, r *http.Request, reqID string, body []byte) {
	if r.Header.Get("Authorization") != "Bearer "+Token {
		w.Header().Set("WWW-Authenticate", `Bearer realm=""`)
		writeError(w, r, reqID, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty or not valid.")
		return
	}
	segs := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	for i, seg := range segs {
		u, err := url.PathUnescape(seg)
		if err != nil {
			writeError(w, r, reqID, http.StatusBadRequest, "BadRequest", "Malformed path.")
			return
		}
		segs[i] = u
	}
	if len(segs) < 4 || (segs[0] != graphsync.APIVersionV1 && segs[0] != graphsync.APIVersionBeta) ||
		segs[1] != "servicePrincipals" || segs[3] != "synchronization" {
		writeError(w, r, reqID, http.StatusBadRequest, "BadRequest", "Unsupported path.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.sps[segs[2]]
	if sp == nil {
		writeError(w, r, reqID, http.StatusNotFound, "Request_ResourceNotFound",
			fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", segs[2]))
		return
	}
	h := handler{s: s, sp: sp, w: w, r: r, reqID: reqID, body: body}
	rest := segs[4:]
	switch {
	case len(rest) == 1 && rest[0] == "templates" && r.Method == http.MethodGet:
		h.listTemplates()
	case len(rest) == 1 && rest[0] == "secrets" && r.Method == http.MethodPut:
		h.saveSecrets()
	case len(rest) == 1 && rest[0] == "jobs" && r.Method == http.MethodGet:
		h.listJobs()
	case len(rest) == 1 && rest[0] == "jobs" && r.Method == http.MethodPost:
		h.createJob()
	case len(rest) == 2 && rest[0] == "jobs":
		h.job(rest[1])
	case len(rest) == 3 && rest[0] == "jobs" && r.Method == http.MethodPost:
		h.action(rest[1], rest[2])
	default:
		writeError(w, r, reqID, http.StatusBadRequest, "BadRequest", "Unsupported request.")
	}
}
