package expression

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/graphsync/graphsync/models"
)

// TestFunctionsAreThePagesList: the documented functions are exactly the
// page's "List of Functions", and the others exactly those Graph's list
// of functions adds.
func TestFunctionsAreThePagesList(t *testing.T) {
	page := readReferencePage(t)
	i := strings.Index(page, "## List of Functions\n")
	if i < 0 {
		t.Fatal("the page's list of functions is not in the fixture")
	}
	list := page[i : i+strings.Index(page[i:], "\n\n")]
	var want []string
	for _, m := range regexp.MustCompile(`\[(\w+)\]\(#`).FindAllStringSubmatch(list, -1) {
		want = append(want, m[1])
	}
	var documented, graphOnly []string
	for _, f := range Functions() {
		if f.Documented {
			documented = append(documented, f.Name)
		} else {
			graphOnly = append(graphOnly, f.Name)
		}
	}
	slices.Sort(want)
	if len(want) != 43 || !reflect.DeepEqual(documented, want) {
		t.Errorf("documented functions %v,\nthe page lists %d: %v", documented, len(want), want)
	}
	if w := []string{"AppRoleAssignments", "DefaultDomain", "IsNothing", "Prepend"}; !reflect.DeepEqual(graphOnly, w) {
		t.Errorf("functions only Graph lists: %v, want %v", graphOnly, w)
	}
}

type functionSchema struct {
	Name       string `json:"name"`
	Parameters []struct {
		AllowMultipleOccurrences bool                 `json:"allowMultipleOccurrences"`
		Name                     string               `json:"name"`
		Required                 bool                 `json:"required"`
		Type                     models.AttributeType `json:"type"`
	} `json:"parameters"`
}

// TestFunctionsAgreeWithGraph: every function of Graph's documented lists
// (v1.0 and beta) is in the table with Graph's parameters (names, order,
// types, required, allowMultipleOccurrences), but for the differences
// Functions documents, where the page is followed.
func TestFunctionsAgreeWithGraph(t *testing.T) {
	// Where the table follows the page instead, as Functions says.
	differences := map[string]string{
		"FormatDateTime": "the page adds dateTimeStyles, optional, second",
		"Split":          "the page requires delimiter",
		"Switch":         "the page requires the keys and values",
	}
	seen := map[string]bool{}
	for _, file := range []string{"functions_v1.json", "functions_beta_full.json"} {
		var doc struct{ Value []functionSchema }
		readJSON(t, file, &doc)
		for _, g := range doc.Value {
			seen[g.Name] = true
			f, ok := Lookup(g.Name)
			if !ok {
				t.Errorf("%s: Graph lists %s, the table lacks it", file, g.Name)
				continue
			}
			var got, want []Param
			for _, p := range g.Parameters {
				want = append(want, Param{Name: p.Name, Type: p.Type, Required: p.Required, Multiple: p.AllowMultipleOccurrences})
			}
			got = f.Params
			if reflect.DeepEqual(got, want) {
				if differences[g.Name] != "" {
					t.Errorf("%s: %s agrees with Graph, but is listed as different (%s)", file, g.Name, differences[g.Name])
				}
				continue
			}
			if differences[g.Name] == "" {
				t.Errorf("%s: %s has parameters\n%+v\nGraph lists\n%+v", file, g.Name, got, want)
			}
		}
	}
	// The differences, exactly.
	fdt, _ := Lookup("FormatDateTime")
	if p := fdt.Params[1]; p.Name != "dateTimeStyles" || p.Required || len(fdt.Params) != 4 {
		t.Errorf("FormatDateTime: %+v", fdt.Params)
	}
	split, _ := Lookup("Split")
	if !split.Params[1].Required {
		t.Errorf("Split: %+v", split.Params)
	}
	sw, _ := Lookup("Switch")
	if p := sw.Params[2]; p.Name != "switchValue" || !p.Required || !p.Multiple || !sw.EvenArgs || sw.MinArgs != 4 {
		t.Errorf("Switch: %+v", sw)
	}
	if len(seen) != 14 {
		t.Errorf("Graph's lists name %d functions, want 14", len(seen))
	}
}

// TestFunctionArity: the arities the page's parameter tables give.
func TestFunctionArity(t *testing.T) {
	for _, tc := range []struct {
		name     string
		min, max int
	}{
		{"Append", 2, 2},             // source, suffix: both required
		{"Coalesce", 1, -1},          // source1 … sourceN
		{"FormatDateTime", 4, 4},     // dateTimeStyles optional but positional
		{"Guid", 0, 0},               // no parameters
		{"InStr", 2, 4},              // start, compareType optional
		{"Join", 2, -1},              // separator, source1 … sourceN
		{"PCase", 1, 2},              // wordSeparators optional
		{"RandomString", 5, 6},       // CharactersToAvoid optional
		{"Replace", 1, 7},            // all but source optional
		{"SelectUniqueValue", 2, -1}, // "At least 2 are required, no upper bound"
		{"Switch", 4, -1},            // source, defaultValue, key, value, …
		{"ToLower", 1, 2},            // culture optional
		{"Word", 3, 3},               // all required
	} {
		f, ok := Lookup(tc.name)
		if !ok || f.MinArgs != tc.min || f.MaxArgs != tc.max {
			t.Errorf("%s: %d to %d arguments, want %d to %d", tc.name, f.MinArgs, f.MaxArgs, tc.min, tc.max)
		}
	}
	if _, ok := Lookup("switch"); ok {
		t.Error("Lookup is not case-sensitive")
	}
}

func TestParamBinding(t *testing.T) {
	names := func(fn string, n int) []string {
		f, _ := Lookup(fn)
		var out []string
		for i := range n + 1 {
			if p, ok := f.Param(i, n); ok {
				out = append(out, p.Name)
			} else {
				out = append(out, "-")
			}
		}
		return out
	}
	for _, tc := range []struct {
		fn   string
		n    int
		want []string
	}{
		{"Join", 4, []string{"separator", "source", "source", "source", "-"}},
		{"Switch", 6, []string{"source", "defaultValue", "switchValue", "switchValue", "switchValue", "switchValue", "-"}},
		{"Coalesce", 2, []string{"source", "source", "-"}},
		{"Replace", 7, []string{"source", "Find", "RegularExpression", "RegularExpressionGroupName",
			"Replacement", "ReplacementPropertyName", "Template", "-"}},
		{"Mid", 3, []string{"source", "start", "length", "-"}},
	} {
		if got := names(tc.fn, tc.n); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s with %d arguments binds %v, want %v", tc.fn, tc.n, got, tc.want)
		}
	}
	// A Multiple parameter followed by others leaves them the last
	// arguments.
	f := Function{Params: []Param{{Name: "a"}, {Name: "b", Multiple: true}, {Name: "c"}}}
	var got []string
	for i := range 4 {
		p, _ := f.Param(i, 4)
		got = append(got, p.Name)
	}
	if want := []string{"a", "b", "b", "c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("a, b…, c with 4 arguments binds %v, want %v", got, want)
	}
}

func TestFunctionsAreCopies(t *testing.T) {
	f, _ := Lookup("Mid")
	f.Params[0].Name = "changed"
	Functions()[0].Params[0].Name = "changed"
	if g, _ := Lookup("Mid"); g.Params[0].Name != "source" {
		t.Error("Lookup's result shares the table")
	}
	if g := Functions()[0]; g.Params[0].Name == "changed" {
		t.Error("Functions' result shares the table")
	}
}
