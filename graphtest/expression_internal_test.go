package graphtest

import (
	"strings"
	"testing"
)

// A panic of package expression (a defect there) becomes an error, which
// parseExpression answers as 500 InternalServerError, not a dropped
// connection or a crashed test; an answer without a panic is returned as
// it is.
func TestParseExpressionGuardsPanics(t *testing.T) {
	out, err := guarded(func() wireParseExpression { panic("boom") })
	if err == nil || !strings.Contains(err.Error(), "panicked") || !strings.Contains(err.Error(), "boom") || out.ParsingSucceeded {
		t.Fatalf("guarded(panic) = %+v, %v", out, err)
	}
	out, err = guarded(func() wireParseExpression { return answerParseExpression(`Mid("abc", 2, 1)`, nil) })
	if err != nil || !out.ParsingSucceeded {
		t.Fatalf("guarded(answer) = %+v, %v", out, err)
	}
}
