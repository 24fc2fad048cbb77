package expression

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
)

func TestEveryFunctionIsImplemented(t *testing.T) {
	for _, f := range Functions() {
		if implementations[f.Name] == nil {
			t.Errorf("%s has no implementation", f.Name)
		}
	}
	if len(implementations) != len(Functions()) {
		t.Errorf("%d implementations for %d functions", len(implementations), len(Functions()))
	}
}

// TestEvaluateParseExpressionExample: Graph's documented parseExpression
// answers its request's expression, on its testInputObject, with
// evaluationResult ["EN_US"].
func TestEvaluateParseExpressionExample(t *testing.T) {
	req := string(readFixture(t, "parseexpression_request.txt"))
	in := Object{}
	single := regexp.MustCompile(`\{ key: "([^"]+)", value ?: "([^"]*)"\s*\}`)
	for _, m := range single.FindAllStringSubmatch(req, -1) {
		in[m[1]] = Single(m[2])
	}
	multi := regexp.MustCompile(`\{ key: "([^"]+)", "value@odata.type":"#Collection\(String\)", value: \[("[^"]*"(?:, ?"[^"]*")*)\] \}`)
	for _, m := range multi.FindAllStringSubmatch(req, -1) {
		var items []string
		for _, q := range strings.Split(m[2], ",") {
			items = append(items, strings.Trim(strings.TrimSpace(q), `"`))
		}
		in[m[1]] = Multi(items...)
	}
	if len(in) != 40 || !reflect.DeepEqual(in["appRoleAssignments"], Multi("Default Assignment")) {
		t.Fatalf("read %d properties from the request (want 40): %v", len(in), in)
	}
	resp := readParseExpressionResponse(t)
	v := evaluate(t, `Replace([preferredLanguage], "-", , , "_", ,  )`, in, nil)
	if !reflect.DeepEqual(v.Items(), resp.EvaluationResult) || !resp.EvaluationSucceeded {
		t.Errorf("evaluationResult %q, Graph answers %q", v.Items(), resp.EvaluationResult)
	}
}

// TestNormalizeDiacriticsTable: every character of the page's table
// normalizes to the character the table gives it.
func TestNormalizeDiacriticsTable(t *testing.T) {
	page := readReferencePage(t)
	i := strings.Index(page, "| Character with Diacritic")
	rows := strings.Split(page[i:strings.Index(page[i:], "NormalizeDiacritics([givenName])")+i], "\n")
	count := 0
	for _, row := range rows[2:] {
		cells := strings.Split(strings.Trim(strings.TrimSpace(row), "|"), "|")
		if len(cells) < 4 {
			continue
		}
		for k := 0; k+1 < len(cells); k += 2 {
			want := strings.TrimSpace(cells[k+1])
			for _, ch := range strings.Split(cells[k], ",") {
				if ch = strings.TrimSpace(ch); ch == "" {
					continue
				}
				count++
				v := evaluate(t, `NormalizeDiacritics([x])`, Object{"x": Single(ch)}, nil)
				if !reflect.DeepEqual(v, Single(want)) {
					t.Errorf("NormalizeDiacritics(%q %U) = %v, the table gives %q", ch, []rune(ch), v, want)
				}
			}
		}
	}
	if count != 261 {
		t.Errorf("read %d characters from the table, want 261", count)
	}
	// Letters outside the table, and other scripts, are kept.
	if v := evaluate(t, `NormalizeDiacritics("Ωmega Жук 東京 q")`, nil, nil); !reflect.DeepEqual(v, Single("Ωmega Жук 東京 q")) {
		t.Errorf("other letters: %v", v)
	}
}

// TestRandomStringExamples: RandomString's two examples, for many draws:
// the length and the minimums the page states, and the characters to
// avoid avoided.
func TestRandomStringExamples(t *testing.T) {
	class := func(s string) (digits, special, upper, lower int) {
		for _, r := range s {
			switch {
			case unicode.IsDigit(r):
				digits++
			case unicode.IsUpper(r):
				upper++
			case unicode.IsLower(r):
				lower++
			default:
				special++
			}
		}
		return
	}
	seen := map[string]bool{}
	for seed := range uint64(200) {
		opts := &EvalOptions{Rand: rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)})}
		// "Generates a random string with 6 characters. The string
		// contains 3 numbers and 3 lower case characters (1a73qt)."
		s, _ := evaluate(t, `RandomString(6,3,0,0,3)`, nil, opts).Text()
		if d, sp, u, l := class(s); len(s) != 6 || d != 3 || l != 3 || sp != 0 || u != 0 {
			t.Fatalf("RandomString(6,3,0,0,3) = %q", s)
		}
		seen[s] = true
		// "Generates a random string with 10 characters. The string
		// contains at least 2 numbers, 2 special characters, 2 capital
		// letters, 1 lower case letter and excludes the characters "?"
		// and "," (1@!2BaRg53)."
		s, _ = evaluate(t, `RandomString(10,2,2,2,1,"?,")`, nil, opts).Text()
		if d, sp, u, l := class(s); len(s) != 10 || d < 2 || sp < 2 || u < 2 || l < 1 || strings.ContainsAny(s, "?,") {
			t.Fatalf("RandomString(10,2,2,2,1,\"?,\") = %q", s)
		}
	}
	if len(seen) < 190 {
		t.Errorf("200 seeds gave %d strings", len(seen))
	}
	// The page's own sample outputs pass the same tests.
	if d, sp, u, l := class("1@!2BaRg53"); d < 2 || sp < 2 || u < 2 || l < 1 {
		t.Error("the page's sample does not pass")
	}
	// The same source gives the same string.
	a := evaluate(t, `RandomString(8,1,1,1,1)`, nil, &EvalOptions{Rand: rand.NewChaCha8([32]byte{7})})
	b := evaluate(t, `RandomString(8,1,1,1,1)`, nil, &EvalOptions{Rand: rand.NewChaCha8([32]byte{7})})
	if !reflect.DeepEqual(a, b) {
		t.Errorf("one seed, two strings: %v %v", a, b)
	}
}

// TestGuid: shaped as the page's sample, "00aa00aa-bb11-cc22-dd33-44ee44ee44ee",
// version 4, and from EvalOptions.Rand.
func TestGuid(t *testing.T) {
	shape := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	if !regexp.MustCompile(`^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$`).MatchString("00aa00aa-bb11-cc22-dd33-44ee44ee44ee") {
		t.Fatal("the page's sample is not of the shape tested")
	}
	a, _ := evaluate(t, `Guid()`, nil, &EvalOptions{Rand: rand.NewChaCha8([32]byte{1})}).Text()
	b, _ := evaluate(t, `Guid()`, nil, &EvalOptions{Rand: rand.NewChaCha8([32]byte{1})}).Text()
	c, _ := evaluate(t, `Guid()`, nil, nil).Text()
	if !shape.MatchString(a) || !shape.MatchString(c) || a != b || a == c {
		t.Errorf("Guid() gave %q, %q, %q", a, b, c)
	}
	n, _ := Parse(`Guid()`)
	_, err := Evaluate(n, nil, &EvalOptions{Rand: strings.NewReader("short")})
	if err == nil || !strings.Contains(err.Error(), "reading random bytes") {
		t.Errorf("a failing Rand: %v", err)
	}
}

func TestEvaluateValues(t *testing.T) {
	now := utc(2024, 2, 29, 13, 5, 9)
	opts := &EvalOptions{Now: func() time.Time { return now }, DefaultDomain: "contoso.com"}
	in := Object{
		"mail":    Single("John.Doe@contoso.com"),
		"empty":   Single(""),
		"proxies": Multi("SMTP:a@contoso.com", "smtp:b@contoso.com", "smtp:a@contoso.com"),
		"one":     Multi("x"),
		"none":    Multi(),
	}
	for _, tc := range []struct {
		expr string
		want Value
	}{
		{`[missing]`, Null()},
		{`"x"`, Single("x")},
		{`-10`, Single("-10")},
		{`Append([missing], "x")`, Null()},
		{`Append([mail], [missing])`, Single("John.Doe@contoso.com")},
		{`Prepend("x-", [mail])`, Single("x-John.Doe@contoso.com")},
		{`BitAnd(12, 10)`, Single("8")},
		{`CBool(0)`, Single("False")},
		{`CBool("true")`, Single("True")},
		{`CBool([missing])`, Single("False")},
		{`Coalesce([missing], [empty], [mail])`, Single("")},
		{`Coalesce([missing], [missing2])`, Null()},
		{`ConvertToBase64("é")`, Single("6QA=")},
		{`Count([proxies])`, Single("3")},
		{`Count([mail])`, Single("1")},
		{`Count([missing])`, Single("0")},
		{`DateAdd("m", 1, "2024-01-31")`, Single("2/29/2024 12:00:00 AM")},
		{`DateAdd("yyyy", 1, CDate("2024-02-29T10:00:00Z"))`, Single("2/28/2025 10:00:00 AM")},
		{`DateAdd("n", -90, Now())`, Single("2/29/2024 11:35:09 AM")},
		{`DateDiff("d", "2024-01-01T23:00:00Z", "2024-01-02T22:59:59Z")`, Single("0")},
		{`DateDiff("d", "2024-01-02T22:59:59Z", "2024-01-01T23:00:00Z")`, Single("0")},
		{`DateDiff("s", "2024-01-01T00:00:00.9Z", "2024-01-01T00:00:02.1Z")`, Single("1")},
		{`DateDiff("ww", "2024-03-02", "2024-03-03")`, Single("1")}, // Saturday to Sunday
		{`DateFromNum(0)`, Single("1/1/1601 12:00:00 AM")},
		{`DefaultDomain()`, Single("contoso.com")},
		{`FormatDateTime("2020-12-31-08:00", , "yyyy-MM-ddzzz", "yyyy-MM-dd HH:mm:ss zzz")`, Single("2020-12-31 08:00:00 +00:00")},
		{`FormatDateTime("Thursday, 29 February 2024", "None", "dddd, dd MMMM yyyy", "MMM d, yy")`, Single("Feb 29, 24")},
		{`FormatDateTime("20240229130509.123Z", "", "yyyyMMddHHmmss.fffZ", "o")`, Single("2024-02-29T13:05:09.1230000Z")},
		{`FormatDateTime("1/2/2024 1:02:03 PM", , "M/d/yyyy h:mm:ss tt", "HH:mm 'h' \\T")`, Single("13:02 h T")},
		{`FormatDateTime("13:05", , "HH:mm", "yyyy-MM-dd")`, Single("2024-02-29")}, // the date from the clock
		{`IIF([mail] = "John.Doe@contoso.com", "yes", "no")`, Single("yes")},
		{`IIF("10" > "9", "numbers", "strings")`, Single("numbers")},
		{`IIF("b" > "a", "yes", "no")`, Single("yes")},
		{`IIF("2024-01-02" > "1/5/2023 1:00:00 PM", "dates", "strings")`, Single("dates")},
		{`InStr("abc", "")`, Single("1")},
		{`InStr("Straße ß", "ß", 7)`, Single("8")},
		{`InStr("repEated","e",3,vbTextCompare)`, Single("4")},
		{`InStr("abc", "z")`, Single("0")},
		{`InStr([missing], "z")`, Null()},
		{`IsNothing([missing])`, Single("True")},
		{`IsPresent([empty])`, Single("False")},
		{`IsPresent([none])`, Single("False")},
		{`IsString([mail])`, Single("True")},
		{`IsString([proxies])`, Single("False")},
		{`IsString([missing])`, Single("False")},
		{`Item([proxies], 2)`, Single("smtp:b@contoso.com")},
		{`Item([proxies], 4)`, Null()},
		{`Item([mail], 1)`, Single("John.Doe@contoso.com")},
		{`Join("|", [proxies], [missing], "z")`, Single("SMTP:a@contoso.com|smtp:b@contoso.com|smtp:a@contoso.com|z")},
		{`Join(",", [missing])`, Single("")},
		{`Left("Straße", 5)`, Single("Straß")},
		{`Mid("Straße", 5, 10)`, Single("ße")},
		{`Mid("abc", 4, 1)`, Single("")},
		{`Not([missing])`, Single("True")},
		{`Not("TRUE")`, Single("False")},
		{`Now()`, Single("2/29/2024 1:05:09 PM")},
		{`NumFromDate("1601-01-01")`, Single("0")},
		{`PCase("o'neil mcDONALD-smith 3RD")`, Single("O'Neil Mcdonald-Smith 3rd")},
		{`PCase("a_b", "")`, Single("A_b")},
		{`Redact([proxies])`, Multi("SMTP:a@contoso.com", "smtp:b@contoso.com", "smtp:a@contoso.com")},
		{`RemoveDuplicates([mail])`, Single("John.Doe@contoso.com")},
		{`Replace("a.b.c", ".", , , "-", , )`, Single("a-b-c")},
		{`Replace("John Smith", , "(\\w+) (\\w+)", , "$2, $1 $$ $& ${9} $x", , )`, Single("Smith, John $ John Smith ${9} $x")},
		{`Replace([missing], "x", , , "y", , )`, Null()},
		{`Replace("present", , "(?<a>x)", "a", , [missing], )`, Single("present")},
		{`Replace("", , "(?<a>\\d+)", "a", , "mail", )`, Null()}, // a name, not an attribute: no digits in the mail
		{`SingleAppRoleAssignment([proxies])`, Single("SMTP:a@contoso.com")},
		{`Split("a,b", "")`, Multi("a,b")},
		{`Split([missing], ",")`, Null()},
		{`StripSpaces(" a b ")`, Single("ab")},
		{`Switch([missing], "default", "k", "v")`, Single("default")},
		{`Switch("k", , "x", "v")`, Null()},
		{`ToUpper("istanbul", "tr-TR")`, Single("İSTANBUL")},
		{`ToLower("TITLE", "az")`, Single("tıtle")},
		{`ToUpper("straße")`, Single("STRAßE")},
		{`CStr([one])`, Single("x")},
		{`Append(IgnoreFlowIfNullOrEmpty([empty]), "x")`, ignored()},
		{`IIF(IgnoreFlowIfNullOrEmpty("") = "", "a", "b")`, ignored()},
		{`IgnoreFlowIfNullOrEmpty([none])`, ignored()},
	} {
		n, err := Parse(tc.expr)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.expr, err)
			continue
		}
		got, err := Evaluate(n, in, opts)
		if err != nil {
			t.Errorf("Evaluate(%q): %v", tc.expr, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Evaluate(%q) = %v, want %v", tc.expr, got, tc.want)
		}
	}
}

func TestEvaluateErrors(t *testing.T) {
	in := Object{"proxies": Multi("a", "b"), "mail": Single("x")}
	for _, tc := range []struct {
		expr string
		pos  int
		msg  string
	}{
		{`Foo([mail])`, 0, `unknown function "Foo"`},
		{`Append("a", toLower([mail]))`, 12, `unknown function "toLower" (names are case-sensitive: ToLower)`},
		{`Mid([mail], 1)`, 0, "Mid: takes 3 arguments, not 2"},
		{`Append(SelectUniqueValue("a", "b"), "x")`, 7, "SelectUniqueValue: must be the whole expression"},
		{`InStr("a", "b", 1, vbNope)`, 19, `unknown name "vbNope"`},
		{`Mid("abc", "x", 1)`, 0, `Mid: start "x" is not a whole number`},
		{`Mid("abc", 0, 1)`, 0, "Mid: start 0: the first character is 1"},
		{`Mid("abc", 1, -1)`, 0, "Mid: length -1 is negative"},
		{`Item([proxies], 0)`, 0, "Item: index 0: the first item is 1"},
		{`ToLower([proxies])`, 0, "ToLower: source is multi-valued (2 items); the function takes one string"},
		{`CDate("30/02/2020")`, 0, `CDate: Expression "30/02/2020" is not a date`},
		{`CDate("2021-02-29")`, 0, `CDate: Expression "2021-02-29" is not a date`},
		{`DateAdd("q", 1, "2020-01-01")`, 0, `DateAdd: interval "q" is none of yyyy, m, d, ww, h, n, s`},
		{`DateAdd("yyyy", 9000, "2020-01-01")`, 0, "outside the years 1 to 9999"},
		{`DateAdd("s", 1099511627777, "2020-01-01")`, 0, "out of range"},
		{`DateDiff("w", "2020-01-01", "2020-01-02")`, 0, `interval "w"`},
		{`DateFromNum(-1)`, 0, "negative"},
		{`DateFromNum(9223372036854775807)`, 0, "after the year 9999"},
		{`NumFromDate("1600-12-31")`, 0, "before 1601"},
		{`FormatDateTime("2020", "Bogus", "yyyy", "yyyy")`, 0, `dateTimeStyles "Bogus"`},
		{`FormatDateTime("2020", , "yyyy'", "yyyy")`, 0, "a quote is not closed"},
		{`FormatDateTime("2020x", , "yyyy", "yyyy")`, 0, "does not match inputFormat"},
		{`FormatDateTime("2020", , "yyyy", "Q")`, 0, `no standard format is named "Q"`},
		{`FormatDateTime("13 PM", , "h tt", "HH")`, 0, "not on a 12-hour clock"},
		{`CBool("maybe")`, 0, `"maybe" is neither True, False nor a number`},
		{`IIF("maybe", "a", "b")`, 0, "neither True nor False"},
		{`Replace("a", "a", , , , , )`, 0, "none of the page's combinations"},
		{`Replace("a", "", , , "b", , )`, 0, "Find is empty"},
		{`Replace("a", , "(?=a)", , "b", , )`, 0, "is not one Go's RE2 syntax reads"},
		{`Replace("a", , "(a)", "nope", "b", , )`, 0, `RegularExpressionGroupName "nope" names no group`},
		{`RandomString(257,0,0,0,0)`, 0, "Length 257 is over 256"},
		{`RandomString(3,1,1,1,1)`, 0, "the minimums add up to more than Length"},
		{`RandomString(3,1,0,0,0,"0123456789")`, 0, "MinimumNumbers asks for characters that CharactersToAvoid excludes"},
		{`RandomString(-1,0,0,0,0)`, 0, "Length must be a number, 0 or more"},
		{`InStr("abc", "b", 0)`, 0, "start 0 is below 1"},
		{`InStr("abc", "b", 1, "x")`, 0, `compareType "x"`},
		{`IIF([mail] = [proxies], "a", "b")`, 13, "cannot compare a multi-valued value"},
		{`DefaultDomain()`, 0, "EvalOptions.DefaultDomain"},
	} {
		n, err := Parse(tc.expr)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.expr, err)
			continue
		}
		v, err := Evaluate(n, in, nil)
		var ee *EvalError
		if !errors.As(err, &ee) {
			t.Errorf("Evaluate(%q) = %v, %v; want an *EvalError", tc.expr, v, err)
			continue
		}
		if ee.Pos != tc.pos || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("Evaluate(%q): %v (at %d); want at %d, with %q", tc.expr, err, ee.Pos, tc.pos, tc.msg)
		}
	}
}

// TestEvaluateLimits: nesting and value size are bounded, with errors
// that wrap ErrLimit, and evaluation stays fast.
func TestEvaluateLimits(t *testing.T) {
	deep := attr("a")
	for range MaxDepth + 1 {
		deep = call("Not", deep)
	}
	if _, err := Evaluate(deep, nil, nil); !errors.Is(err, ErrLimit) {
		t.Errorf("a node %d deep: %v", MaxDepth+1, err)
	}
	big := strings.Repeat("x", 1000)
	for _, expr := range []string{
		// Each doubles: 2^30 × 1000 bytes if unbounded.
		strings.Repeat("ConvertToUTF8Hex(", 30) + "[a]" + strings.Repeat(")", 30),
		strings.Repeat("ConvertToBase64(", 30) + "[a]" + strings.Repeat(")", 30),
		// An empty match everywhere: a quadratic, then exponential, growth.
		strings.Repeat(`Replace(`, 8) + "[a]" + strings.Repeat(`, , "", , [a], , )`, 8),
		strings.Repeat(`Replace(`, 8) + "[a]" + strings.Repeat(`, "x", , , [a], , )`, 8),
		strings.Repeat(`Replace(`, 8) + "[a]" + strings.Repeat(`, "x", , , , , [a])`, 8),
		`Join(` + strings.Repeat(`[a], `, 2000) + `[a])`,
		strings.Repeat(`Append(`, 70) + `[a]` + strings.Repeat(`, [a])`, 70),
		`Split(` + strings.Repeat(`ConvertToUTF8Hex(`, 10) + `[a]` + strings.Repeat(`)`, 10) + `, "3")`,
	} {
		n, err := Parse(expr)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = Evaluate(n, Object{"a": Single(big)}, &EvalOptions{MaxValueBytes: 64 << 10})
		if !errors.Is(err, ErrLimit) {
			t.Errorf("%.60s…: %v, want ErrLimit", expr, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%.60s…: took %v", expr, d)
		}
	}
	// The default bound is 1 MiB.
	n, _ := Parse(strings.Repeat("ConvertToUTF8Hex(", 11) + "[a]" + strings.Repeat(")", 11))
	if _, err := Evaluate(n, Object{"a": Single(big)}, nil); !errors.Is(err, ErrLimit) {
		t.Errorf("2 MiB under the default bound: %v", err)
	}
	n, _ = Parse(strings.Repeat("ConvertToUTF8Hex(", 9) + "[a]" + strings.Repeat(")", 9))
	if _, err := Evaluate(n, Object{"a": Single(big)}, nil); err != nil {
		t.Errorf("512 KiB under the default bound: %v", err)
	}
	// An input larger than the bound is refused too.
	n, _ = Parse("[a]")
	if _, err := Evaluate(n, Object{"a": Single(big)}, &EvalOptions{MaxValueBytes: 10}); !errors.Is(err, ErrLimit) {
		t.Errorf("a large input: %v", err)
	}
}

// TestEvaluateIsLazy: the branches and values not chosen are not
// evaluated, as the page's workarounds rely on.
func TestEvaluateIsLazy(t *testing.T) {
	for _, expr := range []string{
		`IIF("True", "a", Mid("x", 0, 1))`,
		`Switch("k", "d", "k", "a", "z", Mid("x", 0, 1))`,
		`Coalesce("a", Mid("x", 0, 1))`,
	} {
		if v := evaluate(t, expr, nil, nil); !reflect.DeepEqual(v, Single("a")) {
			t.Errorf("%s = %v", expr, v)
		}
	}
	if v := evaluate(t, `SelectUniqueValue("a", RandomString(1,0,0,0,0))`, nil, &EvalOptions{Rand: strings.NewReader("")}); !reflect.DeepEqual(v, Single("a")) {
		t.Errorf("SelectUniqueValue evaluated its second rule: %v", v)
	}
}

func TestValue(t *testing.T) {
	for _, tc := range []struct {
		v      Value
		str    string
		items  []string
		null   bool
		multi  bool
		ignore bool
	}{
		{Null(), "null", nil, true, false, false},
		{Value{}, "null", nil, true, false, false},
		{Single("a\"b"), `"a\"b"`, []string{`a"b`}, false, false, false},
		{Multi("a", "b"), `["a", "b"]`, []string{"a", "b"}, false, true, false},
		{Multi(), `[]`, nil, false, true, false},
		{ignored(), "ignored", nil, false, false, true},
	} {
		if tc.v.String() != tc.str || !reflect.DeepEqual(tc.v.Items(), tc.items) ||
			tc.v.IsNull() != tc.null || tc.v.IsMulti() != tc.multi || tc.v.Ignored() != tc.ignore {
			t.Errorf("%v: %q %q %v %v %v", tc.str, tc.v.String(), tc.v.Items(), tc.v.IsNull(), tc.v.IsMulti(), tc.v.Ignored())
		}
	}
	items := []string{"a"}
	v := Multi(items...)
	items[0] = "changed"
	v.Items()[0] = "changed"
	if s, ok := v.Text(); !ok || s != "a" {
		t.Errorf("a Value shares its items: %v", v)
	}
}

// TestInStrTextCompareFolds: InStr's vbTextCompare finds what a search
// with strings.EqualFold rune by rune at every position finds, at the
// same character, for runes whose folding crosses widths (the Kelvin
// sign and K, long s and S, the three sigmas), and invalid bytes.
func TestInStrTextCompareFolds(t *testing.T) {
	alphabet := []string{"a", "A", "k", "K", "\u212a", "s", "S", "\u017f", "σ", "ς", "Σ", "ß", "ẞ", "İ", "i", "ı", "\xff", "\ufffd", "é", "É"}
	naive := func(hay, needle string) int {
		h, n := []rune(hay), []rune(needle)
	outer:
		for i := 0; i+len(n) <= len(h); i++ {
			for j := range n {
				if !strings.EqualFold(string(h[i+j]), string(n[j])) {
					continue outer
				}
			}
			return i + 1
		}
		return 0
	}
	r := rand.New(rand.NewPCG(1, 2))
	word := func(max int) string {
		var b strings.Builder
		for range r.IntN(max + 1) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	n, err := Parse(`InStr([hay], [needle], 1, vbTextCompare)`)
	if err != nil {
		t.Fatal(err)
	}
	for range 5000 {
		hay, needle := word(12), word(3)
		v, err := Evaluate(n, Object{"hay": Single(hay), "needle": Single(needle)}, nil)
		s, _ := v.Text()
		if want := strconv.Itoa(naive(hay, needle)); err != nil || s != want {
			t.Fatalf("InStr(%q, %q, 1, vbTextCompare) = %q, %v; want %s", hay, needle, s, err, want)
		}
	}
}
