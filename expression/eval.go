package expression

import (
	"crypto/rand"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/graphsync/graphsync/internal/printable"
)

// DefaultMaxValueBytes is the largest value Evaluate builds when
// EvalOptions.MaxValueBytes is 0: 1 MiB, far above any attribute a
// directory stores.
const DefaultMaxValueBytes = 1 << 20

// EvalOptions are the parts of the world an evaluation reads besides its
// input. A nil *EvalOptions, like the zero value, means the real clock,
// crypto/rand, every value unique, no default domain and
// DefaultMaxValueBytes.
type EvalOptions struct {
	// Now is the clock Now() reads; nil means time.Now. Tests give a
	// fixed time.
	Now func() time.Time
	// Rand is where Guid() and RandomString read random bytes; nil means
	// crypto/rand. Tests give a seeded generator, such as a
	// math/rand/v2 ChaCha8.
	Rand io.Reader
	// IsUnique says whether SelectUniqueValue's candidate is free in the
	// target directory, which only the provisioning service can ask; nil
	// means every candidate is, so the first rule's value is chosen.
	IsUnique func(value string) bool
	// DefaultDomain is the tenant's default domain, which DefaultDomain()
	// returns; empty makes DefaultDomain() an error.
	DefaultDomain string
	// MaxValueBytes bounds every value an evaluation builds, counted as
	// its bytes plus one per item; a bigger one is an error that wraps
	// ErrLimit. 0 means DefaultMaxValueBytes.
	MaxValueBytes int
}

// An EvalError says why Evaluate could not compute a value, and where.
type EvalError struct {
	// Pos is the offset of the node that failed (see Node.Pos).
	Pos int
	// Func is the function that failed, if any.
	Func string
	// Msg says what went wrong; quoted values are cleaned of control
	// characters.
	Msg string
	// Err is the cause, if any: ErrLimit, or an error of EvalOptions.Rand.
	Err error
}

// Error returns the message on one line.
func (e *EvalError) Error() string {
	s := "expression: at offset " + strconv.Itoa(e.Pos) + ": "
	if e.Func != "" {
		s += e.Func + ": "
	}
	return s + e.Msg
}

// Unwrap returns the cause.
func (e *EvalError) Unwrap() error { return e.Err }

// Evaluate computes n's value for the source object input, as the
// provisioning service would for one attribute mapping, without Graph:
// each function as the reference page documents it (see the package
// documentation for the readings chosen where the page is not exact).
//
// Evaluate refuses, with an *EvalError, most of what Check would report
// (an unknown function or name, a wrong number of arguments,
// SelectUniqueValue not at the top; an omitted required argument is read
// as null), a function's
// documented failure (IIF reading a null or empty attribute in its
// condition; SelectUniqueValue finding no free value), a value a function
// cannot read (Mid's start "abc", a date CDate cannot parse), a node
// nested deeper than MaxDepth and a value larger than
// EvalOptions.MaxValueBytes (those two wrap ErrLimit). It never panics.
func Evaluate(n Node, input Object, opts *EvalOptions) (Value, error) {
	e := &evaluator{in: input, max: DefaultMaxValueBytes}
	if opts != nil {
		e.opts = *opts
		if opts.MaxValueBytes > 0 {
			e.max = opts.MaxValueBytes
		}
	}
	v, err := e.eval(n, 0, true)
	if errors.Is(err, errIgnored) {
		return ignored(), nil
	}
	return v, err
}

// errIgnored carries IgnoreFlowIfNullOrEmpty's mark up to Evaluate: an
// attribute that does not flow does not flow whatever encloses it.
var errIgnored = errors.New("ignored")

type evaluator struct {
	in   Object
	opts EvalOptions
	max  int
}

func (e *evaluator) now() time.Time {
	if e.opts.Now != nil {
		return e.opts.Now()
	}
	return time.Now()
}

func (e *evaluator) rand() io.Reader {
	if e.opts.Rand != nil {
		return e.opts.Rand
	}
	return rand.Reader
}

// eval evaluates n, depth levels down; top is true for the whole
// expression.
func (e *evaluator) eval(n Node, depth int, top bool) (Value, error) {
	if depth > MaxDepth {
		return Value{}, &EvalError{Pos: n.Pos, Msg: "nested deeper than " + strconv.Itoa(MaxDepth), Err: ErrLimit}
	}
	switch n.Kind {
	case Omitted:
		return Null(), nil
	case Attribute:
		v := e.in[n.Name]
		if v.kind == ignoredValue {
			v = Null()
		}
		return v, e.fits(n, "", v)
	case String, Number:
		return Single(n.Value), e.fits(n, "", Single(n.Value))
	case Name:
		if !knownName(n.Name) {
			return Value{}, &EvalError{Pos: n.Pos, Msg: "unknown name " + printable.Quote(n.Name, 40) + nameHint}
		}
		return Single(n.Name), nil
	case Comparison:
		return e.compare(n, depth)
	case Call:
		return e.call(n, depth, top)
	}
	return Value{}, &EvalError{Pos: n.Pos, Msg: "unknown kind of node " + n.Kind.String()}
}

// fits refuses v if it is larger than the evaluation allows.
func (e *evaluator) fits(n Node, fn string, v Value) error {
	if v.size() > e.max {
		return e.tooLarge(n, fn)
	}
	return nil
}

func (e *evaluator) tooLarge(n Node, fn string) error {
	return &EvalError{Pos: n.Pos, Func: fn, Msg: "the value would exceed " + strconv.Itoa(e.max) + " bytes", Err: ErrLimit}
}

// call evaluates a function call: the function's arity is checked as Check
// does, then its implementation runs with its arguments evaluated on
// demand.
func (e *evaluator) call(n Node, depth int, top bool) (Value, error) {
	f, ok := Lookup(n.Name)
	impl := implementations[n.Name]
	if !ok || impl == nil {
		return Value{}, &EvalError{Pos: n.Pos, Msg: unknownFunction(n.Name)}
	}
	if msg := arityProblem(f, len(n.Args)); msg != "" {
		return Value{}, &EvalError{Pos: n.Pos, Func: f.Name, Msg: msg}
	}
	if f.TopLevel && !top {
		return Value{}, &EvalError{Pos: n.Pos, Func: f.Name, Msg: "must be the whole expression, not an argument"}
	}
	c := &callCtx{e: e, n: n, f: f, depth: depth}
	v, err := impl(c)
	if err != nil {
		return Value{}, err
	}
	return v, e.fits(n, f.Name, v)
}

// A callCtx is one call being evaluated: its arguments, evaluated on
// demand, and helpers that read them as the page's types.
type callCtx struct {
	e     *evaluator
	n     Node
	f     Function
	depth int
}

// given reports whether argument i is present: within the call and not
// omitted.
func (c *callCtx) given(i int) bool { return i < len(c.n.Args) && c.n.Args[i].Kind != Omitted }

// arg evaluates argument i; an argument not given is null.
func (c *callCtx) arg(i int) (Value, error) {
	if !c.given(i) {
		return Null(), nil
	}
	v, err := c.e.eval(c.n.Args[i], c.depth+1, false)
	if err != nil {
		return Value{}, err
	}
	if v.Ignored() {
		return Value{}, errIgnored
	}
	return v, nil
}

// fail returns an *EvalError for this call.
func (c *callCtx) fail(msg string) error {
	return &EvalError{Pos: c.n.Pos, Func: c.f.Name, Msg: msg}
}

// name returns the name of the parameter argument i binds to, for
// messages.
func (c *callCtx) name(i int) string {
	if p, ok := c.f.Param(i, len(c.n.Args)); ok {
		return p.Name
	}
	return "argument " + strconv.Itoa(i+1)
}

// text evaluates argument i as one string: ok is false when it is null; a
// multi-valued value must have exactly one item.
func (c *callCtx) text(i int) (s string, ok bool, err error) {
	v, err := c.arg(i)
	if err != nil || v.IsNull() {
		return "", false, err
	}
	if len(v.items) != 1 {
		return "", false, c.fail(c.name(i) + " is multi-valued (" + strconv.Itoa(len(v.items)) +
			" items); the function takes one string")
	}
	return v.items[0], true, nil
}

// textOr is text with null read as def.
func (c *callCtx) textOr(i int, def string) (string, error) {
	s, ok, err := c.text(i)
	if !ok {
		s = def
	}
	return s, err
}

// integer evaluates argument i as an integer (see parseInteger); ok is
// false when it is null or not given.
func (c *callCtx) integer(i int) (n int64, ok bool, err error) {
	s, ok, err := c.text(i)
	if err != nil || !ok {
		return 0, false, err
	}
	n, err = parseInteger(s)
	if err != nil {
		return 0, false, c.fail(c.name(i) + " " + printable.Quote(s, 40) + " is not a whole number")
	}
	return n, true, nil
}

// parseInteger reads a whole number as the page writes them: decimal
// with an optional sign, or hexadecimal after &H (VBA's notation,
// BitAnd(&HF, &HF7)), blanks around ignored.
func parseInteger(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if len(s) > 2 && s[0] == '&' && (s[1] == 'H' || s[1] == 'h') {
		u, err := strconv.ParseUint(s[2:], 16, 64)
		return int64(u), err
	}
	return strconv.ParseInt(s, 10, 64)
}

// boolText returns the page's spelling of a boolean.
func boolText(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// parseBool reads a boolean as CBool does: True or False in any case, or
// a number (true when not zero).
func parseBool(s string) (bool, bool) {
	switch t := strings.TrimSpace(s); {
	case strings.EqualFold(t, "True"):
		return true, true
	case strings.EqualFold(t, "False"):
		return false, true
	default:
		if f, ok := parseNumber(t); ok {
			return f != 0, true
		}
	}
	return false, false
}

// compare evaluates a comparison to "True" or "False". Null reads as the
// empty string. = and <> compare strings exactly (with regard to case, as
// Switch does); <, <=, > and >= compare two numbers as numbers, two dates
// (as CDate reads them) as dates, anything else as strings, ordinally.
func (e *evaluator) compare(n Node, depth int) (Value, error) {
	if len(n.Args) != 2 {
		return Value{}, &EvalError{Pos: n.Pos, Msg: "a comparison needs two operands"}
	}
	var s [2]string
	for i, a := range n.Args {
		v, err := e.eval(a, depth+1, false)
		if err != nil {
			return Value{}, err
		}
		if v.Ignored() {
			return Value{}, errIgnored
		}
		if len(v.items) > 1 {
			return Value{}, &EvalError{Pos: a.Pos, Msg: "cannot compare a multi-valued value"}
		}
		if len(v.items) == 1 {
			s[i] = v.items[0]
		}
	}
	c := compareTexts(s[0], s[1])
	var r bool
	switch n.Name {
	case "=":
		r = s[0] == s[1]
	case "<>":
		r = s[0] != s[1]
	case "<":
		r = c < 0
	case "<=":
		r = c <= 0
	case ">":
		r = c > 0
	case ">=":
		r = c >= 0
	default:
		return Value{}, &EvalError{Pos: n.Pos, Msg: "unknown operator " + printable.Quote(n.Name, 10)}
	}
	return Single(boolText(r)), nil
}

func compareTexts(a, b string) int {
	if x, ok := parseNumber(a); ok {
		if y, ok := parseNumber(b); ok {
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}
	}
	if x, err := parseDate(a); err == nil {
		if y, err := parseDate(b); err == nil {
			return x.Compare(y)
		}
	}
	return strings.Compare(a, b)
}

// parseNumber reads a finite number, decimal or &H hexadecimal.
func parseNumber(s string) (float64, bool) {
	if n, err := parseInteger(s); err == nil {
		return float64(n), true
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil && !math.IsInf(f, 0) && !math.IsNaN(f)
}
