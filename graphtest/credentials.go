package graphtest

import (
	"encoding/json"
	"strings"
)

const typeValidateCredentials = "validateCredentials"

// validateCredentials answers 204 to a well-formed request: credentials
// to check, or useSavedCredentials with secrets saved for the service
// principal, and an optional templateId naming one of its templates. The
// fake cannot reach the application, so well-formed credentials are taken
// to work. Error messages name members and positions, never values.
func (h handler) validateCredentials() {
	if e := h.checkValidateCredentials(); e != nil {
		h.fail(e)
		return
	}
	h.noContent()
}

// validateTemplateCredentials serves validateCredentials before any job
// exists (POST .../synchronization/jobs/validateCredentials): as a job's,
// and the templateId, which names the template whose settings apply, is
// required.
func (h handler) validateTemplateCredentials() {
	e := h.checkValidateCredentials()
	if e == nil && !hasTemplateID(h.body) {
		e = badRequest("The templateId is required to validate credentials without a job.")
	}
	if e != nil {
		h.fail(e)
		return
	}
	h.noContent()
}

// hasTemplateID reports whether a well-formed validateCredentials body
// names a template.
func hasTemplateID(body []byte) bool {
	var in struct {
		TemplateID *string `json:"templateId"`
	}
	return json.Unmarshal(body, &in) == nil && in.TemplateID != nil && *in.TemplateID != ""
}

func (h handler) checkValidateCredentials() *apiError {
	o, e := decodeObject(h.body, "The request body")
	if e != nil {
		// decodeObject's message may quote the body: say less.
		return badRequest("The request body must be a JSON object.")
	}
	var useSaved, hasCredentials bool
	for _, name := range o.names() {
		v := o[name]
		switch name {
		case "applicationIdentifier":
			if !isNull(v) {
				if _, e := stringValue(v, name, "Edm.String"); e != nil {
					return e
				}
			}
		case "templateId":
			if isNull(v) {
				continue
			}
			id, e := stringValue(v, name, "Edm.String")
			if e != nil {
				return e
			}
			if h.template(id) == nil {
				return badRequest("The templateId is not a template of this service principal.")
			}
		case "useSavedCredentials":
			if isNull(v) {
				continue
			}
			if err := json.Unmarshal(v, &useSaved); err != nil {
				return badRequest("Cannot convert the literal '%s' to the expected type 'Edm.Boolean'.", string(v))
			}
		case "credentials":
			if isNull(v) {
				continue
			}
			n, e := checkCredentials(v)
			if e != nil {
				return e
			}
			hasCredentials = n > 0
		default:
			if !annotation(name) {
				return badRequest("The parameter '%s' in the request payload is not a valid parameter for the operation '%s'.", name, typeValidateCredentials)
			}
		}
	}
	switch {
	case useSaved && len(h.sp.secrets) == 0:
		return badRequest("useSavedCredentials is true, but no credentials are saved for this service principal.")
	case !useSaved && !hasCredentials:
		return badRequest("The request has no credentials: send a non-empty credentials array, or useSavedCredentials.")
	}
	return nil
}

// checkCredentials checks the credentials of validateCredentials: an
// array of key and value pairs, each with both. Values are secrets: no
// message quotes them.
func checkCredentials(v json.RawMessage) (int, *apiError) { return checkCredentialPairs(v, true) }

// checkCredentialPairs checks an array of
// synchronizationSecretKeyStringValuePair and returns its length: each an
// object of a key and a value (strings) and an optional @odata.type naming
// the pair's type. withKey requires both (validateCredentials); without
// it a pair may have neither, but a value needs a key (acquireAccessToken,
// whose documented example sends a pair with nothing but its type).
// Values are secrets: no message quotes them.
func checkCredentialPairs(v json.RawMessage, withKey bool) (int, *apiError) {
	const pairType = "microsoft.graph.synchronizationSecretKeyStringValuePair"
	var items []json.RawMessage
	if (!withKey && isNull(v)) || json.Unmarshal(v, &items) != nil {
		return 0, badRequest("The parameter 'credentials' must be an array of key and value pairs.")
	}
	for i, item := range items {
		o, e := decodeObject(item, "Each credential")
		if e != nil {
			if withKey {
				return 0, badRequest("credentials[%d] must be an object with a key and a value.", i)
			}
			return 0, badRequest("credentials[%d] must be an object.", i)
		}
		var key, value *string
		for _, name := range o.names() {
			switch name {
			case "key":
				if json.Unmarshal(o[name], &key) != nil {
					return 0, badRequest("credentials[%d].key must be a string.", i)
				}
			case "value":
				if json.Unmarshal(o[name], &value) != nil {
					return 0, badRequest("credentials[%d].value must be a string.", i)
				}
			case "@odata.type":
				if e := checkODataType(o[name], pairType); e != nil {
					return 0, badRequest("credentials[%d]: the @odata.type must be '#%s'.", i, pairType)
				}
			default:
				if !annotation(name) {
					return 0, unknownProperty(name, pairType)
				}
			}
		}
		switch noKey := key == nil || strings.TrimSpace(*key) == ""; {
		case withKey && noKey:
			return 0, badRequest("credentials[%d] has no key.", i)
		case withKey && value == nil:
			return 0, badRequest("credentials[%d] has no value.", i)
		case value != nil && noKey:
			return 0, badRequest("credentials[%d] has a value but no key.", i)
		}
	}
	return len(items), nil
}

// acquireAccessToken serves POST .../synchronization/acquireAccessToken
// on a service principal or an application: 204 to a well-formed
// request, a credentials array of synchronizationSecretKeyStringValuePair
// (key and value strings, an optional @odata.type; the documented example
// sends a pair with nothing else). The fake cannot reach the
// application's OAuth server: well-formed credentials are taken to work,
// and nothing is stored. Messages name members and positions, never
// values.
func (h handler) acquireAccessToken() {
	o, e := decodeObject(h.body, "The request body")
	if e != nil {
		h.fail(badRequest("The request body must be a JSON object."))
		return
	}
	var n int
	for _, name := range o.names() {
		switch {
		case name == "credentials":
			if n, e = checkCredentialPairs(o[name], false); e != nil {
				h.fail(e)
				return
			}
		case !annotation(name):
			h.fail(badRequest("The parameter '%s' in the request payload is not a valid parameter for the operation 'acquireAccessToken'.", name))
			return
		}
	}
	if n == 0 {
		h.fail(badRequest("The request has no credentials: send a non-empty credentials array."))
		return
	}
	h.noContent()
}
