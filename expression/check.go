package expression

import (
	"strconv"
	"strings"

	"github.com/graphsync/graphsync/internal/printable"
)

// A Problem is something Check found wrong with an expression that
// parses.
type Problem struct {
	// Pos is the offset of the node at fault (see Node.Pos).
	Pos int
	// Msg says what is wrong; names quoted from the expression are
	// cleaned of control characters.
	Msg string
}

// Check reports what makes a parsed expression one Graph's provisioning
// service cannot run, in the order the nodes appear: a function that does
// not exist (names are case-sensitive; a name that differs only in case
// gets a hint), a wrong number of arguments, a required argument omitted,
// a bare name other than vbBinaryCompare and vbTextCompare,
// SelectUniqueValue anywhere but at the top, an omitted argument standing
// for the whole expression, and nesting deeper than MaxDepth. Whether the
// attributes exist is CheckSchema's business. No problems means nil.
func Check(n Node) []Problem {
	var ps []Problem
	if n.Kind == Omitted {
		return []Problem{{Pos: n.Pos, Msg: "the expression is empty"}}
	}
	check(n, 0, true, &ps)
	return ps
}

func check(n Node, depth int, top bool, ps *[]Problem) {
	if depth > MaxDepth {
		*ps = append(*ps, Problem{Pos: n.Pos, Msg: "nested deeper than " + strconv.Itoa(MaxDepth)})
		return
	}
	switch n.Kind {
	case Name:
		if !knownName(n.Name) {
			*ps = append(*ps, Problem{Pos: n.Pos, Msg: "unknown name " + printable.Quote(n.Name, 40) + nameHint})
		}
	case Comparison:
		for _, a := range n.Args {
			if a.Kind == Omitted {
				*ps = append(*ps, Problem{Pos: n.Pos, Msg: "a comparison needs two operands"})
			}
		}
	case Call:
		f, ok := Lookup(n.Name)
		switch {
		case !ok:
			*ps = append(*ps, Problem{Pos: n.Pos, Msg: unknownFunction(n.Name)})
		case arityProblem(f, len(n.Args)) != "":
			*ps = append(*ps, Problem{Pos: n.Pos, Msg: f.Name + ": " + arityProblem(f, len(n.Args))})
		default:
			for i, a := range n.Args {
				if p, _ := f.Param(i, len(n.Args)); a.Kind == Omitted && p.Required {
					*ps = append(*ps, Problem{Pos: a.Pos, Msg: f.Name + ": the required argument " + p.Name +
						" (argument " + strconv.Itoa(i+1) + ") is omitted"})
				}
			}
		}
		if ok && f.TopLevel && !top {
			*ps = append(*ps, Problem{Pos: n.Pos, Msg: f.Name + " must be the whole expression, not an argument"})
		}
	}
	for _, a := range n.Args {
		check(a, depth+1, false, ps)
	}
}

// arityProblem says what is wrong with calling f with n arguments, or "".
func arityProblem(f Function, n int) string {
	if n < f.MinArgs || f.MaxArgs >= 0 && n > f.MaxArgs || f.EvenArgs && n%2 != 0 {
		return "takes " + f.arityText() + ", not " + strconv.Itoa(n)
	}
	return ""
}

// unknownFunction says name is no function, with the right spelling when
// only its case is wrong.
func unknownFunction(name string) string {
	msg := "unknown function " + printable.Quote(name, 40)
	for _, f := range functions {
		if strings.EqualFold(f.Name, name) {
			return msg + " (names are case-sensitive: " + f.Name + ")"
		}
	}
	return msg
}

// names are the bare names the page uses: InStr's compare types.
var names = map[string]bool{"vbBinaryCompare": true, "vbTextCompare": true}

func knownName(s string) bool { return names[s] }

const nameHint = "; the only bare names are vbBinaryCompare and vbTextCompare (a string constant is written in double quotes)"
