package graphtest

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/graphsync/graphsync/models"
)

// Request bodies are read as raw JSON objects, so that an explicit null
// (clear the property) differs from an absent property (keep it), and a
// property the resource does not have is seen and refused.

// Entity type names, as in @odata.type and OData's error messages.
const (
	typeJob      = "microsoft.graph.synchronizationJob"
	typeSchedule = "microsoft.graph.synchronizationSchedule"
	typeKeyValue = "microsoft.graph.keyValuePair"
)

// rawObject is a JSON object's members, by name.
type rawObject map[string]json.RawMessage

// decodeObject decodes a JSON object. what names it in the error.
func decodeObject(b []byte, what string) (rawObject, *apiError) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return nil, badRequest("%s must be a JSON object.", what)
	}
	var o rawObject
	if err := json.Unmarshal(b, &o); err != nil {
		return nil, badRequest("%s is not valid JSON: %v.", what, err)
	}
	return o, nil
}

// names returns the member names in order, so that the first problem
// reported does not depend on map order.
func (o rawObject) names() []string {
	n := make([]string, 0, len(o))
	for k := range o {
		n = append(n, k)
	}
	slices.Sort(n)
	return n
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// annotation reports whether name is an instance annotation ("@odata.type",
// "x@odata.bind"...), which is not a property.
func annotation(name string) bool { return strings.Contains(name, "@") }

func unknownProperty(name, typeName string) *apiError {
	return badRequest("The property '%s' does not exist on type '%s'. Make sure to only use property names that are defined by the type or mark the type as open type.", name, typeName)
}

func notNullable(name, typeName string) *apiError {
	return badRequest("A null value was found for the property named '%s', which has the expected type '%s'. The expected type '%s' does not allow null values.", name, typeName, typeName)
}

// checkODataType accepts an @odata.type annotation naming typeName.
func checkODataType(v json.RawMessage, typeName string) *apiError {
	var s string
	if json.Unmarshal(v, &s) != nil || strings.TrimPrefix(s, "#") != typeName {
		return badRequest("A type named '%s' could not be resolved by the model; expected '#%s'.", strings.Trim(string(v), `"`), typeName)
	}
	return nil
}

// stringValue decodes a JSON string; null is refused.
func stringValue(v json.RawMessage, name, edmType string) (string, *apiError) {
	if isNull(v) {
		return "", notNullable(name, edmType)
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", badRequest("Cannot convert the literal '%s' to the expected type '%s'.", string(v), edmType)
	}
	return s, nil
}

// applyJob applies a create or PATCH body to j; on error j may be
// partly changed, so callers apply it to a copy.
func applyJob(j *models.SynchronizationJob, o rawObject, create bool) *apiError {
	for _, name := range o.names() {
		v := o[name]
		switch name {
		case "@odata.type":
			if e := checkODataType(v, typeJob); e != nil {
				return e
			}
		case "id", "templateId":
			s, e := stringValue(v, name, "Edm.String")
			if e != nil {
				return e
			}
			current := j.ID
			if name == "templateId" {
				current = j.TemplateID
			}
			switch {
			case create && name == "templateId":
				j.TemplateID = s
			case s != current:
				return badRequest("The property '%s' is read-only; it cannot be changed.", name)
			}
		case "status":
			return badRequest("The property 'status' is read-only; it cannot be set.")
		case "schedule":
			if isNull(v) {
				return notNullable(name, typeSchedule)
			}
			so, e := decodeObject(v, "The property 'schedule'")
			if e != nil {
				return e
			}
			if e := applySchedule(j.Schedule, so); e != nil {
				return e
			}
		case "synchronizationJobSettings":
			settings, e := keyValuePairs(v, name)
			if e != nil {
				return e
			}
			j.SynchronizationJobSettings = settings
		default:
			if !annotation(name) {
				return unknownProperty(name, typeJob)
			}
		}
	}
	return nil
}

func applySchedule(s *models.SynchronizationSchedule, o rawObject) *apiError {
	for _, name := range o.names() {
		v := o[name]
		switch name {
		case "@odata.type":
			if e := checkODataType(v, typeSchedule); e != nil {
				return e
			}
		case "expiration":
			if isNull(v) {
				s.Expiration = nil
				continue
			}
			text, e := stringValue(v, name, "Edm.DateTimeOffset")
			if e != nil {
				return e
			}
			t, err := time.Parse(time.RFC3339Nano, text)
			if err != nil {
				return badRequest("Cannot convert the literal '%s' to the expected type 'Edm.DateTimeOffset'.", text)
			}
			t = graphTime(t)
			s.Expiration = &t
		case "interval":
			text, e := stringValue(v, name, "Edm.Duration")
			if e != nil {
				return e
			}
			canonical, err := edmDuration(text)
			if err != nil {
				return badRequest("Cannot convert the literal '%s' to the expected type 'Edm.Duration'.", text)
			}
			s.Interval = models.Duration(canonical)
		case "state":
			text, e := stringValue(v, name, "microsoft.graph.synchronizationScheduleState")
			if e != nil {
				return e
			}
			switch st := models.ScheduleState(text); st {
			case models.ScheduleActive, models.ScheduleDisabled, models.SchedulePaused:
				s.State = st
			default:
				return badRequest("The value '%s' is not a member of the enum type 'microsoft.graph.synchronizationScheduleState'.", text)
			}
		default:
			if !annotation(name) {
				return unknownProperty(name, typeSchedule)
			}
		}
	}
	return nil
}

// keyValuePairs decodes a keyValuePair collection, which replaces the
// whole property.
func keyValuePairs(v json.RawMessage, name string) ([]models.KeyValuePair, *apiError) {
	if isNull(v) {
		return nil, notNullable(name, "Collection("+typeKeyValue+")")
	}
	var items []json.RawMessage
	if err := json.Unmarshal(v, &items); err != nil {
		return nil, badRequest("The property '%s' must be a JSON array.", name)
	}
	out := make([]models.KeyValuePair, 0, len(items))
	for _, it := range items {
		o, e := decodeObject(it, "An item of '"+name+"'")
		if e != nil {
			return nil, e
		}
		var kv models.KeyValuePair
		for _, n := range o.names() {
			var e *apiError
			switch n {
			case "@odata.type":
				e = checkODataType(o[n], typeKeyValue)
			case "name":
				kv.Name, e = stringValue(o[n], n, "Edm.String")
			case "value":
				if !isNull(o[n]) {
					kv.Value, e = stringValue(o[n], n, "Edm.String")
				}
			default:
				if !annotation(n) {
					e = unknownProperty(n, typeKeyValue)
				}
			}
			if e != nil {
				return nil, e
			}
		}
		out = append(out, kv)
	}
	return out, nil
}
