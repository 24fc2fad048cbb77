package expression

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// Attack (issue #24: "the expression parser and evaluator never panic or
// hang"; Evaluate's doc: "It never panics"): Mid's end is start-1+length
// computed in int64 without a bound, so a length near the largest whole
// number wraps to a negative end and the slice panics. Any caller of
// Evaluate is taken down: graphsync schema test-expression crashes with
// a Go stack trace, and graphtest's parseExpression (which evaluates the
// testInputObject with this evaluator) drops the connection.
func TestAttack5MidHugeLengthPanics(t *testing.T) {
	for _, tc := range []struct{ expr, want string }{
		{`Mid("abcdef", 2, 9223372036854775807)`, "bcdef"},
		{`Mid("abcdef", 3, 9223372036854775806)`, "cdef"},
		{`Mid([givenName], 2, "9223372036854775807")`, "bcdef"},
	} {
		expr := tc.expr
		t.Run(expr, func(t *testing.T) {
			n, err := Parse(expr)
			if err != nil {
				t.Fatal(err)
			}
			var v Value
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("Evaluate panicked: %v", p)
					}
				}()
				v, err = Evaluate(n, Object{"givenName": Single("abcdef")}, nil)
			}()
			if err != nil {
				t.Errorf("a length past the end stops at the end (the page, and Mid's doc), got %v", err)
			} else if s, _ := v.Text(); s != tc.want {
				t.Errorf("got %q, want %q", s, tc.want)
			}
		})
	}
}

// attack5Rand is a source of random bytes that counts its reads and fails
// after a bound, so that a runaway loop ends instead of eating the
// machine's memory.
type attack5Rand struct{ reads int }

var errAttack5Rand = errors.New("attack5: the random source was read past any sane bound")

func (r *attack5Rand) Read(p []byte) (int, error) {
	r.reads++
	if r.reads > 10000 {
		return 0, errAttack5Rand
	}
	for i := range p {
		p[i] = byte(r.reads*7 + i)
	}
	return len(p), nil
}

// Attack (issue #24: "never hang (huge repeats)"; RandomString's doc:
// "minimums adding up to more than Length ... is an error"): the check
// n[1]+n[2]+n[3]+n[4] > length is made in int64 and wraps: two minimums
// of 9223372036854775807 and one of 2 add up to 0, the check passes, and
// the loop then appends 9223372036854775807 digits one random draw at a
// time, until memory runs out (offline in graphsync schema
// test-expression, or in graphtest's parseExpression). Here the random
// source gives up after 10,000 reads instead; a fixed RandomString
// refuses before reading any.
func TestAttack5RandomStringMinimumsOverflow(t *testing.T) {
	for _, expr := range []string{
		`RandomString(10, 9223372036854775807, 9223372036854775807, 2, 0)`,
		`RandomString(256, 4611686018427387904, 4611686018427387904, 4611686018427387904, 4611686018427387904)`,
	} {
		t.Run(expr, func(t *testing.T) {
			n, err := Parse(expr)
			if err != nil {
				t.Fatal(err)
			}
			r := &attack5Rand{}
			_, err = Evaluate(n, Object{}, &EvalOptions{Rand: r})
			if errors.Is(err, errAttack5Rand) || r.reads > 1000 {
				t.Errorf("RandomString drew %d random numbers for minimums that add up to more than Length (%v); it must refuse them", r.reads, err)
			}
			if err == nil {
				t.Error("minimums that add up to more than Length: no error")
			}
		})
	}
}

// Attack (issue #24: "never hang (huge strings)"; FormatDateTime's
// output format is the expression's own text, up to MaxValueBytes): the
// .NET format reader appends each literal character to the literal token
// with +=, copying the whole token every time, so a format of n literal
// characters costs n²/2 bytes of copying. A 200,000-character format
// takes about twenty seconds here, a 1 MiB one (which the value limit
// allows) minutes: in graphsync schema test-expression, in lint-free
// plans, and in graphtest's parseExpression, which evaluates with this
// evaluator.
func TestAttack5FormatDateTimeLongLiteralIsQuadratic(t *testing.T) {
	expr := `FormatDateTime("2024-01-31", , "yyyy-MM-dd", "` + strings.Repeat("x", 200000) + `")`
	n, err := Parse(expr)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = Evaluate(n, Object{}, nil)
	took := time.Since(start)
	// A linear reader takes milliseconds; 3 s is a wide margin.
	if took > 3*time.Second {
		t.Errorf("FormatDateTime with a 200,000-character literal output format took %s (err %v)", took.Round(time.Millisecond), err)
	}
}

// Attack (issue #24: "never hang (huge strings)"): InStr with
// vbTextCompare looks for the needle at every position of the haystack,
// comparing rune by rune up to the needle's length (indexFold), so it is
// quadratic: an 80,000-character haystack of "a" and a needle of 40,000
// "a" and a "b" take about twenty seconds here; a value of 1 MiB (which
// EvalOptions allows) hours. The attributes come from the sample object
// of test-expression, or parseExpression's testInputObject in graphtest.
func TestAttack5InStrTextCompareIsQuadratic(t *testing.T) {
	n, err := Parse(`InStr([hay], [needle], 1, "vbTextCompare")`)
	if err != nil {
		t.Fatal(err)
	}
	in := Object{"hay": Single(strings.Repeat("a", 80000)), "needle": Single(strings.Repeat("a", 40000) + "b")}
	start := time.Now()
	v, err := Evaluate(n, in, nil)
	took := time.Since(start)
	if s, _ := v.Text(); err != nil || s != "0" {
		t.Errorf("InStr: %v %v, want 0", v, err)
	}
	// Folding both and searching is milliseconds; 3 s is a wide margin.
	if took > 3*time.Second {
		t.Errorf("InStr(80,000 characters, 40,001 characters, vbTextCompare) took %s", took.Round(time.Millisecond))
	}
}
