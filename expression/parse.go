package expression

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/graphsync/graphsync/internal/printable"
)

// MaxDepth is how deeply calls and comparisons may nest in an expression,
// counted as the levels of arguments below the whole expression: Parse
// refuses deeper nesting with a SyntaxError, FromSource with an
// error, and Evaluate and Check refuse a deeper Node built by hand. The
// reference page's deepest example nests 5 levels.
const MaxDepth = 100

// ErrLimit is wrapped by the errors of Evaluate and FromSource that refuse
// a tree nested deeper than MaxDepth or a value larger than
// EvalOptions.MaxValueBytes.
var ErrLimit = errors.New("expression: limit exceeded")

// A SyntaxError says why and where Parse refused an expression.
type SyntaxError struct {
	// Offset is the byte offset in the expression, from 0, of the
	// offending text; it is at most the expression's length (the length
	// itself when the expression ends too early).
	Offset int
	// Line and Column locate Offset for a person, both from 1; Column
	// counts characters (runes), not bytes.
	Line, Column int
	// Msg says what is wrong; text quoted from the expression is cleaned
	// of control characters (see internal/printable).
	Msg string
}

// Error returns the message with its line and column, on one line.
func (e *SyntaxError) Error() string {
	return "expression: syntax error at line " + strconv.Itoa(e.Line) + ", column " +
		strconv.Itoa(e.Column) + ": " + e.Msg
}

// Parse parses an attribute-mapping expression (see the package
// documentation for the grammar) and returns its tree, each node's Pos set
// to its offset in expr. It checks syntax only: whether functions exist
// and take the arguments given is Check's business. An error is a
// *SyntaxError.
func Parse(expr string) (Node, error) {
	p := &parser{src: expr}
	p.space()
	if p.eof() {
		return Node{}, p.fail(p.pos, "the expression is empty")
	}
	n, err := p.argument(0)
	if err != nil {
		return Node{}, err
	}
	p.space()
	if !p.eof() {
		return Node{}, p.fail(p.pos, "unexpected "+p.near(p.pos)+" after the end of the expression")
	}
	return n, nil
}

type parser struct {
	src string
	pos int
}

func (p *parser) eof() bool { return p.pos >= len(p.src) }

func (p *parser) peek() byte {
	if p.eof() {
		return 0
	}
	return p.src[p.pos]
}

// space skips white space: blanks, tabs and line breaks.
func (p *parser) space() {
	for !p.eof() {
		switch p.src[p.pos] {
		case ' ', '\t', '\r', '\n':
			p.pos++
		default:
			return
		}
	}
}

// near quotes the text at offset for a message, or says the expression
// ended there.
func (p *parser) near(offset int) string {
	if offset >= len(p.src) {
		return "end of expression"
	}
	return printable.Quote(p.src[offset:], 24)
}

func (p *parser) fail(offset int, msg string) *SyntaxError {
	return newSyntaxError(p.src, offset, msg)
}

func newSyntaxError(src string, offset int, msg string) *SyntaxError {
	line, col := lineColumn(src, offset)
	return &SyntaxError{Offset: offset, Line: line, Column: col, Msg: msg}
}

// lineColumn locates offset in src: line and column from 1, the column
// in runes.
func lineColumn(src string, offset int) (line, column int) {
	offset = min(max(offset, 0), len(src))
	before := src[:offset]
	line = 1 + strings.Count(before, "\n")
	if i := strings.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, 1 + utf8.RuneCountInString(before)
}

// argument parses an operand, or two compared: operand [op operand].
func (p *parser) argument(depth int) (Node, error) {
	left, err := p.operand(depth)
	if err != nil {
		return Node{}, err
	}
	save := p.pos
	p.space()
	op := p.operator()
	if op == "" {
		p.pos = save
		return left, nil
	}
	// The left operand was read as if it stood alone; under the
	// comparison it is one level deeper.
	if depth+1+height(left) > MaxDepth {
		return Node{}, p.fail(left.Pos, "calls and comparisons nest deeper than "+strconv.Itoa(MaxDepth))
	}
	opPos := p.pos
	p.pos += len(op)
	p.space()
	if p.eof() || p.peek() == ',' || p.peek() == ')' {
		return Node{}, p.fail(p.pos, "expected a value after "+strconv.Quote(op)+", found "+p.near(p.pos))
	}
	right, err := p.operand(depth + 1)
	if err != nil {
		return Node{}, err
	}
	save = p.pos
	p.space()
	if p.operator() != "" {
		return Node{}, p.fail(p.pos, "comparisons do not chain: "+strconv.Quote(op)+" at offset "+
			strconv.Itoa(opPos)+" is followed by another")
	}
	p.pos = save
	return Node{Kind: Comparison, Name: op, Args: []Node{left, right}, Pos: left.Pos}, nil
}

// operator returns the comparison operator at the current position, or
// "".
func (p *parser) operator() string {
	rest := p.src[p.pos:]
	for _, op := range [...]string{"<>", "<=", ">=", "=", "<", ">"} {
		if strings.HasPrefix(rest, op) {
			return op
		}
	}
	return ""
}

func (p *parser) operand(depth int) (Node, error) {
	start := p.pos
	switch c := p.peek(); {
	case p.eof():
		return Node{}, p.fail(start, "expected a value, found end of expression")
	case c == '[':
		end := strings.IndexByte(p.src[start+1:], ']')
		if end < 0 {
			return Node{}, p.fail(start, "the attribute reference "+p.near(start)+" has no closing \"]\"")
		}
		if end == 0 {
			return Node{}, p.fail(start, "the attribute reference \"[]\" names no attribute")
		}
		p.pos = start + 1 + end + 1
		return Node{Kind: Attribute, Name: p.src[start+1 : start+1+end], Pos: start}, nil
	case c == '"':
		return p.str()
	case c == '-' || isDigit(c):
		p.pos++
		for !p.eof() && isDigit(p.peek()) {
			p.pos++
		}
		if p.pos == start+1 && c == '-' {
			return Node{}, p.fail(start, "expected digits after \"-\", found "+p.near(p.pos))
		}
		return Node{Kind: Number, Value: p.src[start:p.pos], Pos: start}, nil
	case c == '&':
		p.pos++
		if h := p.peek(); h != 'H' && h != 'h' {
			return Node{}, p.fail(start, "expected a hexadecimal number such as &HF7, found "+p.near(start))
		}
		p.pos++
		digits := p.pos
		for !p.eof() && isHex(p.peek()) {
			p.pos++
		}
		if p.pos == digits {
			return Node{}, p.fail(p.pos, "expected hexadecimal digits after \"&H\", found "+p.near(p.pos))
		}
		return Node{Kind: Number, Value: p.src[start:p.pos], Pos: start}, nil
	case isLetter(c):
		for !p.eof() && (isLetter(p.peek()) || isDigit(p.peek())) {
			p.pos++
		}
		name := p.src[start:p.pos]
		save := p.pos
		p.space()
		if p.peek() != '(' {
			p.pos = save
			return Node{Kind: Name, Name: name, Pos: start}, nil
		}
		if depth+1 > MaxDepth {
			return Node{}, p.fail(start, "calls and comparisons nest deeper than "+strconv.Itoa(MaxDepth))
		}
		open := p.pos
		p.pos++
		args, err := p.args(depth+1, name, open)
		if err != nil {
			return Node{}, err
		}
		return Node{Kind: Call, Name: name, Args: args, Pos: start}, nil
	default:
		return Node{}, p.fail(start, "expected a function, an [attribute], a \"string\" or a number, found "+p.near(start))
	}
}

// args parses a call's arguments after its "(" (at offset open), through
// the closing ")".
func (p *parser) args(depth int, name string, open int) ([]Node, error) {
	p.space()
	if p.peek() == ')' {
		p.pos++
		return nil, nil
	}
	var args []Node
	for {
		p.space()
		if c := p.peek(); c == ',' || c == ')' {
			args = append(args, Node{Kind: Omitted, Pos: p.pos})
		} else if p.eof() {
			return nil, p.fail(p.pos, "missing \")\" to close "+printable.Quote(name, 40)+"( at offset "+strconv.Itoa(open))
		} else {
			a, err := p.argument(depth)
			if err != nil {
				return nil, err
			}
			args = append(args, a)
		}
		p.space()
		switch {
		case p.eof():
			return nil, p.fail(p.pos, "missing \")\" to close "+printable.Quote(name, 40)+"( at offset "+strconv.Itoa(open))
		case p.peek() == ',':
			p.pos++
		case p.peek() == ')':
			p.pos++
			return args, nil
		default:
			return nil, p.fail(p.pos, "expected \",\" or \")\" after an argument of "+printable.Quote(name, 40)+
				", found "+p.near(p.pos))
		}
	}
}

// str parses a string constant: "..." with \\ and \" as the only escapes.
func (p *parser) str() (Node, error) {
	start := p.pos
	p.pos++
	var b strings.Builder
	from := p.pos
	for {
		i := strings.IndexAny(p.src[p.pos:], "\"\\")
		if i < 0 {
			return Node{}, p.fail(start, "the string "+p.near(start)+" has no closing quote")
		}
		p.pos += i
		if p.src[p.pos] == '"' {
			b.WriteString(p.src[from:p.pos])
			p.pos++
			return Node{Kind: String, Value: b.String(), Pos: start}, nil
		}
		// A backslash: it must escape a backslash or a quote.
		if p.pos+1 >= len(p.src) {
			return Node{}, p.fail(start, "the string "+p.near(start)+" has no closing quote")
		}
		if e := p.src[p.pos+1]; e != '"' && e != '\\' {
			_, w := utf8.DecodeRuneInString(p.src[p.pos+1:])
			return Node{}, p.fail(p.pos, "unknown escape "+printable.Quote(p.src[p.pos:p.pos+1+w], 8)+
				` in a string: a backslash must be written \\ and a quote \"`)
		}
		b.WriteString(p.src[from:p.pos])
		b.WriteByte(p.src[p.pos+1])
		p.pos += 2
		from = p.pos
	}
}

// height is how many levels of arguments n has below it.
func height(n Node) int {
	h := 0
	for _, a := range n.Args {
		h = max(h, 1+height(a))
	}
	return h
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isHex(c byte) bool    { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' }
