package printable

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"unicode"
	"unicode/utf8"
)

// hostile holds what encoding/json leaves raw in its output (DEL, C1
// controls, bidi and other format characters, separators it does not
// escape, private use, tags above U+FFFF) beside what it escapes itself.
var hostile = []string{
	"Success",
	"\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x1b\\\x1b[2J\x1b[1A\r\n\t",
	"\x7f\u0085\u009b31m\u00ad",
	"abc\u202eSSECCUS\u2066x\u2069",
	"zero\u200bwidth\ufeff",
	"\u2028\u2029",
	"tag\U000E0041 private\ue000 emoji🙂",
	`quote " backslash \ slash / <b>&`,
	"Zoë 李 \ufffd",
}

// TestJSONKeepsValuesAndShowsNoControl: the rewritten JSON decodes to the
// same values and holds no rune a terminal would interpret; only the
// indentation's newlines and spaces are left outside strings.
func TestJSONKeepsValuesAndShowsNoControl(t *testing.T) {
	type row struct {
		Name  string            `json:"name"`
		List  []string          `json:"list"`
		Map   map[string]string `json:"map"`
		Count int               `json:"count"`
	}
	var in []row
	for i, s := range hostile {
		in = append(in, row{Name: s, List: []string{s, s + s}, Map: map[string]string{s: s}, Count: i})
	}
	for _, indent := range []string{"", "  "} {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", indent)
		if err := enc.Encode(in); err != nil {
			t.Fatal(err)
		}
		out := JSON(buf.Bytes())
		if !json.Valid(out) {
			t.Fatalf("not JSON: %s", out)
		}
		var back []row
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, in) {
			t.Fatalf("decoded values changed:\n got %+v\nwant %+v", back, in)
		}
		if !utf8.Valid(out) {
			t.Fatalf("not UTF-8: %q", out)
		}
		for _, r := range string(out) {
			if r != '\n' && !unicode.IsGraphic(r) {
				t.Fatalf("%U left raw in %q", r, out)
			}
		}
	}
}

func TestJSONEscapes(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`"ok"`, `"ok"`},
		{"\"a\u0085b\"", `"a\u0085b"`},
		{"\"\u202e\"", `"\u202e"`},
		{"\"\x7f\"", `"\u007f"`},
		{"\"\U000E0041\"", `"\udb40\udc41"`},
		{"\"\U0010FFFF\"", `"\udbff\udfff"`},
		{"\"bad\xff\"", `"bad\ufffd"`},         // what a decoder reads it as
		{"\"raw\x1b\"", `"raw\u001b"`},         // not JSON, made JSON
		{`"esc\"\u0085\\"`, `"esc\"\u0085\\"`}, // escapes already there are kept
		{"{\"k\u200b\": [1, \"\u2066\"]}\n", `{"k\u200b": [1, "\u2066"]}` + "\n"},
		{"\"Zoë 🙂 \\ /\"", "\"Zoë 🙂 \\ /\""},
	} {
		if got := string(JSON([]byte(tc.in))); got != tc.want {
			t.Errorf("JSON(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestJSONDoesNotCopyCleanJSON(t *testing.T) {
	b := []byte(`{"subject":"9bb0f679","message":"Zoë \u001b said \"hi\"","n":[1,2]}`)
	if got := JSON(b); &got[0] != &b[0] {
		t.Error("JSON copied JSON that needs nothing")
	}
	if n := testing.AllocsPerRun(100, func() { _ = JSON(b) }); n != 0 {
		t.Errorf("%v allocations for JSON that needs nothing", n)
	}
}

// FuzzJSON: any JSON that encoding/json writes for a string decodes to
// the same string after JSON, and holds no rune that is not graphic.
func FuzzJSON(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := json.Marshal(map[string]string{s: s})
		if err != nil {
			t.Skip()
		}
		out := JSON(b)
		var want, got map[string]string
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("JSON(%q) = %q: %v", b, out, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("JSON(%q) = %q decodes to %q, want %q", b, out, got, want)
		}
		for _, r := range string(out) {
			if !unicode.IsGraphic(r) {
				t.Fatalf("JSON(%q) = %q holds %U", b, out, r)
			}
		}
	})
}
