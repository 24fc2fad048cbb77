package graphtest_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/graphsync/graphsync/models"
)

// docParseExpressionRequest is the documented request, its member names
// quoted (as published it is not JSON).
func docParseExpressionRequest(t *testing.T) []byte {
	t.Helper()
	b := regexp.MustCompile(`([{,]\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:`).ReplaceAll(readDoc(t, "parseexpression_request.txt"), []byte(`$1"$2":`))
	if !json.Valid(b) {
		t.Fatalf("not JSON after repair:\n%s", b)
	}
	return b
}

// The documented request gets the documented answer, to the letter: the
// parsed tree (parameters named by the documented functions, empty
// arguments left out, the expression written back with one space after
// each comma) and the evaluation.
func TestParseExpressionDocumentedExample(t *testing.T) {
	srv, c := newServer(t, nil)
	job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	for _, version := range []string{"v1.0", "beta"} {
		resp, b := rawRequest(t, srv, "POST", "/"+version+"/servicePrincipals/sp/synchronization/jobs/"+job.ID+"/schema/parseExpression", docParseExpressionRequest(t))
		if resp.StatusCode != http.StatusOK || !jsonEqual(t, b, readDoc(t, "parseexpression_response.json")) {
			t.Fatalf("%s: %d\n%s", version, resp.StatusCode, b)
		}
	}
}

// parse sends an expression, with a test object when input is not nil,
// and returns the answer.
func parse(t *testing.T, expression string, input []models.StringKeyObjectValuePair) *models.ParseExpressionResponse {
	t.Helper()
	_, c := newServer(t, nil)
	job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	req := models.ParseExpressionRequest{Expression: expression}
	if input != nil {
		req.TestInputObject = &models.ExpressionInputObject{Properties: input}
	}
	got, err := c.ParseExpression(ctx, "sp", job.ID, req)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// tree writes a parsed expression compactly: Name(key=..., ...), [attr],
// "constant".
func tree(s *models.AttributeMappingSource) string {
	switch s.Type {
	case models.SourceAttribute:
		return "[" + s.Name + "]"
	case models.SourceConstant:
		return `"` + s.Name + `"`
	}
	var ps []string
	for _, p := range s.Parameters {
		ps = append(ps, p.Key+"="+tree(p.Value))
	}
	return s.Name + "(" + strings.Join(ps, ", ") + ")"
}

// The reference's grammar: nested calls, attributes, strings with
// escaped quotes and backslashes, numbers, empty arguments, names alone,
// comparisons, repeating parameters.
func TestParseExpressionGrammar(t *testing.T) {
	for _, tc := range []struct{ expression, text, tree string }{
		{`[userPrincipalName]`, `[userPrincipalName]`, `[userPrincipalName]`},
		{` Append( [mail] ,".test")`, `Append([mail], ".test")`, `Append(source=[mail], suffix=".test")`},
		{`Join(", ", "", [surname], [givenName])`, `Join(", ", "", [surname], [givenName])`,
			`Join(separator=", ", source="", source=[surname], source=[givenName])`},
		{`"Company name: \"Contoso\" \\ x"`, `"Company name: \"Contoso\" \\ x"`, `"Company name: "Contoso" \ x"`},
		{`Mid([givenName], 1, 3)`, `Mid([givenName], 1, 3)`, `Mid(source=[givenName], start="1", length="3")`},
		{`DateAdd("d", -10, CDate([StatusHireDate]))`, `DateAdd("d", -10, CDate([StatusHireDate]))`,
			`DateAdd(interval="d", value="-10", dateTime=CDate(Expression=[StatusHireDate]))`},
		{`BitAnd(&HF, &HF7)`, `BitAnd(&HF, &HF7)`, `BitAnd(value1="&HF", value2="&HF7")`},
		{`InStr("repEated","e",3,vbBinaryCompare)`, `InStr("repEated", "e", 3, vbBinaryCompare)`,
			`InStr(value1="repEated", value2="e", start="3", compareType="vbBinaryCompare")`},
		{`IIF([country]="USA",[country],[department])`, `IIF([country] = "USA", [country], [department])`,
			`IIF(condition==(left=[country], right="USA"), valueIfTrue=[country], valueIfFalse=[department])`},
		{`FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")`, `FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")`,
			`FormatDateTime(source=[extensionAttribute1], inputFormat="yyyyMMddHHmmss.fZ", outputFormat="yyyy-MM-dd")`},
		{`Guid()`, `Guid()`, `Guid()`},
		{"Switch([Active], , \n  \"1\", \"True\", \n  \"0\", \"False\")", `Switch([Active], , "1", "True", "0", "False")`,
			`Switch(source=[Active], switchValue="1", switchValue="True", switchValue="0", switchValue="False")`},
	} {
		got := parse(t, tc.expression, nil)
		if !got.ParsingSucceeded || got.Error != nil || got.EvaluationSucceeded || got.EvaluationResult != nil {
			t.Errorf("%s: %+v", tc.expression, got)
			continue
		}
		if got.ParsedExpression.Expression != tc.text || tree(got.ParsedExpression) != tc.tree {
			t.Errorf("%s:\n got %s  %s\nwant %s  %s", tc.expression, got.ParsedExpression.Expression, tree(got.ParsedExpression), tc.text, tc.tree)
		}
	}
}

// Syntax errors, and what expression.Check finds wrong, are answered
// 200, with parsingSucceeded false and an error naming the line and
// column.
func TestParseExpressionSyntaxErrors(t *testing.T) {
	for expression, want := range map[string]string{
		`Append([mail], ".test"`:     `Missing ")" to close "Append"( at offset 6 (line 1, column 23).`,
		`Append([mail] ".test")`:     `Expected "," or ")" after an argument of "Append", found "\".test\")" (line 1, column 15).`,
		`[mail`:                      `The attribute reference "[mail" has no closing "]" (line 1, column 1).`,
		`[]`:                         `The attribute reference "[]" names no attribute (line 1, column 1).`,
		`"open`:                      `The string "\"open" has no closing quote (line 1, column 1).`,
		`[a] [b]`:                    `Unexpected "[b]" after the end of the expression (line 1, column 5).`,
		`IIF([a]=, "x", "y")`:        `Expected a value after "=", found ", \"x\", \"y\")" (line 1, column 9).`,
		`- 1`:                        `Expected digits after "-", found " 1" (line 1, column 1).`,
		`&H`:                         `Expected hexadecimal digits after "&H", found end of expression (line 1, column 3).`,
		`)`:                          `Expected a function, an [attribute], a "string" or a number, found ")" (line 1, column 1).`,
		"Join(\",\",\n  [a]\n  [b])": `Expected "," or ")" after an argument of "Join", found "[b])" (line 3, column 3).`,
		strings.Repeat("Not(", 101) + "[a]" + strings.Repeat(")", 101): `Calls and comparisons nest deeper than 100 (line 1, column 401).`,
		// expression.Check's problems.
		`append([mail], "x")`:                  `Unknown function "append" (names are case-sensitive: Append) (line 1, column 1).`,
		`Nope([mail])`:                         `Unknown function "Nope" (line 1, column 1).`,
		`Not([a], [b])`:                        `Not: takes 1 argument, not 2 (line 1, column 1).`,
		`ToLower(SelectUniqueValue([a], [b]))`: `SelectUniqueValue must be the whole expression, not an argument (line 1, column 9).`,
		`Mid([a], , 2)`:                        `Mid: the required argument start (argument 2) is omitted (line 1, column 10).`,
		`InStr([a], "e", 1, vbCompare)`:        `Unknown name "vbCompare"; the only bare names are vbBinaryCompare and vbTextCompare (a string constant is written in double quotes) (line 1, column 20).`,
		"Append(Nope([a]),\n  Nope2([b]))":     `Unknown function "Nope" (line 1, column 8). Unknown function "Nope2" (line 2, column 3).`,
	} {
		got := parse(t, expression, []models.StringKeyObjectValuePair{models.Property("a", "x")})
		if got.ParsingSucceeded || got.EvaluationSucceeded || got.ParsedExpression != nil || got.Error == nil ||
			got.Error.Code != "ExpressionParsingFailed" || got.Error.Message != want {
			t.Errorf("%q: %+v %+v\nwant %s", expression, got, got.Error, want)
		}
	}
}

// Evaluation against the test object, of the reference's examples where
// the fake evaluates them.
func TestParseExpressionEvaluation(t *testing.T) {
	user := []models.StringKeyObjectValuePair{
		models.Property("userPrincipalName", "John.Doe@contoso.com"), models.Property("mail", "john.doe@contoso.com"),
		models.Property("givenName", "John"), models.Property("surname", "Doe"), models.Property("state", "QLD"),
		models.Property("country", "USA"), models.Property("department", "Sales"), models.Property("empty", ""),
		models.Property("BusinessTitle", "Product Developer"), models.Property("telephoneNumber", "+91 9998887777"),
		models.Property("IsSoftDeleted", "False"), models.Property("extensionAttribute5", "PermissionSetOne,PermissionSetTwo"),
		{Key: "proxyAddresses", Value: models.StringsValue("SMTP:a@contoso.com", "smtp:b@contoso.com")},
		{Key: "nothing", Value: mustRaw(t, `null`)}, {Key: "n", Value: mustRaw(t, `7`)},
	}
	for expression, want := range map[string][]string{
		`Append([userPrincipalName], ".test")`:                                                                {"John.Doe@contoso.com.test"},
		`Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))`:                                                {"JohDoe"},
		`Join(", ", "", [surname], [givenName])`:                                                              {"Doe, John"},
		`Join(";", [proxyAddresses])`:                                                                         {"SMTP:a@contoso.com;smtp:b@contoso.com"},
		`Coalesce([missing], [nothing], [mail])`:                                                              {"john.doe@contoso.com"},
		`Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane")`:          {"Australia/Brisbane"},
		`Switch([missing], "Default", "", "was empty")`:                                                       {"was empty"},
		`Replace([mail], "@contoso.com", , ,"", ,)`:                                                           {"john.doe"},
		`Replace([BusinessTitle],"Product Developer", , , "Software Engineer", , )`:                           {"Software Engineer"},
		`Replace([givenName],"<username>", , , , , "<username>@contoso.com")`:                                 {"John@contoso.com"},
		`Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", , "${phoneNumber}", , )`: {"9998887777"},
		`ToLower(Join("@", StripSpaces(Join(".",  [givenName], [surname])), "contoso.com"))`:                  {"john.doe@contoso.com"},
		`Not([IsSoftDeleted])`:                                          {"True"},
		`IIF([country]="USA",[country],[department])`:                   {"USA"},
		`IIF([country]="USA",IIF([state]="CA","True","False"),"False")`: {"False"},
		`IIF([n] >= 10, "big", "small")`:                                {"small"},
		`IsPresent([empty])`:                                            {"False"},
		`IsNullOrEmpty([missing])`:                                      {"True"},
		`IsNull([nothing])`:                                             {"True"},
		`Split([extensionAttribute5], ",")`:                             {"PermissionSetOne", "PermissionSetTwo"},
		`Left("John Doe", 3)`:                                           {"Joh"},
		`Append([missing], "x")`:                                        {},
		`Prepend("Dr. ", [surname])`:                                    {"Dr. Doe"},
		`ToUpper([mail], "en-US")`:                                      {"JOHN.DOE@CONTOSO.COM"},
		// Issue #24: a length near the largest int64 stops at the end,
		// where it once wrapped and panicked inside the fake.
		`Mid([givenName], 2, 9223372036854775807)`: {"ohn"},
	} {
		got := parse(t, expression, user)
		if !got.ParsingSucceeded || !got.EvaluationSucceeded || got.Error != nil || strings.Join(got.EvaluationResult, "|") != strings.Join(want, "|") ||
			got.EvaluationResult == nil {
			t.Errorf("%s: %+v (error %+v), want %q", expression, got, got.Error, want)
		}
	}
	// What the clock, chance and the tenant decide.
	for expression, want := range map[string]string{
		`Guid()`:          `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`,
		`DefaultDomain()`: `^contoso\.onmicrosoft\.com$`,
		`Now()`:           `^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2} (AM|PM)$`,
		// An attribute name that differs in case is found.
		`[GIVENNAME]`: `^John$`,
	} {
		got := parse(t, expression, user)
		if !got.EvaluationSucceeded || len(got.EvaluationResult) != 1 || !regexp.MustCompile(want).MatchString(got.EvaluationResult[0]) {
			t.Errorf("%s: %+v %+v, want %s", expression, got, got.Error, want)
		}
	}
	// An evaluation that fails parses, with an evaluation error.
	for expression, want := range map[string]string{
		`Mid([mail], "a", 2)`:                      `Mid: start "a" is not a whole number (at offset 0).`,
		`IIF([missing] = "x", "a", "b")`:           `IIF: `,
		`CDate("not a date")`:                      `CDate: `,
		`SelectUniqueValue([missing], [missing2])`: `SelectUniqueValue: `,
		`Replace([mail], , "(", , "y", , )`:        `Replace: `,
	} {
		got := parse(t, expression, user)
		if !got.ParsingSucceeded || got.EvaluationSucceeded || got.Error == nil || got.Error.Code != "ExpressionEvaluationFailed" ||
			got.ParsedExpression == nil || !strings.HasPrefix(got.Error.Message, want) {
			t.Errorf("%s: %+v %+v, want %s", expression, got, got.Error, want)
		}
	}
}

func mustRaw(t *testing.T, raw string) models.PropertyValue {
	t.Helper()
	v, err := models.RawValue(json.RawMessage(raw))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestParseExpressionRefusals(t *testing.T) {
	srv, c := newServer(t, nil)
	job, _ := c.CreateJob(ctx, "sp", models.SynchronizationJob{TemplateID: "scim"})
	path := spPath + "/jobs/" + job.ID + "/schema/parseExpression"
	for _, body := range []string{
		``, `[]`, `{}`, `{"expression":null}`, `{"expression":7}`, `{"expression":"[a]","other":1}`,
		`{"expression":"[a]","testInputObject":[]}`, `{"expression":"[a]","testInputObject":{"x":1}}`,
		`{"expression":"[a]","testInputObject":{"properties":{}}}`, `{"expression":"[a]","testInputObject":{"properties":[{"value":"v"}]}}`,
		`{"expression":"[a]","testInputObject":{"properties":[{"key":"a","value":{"x":1}}]}}`,
		`{"expression":"[a]","testInputObject":{"properties":[{"key":"a","value":[1]}]}}`,
		`{"expression":"[a]","testInputObject":{"definition":7}}`, `{"expression":"[a]","targetAttributeDefinition":"x"}`,
	} {
		resp, b := rawRequest(t, srv, "POST", path, []byte(body))
		wantError(t, resp, b, http.StatusBadRequest, "BadRequest")
	}
	// An open type: members other than key and value are allowed.
	resp, b := rawRequest(t, srv, "POST", path, []byte(`{"expression":"[a]","@odata.type":"x","testInputObject":{"definition":null,"properties":[{"key":"a","value":"v","other":1}]},"targetAttributeDefinition":null}`))
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"evaluationResult":["v"]`) {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	// The Client refuses an empty expression; Graph's answer is the
	// fake's own.
	resp, b = rawRequest(t, srv, "POST", path, []byte(`{"expression":" "}`))
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"The expression is empty (line 1, column 2)."`) || !strings.Contains(string(b), `"parsingSucceeded":false`) {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	resp, b = rawRequest(t, srv, "POST", spPath+"/jobs/nope/schema/parseExpression", []byte(`{"expression":"[a]"}`))
	wantError(t, resp, b, http.StatusNotFound, "Request_ResourceNotFound")
	resp, b = rawRequest(t, srv, "GET", path, nil)
	wantError(t, resp, b, http.StatusMethodNotAllowed, "BadRequest")
}
