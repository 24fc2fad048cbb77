package expression

import (
	"slices"
	"strconv"
	"strings"

	"github.com/graphsync/graphsync/models"
)

// A Param is a parameter of a function, as Graph's
// attributeMappingParameterSchema describes one.
type Param struct {
	// Name is the parameter's name: the key of the parameter in an
	// attributeMappingSource (see ToSource).
	Name string
	// Type is the type of the values it takes.
	Type models.AttributeType
	// Required is true if an argument must be given; an omitted argument
	// (two commas with nothing between) is not given.
	Required bool
	// Multiple is true if the parameter takes several arguments in a
	// row, as Join's sources (Graph's allowMultipleOccurrences).
	Multiple bool
}

// A Function is a function an expression may call, with its parameters
// in order.
type Function struct {
	// Name is the function's name, spelt as it must be written: names
	// are case-sensitive, as the reference page says of the whole syntax.
	Name string
	// Params are the parameters in order. At most one is Multiple.
	Params []Param
	// MinArgs and MaxArgs bound how many arguments a call may have,
	// omitted ones counted; MaxArgs < 0 means no upper bound.
	MinArgs, MaxArgs int
	// EvenArgs is true if the number of arguments must be even (Switch:
	// source and default value, then keys and values in pairs).
	EvenArgs bool
	// TopLevel is true if the function may only be the whole expression,
	// never an argument (SelectUniqueValue).
	TopLevel bool
	// Documented is true for the functions on Microsoft's reference page;
	// false for those only Graph's list of functions names (see
	// Functions).
	Documented bool
}

// Param returns the parameter that argument i of a call with n arguments
// binds to (i and n from 0 and 1): arguments bind to parameters in order,
// and a Multiple parameter takes every argument the parameters after it
// do not need. ok is false when i is past the last parameter.
func (f Function) Param(i, n int) (p Param, ok bool) {
	k := f.paramIndex(i, n)
	if k < 0 {
		return Param{}, false
	}
	return f.Params[k], true
}

func (f Function) paramIndex(i, n int) int {
	m := slices.IndexFunc(f.Params, func(p Param) bool { return p.Multiple })
	switch {
	case i < 0:
		return -1
	case m < 0:
		if i < len(f.Params) {
			return i
		}
		return -1
	case i < m:
		return i
	}
	after := len(f.Params) - 1 - m // parameters after the Multiple one
	if i < max(n-after, m+1) {
		return m
	}
	if k := m + 1 + i - max(n-after, m+1); k < len(f.Params) {
		return k
	}
	return -1
}

// Lookup returns the function named name, spelt exactly.
func Lookup(name string) (Function, bool) {
	i, ok := slices.BinarySearchFunc(functions, name, func(f Function, name string) int {
		return strings.Compare(f.Name, name)
	})
	if !ok {
		return Function{}, false
	}
	return clone(functions[i]), true
}

// Functions returns every function Lookup knows, sorted by name: the 43
// of Microsoft's reference page "Reference for writing expressions for
// attribute mappings in Microsoft Entra ID", and the 4 more that Graph's
// documented answer to GET .../schema/functions names (DefaultDomain,
// AppRoleAssignments, IsNothing, Prepend), Documented false.
//
// Parameter names are Graph's where that answer gives them (so Replace's
// are source, Find, RegularExpression, RegularExpressionGroupName,
// Replacement, ReplacementPropertyName and Template, as parseExpression
// answers) and the page's otherwise. Where the two disagree on the rest
// the page wins, as the newer: FormatDateTime has the page's
// dateTimeStyles, Split's delimiter and Switch's keys and values are
// required.
func Functions() []Function {
	out := make([]Function, len(functions))
	for i, f := range functions {
		out[i] = clone(f)
	}
	return out
}

func clone(f Function) Function {
	f.Params = slices.Clone(f.Params)
	return f
}

const (
	tString   = models.AttributeString
	tInteger  = models.AttributeInteger
	tBoolean  = models.AttributeBoolean
	tDateTime = models.AttributeDateTime
)

func req(name string, t models.AttributeType) Param {
	return Param{Name: name, Type: t, Required: true}
}
func opt(name string, t models.AttributeType) Param { return Param{Name: name, Type: t} }
func many(name string, t models.AttributeType, required bool) Param {
	return Param{Name: name, Type: t, Required: required, Multiple: true}
}

// fn builds a documented function whose arity follows from its
// parameters: at least the required ones before an optional tail, at most
// all of them (no bound past a Multiple one).
func fn(name string, params ...Param) Function {
	f := Function{Name: name, Params: params, Documented: true}
	for i, p := range params {
		if p.Required {
			f.MinArgs = i + 1
		}
	}
	f.MaxArgs = len(params)
	if slices.ContainsFunc(params, func(p Param) bool { return p.Multiple }) {
		f.MaxArgs = -1
	}
	return f
}

func graphOnly(f Function) Function { f.Documented = false; return f }

// functions is the table, sorted by name. Each line cites where its
// parameters come from: "page" is the function's section of the
// reference page, "graph" Graph's documented list of functions.
var functions = sortedByName([]Function{
	fn("Append", req("source", tString), req("suffix", tString)), // page, graph
	// page: "[appRoleAssignments]"; named source as Graph names
	// AppRoleAssignments' and SingleAppRoleAssignment's.
	fn("AppRoleAssignmentsComplex", req("source", tString)),
	graphOnly(fn("AppRoleAssignments", req("source", tString))),                                 // graph
	fn("BitAnd", req("value1", tInteger), req("value2", tInteger)),                              // page
	fn("CBool", req("Expression", tString)),                                                     // page
	fn("CDate", req("Expression", tString)),                                                     // page
	fn("Coalesce", many("source", tString, true)),                                               // page: source1 … sourceN, then defaultValue
	fn("ConvertToBase64", req("source", tString)),                                               // page
	fn("ConvertToUTF8Hex", req("source", tString)),                                              // page
	fn("Count", req("attribute", tString)),                                                      // page
	fn("CStr", req("value", tString)),                                                           // page
	fn("DateAdd", req("interval", tString), req("value", tInteger), req("dateTime", tDateTime)), // page
	fn("DateDiff", req("interval", tString), req("date1", tDateTime), req("date2", tDateTime)),  // page
	fn("DateFromNum", req("value", tInteger)),                                                   // page
	graphOnly(fn("DefaultDomain")),                                                              // graph
	fn("FormatDateTime", req("source", tString), opt("dateTimeStyles", tString),
		req("inputFormat", tString), req("outputFormat", tString)), // page; graph lacks dateTimeStyles
	fn("Guid"), // page
	fn("IgnoreFlowIfNullOrEmpty", req("Expression", tString)),                                        // page
	fn("IIF", req("condition", tBoolean), req("valueIfTrue", tString), req("valueIfFalse", tString)), // page
	fn("InStr", req("value1", tString), req("value2", tString), opt("start", tInteger),
		opt("compareType", tString)), // page
	graphOnly(fn("IsNothing", req("source", tBoolean))),                                // graph
	fn("IsNull", req("Expression", tString)),                                           // page
	fn("IsNullOrEmpty", req("Expression", tString)),                                    // page
	fn("IsPresent", req("Expression", tString)),                                        // page
	fn("IsString", req("Expression", tString)),                                         // page
	fn("Item", req("attribute", tString), req("index", tInteger)),                      // page
	fn("Join", req("separator", tString), many("source", tString, true)),               // page, graph
	fn("Left", req("String", tString), req("NumChars", tInteger)),                      // page
	fn("Mid", req("source", tString), req("start", tInteger), req("length", tInteger)), // page, graph
	fn("NormalizeDiacritics", req("source", tString)),                                  // page
	fn("Not", req("source", tBoolean)),                                                 // page, graph
	fn("Now"),                                                                          // page
	fn("NumFromDate", req("value", tString)),                                           // page
	fn("PCase", req("source", tString), opt("wordSeparators", tString)),                // page
	graphOnly(fn("Prepend", req("prefix", tString), req("source", tString))),           // graph
	fn("RandomString", req("Length", tInteger), req("MinimumNumbers", tInteger),
		req("MinimumSpecialCharacters", tInteger), req("MinimumCapital", tInteger),
		req("MinimumLowerCase", tInteger), opt("CharactersToAvoid", tString)), // page
	fn("Redact", req("source", tString)),              // page: "attribute/value"
	fn("RemoveDuplicates", req("attribute", tString)), // page
	fn("Replace", req("source", tString), opt("Find", tString), opt("RegularExpression", tString),
		opt("RegularExpressionGroupName", tString), opt("Replacement", tString),
		opt("ReplacementPropertyName", tString), opt("Template", tString)), // graph's names, the page's order
	withMin(topLevel(fn("SelectUniqueValue", many("uniqueValueRule", tString, true))), 2), // page
	fn("SingleAppRoleAssignment", req("source", tString)),                                 // page, graph
	fn("Split", req("source", tString), req("delimiter", tString)),                        // page; graph: delimiter optional
	fn("StripSpaces", req("source", tString)),                                             // page, graph
	even(withMin(fn("Switch", req("source", tString), opt("defaultValue", tString),
		many("switchValue", tString, true)), 4)), // graph's names; page: key and value required, in pairs
	fn("ToLower", req("source", tString), opt("culture", tString)),                              // page
	fn("ToUpper", req("source", tString), opt("culture", tString)),                              // page
	fn("Word", req("String", tString), req("WordNumber", tInteger), req("delimiters", tString)), // page
})

func withMin(f Function, n int) Function { f.MinArgs = n; return f }
func topLevel(f Function) Function       { f.TopLevel = true; return f }
func even(f Function) Function           { f.EvenArgs = true; return f }

func sortedByName(fs []Function) []Function {
	slices.SortFunc(fs, func(a, b Function) int { return strings.Compare(a.Name, b.Name) })
	return fs
}

// arityText says how many arguments f takes, for a message.
func (f Function) arityText() string {
	var s string
	switch {
	case f.MaxArgs < 0:
		s = "at least " + plural(f.MinArgs, "argument")
	case f.MinArgs == f.MaxArgs:
		s = plural(f.MinArgs, "argument")
	default:
		s = strconv.Itoa(f.MinArgs) + " to " + plural(f.MaxArgs, "argument")
	}
	if f.EvenArgs {
		s += ", an even number"
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
