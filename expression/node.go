package expression

import (
	"strconv"
	"strings"
)

// Kind is the kind of a Node.
type Kind int

// The kinds of node. The zero Kind is Omitted, so the zero Node is an
// argument left out.
const (
	// Omitted is an argument left out: the nothing between two commas,
	// as in Replace([mail], "@contoso.com", , , "", , ). It appears only
	// among a call's arguments.
	Omitted Kind = iota
	// Attribute is a reference to an attribute of the source object,
	// [Name].
	Attribute
	// String is a string constant; Value holds its text, unescaped.
	String
	// Number is a numeric constant written without quotes, such as 1,
	// -10 or &HF7; Value holds it as written.
	Number
	// Name is a bare name that is not called, such as vbBinaryCompare
	// in InStr("repEated", "e", 3, vbBinaryCompare).
	Name
	// Call is a function call, Name(Args...).
	Call
	// Comparison compares Args[0] with Args[1]; Name is the operator:
	// =, <>, <, <=, > or >=.
	Comparison
)

var kindNames = [...]string{"Omitted", "Attribute", "String", "Number", "Name", "Call", "Comparison"}

// String returns the kind's name, such as "Call".
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "Kind(" + strconv.Itoa(int(k)) + ")"
	}
	return kindNames[k]
}

// A Node is an expression or a part of one. Which fields are used depends
// on Kind:
//
//	Omitted     nothing
//	Attribute   Name (the attribute's name)
//	String      Value (the text, unescaped)
//	Number      Value (as written: "1", "-10", "&HF7")
//	Name        Name
//	Call        Name (the function's name), Args
//	Comparison  Name (the operator), Args (exactly two)
//
// Pos is the byte offset in the parsed text where the node begins (for a
// Comparison, its left operand); it is not part of the expression's
// meaning and String ignores it.
type Node struct {
	Kind  Kind
	Name  string
	Value string
	Args  []Node
	Pos   int
}

// String returns the expression in canonical form, as Graph writes an
// attributeMappingSource's expression: arguments separated by ", ",
// omitted arguments left empty ("Replace([x], \"-\", , , \"_\", , )"), a
// comparison's operator between single spaces, a string constant in
// double quotes with \ and " escaped by a backslash, numbers and names as
// written. For every node n that Parse returns, Parse(n.String()) returns
// n again, positions aside.
func (n Node) String() string {
	var b strings.Builder
	n.write(&b)
	return b.String()
}

func (n Node) write(b *strings.Builder) {
	switch n.Kind {
	case Omitted:
	case Attribute:
		b.WriteByte('[')
		b.WriteString(n.Name)
		b.WriteByte(']')
	case String:
		writeQuoted(b, n.Value)
	case Number:
		b.WriteString(n.Value)
	case Name:
		b.WriteString(n.Name)
	case Call:
		b.WriteString(n.Name)
		b.WriteByte('(')
		for i, a := range n.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			a.write(b)
		}
		b.WriteByte(')')
	case Comparison:
		if len(n.Args) > 0 {
			n.Args[0].write(b)
		}
		b.WriteByte(' ')
		b.WriteString(n.Name)
		b.WriteByte(' ')
		if len(n.Args) > 1 {
			n.Args[1].write(b)
		}
	}
}

// quote returns s as a string constant: in double quotes, with \ and "
// escaped by a backslash.
func quote(s string) string {
	var b strings.Builder
	writeQuoted(&b, s)
	return b.String()
}

func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
}

// walk calls f for n and every node below it, parents first, arguments in
// order.
func walk(n Node, f func(Node)) {
	f(n)
	for _, a := range n.Args {
		walk(a, f)
	}
}
