package graphtest

import (
	_ "embed"
	"encoding/json"
	"net/http"
)

// The answers of schema/functions and schema/filterOperators are Graph's
// documented ones: the full lists the beta pages keep in a comment (their
// visible examples are shortened), copied verbatim into graphdocs/.
var (
	//go:embed graphdocs/functions_response_beta_full.json
	docFunctions []byte
	//go:embed graphdocs/filteroperators_response_beta_full.json
	docFilterOperators []byte
)

// docValue returns the value array of a documented collection answer.
func docValue(doc []byte) json.RawMessage {
	var c struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(doc, &c); err != nil {
		panic("graphtest: an embedded answer is not JSON: " + err.Error())
	}
	return c.Value
}

// schemaFunctions serves GET .../jobs/{id}/schema/functions: the
// documented functions, with the @odata.context of the documented answer
// for the version asked.
func (h handler) schemaFunctions(jobID string) {
	if h.sp.job(jobID) == nil {
		h.notFound("Job", jobID)
		return
	}
	h.json(http.StatusOK, struct {
		Context string          `json:"@odata.context"`
		Value   json.RawMessage `json:"value"`
	}{odataContext(h.version, "functions"), docValue(docFunctions)})
}

// schemaFilterOperators serves GET .../jobs/{id}/schema/filterOperators:
// the documented operators, without @odata.context, as documented.
func (h handler) schemaFilterOperators(jobID string) {
	if h.sp.job(jobID) == nil {
		h.notFound("Job", jobID)
		return
	}
	h.json(http.StatusOK, struct {
		Value json.RawMessage `json:"value"`
	}{docValue(docFilterOperators)})
}
