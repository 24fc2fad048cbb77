package graphtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/graphsync/graphsync/expression"
	"github.com/graphsync/graphsync/models"
)

// parseExpression serves POST .../jobs/{id}/schema/parseExpression: it
// parses the expression with package expression (the language of
// Microsoft Entra's "Reference for writing expressions for attribute
// mappings"), refuses what expression.Check finds wrong with it as a
// parsing failure, answers with Graph's parseExpressionResponse, and,
// given a test object, evaluates the expression with expression.Evaluate.
// Should package expression panic on what a test sends, the answer is
// 500 InternalServerError saying so, not a dropped connection or a
// crashed test process.
func (h handler) parseExpression(jobID string) {
	if h.sp.job(jobID) == nil {
		h.notFound("Job", jobID)
		return
	}
	text, input, e := readParseExpression(h.body)
	if e != nil {
		h.fail(e)
		return
	}
	out, err := guarded(func() wireParseExpression { return answerParseExpression(text, input) })
	if err != nil {
		h.fail(&apiError{http.StatusInternalServerError, "InternalServerError", err.Error()})
		return
	}
	h.json(http.StatusOK, out)
}

// answerParseExpression is parseExpression's answer for the expression
// text and the test object's properties (nil for none).
func answerParseExpression(text string, input map[string]expression.Value) wireParseExpression {
	out := wireParseExpression{}
	tree, msg := parseChecked(text)
	if msg != "" {
		out.Error = &wirePublicError{Code: "ExpressionParsingFailed", Message: msg}
		return out
	}
	out.ParsingSucceeded, out.ParsedExpression = true, wireSourceOf(expression.ToSource(tree))
	if input != nil {
		v, err := expression.Evaluate(tree, inputObject(tree, input), &expression.EvalOptions{DefaultDomain: defaultDomain})
		if err != nil {
			out.Error = &wirePublicError{Code: "ExpressionEvaluationFailed", Message: evalMessage(err)}
		} else {
			out.EvaluationSucceeded, out.EvaluationResult = true, v.Items()
			if out.EvaluationResult == nil {
				out.EvaluationResult = []string{}
			}
		}
	}
	return out
}

// guarded returns f's answer, or an error when f panics: package
// expression promises never to panic, and a defect there is reported to
// the test as the fake's internal error rather than taking it down.
func guarded(f func() wireParseExpression) (out wireParseExpression, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("graphtest: package expression panicked on this expression (a defect of graphtest): %v", p)
		}
	}()
	return f(), nil
}

// defaultDomain is the tenant's default domain, which DefaultDomain()
// returns in the fake's parseExpression.
const defaultDomain = "contoso.onmicrosoft.com"

// parseChecked parses text and checks it (expression.Check), and returns
// the tree, or, when it does not parse or Check finds something wrong, the
// message of parseExpression's error: what and where, each problem in the
// order of its position.
func parseChecked(text string) (expression.Node, string) {
	n, err := expression.Parse(text)
	var se *expression.SyntaxError
	if errors.As(err, &se) {
		return n, syntaxMessage(se)
	}
	if err != nil {
		return n, err.Error()
	}
	var msgs []string
	for _, p := range expression.Check(n) {
		line, col := lineColumn(text, p.Pos)
		msgs = append(msgs, fmt.Sprintf("%s (line %d, column %d).", capital(p.Msg), line, col))
	}
	return n, strings.Join(msgs, " ")
}

// syntaxMessage is a syntax error in the fake's words: the message, the
// line and the column.
func syntaxMessage(se *expression.SyntaxError) string {
	return fmt.Sprintf("%s (line %d, column %d).", capital(se.Msg), se.Line, se.Column)
}

// evalMessage is an evaluation error in the fake's words.
func evalMessage(err error) string {
	var ee *expression.EvalError
	if !errors.As(err, &ee) {
		return err.Error()
	}
	msg := ee.Msg
	if ee.Func != "" {
		msg = ee.Func + ": " + msg
	}
	return fmt.Sprintf("%s (at offset %d).", capital(msg), ee.Pos)
}

func capital(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// lineColumn locates a byte offset in text: line and column from 1, the
// column in runes, as expression's SyntaxError does.
func lineColumn(text string, offset int) (line, column int) {
	offset = min(max(offset, 0), len(text))
	before := text[:offset]
	line = 1 + strings.Count(before, "\n")
	if i := strings.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, 1 + len([]rune(before))
}

// inputObject is the test object's attributes as the expression reads
// them: a name the expression reads that the object does not hold
// exactly is found without regard to case.
func inputObject(n expression.Node, props map[string]expression.Value) expression.Object {
	in := expression.Object{}
	for k, v := range props {
		in[k] = v
	}
	var walk func(expression.Node)
	walk = func(n expression.Node) {
		if n.Kind == expression.Attribute {
			if _, ok := in[n.Name]; !ok {
				for k, v := range props {
					if strings.EqualFold(k, n.Name) {
						in[n.Name] = v
						break
					}
				}
			}
		}
		for _, a := range n.Args {
			walk(a)
		}
	}
	walk(n)
	return in
}

// wireSourceOf is s as Graph writes an attributeMappingSource: every
// member, parameters [] when none.
func wireSourceOf(s models.AttributeMappingSource) *wireSource {
	w := &wireSource{Expression: s.Expression, Name: s.Name, Parameters: []wireParam{}, Type: string(s.Type)}
	for _, p := range s.Parameters {
		wp := wireParam{Key: p.Key}
		if p.Value != nil {
			wp.Value = wireSourceOf(*p.Value)
		}
		w.Parameters = append(w.Parameters, wp)
	}
	return w
}

// wireParseExpression is a parseExpressionResponse as Graph writes it, in
// the documented example's order.
type wireParseExpression struct {
	Error               *wirePublicError `json:"error"`
	EvaluationSucceeded bool             `json:"evaluationSucceeded"`
	EvaluationResult    []string         `json:"evaluationResult"`
	ParsedExpression    *wireSource      `json:"parsedExpression"`
	ParsingSucceeded    bool             `json:"parsingSucceeded"`
}

type wirePublicError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// readParseExpression checks parseExpression's body and returns the
// expression and the test object's attribute values (nil without a test
// object): an object with an expression string, and optional
// testInputObject and targetAttributeDefinition objects.
func readParseExpression(body []byte) (string, map[string]expression.Value, *apiError) {
	o, e := decodeObject(body, "The request body")
	if e != nil {
		return "", nil, e
	}
	var text *string
	var input map[string]expression.Value
	for _, name := range o.names() {
		v := o[name]
		switch name {
		case "expression":
			s, e := stringValue(v, name, "Edm.String")
			if e != nil {
				return "", nil, e
			}
			text = &s
		case "targetAttributeDefinition":
			if !isNull(v) {
				if _, e := decodeObject(v, "The parameter 'targetAttributeDefinition'"); e != nil {
					return "", nil, e
				}
			}
		case "testInputObject":
			if isNull(v) {
				continue
			}
			if input, e = readInputObject(v); e != nil {
				return "", nil, e
			}
		default:
			if !annotation(name) {
				return "", nil, badRequest("The parameter '%s' in the request payload is not a valid parameter for the operation 'parseExpression'.", name)
			}
		}
	}
	if text == nil {
		return "", nil, badRequest("The parameter 'expression' is required.")
	}
	return *text, input, nil
}

// readInputObject reads an expressionInputObject: a definition (not
// checked) and properties, each a key and a value of any JSON type (the
// type is open: other members are allowed). A string is one value, an
// array of strings several, null none; a number or a boolean is its
// text.
func readInputObject(v json.RawMessage) (map[string]expression.Value, *apiError) {
	o, e := decodeObject(v, "The parameter 'testInputObject'")
	if e != nil {
		return nil, e
	}
	input := map[string]expression.Value{}
	for _, name := range o.names() {
		switch {
		case name == "definition":
			if !isNull(o[name]) {
				if _, e := decodeObject(o[name], "testInputObject.definition"); e != nil {
					return nil, e
				}
			}
		case name == "properties":
			var props []map[string]json.RawMessage
			if err := json.Unmarshal(o[name], &props); err != nil {
				return nil, badRequest("testInputObject.properties must be an array of key and value pairs.")
			}
			for i, p := range props {
				var key *string
				if json.Unmarshal(p["key"], &key) != nil || key == nil || *key == "" {
					return nil, badRequest("testInputObject.properties[%d] has no key.", i)
				}
				val, ok := propertyValue(p["value"])
				if !ok {
					return nil, badRequest("testInputObject.properties[%d].value must be a string, an array of strings, a number, a boolean or null.", i)
				}
				input[*key] = val
			}
		case !annotation(name):
			return nil, unknownProperty(name, "microsoft.graph.expressionInputObject")
		}
	}
	return input, nil
}

func propertyValue(raw json.RawMessage) (expression.Value, bool) {
	if len(raw) == 0 || isNull(raw) {
		return expression.Null(), true
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return expression.Null(), false
	}
	switch v := v.(type) {
	case string:
		return expression.Single(v), true
	case []any:
		items := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return expression.Null(), false
			}
			items = append(items, s)
		}
		return expression.Multi(items...), true
	case float64, bool:
		return expression.Single(strings.TrimSpace(string(raw))), true
	}
	return expression.Null(), false
}
