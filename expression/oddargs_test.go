package expression

import (
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// oddArguments are values at the edges of what a function reads: the
// ends of int64 (which wrap when added to), signs, hexadecimal, blanks,
// dates at the ends of the calendar, invalid UTF-8, long runs.
var oddArguments = []Value{
	Null(), Single(""), Single(" "), Single("0"), Single("1"), Single("-1"), Single("2"), Single("7"),
	Single("9223372036854775807"), Single("9223372036854775806"), Single("-9223372036854775808"),
	Single("4611686018427387904"), Single("&HFFFFFFFFFFFFFFFF"), Single("&H8000000000000000"),
	Single("1e308"), Single("-1e308"), Single("NaN"), Single("Inf"), Single("0.5"),
	Single("True"), Single("False"), Single("vbTextCompare"), Single("vbBinaryCompare"),
	Single("9999-12-31T23:59:59Z"), Single("0001-01-01"), Single("1601-01-01"), Single("2024-02-29+14:00"),
	Single("yyyy"), Single("d"), Single("o"), Single("%"), Single("'"), Single(`\`), Single("fffffff"),
	Single("yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"), Single("s"), Single("ww"), Single("h"),
	Single("(a)"), Single("(?<g>a)*"), Single("g"), Single("$"), Single("\xff\xfe"), Single("\u212aK\u017fß"),
	Single("İı"), Single(strings.Repeat("a", 3000)), Single(strings.Repeat("%", 3000)),
	Multi(), Multi("a", "", "b"), Multi("9223372036854775807", "-1"),
}

// plainArguments are what the arguments not under test hold.
var plainArguments = []Value{Single("abcdef"), Single("2")}

// TestEvaluateOddArguments: every function, called with every count of
// arguments it takes, never panics, fails only with an *EvalError, and
// returns quickly, for every two of its arguments holding every two odd
// values, the others plain ones (issue #24: the evaluator never panics or
// hangs, whatever its arguments; Mid's end and RandomString's minimums
// wrapped only with two such values at once).
func TestEvaluateOddArguments(t *testing.T) {
	random := &boundedRand{r: rand.NewChaCha8([32]byte{24})}
	opts := &EvalOptions{
		Now:           func() time.Time { return utc(2024, 2, 29, 13, 5, 9) },
		Rand:          random,
		IsUnique:      func(s string) bool { return len(s)%2 == 0 },
		DefaultDomain: "contoso.com",
		MaxValueBytes: 64 << 10,
	}
	evaluate := func(call Node, in Object) {
		start := time.Now()
		random.reads = 0
		var err error
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("%s with %v panicked: %v", call, in, p)
				}
			}()
			_, err = Evaluate(call, in, opts)
		}()
		if random.reads > maxRandReads {
			t.Fatalf("%s with %v read random bytes %d times: a runaway loop", call, in, random.reads)
		}
		var ee *EvalError
		if err != nil && !errors.As(err, &ee) {
			t.Fatalf("%s with %v: %T %v", call, in, err, err)
		}
		if took := time.Since(start); took > time.Second {
			t.Fatalf("%s with %v took %s", call, in, took)
		}
	}
	calls := 0
	for _, f := range Functions() {
		maxArgs := f.MaxArgs
		if maxArgs < 0 {
			maxArgs = f.MinArgs + 2
		}
		for n := max(f.MinArgs, 1); n <= maxArgs; n++ {
			if f.EvenArgs && n%2 != 0 {
				continue
			}
			call := Node{Kind: Call, Name: f.Name}
			for i := range n {
				call.Args = append(call.Args, Node{Kind: Attribute, Name: "a" + string(rune('0'+i))})
			}
			for i := range n {
				for j := i; j < n; j++ {
					for ia, a := range oddArguments {
						for ib, b := range oddArguments {
							if i == j && ia != ib {
								continue
							}
							for _, p := range plainArguments {
								in := Object{}
								for k := range n {
									in[call.Args[k].Name] = p
								}
								in[call.Args[i].Name], in[call.Args[j].Name] = a, b
								evaluate(call, in)
								calls++
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d calls", calls)
}

// maxRandReads is far more reads of random bytes than one call needs
// (RandomString's 256 characters and their shuffle take about 512).
const maxRandReads = 10000

// boundedRand reads r and counts its reads; past maxRandReads it fails,
// so that a runaway loop of draws ends.
type boundedRand struct {
	r     io.Reader
	reads int
}

func (b *boundedRand) Read(p []byte) (int, error) {
	b.reads++
	if b.reads > maxRandReads {
		return 0, errors.New("read past the bound of the test")
	}
	return b.r.Read(p)
}
