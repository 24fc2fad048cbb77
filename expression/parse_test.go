package expression

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// noPos returns n with every Pos zeroed, to compare trees.
func noPos(n Node) Node {
	n.Pos = 0
	if n.Args != nil {
		args := make([]Node, len(n.Args))
		for i, a := range n.Args {
			args[i] = noPos(a)
		}
		n.Args = args
	}
	return n
}

func call(name string, args ...Node) Node { return Node{Kind: Call, Name: name, Args: args} }
func attr(name string) Node               { return Node{Kind: Attribute, Name: name} }
func str(s string) Node                   { return Node{Kind: String, Value: s} }
func num(s string) Node                   { return Node{Kind: Number, Value: s} }
func cmpNode(op string, a, b Node) Node   { return Node{Kind: Comparison, Name: op, Args: []Node{a, b}} }

var omitted = Node{Kind: Omitted}

func TestParseTrees(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want Node
	}{
		// Syntax overview: attributes, string constants, nested functions.
		{`[attributeName]`, attr("attributeName")},
		{`"United States"`, str("United States")},
		{`FunctionOne(FunctionTwo([a]))`, call("FunctionOne", call("FunctionTwo", attr("a")))},
		// Syntax overview: "Company name: \"Contoso\"" as rendered.
		{`"Company name: \"Contoso\""`, str(`Company name: "Contoso"`)},
		{`"a\\b"`, str(`a\b`)},
		// Append section.
		{`Append([userPrincipalName], ".test")`, call("Append", attr("userPrincipalName"), str(".test"))},
		// BitAnd section: hexadecimal numbers.
		{`BitAnd(&HF, &HF7)`, call("BitAnd", num("&HF"), num("&HF7"))},
		// CBool section: a comparison as an argument.
		{`CBool([attribute1] = [attribute2])`, call("CBool", cmpNode("=", attr("attribute1"), attr("attribute2")))},
		// DateAdd section: a negative number.
		{`DateAdd("d", -10, CDate([StatusHireDate]))`, call("DateAdd", str("d"), num("-10"), call("CDate", attr("StatusHireDate")))},
		// FormatDateTime section: an omitted argument.
		{`FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")`,
			call("FormatDateTime", attr("extensionAttribute1"), omitted, str("yyyyMMddHHmmss.fZ"), str("yyyy-MM-dd"))},
		// Guid section: no arguments.
		{`Guid()`, call("Guid")},
		// InStr section: a bare name.
		{`InStr("repEated","e",3,vbBinaryCompare)`,
			call("InStr", str("repEated"), str("e"), num("3"), Node{Kind: Name, Name: "vbBinaryCompare"})},
		// Examples section: trailing omitted arguments, no space before ")".
		{`Replace([mail], "@contoso.com", , ,"", ,)`,
			call("Replace", attr("mail"), str("@contoso.com"), omitted, omitted, str(""), omitted, omitted)},
		// DateDiff section: a comparison with a call on the left.
		{`IIF(DateDiff("d", Now(), CDate([S])) > 5, "False", "True")`,
			call("IIF", cmpNode(">", call("DateDiff", str("d"), call("Now"), call("CDate", attr("S"))), num("5")),
				str("False"), str("True"))},
		{"Switch([Active], , \n  \"1\", \"x\")", call("Switch", attr("Active"), omitted, str("1"), str("x"))},
		{`IIF([a]<>"",[a],[b])`, call("IIF", cmpNode("<>", attr("a"), str("")), attr("a"), attr("b"))},
		{`[a]<=[b]`, cmpNode("<=", attr("a"), attr("b"))},
		{`[a] >= 1`, cmpNode(">=", attr("a"), num("1"))},
		// Attribute names hold anything but "]".
		{`[urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager]`,
			attr("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager")},
		{`[passwordProfile.password]`, attr("passwordProfile.password")},
		{`[a [b "c"]`, attr(`a [b "c"`)},
		{`  F ( )  `, call("F")},
	} {
		n, err := Parse(tc.expr)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.expr, err)
			continue
		}
		if got := noPos(n); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Parse(%q) = %#v, want %#v", tc.expr, got, tc.want)
		}
	}
}

func TestParsePositions(t *testing.T) {
	n, err := Parse("Mid( [a],\n 1, \"x\")")
	if err != nil {
		t.Fatal(err)
	}
	got := []int{n.Pos, n.Args[0].Pos, n.Args[1].Pos, n.Args[2].Pos}
	if want := []int{0, 5, 11, 14}; !reflect.DeepEqual(got, want) {
		t.Errorf("positions %v, want %v", got, want)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		expr         string
		offset       int
		line, column int
		msg          string
	}{
		{``, 0, 1, 1, "empty"},
		{`   `, 3, 1, 4, "empty"},
		{`Append([a], "x"`, 15, 1, 16, `missing ")" to close "Append"`},
		{`Append([a] "x")`, 11, 1, 12, `expected "," or ")"`},
		{`[mail`, 0, 1, 1, `has no closing "]"`},
		{`[]`, 0, 1, 1, "names no attribute"},
		{`"abc`, 0, 1, 1, "no closing quote"},
		{`"abc\`, 0, 1, 1, "no closing quote"},
		{`Replace([p], , "\d", , "", , )`, 16, 1, 17, `unknown escape "\d" in a string`},
		{`F(1) x`, 5, 1, 6, `unexpected "x" after the end`},
		{`-x`, 0, 1, 1, `expected digits after "-"`},
		{`&G1`, 0, 1, 1, "hexadecimal"},
		{`&H`, 2, 1, 3, "hexadecimal digits"},
		{`F(@)`, 2, 1, 3, `found "@)"`},
		{`[a] = `, 6, 1, 7, `expected a value after "="`},
		{`[a] = [b] = [c]`, 10, 1, 11, "do not chain"},
		{"F(\n  [a],\n  ?)", 12, 3, 3, `found "?)"`},
		{"F(\"é\", ?)", 8, 1, 8, `found "?)"`}, // é is 2 bytes, 1 character
		// Control characters are quoted escaped, never raw.
		{"F(\x1b[31m)", 2, 1, 3, `found "\x1b[31m)"`},
		{"F(1)\u202e", 4, 1, 5, `unexpected "\u202e"`},
	} {
		_, err := Parse(tc.expr)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error = %v, want a *SyntaxError", tc.expr, err)
			continue
		}
		if se.Offset != tc.offset || se.Line != tc.line || se.Column != tc.column || !strings.Contains(se.Msg, tc.msg) {
			t.Errorf("Parse(%q) = offset %d, %d:%d %q; want offset %d, %d:%d, a message with %q",
				tc.expr, se.Offset, se.Line, se.Column, se.Msg, tc.offset, tc.line, tc.column, tc.msg)
		}
		if strings.ContainsAny(se.Error(), "\x1b\n\u202e") {
			t.Errorf("Parse(%q): the message holds a raw control character: %q", tc.expr, se.Error())
		}
	}
}

func TestParseDepthLimit(t *testing.T) {
	nest := func(depth int) string {
		return strings.Repeat("F(", depth) + "[a]" + strings.Repeat(")", depth)
	}
	if _, err := Parse(nest(MaxDepth)); err != nil {
		t.Errorf("%d levels: %v", MaxDepth, err)
	}
	_, err := Parse(nest(MaxDepth + 1))
	var se *SyntaxError
	if !errors.As(err, &se) || !strings.Contains(se.Msg, "nest deeper than 100") || se.Offset != 2*MaxDepth {
		t.Errorf("%d levels: %v, want a nesting error at the innermost call", MaxDepth+1, err)
	}
	// A comparison's left operand is a level below the comparison: at the
	// last level it may not be a call.
	wrap := func(inner string) string {
		return strings.Repeat("F(", MaxDepth-1) + inner + strings.Repeat(")", MaxDepth-1)
	}
	if _, err := Parse(wrap("Not([a]) = 1")); !errors.As(err, &se) || !strings.Contains(se.Msg, "nest deeper") {
		t.Errorf("a call under a comparison at the last level: %v", err)
	}
	n, err := Parse(wrap("[a] = 1"))
	if err != nil {
		t.Fatalf("a comparison at the last level: %v", err)
	}
	for _, p := range Check(n) {
		if !strings.Contains(p.Msg, `unknown function "F"`) {
			t.Errorf("Check of what Parse accepts: %v", p)
		}
	}
	// A million opening parentheses fail fast at the limit.
	if _, err := Parse(nest(1_000_000)); err == nil {
		t.Error("a million levels parsed")
	}
}

// TestCanonicalFormIsGraphs: Graph answers parseExpression's documented
// request, "Replace([preferredLanguage], \"-\", , , \"_\", ,  )" (two
// blanks before ")"), with the expression
// "Replace([preferredLanguage], \"-\", , , \"_\", , )".
func TestCanonicalFormIsGraphs(t *testing.T) {
	resp := readParseExpressionResponse(t)
	n, err := Parse(`Replace([preferredLanguage], "-", , , "_", ,  )`)
	if err != nil {
		t.Fatal(err)
	}
	if got := n.String(); got != resp.ParsedExpression.Expression {
		t.Errorf("String() = %q, Graph answers %q", got, resp.ParsedExpression.Expression)
	}
	// And the documented attributeMappingSource keeps Mid's numbers
	// unquoted.
	const mid = "Mid([userPrincipalName], 1, 8)"
	if n, err := Parse(mid); err != nil || n.String() != mid {
		t.Errorf("Parse(%q).String() = %q, %v", mid, n.String(), err)
	}
}

// pageExpressions are the expressions of the reference page, each as it
// stands there (testdata/reference_examples.md holds them all; the test
// checks that each is there verbatim).
var pageExpressions = []string{
	`Append([userPrincipalName], ".test")`,
	`AppRoleAssignmentsComplex([appRoleAssignments])`,
	`BitAnd(&HF, &HF7)`,
	`CBool([attribute1] = [attribute2])`,
	`CDate([StatusHireDate])`,
	`CDate("2021-06-30+08:00")`,
	`CDate("2009-06-15T01:45:30-07:00")`,
	`Coalesce([mail],[userPrincipalName])`,
	`ConvertToBase64("Hello world!")`,
	`ConvertToUTF8Hex("Hello world!")`,
	`CStr([dn])`,
	`DateAdd("d", 7, CDate([StatusHireDate]))`,
	`DateDiff("d", Now(), CDate([StatusHireDate]))`,
	"Switch([Active], , \n  \"1\", IIF(DateDiff(\"d\", Now(), CDate([StatusHireDate])) > 5, \"False\", \"True\"), \n  \"0\", \"False\")",
	`DateFromNum([lastLogonTimestamp])`,
	`DateFromNum(129699324000000000)`,
	`FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")`,
	`Guid()`,
	`IgnoreFlowIfNullOrEmpty([department])`,
	`IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))`,
	`IIF([country]="USA",[country],[department])`,
	`IIF([country]="USA",IIF([state]="CA","True","False"),"False")`,
	`IIF([country]="USA","True",IIF([state]="CA","True","False"))`,
	`IIF([country]="","Other",[country])`,
	`IIF(IsNullOrEmpty([country]),"Other",[country])`,
	`IIF(IsPresent([country]),[country],"Other")`,
	`Switch([country],[country],"","Other")`,
	`InStr("The quick brown fox","quick")`,
	`InStr("repEated","e",3,vbBinaryCompare)`,
	`IsNull([displayName])`,
	`IsNullOrEmpty([displayName])`,
	`Switch(IsPresent([directManager]),[directManager], IsPresent([skiplevelManager]),[skiplevelManager], IsPresent([director]),[director])`,
	`Item([proxyAddresses], 1)`,
	`Left("John Doe", 3)`,
	`NormalizeDiacritics([givenName])`,
	`Now()`,
	`NumFromDate(Join("", FormatDateTime([ContractEndDate], ,"yyyy-MM-ddzzz", "yyyy-MM-dd"), " 23:59:59-08:00"))`,
	`NumFromDate(Join("",FormatDateTime([endDate], ,"M/d/yyyy hh:mm:ss tt","yyyy-MM-dd")," 23:59:59-08:00"))`,
	`PCase([firstName])`,
	`PCase([lastName]," '-")`,
	`PCase(Join(" ",[firstName],[lastName]))`,
	`RandomString(6,3,0,0,3)`,
	`RandomString(10,2,2,2,1,"?,")`,
	`Redact([userPrincipalName])`,
	`Redact("StringToBeRedacted")`,
	`Redact(RandomString(6,3,0,0,3))`,
	`RemoveDuplicates([proxyAddresses])`,
	`Replace([BusinessTitle],"Product Developer", , , "Software Engineer", , )`,
	`Replace([UserID],"<username>", , , , , "<username>@contoso.com")`,
	`Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", , "${phoneNumber}", , )`,
	`Replace([mobile], , "[()\\s-]+", , "", , )`,
	`Replace([AddressLineData], ,"(?<streetNumber>^\\d*)","streetNumber", "888", , )`,
	`Replace([userPrincipalName], , "(?<Suffix>@(.)*)", "Suffix", "", , )`,
	`Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", "phoneNumber" , , [mobile], )`,
	`Replace([mailNickname], , "[a-zA-Z_]*", , "", , )`,
	"SelectUniqueValue( \n" +
		"        Join(\"@\", NormalizeDiacritics(StripSpaces(Join(\".\",  [PreferredFirstName], [PreferredLastName]))), \"contoso.com\"), \n" +
		"        Join(\"@\", NormalizeDiacritics(StripSpaces(Join(\".\",  Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), \"contoso.com\"),\n" +
		"        Join(\"@\", NormalizeDiacritics(StripSpaces(Join(\".\",  Mid([PreferredFirstName], 1, 2), [PreferredLastName]))), \"contoso.com\")\n" +
		"    )",
	`SingleAppRoleAssignment([appRoleAssignments])`,
	`Split([extensionAttribute5], ",")`,
	`Switch(ToLower([statusFlag]), "0", "true", "1", "false", "0")`,
	`Switch([statusFlag], "Default Value", "true", "1", "", "0")`,
	`switch([companyName], "External", "Company A", "A", "Company B", "B")`,
	`IIF([companyName] = "Company A", "A", IIF([companyName] = "Company B", "B", "External"))`,
	`Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")`,
	`ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"))`,
	`Word("The quick brown fox",3," ")`,
	`Word("This,string!has&many separators",3,",!&#")`,
	`Replace([mail], "@contoso.com", , ,"", ,)`,
	`Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))`,
	`Join(", ", "", [surname], [givenName])`,
	`Join("", 1000, Replace(ConvertToUTF8Hex([objectId]), , "[a-zA-Z_]*", , "", , ))`,
}

// TestPageExpressionsParseAndRoundTrip: every expression of the reference
// page parses, and its canonical text parses to the same tree.
func TestPageExpressionsParseAndRoundTrip(t *testing.T) {
	page := readReferencePage(t)
	for _, expr := range pageExpressions {
		if !strings.Contains(page, expr) {
			t.Errorf("%q is not on the page as saved", expr)
		}
		n, err := Parse(expr)
		if err != nil {
			t.Errorf("Parse(%q): %v", expr, err)
			continue
		}
		m, err := Parse(n.String())
		if err != nil {
			t.Errorf("Parse(%q): %v", n.String(), err)
			continue
		}
		if !reflect.DeepEqual(noPos(m), noPos(n)) {
			t.Errorf("%q: its canonical text %q parses to another tree", expr, n.String())
		}
	}
}

// TestRoundTripProperty: for random trees of every kind of node,
// Parse(n.String()) is n.
func TestRoundTripProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(24, 3))
	for range 5000 {
		n := randomNode(r, 0, true)
		got, err := Parse(n.String())
		if err != nil {
			t.Fatalf("Parse(%q): %v", n.String(), err)
		}
		if !reflect.DeepEqual(noPos(got), n) {
			t.Fatalf("Parse(%q) = %#v, want %#v", n.String(), noPos(got), n)
		}
	}
}

// randomNode returns a random tree that Parse could return: top is true
// where a comparison may stand (not inside another).
func randomNode(r *rand.Rand, depth int, canCompare bool) Node {
	k := r.IntN(7)
	if depth > 4 {
		k = r.IntN(4)
	}
	switch k {
	case 0:
		return attr(randomText(r, "]", 1))
	case 1:
		return str(randomText(r, "", 0))
	case 2:
		return num([]string{"0", "7", "-10", "129699324000000000", "&HF7", "&h0"}[r.IntN(6)])
	case 3:
		return Node{Kind: Name, Name: randomIdent(r)}
	case 4:
		if canCompare {
			op := []string{"=", "<>", "<", "<=", ">", ">="}[r.IntN(6)]
			return cmpNode(op, randomNode(r, depth+1, false), randomNode(r, depth+1, false))
		}
		fallthrough
	default:
		n := Node{Kind: Call, Name: randomIdent(r)}
		for i := range r.IntN(5) {
			if r.IntN(4) == 0 && i > 0 {
				n.Args = append(n.Args, omitted)
			} else {
				n.Args = append(n.Args, randomNode(r, depth+1, true))
			}
		}
		if len(n.Args) > 0 && r.IntN(5) == 0 {
			n.Args = append(n.Args, omitted)
		}
		return n
	}
}

func randomIdent(r *rand.Rand) string {
	const first = "abcXYZ_"
	const rest = "abcXYZ_019"
	b := []byte{first[r.IntN(len(first))]}
	for range r.IntN(8) {
		b = append(b, rest[r.IntN(len(rest))])
	}
	return string(b)
}

// randomText returns text of at least min runes, none in except, drawn
// from characters that matter to the grammar.
func randomText(r *rand.Rand, except string, min int) string {
	alphabet := []rune("ab \"\\[](),=<>&-\n\té€\x00\x1b\u202e")
	var b strings.Builder
	for i := 0; i < min || r.IntN(6) != 0; i++ {
		c := alphabet[r.IntN(len(alphabet))]
		if strings.ContainsRune(except, c) {
			c = 'x'
		}
		b.WriteRune(c)
	}
	return b.String()
}
