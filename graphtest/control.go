package graphtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// controlPrefix is where the control API is served (Options.ControlAPI).
const controlPrefix = "/_graphtest/"

// The control API: what a test drives a server with when it runs as a
// process (graphsync fake-graph), in any language. Every call needs the
// server's bearer token; bodies are JSON; answers are 204 (or 200 with
// JSON), and 400 with {"error":{"code","message"}} for a body it cannot
// use. Control calls are not recorded in Requests and no fault applies
// to them.
//
//	POST   /_graphtest/faults    a Fault: {"method","pathContains","pathSuffix","nth","count","status","retryAfter","body","latency","drop"}
//	DELETE /_graphtest/faults    removes every fault
//	POST   /_graphtest/users     {"id","userPrincipalName"}: AddUser
//	POST   /_graphtest/groups    {"id","displayName","members":[id…]}: AddGroup, and each member not registered yet as a user
//	GET    /_graphtest/requests  the recorded requests: [{"method","path","query","status","body"}]
//	POST   /_graphtest/inbound/failures  {"externalId","errorCode","transient","reason","recommendedAction","times"}: InjectInboundFailure
//	GET    /_graphtest/inbound/users     the directory bulkUpload left: [{"id","externalId","userName","displayName","active","attributes"}]
//	POST   /_graphtest/jobs/{servicePrincipalId}/{jobId}/quarantine  {"reason"}: QuarantineJob
//	POST   /_graphtest/jobs/{servicePrincipalId}/{jobId}/escrows     {"count"}: InjectEscrows
func (s *Server) control(w http.ResponseWriter, r *http.Request, body []byte, bodyErr *apiError) {
	reqID := newID()
	fail := func(e *apiError) { writeError(w, r, reqID, e) }
	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm=""`)
		fail(&apiError{http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty or not valid."})
		return
	}
	if bodyErr != nil {
		fail(bodyErr)
		return
	}
	decode := func(v any) bool {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			fail(badRequest("The control request body cannot be read: %v", err))
			return false
		}
		return true
	}
	switch route := controlRoute(r.Method, strings.TrimPrefix(r.URL.EscapedPath(), controlPrefix)); route {
	case "POST jobs/{servicePrincipalId}/{jobId}/quarantine":
		s.controlJob(w, r, "quarantine", decode, fail)
	case "POST jobs/{servicePrincipalId}/{jobId}/escrows":
		s.controlJob(w, r, "escrows", decode, fail)
	case "POST faults":
		var f struct {
			Method       string `json:"method"`
			PathContains string `json:"pathContains"`
			PathSuffix   string `json:"pathSuffix"`
			Nth          int    `json:"nth"`
			Count        int    `json:"count"`
			Status       int    `json:"status"`
			RetryAfter   string `json:"retryAfter"`
			Body         string `json:"body"`
			Latency      string `json:"latency"` // a Go duration, e.g. "1.5s"
			Drop         bool   `json:"drop"`
		}
		if !decode(&f) {
			return
		}
		var latency time.Duration
		if f.Latency != "" {
			d, err := time.ParseDuration(f.Latency)
			if err != nil || d < 0 {
				fail(badRequest("latency %q is not a duration such as \"1.5s\".", f.Latency))
				return
			}
			latency = d
		}
		if f.Status != 0 && (f.Status < 100 || f.Status > 599) {
			fail(badRequest("status %d is not an HTTP status.", f.Status))
			return
		}
		if f.Nth < 0 || f.Count < 0 {
			fail(badRequest("nth and count must not be negative."))
			return
		}
		s.InjectFault(Fault{Method: f.Method, PathContains: f.PathContains, PathSuffix: f.PathSuffix, Nth: f.Nth, Times: f.Count,
			Status: f.Status, RetryAfter: f.RetryAfter, Body: f.Body, Latency: latency, Drop: f.Drop})
		w.WriteHeader(http.StatusNoContent)
	case "DELETE faults":
		s.mu.Lock()
		s.faults = nil
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	case "POST users":
		var u struct {
			ID                string `json:"id"`
			UserPrincipalName string `json:"userPrincipalName"`
		}
		if !decode(&u) {
			return
		}
		if u.ID == "" {
			fail(badRequest("A user needs an id."))
			return
		}
		s.AddUser(u.ID, u.UserPrincipalName)
		w.WriteHeader(http.StatusNoContent)
	case "POST groups":
		var g struct {
			ID          string   `json:"id"`
			DisplayName string   `json:"displayName"`
			Members     []string `json:"members"`
		}
		if !decode(&g) {
			return
		}
		if g.ID == "" || slices.Contains(g.Members, "") {
			fail(badRequest("A group and each of its members need an id."))
			return
		}
		s.AddGroup(g.ID, g.DisplayName)
		for _, m := range g.Members {
			if !s.registered(m) {
				s.AddUser(m, m+"@"+FakeTenantDomain)
			}
		}
		w.WriteHeader(http.StatusNoContent)
	case "GET requests":
		type recorded struct {
			Method string          `json:"method"`
			Path   string          `json:"path"`
			Query  string          `json:"query,omitempty"`
			Status int             `json:"status"`
			Body   json.RawMessage `json:"body,omitempty"`
		}
		reqs := s.Requests()
		out := make([]recorded, len(reqs))
		for i, q := range reqs {
			out[i] = recorded{Method: q.Method, Path: q.Path, Query: q.Query, Status: q.Status}
			switch {
			case len(q.Body) == 0:
			case json.Valid(q.Body):
				out[i].Body = q.Body
			default:
				out[i].Body, _ = json.Marshal(string(q.Body))
			}
		}
		if err := writeJSON(w, http.StatusOK, out); err != nil {
			fail(&apiError{http.StatusInternalServerError, "InternalServerError", err.Error()})
		}
	case "POST inbound/failures":
		var f struct {
			ExternalID        string `json:"externalId"`
			ErrorCode         string `json:"errorCode"`
			Transient         bool   `json:"transient"`
			Reason            string `json:"reason"`
			RecommendedAction string `json:"recommendedAction"`
			Times             int    `json:"times"`
		}
		if !decode(&f) {
			return
		}
		if f.ExternalID == "" || f.Times < 0 {
			fail(badRequest("An inbound failure needs an externalId, and times must not be negative (0: every attempt)."))
			return
		}
		s.InjectInboundFailure(InboundFailure{ExternalID: f.ExternalID, ErrorCode: f.ErrorCode, Transient: f.Transient,
			Reason: f.Reason, RecommendedAction: f.RecommendedAction, Times: f.Times})
		w.WriteHeader(http.StatusNoContent)
	case "GET inbound/users":
		type user struct {
			ID          string            `json:"id"`
			ExternalID  string            `json:"externalId"`
			UserName    string            `json:"userName"`
			DisplayName string            `json:"displayName"`
			Active      bool              `json:"active"`
			Attributes  map[string]string `json:"attributes"`
		}
		us := s.InboundUsers()
		out := make([]user, len(us))
		for i, u := range us {
			out[i] = user(u)
		}
		if err := writeJSON(w, http.StatusOK, out); err != nil {
			fail(&apiError{http.StatusInternalServerError, "InternalServerError", err.Error()})
		}
	default:
		fail(&apiError{http.StatusNotFound, "NotFound", fmt.Sprintf("The control API has no %s.", route)})
	}
}

// FakeTenantDomain is the domain of the user principal names the fake
// makes up.
const FakeTenantDomain = "contoso.example"

// registered reports whether an object with id is registered.
func (s *Server) registered(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.objects[strings.ToLower(id)]
	return ok
}
