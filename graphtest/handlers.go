package graphtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/graphsync/graphsync/models"
)

// handler serves one request. It runs with s.mu held.
type handler struct {
	s       *Server
	sp      *servicePrincipal
	spID    string
	version string // "v1.0" or "beta", as in the path
	w       http.ResponseWriter
	r       *http.Request
	reqID   string
	body    []byte
}

func (h handler) fail(e *apiError) { writeError(h.w, h.r, h.reqID, e) }

func (h handler) json(status int, v any) {
	if err := writeJSON(h.w, status, v); err != nil {
		h.fail(&apiError{http.StatusInternalServerError, "InternalServerError", err.Error()})
	}
}

func (h handler) noContent() { h.w.WriteHeader(http.StatusNoContent) }

func (h handler) notFound(what, id string) {
	h.fail(&apiError{http.StatusNotFound, "Request_ResourceNotFound", fmt.Sprintf("%s '%s' does not exist.", what, id)})
}

// only runs serve when the request's method is method, and answers 405
// otherwise.
func (h handler) only(method string, serve func()) {
	if h.r.Method != method {
		h.methodNotAllowed()
		return
	}
	serve()
}

func (h handler) methodNotAllowed() {
	h.fail(&apiError{http.StatusMethodNotAllowed, "BadRequest", fmt.Sprintf("The method %s is not allowed on this resource.", h.r.Method)})
}

// page writes items as a collection, paged when Options.PageSize is set.
func page[T any](h handler, context string, items []T) {
	size := h.s.opts.PageSize
	skip := 0
	if v := h.r.URL.Query().Get("$skiptoken"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > len(items) {
			h.fail(badRequest("Invalid $skiptoken."))
			return
		}
		skip = n
	}
	out := struct {
		Context  string `json:"@odata.context"`
		Value    []T    `json:"value"`
		NextLink string `json:"@odata.nextLink,omitempty"`
	}{Context: context, Value: items[skip:]}
	if size > 0 && len(items)-skip > size {
		out.Value = items[skip : skip+size]
		out.NextLink = fmt.Sprintf("%s%s?$skiptoken=%d", h.s.URL, h.r.URL.EscapedPath(), skip+size)
	}
	if out.Value == nil {
		out.Value = []T{}
	}
	h.json(http.StatusOK, out)
}

func (h handler) listTemplates() {
	out := make([]wireTemplate, len(h.sp.templates))
	for i, t := range h.sp.templates {
		out[i] = toWireTemplate(t)
	}
	page(h, odataContext(h.version, spSegment(h.spID)+"/synchronization/templates"), out)
}

func (h handler) getTemplate(id string) {
	t := h.template(id)
	if t == nil {
		h.notFound("Template", id)
		return
	}
	w := toWireTemplate(t)
	w.Context = odataContext(h.version, spSegment(h.spID)+"/synchronization/templates/$entity")
	h.json(http.StatusOK, w)
}

func (h handler) template(id string) *template {
	for _, t := range h.sp.templates {
		if t.ID == id {
			return t
		}
	}
	return nil
}

func (h handler) saveSecrets() {
	var in struct {
		Value []models.SecretKeyValue `json:"value"`
	}
	if err := json.Unmarshal(h.body, &in); err != nil || len(in.Value) == 0 {
		h.fail(badRequest("The request body must hold a non-empty value array."))
		return
	}
	for _, kv := range in.Value {
		replaced := false
		for i := range h.sp.secrets {
			if h.sp.secrets[i].Key == kv.Key {
				h.sp.secrets[i].Value, replaced = kv.Value, true
			}
		}
		if !replaced {
			h.sp.secrets = append(h.sp.secrets, kv)
		}
	}
	h.noContent()
}
