package graphtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/graphsync/graphsync/models"
)

// parseExpression serves POST .../jobs/{id}/schema/parseExpression: it
// parses the expression as Microsoft Entra's "Reference for writing
// expressions for attribute mappings" describes the language, answers
// with Graph's parseExpressionResponse, and, given a test object,
// evaluates the expression with exprEvaluator.
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
	out := wireParseExpression{}
	tree, perr := parseExpr(text)
	if perr != nil {
		out.Error = &wirePublicError{Code: "ExpressionParsingFailed", Message: perr.Error()}
		h.json(http.StatusOK, out)
		return
	}
	out.ParsingSucceeded, out.ParsedExpression = true, tree.source()
	if input != nil {
		v, err := exprEvaluator.evaluate(tree, input)
		if err != nil {
			out.Error = &wirePublicError{Code: "ExpressionEvaluationFailed", Message: err.Error()}
		} else {
			out.EvaluationSucceeded, out.EvaluationResult = true, v
			if out.EvaluationResult == nil {
				out.EvaluationResult = exprValue{}
			}
		}
	}
	h.json(http.StatusOK, out)
}

// wireParseExpression is a parseExpressionResponse as Graph writes it, in
// the documented example's order.
type wireParseExpression struct {
	Error               *wirePublicError `json:"error"`
	EvaluationSucceeded bool             `json:"evaluationSucceeded"`
	EvaluationResult    exprValue        `json:"evaluationResult"`
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
func readParseExpression(body []byte) (string, map[string]exprValue, *apiError) {
	o, e := decodeObject(body, "The request body")
	if e != nil {
		return "", nil, e
	}
	var text *string
	var input map[string]exprValue
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
func readInputObject(v json.RawMessage) (map[string]exprValue, *apiError) {
	o, e := decodeObject(v, "The parameter 'testInputObject'")
	if e != nil {
		return nil, e
	}
	input := map[string]exprValue{}
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

func propertyValue(raw json.RawMessage) (exprValue, bool) {
	if len(raw) == 0 || isNull(raw) {
		return nil, true
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil, false
	}
	switch v := v.(type) {
	case string:
		return exprValue{v}, true
	case []any:
		out := exprValue{}
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	case float64, bool:
		return exprValue{strings.TrimSpace(string(raw))}, true
	}
	return nil, false
}

// Kinds of expression nodes, as attributeMappingSource names them.
const (
	kindAttribute = string(models.SourceAttribute)
	kindConstant  = string(models.SourceConstant)
	kindFunction  = string(models.SourceFunction)
)

// exprNode is a parsed expression: a node of Graph's
// attributeMappingSource tree.
type exprNode struct {
	kind string // kindAttribute, kindConstant or kindFunction
	// name is an attribute's name, a constant's value, a function's name
	// (or a comparison's operator).
	name string
	// text is the expression as Graph writes it back: literals as
	// written, a function's arguments joined by ", " (an empty one
	// empty), a comparison's operands around its operator.
	text string
	// args are a function's arguments in order, nil for an empty one;
	// keys their parameter names.
	args []*exprNode
	keys []string
}

// source returns the node as Graph's attributeMappingSource: a function's
// empty arguments are left out of its parameters.
func (n *exprNode) source() *wireSource {
	s := &wireSource{Expression: n.text, Name: n.name, Parameters: []wireParam{}, Type: n.kind}
	for i, a := range n.args {
		if a != nil {
			s.Parameters = append(s.Parameters, wireParam{Key: n.keys[i], Value: a.source()})
		}
	}
	return s
}

// exprError is a syntax error at a byte offset of the expression.
type exprError struct {
	pos int
	msg string
}

func (e *exprError) Error() string { return fmt.Sprintf("%s at position %d.", e.msg, e.pos+1) }

// maxExprDepth bounds how deeply function calls may nest.
const maxExprDepth = 64

// parseExpr parses an attribute-mapping expression:
//
//	expression := operand [ ("=" | "<>" | "<" | ">" | "<=" | ">=") operand ]
//	operand    := "[" attribute "]" | string | number | name "(" arguments ")" | name
//	arguments  := [ expression ] { "," [ expression ] }
//	string     := '"' { character | "\" character } '"'
//	number     := [ "-" ] digits | "&H" hexdigits
//
// with white space allowed between tokens. Function names are those of
// exprFunctions, matched with regard to case (the language is
// case-sensitive); each argument gets the name of its parameter, the
// last of a function's parameters repeating when it may. A name alone
// (vbBinaryCompare) is a constant.
func parseExpr(src string) (*exprNode, *exprError) {
	if !utf8.ValidString(src) {
		return nil, &exprError{0, "The expression is not valid UTF-8"}
	}
	p := &exprParser{src: src}
	n, err := p.expression(0)
	if err != nil {
		return nil, err
	}
	p.space()
	switch {
	case n == nil && p.pos == len(src):
		return nil, &exprError{p.pos, "The expression is empty"}
	case n == nil || p.pos < len(src):
		return nil, p.unexpected("the end of the expression")
	}
	return n, nil
}

type exprParser struct {
	src string
	pos int
}

func (p *exprParser) space() {
	for p.pos < len(p.src) {
		r, n := utf8.DecodeRuneInString(p.src[p.pos:])
		if !unicode.IsSpace(r) {
			return
		}
		p.pos += n
	}
}

func (p *exprParser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

// unexpected reports what is at the current position instead of want.
func (p *exprParser) unexpected(want string) *exprError {
	if p.pos >= len(p.src) {
		return &exprError{p.pos, "Unexpected end of the expression, expected " + want}
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
	return &exprError{p.pos, fmt.Sprintf("Unexpected %q, expected %s", r, want)}
}

var comparisons = []string{"<>", "<=", ">=", "=", "<", ">"}

// expression parses an operand and a comparison with a second one, or
// returns nil for nothing (an empty argument).
func (p *exprParser) expression(depth int) (*exprNode, *exprError) {
	left, err := p.operand(depth)
	if err != nil || left == nil {
		return left, err
	}
	p.space()
	for _, op := range comparisons {
		if !strings.HasPrefix(p.src[p.pos:], op) {
			continue
		}
		p.pos += len(op)
		right, err := p.operand(depth)
		if err != nil {
			return nil, err
		}
		if right == nil {
			return nil, p.unexpected("an operand after " + op)
		}
		return &exprNode{kind: kindFunction, name: op, text: left.text + " " + op + " " + right.text,
			args: []*exprNode{left, right}, keys: []string{"left", "right"}}, nil
	}
	return left, nil
}

func (p *exprParser) operand(depth int) (*exprNode, *exprError) {
	p.space()
	start := p.pos
	c := p.peek()
	switch {
	case c == '[':
		end := strings.IndexByte(p.src[p.pos:], ']')
		if end < 0 {
			return nil, &exprError{start, "An attribute's '[' is not closed"}
		}
		name := p.src[p.pos+1 : p.pos+end]
		if strings.TrimSpace(name) == "" {
			return nil, &exprError{start, "An attribute has no name"}
		}
		p.pos += end + 1
		return &exprNode{kind: kindAttribute, name: name, text: p.src[start:p.pos]}, nil
	case c == '"':
		var b strings.Builder
		for p.pos++; p.pos < len(p.src); p.pos++ {
			switch ch := p.src[p.pos]; {
			case ch == '"':
				p.pos++
				return &exprNode{kind: kindConstant, name: b.String(), text: p.src[start:p.pos]}, nil
			case ch == '\\' && p.pos+1 < len(p.src) && (p.src[p.pos+1] == '"' || p.src[p.pos+1] == '\\'):
				p.pos++
				b.WriteByte(p.src[p.pos])
			default:
				b.WriteByte(ch)
			}
		}
		return nil, &exprError{start, "A string is not closed"}
	case c == '&' && p.pos+1 < len(p.src) && (p.src[p.pos+1] == 'H' || p.src[p.pos+1] == 'h'):
		p.pos += 2
		digits := p.pos
		for p.pos < len(p.src) && strings.IndexByte("0123456789abcdefABCDEF", p.src[p.pos]) >= 0 {
			p.pos++
		}
		if p.pos == digits {
			return nil, &exprError{start, "A hexadecimal number has no digits"}
		}
		return p.literal(start), nil
	case c == '-' || isDigit(c):
		p.pos++
		for p.pos < len(p.src) && isDigit(p.src[p.pos]) {
			p.pos++
		}
		if p.src[start] == '-' && p.pos == start+1 {
			return nil, &exprError{start, "A '-' is not followed by a number"}
		}
		return p.literal(start), nil
	case c == '_' || isLetter(c):
		for p.pos < len(p.src) && (p.src[p.pos] == '_' || isLetter(p.src[p.pos]) || isDigit(p.src[p.pos])) {
			p.pos++
		}
		name := p.src[start:p.pos]
		p.space()
		if p.peek() != '(' {
			return p.literalText(name), nil
		}
		return p.call(name, start, depth)
	}
	return nil, nil // nothing: an empty argument, or what the caller refuses
}

func (p *exprParser) literal(start int) *exprNode { return p.literalText(p.src[start:p.pos]) }

func (p *exprParser) literalText(s string) *exprNode {
	return &exprNode{kind: kindConstant, name: s, text: s}
}

// call parses a function's arguments, p.pos at its '('.
func (p *exprParser) call(name string, start, depth int) (*exprNode, *exprError) {
	params, ok := exprFunctions[name]
	if !ok {
		return nil, &exprError{start, fmt.Sprintf("Unknown function '%s'", name)}
	}
	if depth >= maxExprDepth {
		return nil, &exprError{start, fmt.Sprintf("Functions are nested deeper than %d levels", maxExprDepth)}
	}
	p.pos++ // (
	n := &exprNode{kind: kindFunction, name: name}
	for {
		arg, err := p.expression(depth + 1)
		if err != nil {
			return nil, err
		}
		n.args = append(n.args, arg)
		p.space()
		if c := p.peek(); c == ',' {
			p.pos++
			continue
		} else if c != ')' {
			return nil, p.unexpected("',' or ')'")
		}
		p.pos++
		break
	}
	if len(n.args) == 1 && n.args[0] == nil {
		n.args = nil // Name()
	}
	texts := make([]string, len(n.args))
	for i, a := range n.args {
		key, ok := params.key(i)
		if !ok {
			return nil, &exprError{start, fmt.Sprintf("The function '%s' takes at most %d arguments; it has %d", name, len(params.names), len(n.args))}
		}
		n.keys = append(n.keys, key)
		if a != nil {
			texts[i] = a.text
		}
	}
	n.text = name + "(" + strings.Join(texts, ", ") + ")"
	return n, nil
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// funcParams are a function's parameter names, in order; the last one
// repeats when repeating is set.
type funcParams struct {
	names     []string
	repeating bool
}

// key returns the name of the parameter argument i is passed to.
func (f funcParams) key(i int) (string, bool) {
	switch {
	case i < len(f.names):
		return f.names[i], true
	case f.repeating && len(f.names) > 0:
		return f.names[len(f.names)-1], true
	}
	return "", false
}

// exprFunctions are the functions parseExpression knows: those of the
// documented schema/functions answer (which graphtest serves), with their
// parameter names, and the other functions of the expression reference,
// with the parameter names it gives. Where the two differ, the reference
// is newer: FormatDateTime has its dateTimeStyles parameter.
var exprFunctions = functionTable()

func functionTable() map[string]funcParams {
	var doc struct {
		Value []models.AttributeMappingFunctionSchema `json:"value"`
	}
	if err := json.Unmarshal(docFunctions, &doc); err != nil {
		panic("graphtest: the embedded functions answer: " + err.Error())
	}
	fns := map[string]funcParams{}
	for _, f := range doc.Value {
		var p funcParams
		for _, param := range f.Parameters {
			p.names = append(p.names, param.Name)
			p.repeating = param.AllowMultipleOccurrences
		}
		fns[f.FunctionName()] = p
	}
	for name, params := range referenceFunctions {
		if _, ok := fns[name]; ok && name != "FormatDateTime" {
			continue
		}
		p := funcParams{names: params}
		if last := len(params) - 1; last >= 0 && strings.HasSuffix(params[last], "...") {
			p.names = append(params[:last:last], strings.TrimSuffix(params[last], "..."))
			p.repeating = true
		}
		fns[name] = p
	}
	return fns
}

// referenceFunctions are the functions of "Reference for writing
// expressions for attribute mappings in Microsoft Entra ID" with their
// parameters as it names them ("..." marks one that repeats).
var referenceFunctions = map[string][]string{
	"Append":                    {"source", "suffix"},
	"AppRoleAssignmentsComplex": {"source"},
	"BitAnd":                    {"value1", "value2"},
	"CBool":                     {"Expression"},
	"CDate":                     {"Expression"},
	"Coalesce":                  {"source..."},
	"ConvertToBase64":           {"source"},
	"ConvertToUTF8Hex":          {"source"},
	"Count":                     {"attribute"},
	"CStr":                      {"value"},
	"DateAdd":                   {"interval", "value", "dateTime"},
	"DateDiff":                  {"interval", "date1", "date2"},
	"DateFromNum":               {"value"},
	"FormatDateTime":            {"source", "dateTimeStyles", "inputFormat", "outputFormat"},
	"Guid":                      {},
	"IgnoreFlowIfNullOrEmpty":   {"Expression"},
	"IIF":                       {"condition", "valueIfTrue", "valueIfFalse"},
	"InStr":                     {"value1", "value2", "start", "compareType"},
	"IsNull":                    {"Expression"},
	"IsNullOrEmpty":             {"Expression"},
	"IsPresent":                 {"Expression"},
	"IsString":                  {"Expression"},
	"Item":                      {"attribute", "index"},
	"Join":                      {"separator", "source..."},
	"Left":                      {"String", "NumChars"},
	"Mid":                       {"source", "start", "length"},
	"NormalizeDiacritics":       {"source"},
	"Not":                       {"source"},
	"Now":                       {},
	"NumFromDate":               {"value"},
	"PCase":                     {"source", "wordSeparators"},
	"RandomString":              {"Length", "MinimumNumbers", "MinimumSpecialCharacters", "MinimumCapital", "MinimumLowerCase", "CharactersToAvoid"},
	"Redact":                    {"source"},
	"RemoveDuplicates":          {"attribute"},
	"Replace":                   {"source", "oldValue", "regexPattern", "regexGroupName", "replacementValue", "replacementAttributeName", "template"},
	"SelectUniqueValue":         {"uniqueValueRule..."},
	"SingleAppRoleAssignment":   {"source"},
	"Split":                     {"source", "delimiter"},
	"StripSpaces":               {"source"},
	"Switch":                    {"source", "defaultValue", "switchValue..."},
	"ToLower":                   {"source", "culture"},
	"ToUpper":                   {"source", "culture"},
	"Word":                      {"String", "WordNumber", "Delimiters"},
}
