package models

import (
	"encoding/json"
	"testing"
)

// A test object's values are any JSON: an empty string is a value and is
// written, an array stays an array, a number keeps its digits, a null
// stays null, and an annotation stays beside its value.
func TestStringKeyObjectValuePairValues(t *testing.T) {
	in := `[{"key":"a","value":""},{"key":"b","value@odata.type":"#Collection(String)","value":["x","y"]},` +
		`{"key":"c","value":12345678901234567890},{"key":"d","value":null},{"key":"e"}]`
	var props []StringKeyObjectValuePair
	if err := json.Unmarshal([]byte(in), &props); err != nil {
		t.Fatal(err)
	}
	if s, ok := props[0].Value.AsString(); !ok || s != "" {
		t.Errorf("a: %q %v", s, ok)
	}
	if ss, ok := props[1].Value.AsStrings(); !ok || len(ss) != 2 {
		t.Errorf("b: %v %v", ss, ok)
	}
	if _, ok := props[2].Value.AsString(); ok || string(props[2].Value.Raw()) != "12345678901234567890" {
		t.Errorf("c: %s", props[2].Value.Raw())
	}
	if props[3].Value.Raw() != nil || props[4].Value.Raw() != nil {
		t.Errorf("d, e: %s %s", props[3].Value.Raw(), props[4].Value.Raw())
	}
	out, err := json.Marshal(props)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	json.Unmarshal([]byte(in), &a)
	json.Unmarshal(out, &b)
	if string(mustJSON(t, a)) != string(mustJSON(t, b)) {
		t.Fatalf("wrote %s\nread  %s", out, in)
	}
	built, _ := json.Marshal(ParseExpressionRequest{Expression: "[a]", TestInputObject: &ExpressionInputObject{
		Properties: []StringKeyObjectValuePair{Property("a", ""), {Key: "b"}, {Key: "c", Value: StringsValue()}}}})
	if want := `{"expression":"[a]","testInputObject":{"properties":[{"key":"a","value":""},{"key":"b"},{"key":"c","value":[]}]}}`; string(built) != want {
		t.Fatalf("built in Go: %s\nwant %s", built, want)
	}
	if _, ok := StringsValue("x").AsString(); ok {
		t.Error("an array read as a string")
	}
	if v, _ := RawValue(json.RawMessage(`["x",null]`)); func() bool { _, ok := v.AsStrings(); return ok }() {
		t.Error("an array with a null read as strings")
	}
	if _, err := RawValue(json.RawMessage(`{`)); err == nil {
		t.Error("RawValue took text that is not JSON")
	}
}

// A parseExpression answer with an error keeps it whole, false included.
func TestParseExpressionResponseKeepsError(t *testing.T) {
	in := `{"error":{"code":"c","message":"m","target":null,"details":[{"code":"d","message":"","target":"t","x":1}],"innerError":{"code":"i","details":[]}},` +
		`"evaluationSucceeded":false,"evaluationResult":null,"parsedExpression":null,"parsingSucceeded":false,"@odata.context":"x"}`
	var r ParseExpressionResponse
	if err := json.Unmarshal([]byte(in), &r); err != nil {
		t.Fatal(err)
	}
	if r.Error == nil || r.Error.Details[0].Code != "d" || r.Error.InnerError.Code != "i" || r.ParsingSucceeded {
		t.Fatalf("read %+v", r)
	}
	out, _ := json.Marshal(r)
	var a, b any
	json.Unmarshal([]byte(in), &a)
	json.Unmarshal(out, &b)
	if string(mustJSON(t, a)) != string(mustJSON(t, b)) {
		t.Fatalf("wrote %s\nread  %s", out, in)
	}
}
