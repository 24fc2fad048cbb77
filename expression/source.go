package expression

import (
	"errors"
	"strconv"
	"strings"

	"github.com/graphsync/graphsync/internal/printable"
	"github.com/graphsync/graphsync/models"
)

// ToSource returns n as the attributeMappingSource Graph stores and
// parseExpression answers, every node's Expression filled with its
// canonical text (Node.String) as Graph fills it:
//
//   - an attribute is Type Attribute, Name its name;
//   - a string constant, a number and a bare name are Type Constant, Name
//     the text and Expression that text in double quotes (Graph writes
//     Mid's 1 as the constant "1" inside "Mid([userPrincipalName], 1, 8)");
//   - a call is Type Function, Name the function, and one parameter per
//     argument given, keyed by the parameter it binds to (Function.Param;
//     an omitted argument has none, an argument past a function's
//     parameters or of an unknown function is keyed "argumentN");
//   - a comparison, which Graph does not document, is Type Function,
//     Name the operator, parameters "left" and "right".
//
// Parameters is empty, not nil, where Graph sends []. An Omitted node
// gives the zero AttributeMappingSource.
func ToSource(n Node) models.AttributeMappingSource {
	s := models.AttributeMappingSource{
		Expression: n.String(),
		Parameters: []models.StringKeyAttributeMappingSourceValuePair{},
	}
	switch n.Kind {
	case Omitted:
		return models.AttributeMappingSource{}
	case Attribute:
		s.Type, s.Name = models.SourceAttribute, n.Name
	case String, Number:
		s.Type, s.Name, s.Expression = models.SourceConstant, n.Value, quote(n.Value)
	case Name:
		s.Type, s.Name, s.Expression = models.SourceConstant, n.Name, quote(n.Name)
	case Call:
		s.Type, s.Name = models.SourceFunction, n.Name
		f, known := Lookup(n.Name)
		for i, a := range n.Args {
			if a.Kind == Omitted {
				continue
			}
			key := "argument" + strconv.Itoa(i+1)
			if p, ok := f.Param(i, len(n.Args)); known && ok {
				key = p.Name
			}
			v := ToSource(a)
			s.Parameters = append(s.Parameters, models.StringKeyAttributeMappingSourceValuePair{Key: key, Value: &v})
		}
	case Comparison:
		s.Type, s.Name = models.SourceFunction, n.Name
		for i, key := range []string{"left", "right"} {
			if i < len(n.Args) {
				v := ToSource(n.Args[i])
				s.Parameters = append(s.Parameters, models.StringKeyAttributeMappingSourceValuePair{Key: key, Value: &v})
			}
		}
	}
	return s
}

// FromSource reads an attributeMappingSource, as Graph stores it, back
// into a Node. The tree decides: Type (Attribute when empty, as Graph's
// default), Name and the parameters, placed by their keys (matched without
// regard to case) at their positions among the function's parameters,
// those left out becoming omitted arguments. Where s.Expression parses to
// the same tree, its spelling is kept: numbers and bare names stay
// unquoted, trailing omitted arguments stay, and positions are offsets in
// s.Expression; otherwise they are offsets in the returned node's String.
//
// FromSource refuses, with an error, a type it does not know, a function
// parameter without a value, a key that names no parameter of a known
// function or comes out of order, and nesting deeper than MaxDepth (that
// one wraps ErrLimit). Whether the function exists is Check's business:
// an unknown function's parameters are taken in order, or at the
// positions ToSource's keys argumentN give.
func FromSource(s models.AttributeMappingSource) (Node, error) {
	n, err := fromSource(s, 0)
	if err != nil {
		return Node{}, err
	}
	if s.Expression != "" {
		if p, err := Parse(s.Expression); err == nil && sameSource(ToSource(p), ToSource(n)) {
			return p, nil
		}
	}
	// Positions: those of the canonical text.
	if p, err := Parse(n.String()); err == nil {
		return p, nil
	}
	return n, nil
}

func fromSource(s models.AttributeMappingSource, depth int) (Node, error) {
	if depth > MaxDepth {
		return Node{}, &limitError{"the attributeMappingSource nests deeper than " + strconv.Itoa(MaxDepth)}
	}
	switch s.Type {
	case models.SourceAttribute, "":
		if s.Name == "" || strings.Contains(s.Name, "]") {
			return Node{}, errors.New("expression: the attribute name " + printable.Quote(s.Name, 60) + " cannot be written [name]")
		}
		return Node{Kind: Attribute, Name: s.Name}, nil
	case models.SourceConstant:
		return Node{Kind: String, Value: s.Name}, nil
	case models.SourceFunction:
	default:
		return Node{}, errors.New("expression: unknown attributeMappingSource type " + printable.Quote(string(s.Type), 40))
	}
	args := make([]Node, 0, len(s.Parameters))
	for _, p := range s.Parameters {
		if p.Value == nil {
			return Node{}, errors.New("expression: parameter " + printable.Quote(p.Key, 40) + " of " +
				printable.Quote(s.Name, 40) + " has no value")
		}
		a, err := fromSource(*p.Value, depth+1)
		if err != nil {
			return Node{}, err
		}
		args = append(args, a)
	}
	if isOperator(s.Name) {
		if len(args) != 2 || args[0].Kind == Comparison || args[1].Kind == Comparison {
			return Node{}, errors.New("expression: the comparison " + printable.Quote(s.Name, 10) +
				" needs two parameters, neither a comparison")
		}
		return Node{Kind: Comparison, Name: s.Name, Args: args}, nil
	}
	if !isIdentifier(s.Name) {
		return Node{}, errors.New("expression: the function name " + printable.Quote(s.Name, 60) + " cannot be written in an expression")
	}
	f, ok := Lookup(s.Name)
	if !ok {
		return Node{Kind: Call, Name: s.Name, Args: placeNumbered(s.Parameters, args)}, nil
	}
	placed, err := place(f, s.Parameters, args)
	if err != nil {
		return Node{}, err
	}
	return Node{Kind: Call, Name: s.Name, Args: placed}, nil
}

// place puts the arguments, keyed as in params, at their positions among
// f's parameters, omitted arguments filling the gaps.
func place(f Function, params []models.StringKeyAttributeMappingSourceValuePair, args []Node) ([]Node, error) {
	var out []Node
	cur := -1 // the parameter the last argument bound to
	for i, p := range params {
		k := -1
		for j, fp := range f.Params {
			if strings.EqualFold(fp.Name, p.Key) {
				k = j
				break
			}
		}
		if n, ok := argumentNumber(p.Key); k < 0 && ok && n > len(out) && n <= len(out)+MaxDepth {
			// ToSource's key for an argument past the parameters.
			for len(out) < n-1 {
				out = append(out, Node{Kind: Omitted})
			}
			out = append(out, args[i])
			cur = len(f.Params)
			continue
		}
		switch {
		case k < 0:
			return nil, errors.New("expression: " + f.Name + " has no parameter " + printable.Quote(p.Key, 40))
		case k == cur && f.Params[k].Multiple:
		case k > cur:
			for range k - cur - 1 {
				out = append(out, Node{Kind: Omitted})
			}
		default:
			return nil, errors.New("expression: parameter " + printable.Quote(p.Key, 40) + " of " + f.Name + " is out of order")
		}
		out = append(out, args[i])
		cur = k
	}
	return out, nil
}

// placeNumbered places an unknown function's arguments: at the positions
// their keys give when every key is ToSource's argumentN, in increasing
// order, omitted arguments filling the gaps (up to MaxDepth of them, so
// that a key cannot make a call of any size); otherwise in order.
func placeNumbered(params []models.StringKeyAttributeMappingSourceValuePair, args []Node) []Node {
	var out []Node
	for i, p := range params {
		n, ok := argumentNumber(p.Key)
		if !ok || n <= len(out) || n > len(out)+MaxDepth {
			return args
		}
		for len(out) < n-1 {
			out = append(out, Node{Kind: Omitted})
		}
		out = append(out, args[i])
	}
	return out
}

// argumentNumber reads ToSource's key argumentN.
func argumentNumber(key string) (int, bool) {
	rest, ok := strings.CutPrefix(key, "argument")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n > 0
}

// SameTree reports whether s is n's attributeMappingSource as far as its
// tree goes: the same types (a Constant for a string, a number or a bare
// name; Attribute or none for an attribute; a Function for a call or a
// comparison), the same names and values, and the same arguments in
// order, omitted arguments (which the tree leaves out) aside, whatever
// the parameters' keys and Expression texts say. An attribute mapping
// whose expression text is not its tree is read one way by a person and
// maybe another by the provisioning service, which documents the text as
// the tree's equivalent; CheckSchema reports it (TreeMismatch).
func SameTree(n Node, s models.AttributeMappingSource) bool {
	switch n.Kind {
	case Attribute:
		return (s.Type == models.SourceAttribute || s.Type == "") && s.Name == n.Name && len(s.Parameters) == 0
	case String, Number:
		return s.Type == models.SourceConstant && s.Name == n.Value && len(s.Parameters) == 0
	case Name:
		return s.Type == models.SourceConstant && s.Name == n.Name && len(s.Parameters) == 0
	case Call, Comparison:
		if s.Type != models.SourceFunction || s.Name != n.Name {
			return false
		}
		i := 0
		for _, a := range n.Args {
			if a.Kind == Omitted {
				continue
			}
			if i >= len(s.Parameters) || s.Parameters[i].Value == nil || !SameTree(a, *s.Parameters[i].Value) {
				return false
			}
			i++
		}
		return i == len(s.Parameters)
	}
	return false
}

// treeText writes an attributeMappingSource's tree for a message, as
// FromSource reads it or, when it cannot, loosely: each node's type and
// name, the parameters in order.
func treeText(s models.AttributeMappingSource) string {
	if n, err := fromSource(s, 0); err == nil {
		return n.String()
	}
	var b strings.Builder
	var write func(s models.AttributeMappingSource, depth int)
	write = func(s models.AttributeMappingSource, depth int) {
		switch {
		case depth > MaxDepth || b.Len() > 400:
			b.WriteString("…")
		case s.Type == models.SourceAttribute || s.Type == "":
			b.WriteString("[" + s.Name + "]")
		case s.Type == models.SourceConstant:
			b.WriteString(quote(s.Name))
		default:
			b.WriteString(string(s.Type) + " " + quote(s.Name) + "(")
			for i, p := range s.Parameters {
				if i > 0 {
					b.WriteString(", ")
				}
				if p.Value == nil {
					b.WriteString("null")
					continue
				}
				write(*p.Value, depth+1)
			}
			b.WriteString(")")
		}
	}
	write(s, 0)
	return b.String()
}

// sameSource reports whether two attributeMappingSources are the same
// tree: types, names and parameter keys alike (keys without regard to
// case), expressions aside.
func sameSource(a, b models.AttributeMappingSource) bool {
	ta, tb := a.Type, b.Type
	if ta == "" {
		ta = models.SourceAttribute
	}
	if tb == "" {
		tb = models.SourceAttribute
	}
	if ta != tb || a.Name != b.Name || len(a.Parameters) != len(b.Parameters) {
		return false
	}
	for i, p := range a.Parameters {
		q := b.Parameters[i]
		if !strings.EqualFold(p.Key, q.Key) || (p.Value == nil) != (q.Value == nil) {
			return false
		}
		if p.Value != nil && !sameSource(*p.Value, *q.Value) {
			return false
		}
	}
	return true
}

func isOperator(s string) bool {
	switch s {
	case "=", "<>", "<", "<=", ">", ">=":
		return true
	}
	return false
}

func isIdentifier(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	for i := range len(s) {
		if !isLetter(s[i]) && !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// limitError is an error that wraps ErrLimit.
type limitError struct{ msg string }

func (e *limitError) Error() string { return "expression: " + e.msg }
func (e *limitError) Unwrap() error { return ErrLimit }
