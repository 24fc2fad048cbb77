package schemaedit

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/graphsync/graphsync/models"
)

// members returns the members of v's JSON object, as the models encode
// it. v must encode to an object.
func members(v any) (map[string]json.RawMessage, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	if m == nil {
		m = map[string]json.RawMessage{}
	}
	return m, nil
}

// rebuild decodes the members into *dst, a model, which then writes them
// back as they are: a null stays null and every member given is written.
func rebuild(m map[string]json.RawMessage, dst any) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, dst)
}

func raw(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic("schemaedit: " + err.Error()) // only strings, numbers and built trees are given
	}
	return b
}

// nullable is s as JSON, null for "".
func nullable(s string) json.RawMessage {
	if s == "" {
		return json.RawMessage("null")
	}
	return raw(s)
}

// sourceJSON is s as Graph writes an attributeMappingSource: expression,
// name, parameters and type always (parameters [] when none), each
// parameter's value likewise, and whatever Extra holds.
func sourceJSON(s models.AttributeMappingSource) map[string]any {
	o := map[string]any{
		"expression": s.Expression,
		"name":       s.Name,
		"type":       string(s.Type),
	}
	params := make([]any, 0, len(s.Parameters))
	for _, p := range s.Parameters {
		pm := map[string]any{"key": p.Key, "value": nil}
		if p.Value != nil {
			pm["value"] = sourceJSON(*p.Value)
		}
		for k, v := range p.Extra {
			if _, ok := pm[k]; !ok {
				pm[k] = v
			}
		}
		params = append(params, pm)
	}
	o["parameters"] = params
	for k, v := range s.Extra {
		if _, ok := o[k]; !ok {
			o[k] = v
		}
	}
	return o
}

// decodeTree parses JSON into a tree of map[string]any, []any, string,
// json.Number, bool and nil.
func decodeTree(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("schemaedit: more JSON after the value")
	}
	return v, nil
}

// canonical encodes a tree with its object members sorted and no
// insignificant space: two trees are the same JSON value exactly when
// their canonical texts are equal.
func canonical(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("schemaedit: " + err.Error()) // a decoded tree always encodes
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
