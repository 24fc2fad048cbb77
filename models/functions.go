package models

import (
	"bytes"
	"encoding/json"
)

// The types in this file describe what a synchronization schema's
// expressions and scoping filters may use (Graph's schema/functions and
// schema/filterOperators). Like the schema types, they keep members they
// do not name and write back nulls as nulls, and a false that was read
// is written back (see SynchronizationSchema).

// AttributeMappingFunctionSchema describes a function an attribute
// mapping's expression can call (Graph attributeMappingFunctionSchema).
type AttributeMappingFunctionSchema struct {
	// ID is the function's key, as Graph's resource page documents it.
	// The documented answers send Name instead: see FunctionName.
	ID string `json:"id"`
	// Name is the function's name, for example "Append", as the
	// documented answers send it.
	Name string `json:"name"`
	// Parameters are the function's parameters, in the order the
	// expression language passes them.
	Parameters []AttributeMappingParameterSchema `json:"parameters"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// FunctionName returns the function's name: Name, or ID when Graph sent
// only that.
func (f *AttributeMappingFunctionSchema) FunctionName() string {
	if f.Name != "" {
		return f.Name
	}
	return f.ID
}

// UnmarshalJSON decodes f without losing anything.
func (f *AttributeMappingFunctionSchema) UnmarshalJSON(b []byte) error { return unmarshalModel(b, f) }

func (f *AttributeMappingFunctionSchema) decodeFrom(node any) error {
	return decodeObject(node, f, &f.Extra, &f.wire)
}

// MarshalJSON encodes f as it was received, with any changes made since.
func (f AttributeMappingFunctionSchema) MarshalJSON() ([]byte, error) { return marshalModel(f) }

func (f AttributeMappingFunctionSchema) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &f, f.Extra, f.wire)
}

// AttributeMappingParameterSchema describes one parameter of a function
// (Graph attributeMappingParameterSchema).
type AttributeMappingParameterSchema struct {
	// AllowMultipleOccurrences is true if the parameter may be passed
	// several times, as Join's sources are.
	AllowMultipleOccurrences bool `json:"allowMultipleOccurrences"`
	// Name is the parameter's name, the key of the parameter in a parsed
	// expression (AttributeMappingSource.Parameters).
	Name string `json:"name"`
	// Required is true if the parameter must be passed.
	Required bool `json:"required"`
	// Type is the type of the parameter's value: String (the default),
	// Integer, Reference, Binary, Boolean or DateTime.
	Type AttributeType `json:"type"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes p without losing anything.
func (p *AttributeMappingParameterSchema) UnmarshalJSON(b []byte) error { return unmarshalModel(b, p) }

func (p *AttributeMappingParameterSchema) decodeFrom(node any) error {
	return decodeObject(node, p, &p.Extra, &p.wire)
}

// MarshalJSON encodes p as it was received, with any changes made since.
func (p AttributeMappingParameterSchema) MarshalJSON() ([]byte, error) { return marshalModel(p) }

func (p AttributeMappingParameterSchema) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &p, p.Extra, p.wire)
}

// FilterOperatorSchema describes an operator a scoping filter's clause
// can use (Graph filterOperatorSchema): FilterClause.OperatorName names
// one.
type FilterOperatorSchema struct {
	// Arity is Binary (the default: the operator compares the attribute
	// with values) or Unary (it tests the attribute alone, as IS TRUE
	// does).
	Arity ScopeOperatorType `json:"arity"`
	// MultivaluedComparisonType says, for a multivalued attribute,
	// whether All (the default) or Any of its values must satisfy the
	// clause.
	MultivaluedComparisonType ScopeOperatorMultiValuedComparisonType `json:"multivaluedComparisonType"`
	// Name is the operator's name, for example "EQUALS" or "IS NOT NULL".
	Name string `json:"name"`
	// SupportedAttributeTypes are the attribute types the operator
	// applies to.
	SupportedAttributeTypes []AttributeType `json:"supportedAttributeTypes"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes o without losing anything.
func (o *FilterOperatorSchema) UnmarshalJSON(b []byte) error { return unmarshalModel(b, o) }

func (o *FilterOperatorSchema) decodeFrom(node any) error {
	return decodeObject(node, o, &o.Extra, &o.wire)
}

// MarshalJSON encodes o as it was received, with any changes made since.
func (o FilterOperatorSchema) MarshalJSON() ([]byte, error) { return marshalModel(o) }

func (o FilterOperatorSchema) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &o, o.Extra, o.wire)
}

// ScopeOperatorType is the arity of a filter operator.
type ScopeOperatorType string

// Documented arities; others are kept as received.
const (
	OperatorBinary ScopeOperatorType = "Binary"
	OperatorUnary  ScopeOperatorType = "Unary"
)

// ScopeOperatorMultiValuedComparisonType says how a filter operator
// treats the values of a multivalued attribute.
type ScopeOperatorMultiValuedComparisonType string

// Documented comparison types; others are kept as received.
const (
	// CompareAll requires every value to satisfy the clause.
	CompareAll ScopeOperatorMultiValuedComparisonType = "All"
	// CompareAny requires at least one value to.
	CompareAny ScopeOperatorMultiValuedComparisonType = "Any"
)
