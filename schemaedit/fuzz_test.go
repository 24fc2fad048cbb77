package schemaedit

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/graphsync/graphsync/models"
)

// FuzzDiff: for any two schemas, Diff(a, a) is empty, Diff(a, b) is empty
// exactly when the two encode to the same JSON (version and
// @odata.context aside), two runs agree, and the text is made of the
// lines it means to be.
func FuzzDiff(f *testing.F) {
	small := string(mustJSON(f, smallSchema(f)))
	f.Add(small, small)
	f.Add(small, strings.Replace(small, `"FlowAlways"`, `"FlowWhenChanged"`, 1))
	f.Add(small, strings.Replace(small, `"mail"`, `"mail2"`, 1))
	f.Add(small, strings.Replace(small, `"scope":null`, `"scope":{"groups":[{"name":"g","clauses":[]}]}`, 1))
	f.Add(small, strings.Replace(small, `"version":"1"`, `"version":"2"`, 1))
	f.Add(`{"synchronizationRules":[{},{}],"directories":[{"objects":[{"attributes":[{"name":"a"},{"name":"a"}]}]}]}`,
		`{"synchronizationRules":[{}],"directories":[{"objects":[{"attributes":[{"name":"a","anchor":true},{"name":"a"}]}]}]}`)
	f.Add(`{"synchronizationRules":[{"id":"a"},{"id":"b"}],"x":1}`, `{"synchronizationRules":[{"id":"b"},{"id":"a"}],"x":1.0}`)
	f.Add(`{"synchronizationRules":[null]}`, `{"synchronizationRules":[{}]}`)
	f.Add(`{"directories":[]}`, `{"directories":null}`)
	f.Add(string(readFile(f, docsFixture)), `{}`)
	f.Fuzz(func(t *testing.T, x, y string) {
		var a, b models.SynchronizationSchema
		if json.Unmarshal([]byte(x), &a) != nil || json.Unmarshal([]byte(y), &b) != nil {
			return
		}
		if cs, err := Diff(a, a); err != nil || cs != nil {
			t.Fatalf("Diff(a, a) = %v, %v", cs, err)
		}
		cs, err := Diff(a, b)
		if err != nil {
			t.Fatal(err)
		}
		if (len(cs) == 0) != sameIgnoring(t, a, b) {
			t.Fatalf("Diff says %d change(s), the JSON says otherwise:\n%s\n%s\n%s", len(cs), mustJSON(t, a), mustJSON(t, b), Text(cs))
		}
		if again, _ := Diff(a, b); !reflect.DeepEqual(again, cs) {
			t.Fatal("two runs differ")
		}
		for _, line := range strings.Split(strings.TrimSuffix(Text(cs), "\n"), "\n") {
			if len(cs) > 0 && !strings.HasPrefix(line, "+ ") && !strings.HasPrefix(line, "- ") &&
				!strings.HasPrefix(line, "~ ") && !strings.HasPrefix(line, "    ") {
				t.Fatalf("a line of no change: %q\n%s", line, Text(cs))
			}
		}
	})
}

func sameIgnoring(t *testing.T, a, b models.SynchronizationSchema) bool {
	ta, err := tree(a)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := tree(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range ignored {
		delete(ta, name)
		delete(tb, name)
	}
	return string(canonical(ta)) == string(canonical(tb))
}
