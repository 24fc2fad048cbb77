package jsonpos

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// Every value of the large schema fixture: the JSON at the offset the
// index gives decodes to the value its path names in the decoded
// document, and Position agrees with Offset.
func TestEveryValueOfTheLargeFixture(t *testing.T) {
	src, err := os.ReadFile("../../../../testdata/schema_large.json")
	if err != nil {
		t.Fatal(err)
	}
	ix, err := New(src)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	lineStart := make([]int, len(lines))
	for i := 1; i < len(lines); i++ {
		lineStart[i] = lineStart[i-1] + len(lines[i-1]) + 1
	}
	n := 0
	var walk func(path string, v any)
	walk = func(path string, v any) {
		n++
		off, ok := ix.Offset(path)
		if !ok {
			t.Fatalf("no offset for %q", path)
		}
		var at any
		if err := json.NewDecoder(bytes.NewReader(src[off:])).Decode(&at); err != nil || !reflect.DeepEqual(at, v) {
			t.Fatalf("%q at %d: %v %.80s", path, off, err, src[off:])
		}
		line, col, _ := ix.Position(path)
		if got := lineStart[line-1] + len(string([]rune(lines[line-1])[:col-1])); got != off {
			t.Fatalf("%q: line %d column %d is offset %d, not %d", path, line, col, got, off)
		}
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				p := k
				if path != "" {
					p = path + "." + k
				}
				walk(p, e)
			}
		case []any:
			for i, e := range v {
				walk(path+"["+strconv.Itoa(i)+"]", e)
			}
		}
	}
	walk("", doc)
	if n != len(ix.offsets) || n < 10000 {
		t.Errorf("%d values walked, %d indexed", n, len(ix.offsets))
	}
}

// InString: an offset in the decoded text lands on that character in the
// file, escapes and all.
func TestInString(t *testing.T) {
	src := []byte("{\n  \"a\": [1, {\"expr\": \"Join(\\\"\\\\\\\", [\\u00e9t\\u00e9], \\ud83d\\ude00[x])\"}],\n  \"b\": \"x\"\n}\n")
	ix, err := New(src)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		A []json.RawMessage
	}
	if err := json.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	var inner struct{ Expr string }
	json.Unmarshal(doc.A[1], &inner)
	expr := inner.Expr // Join("\", [été], 😀[x])
	line2 := strings.Split(string(src), "\n")[1]
	for off := 0; off <= len(expr); off++ {
		if !utf8.RuneStart(expr[min(off, len(expr)-1)]) && off < len(expr) {
			continue
		}
		line, col, ok := ix.InString("a[1].expr", off)
		if !ok || line != 2 {
			t.Fatalf("offset %d: line %d, %v", off, line, ok)
		}
		fileRest := string([]rune(line2)[col-1:])
		var want string
		switch {
		case off == len(expr):
			want = `"`
		case expr[off] == '"' || expr[off] == '\\':
			want = `\`
		case strings.HasPrefix(expr[off:], "é"):
			want = `\u00e9`
		case strings.HasPrefix(expr[off:], "😀"):
			want = `\ud83d\ude00`
		default:
			want = expr[off : off+1]
		}
		if !strings.HasPrefix(fileRest, want) {
			t.Errorf("offset %d (%q): column %d shows %.12q", off, expr[off:], col, fileRest)
		}
	}
	if l, c, ok := ix.Position("b"); !ok || l != 3 || c != 8 {
		t.Errorf("b at %d:%d %v", l, c, ok)
	}
	if _, _, ok := ix.InString("a[0]", 0); ok {
		t.Error("InString of a number")
	}
	if _, _, ok := ix.Position("nope"); ok {
		t.Error("a path that is not there")
	}
	for _, bad := range []string{"", "{", `{"a":}`, "[1 2]"} {
		if _, err := New([]byte(bad)); err == nil {
			t.Errorf("%q indexed", bad)
		}
	}
}

// A member given twice: the path names the last, as decoding keeps.
func TestRepeatedMember(t *testing.T) {
	ix, err := New([]byte(`{"a": 1, "a": [true]}`))
	if err != nil {
		t.Fatal(err)
	}
	if off, _ := ix.Offset("a"); off != 14 {
		t.Errorf("a at %d", off)
	}
	if off, _ := ix.Offset("a[0]"); off != 15 {
		t.Errorf("a[0] at %d", off)
	}
}
