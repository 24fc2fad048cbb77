package models

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// The types in this file are parseExpression's request and answer. Like
// the schema types, they keep members they do not name and write back
// nulls as nulls and every false read (see SynchronizationSchema), so
// that a request read from JSON (Graph's documented one, say) is sent
// exactly as it was written; a request built in Go sends only what was
// set.

// ParseExpressionRequest asks Graph to parse an attribute-mapping
// expression and, given a test object, to evaluate it (the body of
// synchronizationSchema: parseExpression).
type ParseExpressionRequest struct {
	// Expression is the expression to parse, for example
	// `Replace([preferredLanguage], "-", , , "_", , )`. Required.
	Expression string `json:"expression"`
	// TargetAttributeDefinition describes the attribute the expression
	// will be mapped to (optional).
	TargetAttributeDefinition *AttributeDefinition `json:"targetAttributeDefinition"`
	// TestInputObject is the object to evaluate the expression against
	// (optional; without it Graph only parses).
	TestInputObject *ExpressionInputObject `json:"testInputObject"`
	// Extra holds members this type does not name, sent as they are.
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes r without losing anything.
func (r *ParseExpressionRequest) UnmarshalJSON(b []byte) error { return unmarshalModel(b, r) }

func (r *ParseExpressionRequest) decodeFrom(node any) error {
	return decodeObject(node, r, &r.Extra, &r.wire)
}

// MarshalJSON encodes r: as it was read, with any changes made since, or,
// for a request built in Go, what was set.
func (r ParseExpressionRequest) MarshalJSON() ([]byte, error) { return marshalModel(r) }

func (r ParseExpressionRequest) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &r, r.Extra, r.wire)
}

// ExpressionInputObject is a test object an expression is evaluated
// against (Graph expressionInputObject).
type ExpressionInputObject struct {
	// Definition describes the object (optional).
	Definition *ObjectDefinition `json:"definition"`
	// Properties are the object's attribute values.
	Properties []StringKeyObjectValuePair `json:"properties"`
	// Extra holds members this type does not name, written back
	// unchanged.
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes o without losing anything.
func (o *ExpressionInputObject) UnmarshalJSON(b []byte) error { return unmarshalModel(b, o) }

func (o *ExpressionInputObject) decodeFrom(node any) error {
	return decodeObject(node, o, &o.Extra, &o.wire)
}

// MarshalJSON encodes o as it was received, with any changes made since.
func (o ExpressionInputObject) MarshalJSON() ([]byte, error) { return marshalModel(o) }

func (o ExpressionInputObject) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &o, o.Extra, o.wire)
}

// StringKeyObjectValuePair is one attribute value of a test object: a
// key and a value of any JSON type, usually a string, sometimes an array
// of strings (Graph stringKeyObjectValuePair, an open type). An
// annotation such as "value@odata.type" is kept in Extra.
type StringKeyObjectValuePair struct {
	// Key names the attribute, for example "preferredLanguage".
	Key string `json:"key"`
	// Value is the attribute's value. An empty string is a value, and is
	// sent; the zero PropertyValue is not.
	Value PropertyValue `json:"value"`
	// Extra holds members this type does not name, written back
	// unchanged.
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes p without losing anything.
func (p *StringKeyObjectValuePair) UnmarshalJSON(b []byte) error { return unmarshalModel(b, p) }

func (p *StringKeyObjectValuePair) decodeFrom(node any) error {
	return decodeObject(node, p, &p.Extra, &p.wire)
}

// MarshalJSON encodes p as it was received, with any changes made since.
func (p StringKeyObjectValuePair) MarshalJSON() ([]byte, error) { return marshalModel(p) }

func (p StringKeyObjectValuePair) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &p, p.Extra, p.wire)
}

// Property returns a test object's attribute with a string value.
func Property(key, value string) StringKeyObjectValuePair {
	return StringKeyObjectValuePair{Key: key, Value: StringValue(value)}
}

// PropertyValue is a JSON value of any type, kept as the JSON text it was
// read as or built from. The zero PropertyValue holds nothing and is not
// sent.
type PropertyValue struct {
	raw json.RawMessage
}

// StringValue returns a PropertyValue holding the string s ("" included).
func StringValue(s string) PropertyValue {
	b, _ := json.Marshal(s) // a string always encodes
	return PropertyValue{raw: b}
}

// StringsValue returns a PropertyValue holding an array of the strings
// (an empty array for none), a multivalued attribute's value.
func StringsValue(values ...string) PropertyValue {
	if values == nil {
		values = []string{}
	}
	b, _ := json.Marshal(values)
	return PropertyValue{raw: b}
}

// RawValue returns a PropertyValue holding raw, which must be valid
// JSON.
func RawValue(raw json.RawMessage) (PropertyValue, error) {
	if !json.Valid(raw) {
		return PropertyValue{}, fmt.Errorf("models: %q is not JSON", raw)
	}
	return PropertyValue{raw: bytes.Clone(raw)}, nil
}

// Raw returns the value's JSON text (nil for the zero PropertyValue).
func (v PropertyValue) Raw() json.RawMessage { return bytes.Clone(v.raw) }

// AsString returns the value when it is a JSON string.
func (v PropertyValue) AsString() (string, bool) {
	var s string
	raw := bytes.TrimSpace(v.raw)
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// AsStrings returns the value when it is an array of JSON strings.
func (v PropertyValue) AsStrings() ([]string, bool) {
	var ps []*string
	raw := bytes.TrimSpace(v.raw)
	if len(raw) == 0 || raw[0] != '[' || json.Unmarshal(raw, &ps) != nil {
		return nil, false
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		if p == nil {
			return nil, false
		}
		out[i] = *p
	}
	return out, true
}

// MarshalJSON writes the value as it is (null for the zero one).
func (v PropertyValue) MarshalJSON() ([]byte, error) {
	if v.raw == nil {
		return []byte("null"), nil
	}
	return bytes.Clone(v.raw), nil
}

// UnmarshalJSON keeps b as the value.
func (v *PropertyValue) UnmarshalJSON(b []byte) error {
	pv, err := RawValue(b)
	*v = pv
	return err
}

func (v *PropertyValue) decodeFrom(node any) error {
	b, err := json.Marshal(node) // numbers are json.Number: every digit kept
	if err != nil {
		return err
	}
	v.raw = b
	return nil
}

func (v PropertyValue) encodeTo(b *bytes.Buffer) error {
	raw, _ := v.MarshalJSON()
	b.Write(raw)
	return nil
}

// ParseExpressionResponse is Graph's answer to parseExpression (Graph
// parseExpressionResponse): whether the expression parsed, its parsed
// form, and, when it was evaluated, the values it produced.
type ParseExpressionResponse struct {
	// Error says what went wrong, when parsing or evaluation failed; nil
	// (Graph sends null) otherwise.
	Error *PublicError `json:"error"`
	// EvaluationResult are the values the expression produced for the
	// test object.
	EvaluationResult []string `json:"evaluationResult"`
	// EvaluationSucceeded is true if the expression was evaluated.
	EvaluationSucceeded bool `json:"evaluationSucceeded"`
	// ParsedExpression is the expression's tree: a function with its
	// parameters (keyed by the function's parameter names, empty
	// arguments left out), an attribute or a constant.
	ParsedExpression *AttributeMappingSource `json:"parsedExpression"`
	// ParsingSucceeded is true if the expression parsed.
	ParsingSucceeded bool `json:"parsingSucceeded"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged.
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes r without losing anything.
func (r *ParseExpressionResponse) UnmarshalJSON(b []byte) error { return unmarshalModel(b, r) }

func (r *ParseExpressionResponse) decodeFrom(node any) error {
	return decodeObject(node, r, &r.Extra, &r.wire)
}

// MarshalJSON encodes r as it was received, with any changes made since.
func (r ParseExpressionResponse) MarshalJSON() ([]byte, error) { return marshalModel(r) }

func (r ParseExpressionResponse) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &r, r.Extra, r.wire)
}

// PublicError is an error Graph reports inside an answer that succeeded
// (Graph publicError), as parseExpression's error.
type PublicError struct {
	// Code is the error's code.
	Code string `json:"code"`
	// Details are further errors.
	Details []PublicErrorDetail `json:"details"`
	// InnerError gives more detail.
	InnerError *PublicInnerError `json:"innerError"`
	// Message is a message for the developer.
	Message string `json:"message"`
	// Target is what the error concerns.
	Target string `json:"target"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged.
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes e without losing anything.
func (e *PublicError) UnmarshalJSON(b []byte) error { return unmarshalModel(b, e) }

func (e *PublicError) decodeFrom(node any) error { return decodeObject(node, e, &e.Extra, &e.wire) }

// MarshalJSON encodes e as it was received, with any changes made since.
func (e PublicError) MarshalJSON() ([]byte, error) { return marshalModel(e) }

func (e PublicError) encodeTo(b *bytes.Buffer) error { return encodeObject(b, &e, e.Extra, e.wire) }

// PublicErrorDetail is one detail of a PublicError (Graph
// publicErrorDetail).
type PublicErrorDetail struct {
	// Code is the detail's error code.
	Code string `json:"code"`
	// Message is a message for the developer.
	Message string `json:"message"`
	// Target is what the detail concerns.
	Target string `json:"target"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged.
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes d without losing anything.
func (d *PublicErrorDetail) UnmarshalJSON(b []byte) error { return unmarshalModel(b, d) }

func (d *PublicErrorDetail) decodeFrom(node any) error {
	return decodeObject(node, d, &d.Extra, &d.wire)
}

// MarshalJSON encodes d as it was received, with any changes made since.
func (d PublicErrorDetail) MarshalJSON() ([]byte, error) { return marshalModel(d) }

func (d PublicErrorDetail) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &d, d.Extra, d.wire)
}

// PublicInnerError is the inner error of a PublicError (Graph
// publicInnerError).
type PublicInnerError struct {
	// Code is the inner error's code.
	Code string `json:"code"`
	// Details are further errors.
	Details []PublicErrorDetail `json:"details"`
	// Message is a message for the developer.
	Message string `json:"message"`
	// Target is what the inner error concerns.
	Target string `json:"target"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged.
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes e without losing anything.
func (e *PublicInnerError) UnmarshalJSON(b []byte) error { return unmarshalModel(b, e) }

func (e *PublicInnerError) decodeFrom(node any) error {
	return decodeObject(node, e, &e.Extra, &e.wire)
}

// MarshalJSON encodes e as it was received, with any changes made since.
func (e PublicInnerError) MarshalJSON() ([]byte, error) { return marshalModel(e) }

func (e PublicInnerError) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &e, e.Extra, e.wire)
}
