package models

import (
	"bytes"
	"encoding/json"
	"math/big"
	"reflect"
	"testing"
)

// FuzzSchemaRoundTrip checks, for any input that decodes as a schema, that
// encoding and decoding again gives the same value, and that the encoding
// is the same JSON as the input: nothing is lost, added or changed.
func FuzzSchemaRoundTrip(f *testing.F) {
	for _, name := range []string{
		"../testdata/graphdocs/schema_get_response.json",
		"../testdata/graphdocs/template_get_response.json",
	} {
		f.Add(readFixture(f, name))
	}
	for _, seed := range []string{
		`null`,
		`{}`,
		`{"id":"","version":null,"directories":[],"synchronizationRules":[null,{}]}`,
		`{"synchronizationRules":[{"Name":"x","name":"y","metadata":[{"key":"k","value":null,"x":1e400}]}]}`,
		`{"synchronizationRules":[{"objectMappings":[{"scope":{"groups":[{"clauses":[{"targetOperand":{"values":["a",""]}}]}]},
			"attributeMappings":[{"source":{"parameters":[{"key":"k","value":{"parameters":[{"value":null}]}}]}}]}]}]}`,
		`{"directories":[{"objects":[{"supportedApis":[],"attributes":[{"referencedObjects":[{"referencedProperty":null}],"metadata":[{"key":"MaximumLength","value":"256"}]}]}]}]}`,
		`{"a":{"b":[1,2,{"c":null}]},"priority":-0,"\u0069d":"escaped key","id":"\ud800"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var s1 SynchronizationSchema
		if err := json.Unmarshal(in, &s1); err != nil {
			return // not a schema
		}
		out, err := json.Marshal(s1)
		if err != nil {
			t.Fatalf("encoding a decoded schema: %v\ninput: %q", err, in)
		}
		var s2 SynchronizationSchema
		if err := json.Unmarshal(out, &s2); err != nil {
			t.Fatalf("decoding an encoded schema: %v\nencoded: %s", err, out)
		}
		if !reflect.DeepEqual(s1, s2) {
			t.Fatalf("decode(encode(decode(x))) != decode(x)\ninput:   %q\nencoded: %s", in, out)
		}
		if !bytes.HasPrefix(bytes.TrimLeft(in, " \t\r\n"), []byte("{")) {
			return
		}
		if !sameJSON(t, in, out) {
			t.Fatalf("encode(decode(x)) is not the same JSON as x\ninput:   %q\nencoded: %s", in, out)
		}
	})
}

// sameJSON reports whether a and b hold the same JSON value, comparing
// numbers by value at any size (1e400, -0 and 0.0 are numbers too).
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	parse := func(data []byte) any {
		d := json.NewDecoder(bytes.NewReader(data))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			t.Fatalf("not JSON: %v: %q", err, data)
		}
		return v
	}
	return equalJSON(parse(a), parse(b))
}

func equalJSON(x, y any) bool {
	switch x := x.(type) {
	case map[string]any:
		y, ok := y.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !equalJSON(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := y.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalJSON(x[i], y[i]) {
				return false
			}
		}
		return true
	case json.Number:
		y, ok := y.(json.Number)
		if !ok {
			return false
		}
		fx, _, errx := big.ParseFloat(string(x), 10, 1000, big.ToNearestEven)
		fy, _, erry := big.ParseFloat(string(y), 10, 1000, big.ToNearestEven)
		return errx == nil && erry == nil && fx.Cmp(fy) == 0
	}
	return reflect.DeepEqual(x, y)
}
