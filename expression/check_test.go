package expression

import (
	"reflect"
	"strings"
	"testing"
)

// TestCheckPageExpressions: every expression of the page is one Graph can
// run, but for the one the page writes in lower case in the Switch
// section's caution: "switch([companyName], …)", which its own rule ("The
// syntax is case-sensitive") refuses.
func TestCheckPageExpressions(t *testing.T) {
	for _, expr := range pageExpressions {
		n, err := Parse(expr)
		if err != nil {
			t.Fatal(err)
		}
		ps := Check(n)
		if strings.HasPrefix(expr, "switch(") {
			want := []Problem{{Pos: 0, Msg: `unknown function "switch" (names are case-sensitive: Switch)`}}
			if !reflect.DeepEqual(ps, want) {
				t.Errorf("Check(%q) = %v, want %v", expr, ps, want)
			}
			continue
		}
		if ps != nil {
			t.Errorf("Check(%q) = %v", expr, ps)
		}
	}
}

func TestCheckProblems(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want []Problem
	}{
		{`Foo([a])`, []Problem{{0, `unknown function "Foo"`}}},
		{`Append([a], TOLOWER([b]))`, []Problem{{12, `unknown function "TOLOWER" (names are case-sensitive: ToLower)`}}},
		{`Append([a])`, []Problem{{0, "Append: takes 2 arguments, not 1"}}},
		{`Mid([a], 1, 2, 3)`, []Problem{{0, "Mid: takes 3 arguments, not 4"}}},
		{`Guid(1)`, []Problem{{0, "Guid: takes 0 arguments, not 1"}}},
		{`InStr([a])`, []Problem{{0, "InStr: takes 2 to 4 arguments, not 1"}}},
		{`Join("")`, []Problem{{0, "Join: takes at least 2 arguments, not 1"}}},
		{`SelectUniqueValue([a])`, []Problem{{0, "SelectUniqueValue: takes at least 2 arguments, not 1"}}},
		{`Switch([a], "d", "k")`, []Problem{{0, "Switch: takes at least 4 arguments, an even number, not 3"}}},
		{`Switch([a], "d", "k", "v", "k2")`, []Problem{{0, "Switch: takes at least 4 arguments, an even number, not 5"}}},
		{`Append(, "x")`, []Problem{{7, "Append: the required argument source (argument 1) is omitted"}}},
		{`Switch([a], , , "v")`, []Problem{{14, "Switch: the required argument switchValue (argument 3) is omitted"}}},
		{`Append(SelectUniqueValue([a], [b]), "x")`,
			[]Problem{{7, "SelectUniqueValue must be the whole expression, not an argument"}}},
		{`InStr([a], "b", 1, vbTextCompare)`, nil},
		{`InStr([a], "b", 1, vbBinary)`, []Problem{{19, `unknown name "vbBinary"` + nameHint}}},
		// Problems in node order, arguments checked below a bad call.
		{`Foo(Bar(), Mid([a]))`, []Problem{
			{0, `unknown function "Foo"`}, {4, `unknown function "Bar"`}, {11, "Mid: takes 3 arguments, not 1"}}},
		{`IIF([a] = Nope(), "x", "y")`, []Problem{{10, `unknown function "Nope"`}}},
	} {
		n, err := Parse(tc.expr)
		if err != nil {
			t.Fatal(err)
		}
		if got := Check(n); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Check(%q) =\n%v\nwant\n%v", tc.expr, got, tc.want)
		}
	}
}

func TestCheckNodesBuiltByHand(t *testing.T) {
	if got := Check(Node{}); len(got) != 1 || got[0].Msg != "the expression is empty" {
		t.Errorf("Check of an omitted node: %v", got)
	}
	deep := attr("a")
	for range MaxDepth + 1 {
		deep = call("Not", deep)
	}
	got := Check(deep)
	if len(got) != 1 || !strings.Contains(got[0].Msg, "nested deeper than 100") {
		t.Errorf("Check of a node %d deep: %v", MaxDepth+1, got)
	}
}
