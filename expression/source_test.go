package expression

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/graphsync/graphsync/models"
)

// asJSON returns v encoded and decoded again as plain JSON values, to
// compare with a documented body.
func asJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func rawJSON(t *testing.T, b []byte) any {
	t.Helper()
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestToSourceIsParseExpressionsAnswer: the parsedExpression Graph
// answers the documented parseExpression request with, member for member.
func TestToSourceIsParseExpressionsAnswer(t *testing.T) {
	var resp struct {
		ParsedExpression json.RawMessage `json:"parsedExpression"`
	}
	readJSON(t, "parseexpression_response.json", &resp)
	req := string(readFixture(t, "parseexpression_request.txt"))
	// The request's expression, as JSON text in the (not JSON) body.
	const prefix = `"expression":"`
	i := strings.Index(req, prefix) + len(prefix)
	var expr string
	if err := json.Unmarshal([]byte(`"`+req[i:i+strings.Index(req[i:], "\",\n")]+`"`), &expr); err != nil {
		t.Fatal(err)
	}
	if expr != `Replace([preferredLanguage], "-", , , "_", ,  )` {
		t.Fatalf("the request's expression reads %q", expr)
	}
	n, err := Parse(expr)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := asJSON(t, ToSource(n)), rawJSON(t, resp.ParsedExpression); !reflect.DeepEqual(got, want) {
		t.Errorf("ToSource =\n%v\nGraph answers\n%v", got, want)
	}
}

// TestSourceSamples: the attributeMappingSource resource page's two
// samples, both ways.
func TestSourceSamples(t *testing.T) {
	// "Expression extracting first eight characters from the source
	// attribute."
	doc := readFixture(t, "attributemappingsource_mid.json")
	var mid models.AttributeMappingSource
	readJSON(t, "attributemappingsource_mid.json", &mid)
	n, err := Parse(mid.Expression)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := asJSON(t, ToSource(n)), rawJSON(t, doc); !reflect.DeepEqual(got, want) {
		t.Errorf("ToSource(Parse(%q)) =\n%v\nthe page has\n%v", mid.Expression, got, want)
	}
	back, err := FromSource(mid)
	if err != nil {
		t.Fatal(err)
	}
	if back.String() != mid.Expression {
		t.Errorf("FromSource: %q, want %q", back.String(), mid.Expression)
	}
	if got, want := asJSON(t, ToSource(back)), rawJSON(t, doc); !reflect.DeepEqual(got, want) {
		t.Errorf("ToSource(FromSource(sample)) =\n%v\nthe page has\n%v", got, want)
	}

	// "Simple attribute to attribute mapping." The page leaves
	// parameters out; Graph sends [] (its other samples), as ToSource.
	var mail models.AttributeMappingSource
	readJSON(t, "attributemappingsource_attribute.json", &mail)
	got := ToSource(attr("mail"))
	if got.Expression != mail.Expression || got.Name != mail.Name || got.Type != mail.Type || len(got.Parameters) != 0 {
		t.Errorf("ToSource([mail]) = %+v, the page has %+v", got, mail)
	}
	if n, err := FromSource(mail); err != nil || n.String() != "[mail]" {
		t.Errorf("FromSource(sample) = %q, %v", n.String(), err)
	}
}

// TestSourceObjectMappingExample: every source of the objectMapping
// resource page's example (in the module's testdata/graphdocs) reads
// back into a node whose ToSource is the source again, member for member.
func TestSourceObjectMappingExample(t *testing.T) {
	var om struct {
		AttributeMappings []struct {
			Source json.RawMessage `json:"source"`
		} `json:"attributeMappings"`
	}
	readJSON(t, "../../testdata/graphdocs/objectmapping_example.json", &om)
	count := 0
	for _, am := range om.AttributeMappings {
		if string(am.Source) == "null" {
			continue
		}
		count++
		var s models.AttributeMappingSource
		if err := json.Unmarshal(am.Source, &s); err != nil {
			t.Fatal(err)
		}
		n, err := FromSource(s)
		if err != nil {
			t.Errorf("FromSource(%q): %v", s.Expression, err)
			continue
		}
		if n.String() != s.Expression {
			t.Errorf("FromSource(%q).String() = %q", s.Expression, n.String())
		}
		if ps := Check(n); ps != nil {
			t.Errorf("Check(%q) = %v", s.Expression, ps)
		}
		if got, want := asJSON(t, ToSource(n)), rawJSON(t, am.Source); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: ToSource =\n%v\nthe example has\n%v", s.Expression, got, want)
		}
	}
	if count != 8 {
		t.Errorf("%d sources, the example has 8", count)
	}
}

func source(typ models.AttributeMappingSourceType, name string, params ...models.StringKeyAttributeMappingSourceValuePair) models.AttributeMappingSource {
	return models.AttributeMappingSource{Type: typ, Name: name, Parameters: params}
}

func param(key string, v models.AttributeMappingSource) models.StringKeyAttributeMappingSourceValuePair {
	return models.StringKeyAttributeMappingSourceValuePair{Key: key, Value: &v}
}

func TestFromSourceTreeOnly(t *testing.T) {
	for _, tc := range []struct {
		src  models.AttributeMappingSource
		want string
	}{
		// parseExpression's parsedExpression without its text: the keys
		// place the constants; trailing omitted arguments are not known.
		{source(models.SourceFunction, "Replace",
			param("source", source(models.SourceAttribute, "preferredLanguage")),
			param("Find", source(models.SourceConstant, "-")),
			param("Replacement", source(models.SourceConstant, "_"))),
			`Replace([preferredLanguage], "-", , , "_")`},
		// Keys without regard to case; a type left empty is Attribute.
		{source(models.SourceFunction, "Mid",
			param("SOURCE", source("", "userPrincipalName")),
			param("start", source(models.SourceConstant, "1")),
			param("length", source(models.SourceConstant, "8"))),
			`Mid([userPrincipalName], "1", "8")`},
		// A repeated parameter.
		{source(models.SourceFunction, "Join",
			param("separator", source(models.SourceConstant, " ")),
			param("source", source(models.SourceAttribute, "a")),
			param("source", source(models.SourceAttribute, "b"))),
			`Join(" ", [a], [b])`},
		// Switch's default left out.
		{source(models.SourceFunction, "Switch",
			param("source", source(models.SourceAttribute, "a")),
			param("switchValue", source(models.SourceConstant, "1")),
			param("switchValue", source(models.SourceConstant, "x"))),
			`Switch([a], , "1", "x")`},
		// An unknown function: its parameters in order.
		{source(models.SourceFunction, "Foo",
			param("x", source(models.SourceAttribute, "a")), param("y", source(models.SourceConstant, "b"))),
			`Foo([a], "b")`},
		// ToSource's keys for arguments past a function's parameters, or
		// of an unknown function.
		{source(models.SourceFunction, "Foo",
			param("argument2", source(models.SourceAttribute, "a")), param("argument4", source(models.SourceConstant, "b"))),
			`Foo(, [a], , "b")`},
		{source(models.SourceFunction, "Not",
			param("source", source(models.SourceAttribute, "a")), param("argument3", source(models.SourceConstant, "b"))),
			`Not([a], , "b")`},
		// A comparison, as ToSource writes one.
		{source(models.SourceFunction, "IIF",
			param("condition", source(models.SourceFunction, "=",
				param("left", source(models.SourceAttribute, "country")),
				param("right", source(models.SourceConstant, "USA")))),
			param("valueIfTrue", source(models.SourceConstant, "1")),
			param("valueIfFalse", source(models.SourceConstant, "0"))),
			`IIF([country] = "USA", "1", "0")`},
	} {
		n, err := FromSource(tc.src)
		if err != nil {
			t.Errorf("FromSource(%s): %v", tc.want, err)
			continue
		}
		if n.String() != tc.want {
			t.Errorf("FromSource = %q, want %q", n.String(), tc.want)
		}
		// Positions are those of the canonical text.
		if p, _ := Parse(tc.want); !reflect.DeepEqual(n, p) {
			t.Errorf("FromSource(%s) positions differ from the canonical text's", tc.want)
		}
		// And ToSource gives the tree back (an unknown function's keys
		// aside, unless they are argumentN: the others are not kept).
		if !strings.HasPrefix(tc.want, "Foo([a]") && !sameSource(ToSource(n), tc.src) {
			t.Errorf("ToSource(FromSource(%s)) is another tree", tc.want)
		}
	}
}

// TestFromSourceTextAgainstTree: the text is kept only when it is the
// tree's.
func TestFromSourceTextAgainstTree(t *testing.T) {
	s := source(models.SourceFunction, "Mid",
		param("source", source(models.SourceAttribute, "a")),
		param("start", source(models.SourceConstant, "1")),
		param("length", source(models.SourceConstant, "8")))
	s.Expression = "Mid([b], 1, 8)" // another attribute: the tree decides
	n, err := FromSource(s)
	if err != nil || n.String() != `Mid([a], "1", "8")` {
		t.Errorf("FromSource = %q, %v", n.String(), err)
	}
	s.Expression = "Mid( [a] ,1,8 )" // the same tree: its spelling and positions
	n, err = FromSource(s)
	if err != nil || n.String() != "Mid([a], 1, 8)" || n.Args[0].Pos != 5 {
		t.Errorf("FromSource = %q (positions %+v), %v", n.String(), n, err)
	}
	s.Expression = "Mid(" // no parse: the tree
	if n, err = FromSource(s); err != nil || n.String() != `Mid([a], "1", "8")` {
		t.Errorf("FromSource = %q, %v", n.String(), err)
	}
}

func TestFromSourceErrors(t *testing.T) {
	deep := source(models.SourceAttribute, "a")
	for range MaxDepth + 1 {
		deep = source(models.SourceFunction, "Not", param("source", deep))
	}
	for _, tc := range []struct {
		src  models.AttributeMappingSource
		want string
	}{
		{source("Lambda", "x"), `unknown attributeMappingSource type "Lambda"`},
		{source(models.SourceAttribute, ""), `the attribute name "" cannot be written`},
		{source(models.SourceAttribute, "a]b"), `the attribute name "a]b" cannot be written`},
		{source(models.SourceFunction, "Not", models.StringKeyAttributeMappingSourceValuePair{Key: "source"}),
			`parameter "source" of "Not" has no value`},
		{source(models.SourceFunction, "Mid", param("begin", source(models.SourceAttribute, "a"))),
			`Mid has no parameter "begin"`},
		{source(models.SourceFunction, "Mid", param("start", source(models.SourceConstant, "1")),
			param("source", source(models.SourceAttribute, "a"))), `parameter "source" of Mid is out of order`},
		{source(models.SourceFunction, "Mid(", param("source", source(models.SourceAttribute, "a"))),
			`the function name "Mid(" cannot be written`},
		{source(models.SourceFunction, "=", param("left", source(models.SourceAttribute, "a"))),
			"needs two parameters"},
		{deep, "nests deeper than 100"},
	} {
		_, err := FromSource(tc.src)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("FromSource(%+v) = %v, want an error with %q", tc.src, err, tc.want)
		}
	}
	if _, err := FromSource(deep); !errors.Is(err, ErrLimit) {
		t.Errorf("too deep: %v does not wrap ErrLimit", err)
	}
}

// TestToSourceKinds: how each kind of node is stored.
func TestToSourceKinds(t *testing.T) {
	n, err := Parse(`InStr([a], "b\"", &HF, vbTextCompare, Foo())`)
	if err != nil {
		t.Fatal(err)
	}
	s := ToSource(n)
	var got []string
	for _, p := range s.Parameters {
		got = append(got, p.Key+"|"+string(p.Value.Type)+"|"+p.Value.Name+"|"+p.Value.Expression)
	}
	want := []string{
		"value1|Attribute|a|[a]",
		`value2|Constant|b"|"b\""`,
		`start|Constant|&HF|"&HF"`,
		`compareType|Constant|vbTextCompare|"vbTextCompare"`,
		"argument5|Function|Foo|Foo()",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parameters\n%v\nwant\n%v", got, want)
	}
	if z := ToSource(Node{}); !reflect.DeepEqual(z, models.AttributeMappingSource{}) {
		t.Errorf("ToSource(omitted) = %+v", z)
	}
}

// SameTree: the documented answer's tree is its text's; keys, texts and
// omitted arguments aside; any other difference of type, name, value or
// argument is not.
func TestSameTree(t *testing.T) {
	var resp models.ParseExpressionResponse
	readJSON(t, "parseexpression_response.json", &resp)
	doc := *resp.ParsedExpression
	n, err := Parse(`Replace([preferredLanguage], "-", , , "_", , )`)
	if err != nil {
		t.Fatal(err)
	}
	if !SameTree(n, doc) {
		t.Fatal("the documented tree is not its text's")
	}
	renamed := ToSource(n)
	for i := range renamed.Parameters {
		renamed.Parameters[i].Key = "whatever"
		renamed.Parameters[i].Value.Expression = "?"
	}
	renamed.Expression = ""
	if !SameTree(n, renamed) {
		t.Error("keys and texts count")
	}
	for text, src := range map[string]string{
		`[a]`:           `{"name":"a"}`,
		`"x"`:           `{"name":"x","type":"Constant"}`,
		`1`:             `{"name":"1","type":"Constant","parameters":null}`,
		`vbTextCompare`: `{"name":"vbTextCompare","type":"Constant"}`,
		`[a] = "b"`:     `{"name":"=","type":"Function","parameters":[{"key":"left","value":{"name":"a","type":"Attribute"}},{"key":"right","value":{"name":"b","type":"Constant"}}]}`,
		`Mid([a], , 2)`: `{"name":"Mid","type":"Function","parameters":[{"key":"source","value":{"name":"a"}},{"key":"length","value":{"name":"2","type":"Constant"}}]}`,
		`Guid()`:        `{"name":"Guid","type":"Function","parameters":[]}`,
	} {
		if !SameTree(parsed(t, text), sourceJSON(t, src)) {
			t.Errorf("%s is %s", text, src)
		}
	}
	for _, tc := range [][2]string{
		{`[a]`, `{"name":"b"}`},
		{`[a]`, `{"name":"a","type":"Constant"}`},
		{`"a"`, `{"name":"a","type":"Attribute"}`},
		{`Mid([a], 1, 2)`, `{"name":"Mid","type":"Function","parameters":[{"key":"source","value":{"name":"a"}},{"key":"length","value":{"name":"2","type":"Constant"}}]}`},
		{`Mid([a], 2)`, `{"name":"Mid","type":"Function","parameters":[{"key":"source","value":{"name":"a"}},{"key":"start","value":{"name":"2","type":"Constant"}},{"key":"x","value":null}]}`},
		{`Left([a], 2)`, `{"name":"Mid","type":"Function","parameters":[{"key":"source","value":{"name":"a"}},{"key":"start","value":{"name":"2","type":"Constant"}}]}`},
		{`Not([a])`, `{"type":"Function"}`},
		{`[a] = "b"`, `{"name":"<>","type":"Function","parameters":[{"key":"left","value":{"name":"a","type":"Attribute"}},{"key":"right","value":{"name":"b","type":"Constant"}}]}`},
	} {
		if SameTree(parsed(t, tc[0]), sourceJSON(t, tc[1])) {
			t.Errorf("%s is not %s", tc[0], tc[1])
		}
	}
	if SameTree(Node{}, models.AttributeMappingSource{}) {
		t.Error("an omitted argument is no tree")
	}
}

func sourceJSON(t *testing.T, js string) models.AttributeMappingSource {
	t.Helper()
	var s models.AttributeMappingSource
	if err := json.Unmarshal([]byte(js), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func parsed(t *testing.T, text string) Node {
	t.Helper()
	n, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
