package expression

import (
	"strconv"
	"strings"
)

// A Value is what an expression, or an attribute of the input object,
// evaluates to: null, one string, several strings (a multi-valued
// attribute), or the mark IgnoreFlowIfNullOrEmpty leaves to say that the
// attribute does not flow at all. Booleans are the strings "True" and
// "False", numbers and dates strings too, as the reference page writes
// them. The zero Value is null.
type Value struct {
	kind  valueKind
	items []string
}

type valueKind uint8

const (
	nullValue valueKind = iota
	singleValue
	multiValue
	ignoredValue
)

// Null returns the null value: an attribute the object does not have.
func Null() Value { return Value{} }

// Single returns the value holding one string.
func Single(s string) Value { return Value{kind: singleValue, items: []string{s}} }

// Multi returns the multi-valued value holding items, in order; with no
// items it is an empty multi-valued value, not null.
func Multi(items ...string) Value {
	return Value{kind: multiValue, items: append([]string{}, items...)}
}

func ignored() Value { return Value{kind: ignoredValue} }

// IsNull reports whether v is null.
func (v Value) IsNull() bool { return v.kind == nullValue }

// IsMulti reports whether v is multi-valued.
func (v Value) IsMulti() bool { return v.kind == multiValue }

// Ignored reports whether v is the mark of IgnoreFlowIfNullOrEmpty: the
// provisioning service leaves the target attribute out of the flow.
func (v Value) Ignored() bool { return v.kind == ignoredValue }

// Items returns v's strings, as Graph's parseExpression answers them in
// evaluationResult: none for null or ignored, one for a single value, each
// item of a multi-valued one. The slice is v's own copy.
func (v Value) Items() []string { return append([]string(nil), v.items...) }

// Text returns v's string when v holds exactly one, with ok true; a
// multi-valued v with one item counts.
func (v Value) Text() (s string, ok bool) {
	if len(v.items) != 1 {
		return "", false
	}
	return v.items[0], true
}

// String returns v for a person and for tests: null, ignored, a single
// value Go-quoted ("Joh"), a multi-valued one as a list (["a", "b"]).
func (v Value) String() string {
	switch v.kind {
	case nullValue:
		return "null"
	case ignoredValue:
		return "ignored"
	case singleValue:
		return strconv.Quote(v.items[0])
	}
	var b strings.Builder
	b.WriteByte('[')
	for i, s := range v.items {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(s))
	}
	b.WriteByte(']')
	return b.String()
}

// size is what v counts against EvalOptions.MaxValueBytes: its bytes, and
// one for each item so that many empty items count too.
func (v Value) size() int {
	n := 0
	for _, s := range v.items {
		n += len(s) + 1
	}
	return n
}

// An Object is the input an expression is evaluated against: the source
// object's attributes by name, as parseExpression's testInputObject gives
// them (a string, or a collection of strings). An attribute the Object
// lacks is null; names are matched exactly.
type Object map[string]Value
