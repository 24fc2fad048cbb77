package expression

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/graphsync/graphsync/models"
)

// The fixtures in testdata/ are Microsoft's documentation, saved verbatim
// (see testdata/SOURCES.md).

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readReferencePage returns the excerpts of the reference page.
func readReferencePage(t testing.TB) string { return string(readFixture(t, "reference_examples.md")) }

// parseExpressionResponse is Graph's documented answer to parseExpression.
type parseExpressionResponse struct {
	Error               any                           `json:"error"`
	EvaluationSucceeded bool                          `json:"evaluationSucceeded"`
	EvaluationResult    []string                      `json:"evaluationResult"`
	ParsedExpression    models.AttributeMappingSource `json:"parsedExpression"`
	ParsingSucceeded    bool                          `json:"parsingSucceeded"`
}

func readParseExpressionResponse(t testing.TB) parseExpressionResponse {
	t.Helper()
	var r parseExpressionResponse
	if err := json.Unmarshal(readFixture(t, "parseexpression_response.json"), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// readJSON decodes a fixture into v.
func readJSON(t testing.TB, name string, v any) {
	t.Helper()
	if err := json.Unmarshal(readFixture(t, name), v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}
