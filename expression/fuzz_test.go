package expression

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// fuzzSeeds are the page's expressions and text the parser refuses.
func fuzzSeeds(f *testing.F) {
	for _, e := range pageExpressions {
		f.Add(e)
	}
	for _, e := range []string{
		"", "[", "[]", `"\`, `"\d"`, "&H", "-", "F(", "F(,", "F(,)", "[a] = [b] = [c]", "F(1) x",
		"F(\x1b[31m)", "\xff", "F(\"é\", ?)", strings.Repeat("F(", 101) + "[a]" + strings.Repeat(")", 101),
		strings.Repeat("F(", 99) + "Not([a]) = 1" + strings.Repeat(")", 99),
		`Replace([a], , "(?<g>x)*", "g", "", , )`, `IIF([a] >= "2020-01-01", DateAdd("yyyy", 1, [a]), "")`,
	} {
		f.Add(e)
	}
}

// FuzzParse: Parse never panics; an error is a *SyntaxError whose offset
// is within the input, whose line and column locate that offset and whose
// message holds no raw control character; a tree parses back from its
// canonical text, which is stable, and survives ToSource (SameTree) and
// FromSource (a call with its spelling).
func FuzzParse(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, expr string) {
		n, err := Parse(expr)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q): %T %v", expr, err, err)
			}
			if se.Offset < 0 || se.Offset > len(expr) {
				t.Fatalf("Parse(%q): offset %d outside the input", expr, se.Offset)
			}
			before := expr[:se.Offset]
			line := 1 + strings.Count(before, "\n")
			col := 1 + utf8.RuneCountInString(before[strings.LastIndex(before, "\n")+1:])
			if se.Line != line || se.Column != col {
				t.Fatalf("Parse(%q): %d:%d for offset %d, want %d:%d", expr, se.Line, se.Column, se.Offset, line, col)
			}
			for _, r := range se.Error() {
				if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || r == '\u202e' || r == utf8.RuneError {
					t.Fatalf("Parse(%q): raw %U in %q", expr, r, se.Error())
				}
			}
			return
		}
		s := n.String()
		m, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q) ok, but its canonical text %q: %v", expr, s, err)
		}
		if !reflect.DeepEqual(noPos(m), noPos(n)) {
			t.Fatalf("Parse(%q) and Parse(%q) differ:\n%#v\n%#v", expr, s, noPos(n), noPos(m))
		}
		if m.String() != s {
			t.Fatalf("canonical text not stable: %q, then %q", s, m.String())
		}
		// In Graph's terms: a constant standing alone is stored quoted, so
		// a lone number comes back as a string, the same attributeMappingSource.
		src := ToSource(n)
		if !SameTree(n, src) {
			t.Fatalf("ToSource(Parse(%q)) is not its tree", expr)
		}
		back, err := FromSource(src)
		if err != nil || !reflect.DeepEqual(ToSource(back), src) {
			t.Fatalf("FromSource(ToSource(Parse(%q))) = %q, %v", expr, back.String(), err)
		}
		if n.Kind == Call && back.String() != s {
			t.Fatalf("FromSource(ToSource(Parse(%q))) = %q, want %q", expr, back.String(), s)
		}
		for _, p := range Check(n) {
			if p.Pos < 0 || p.Pos > len(expr) {
				t.Fatalf("Check(%q): position %d outside the input", expr, p.Pos)
			}
		}
	})
}

// FuzzEvaluate: Evaluate never panics on a parsed expression and any
// input, fails only with an *EvalError, and never returns a value over
// the bound.
func FuzzEvaluate(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, expr string) {
		n, err := Parse(expr)
		if err != nil {
			return
		}
		// Every attribute the expression reads gets a value drawn from
		// the expression itself: null, "", a date, a number, text,
		// multi-valued.
		r := rand.New(rand.NewPCG(uint64(len(expr)), 1))
		in := Object{}
		walk(n, func(a Node) {
			if a.Kind != Attribute {
				return
			}
			switch r.IntN(7) {
			case 0:
			case 1:
				in[a.Name] = Single("")
			case 2:
				in[a.Name] = Single("2021-08-31+08:00")
			case 3:
				in[a.Name] = Single("-12")
			case 4:
				in[a.Name] = Multi(a.Name, "", a.Name)
			default:
				in[a.Name] = Single(a.Name + expr)
			}
		})
		const max = 64 << 10
		calls := 0
		opts := &EvalOptions{
			Now:           func() time.Time { return utc(2024, 2, 29, 13, 5, 9) },
			Rand:          rand.NewChaCha8([32]byte{byte(len(expr))}),
			IsUnique:      func(string) bool { calls++; return calls%3 == 0 },
			DefaultDomain: "contoso.com",
			MaxValueBytes: max,
		}
		v, err := Evaluate(n, in, opts)
		if err != nil {
			var ee *EvalError
			if !errors.As(err, &ee) {
				t.Fatalf("Evaluate(%q): %T %v", expr, err, err)
			}
			return
		}
		if v.size() > max {
			t.Fatalf("Evaluate(%q): %d bytes, over %d", expr, v.size(), max)
		}
	})
}
