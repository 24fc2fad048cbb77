package models_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/graphsync/graphsync/models"
)

// docsLogPage returns the provisioning logs example n as valid JSON.
// Example 1 as published ends its modifiedProperties array with a
// trailing comma; exactly that comma is removed, and the test fails if
// the fixture no longer has it (then this repair should go).
func docsLogPage(t testing.TB, n int) []byte {
	t.Helper()
	b := readFixture(t, fmt.Sprintf("provisioninglogs/list_response_%d.json", n))
	if n == 1 {
		if json.Valid(b) {
			t.Fatal("example 1 is valid JSON now: drop the repair")
		}
		bad := []byte("},\n            ],\n            \"servicePrincipal\"")
		if bytes.Count(b, bad) != 1 {
			t.Fatal("example 1's trailing comma is not where it was")
		}
		b = bytes.Replace(b, bad, []byte("}\n            ],\n            \"servicePrincipal\""), 1)
	}
	if !json.Valid(b) {
		t.Fatalf("example %d is not JSON", n)
	}
	return b
}

// Each documented event decodes and encodes back with every member it
// had, value for value. Members Graph sent as null may come back as ""
// (strings are not pointers: a null errorInfo string reads as ""), and
// members the example leaves out come back as zero values ("", 0, null,
// {} or []), because the models write every property they hold.
func TestProvisioningLogsFixturesKeepEveryField(t *testing.T) {
	for n := 1; n <= 2; n++ {
		t.Run(fmt.Sprint("example", n), func(t *testing.T) {
			var page struct {
				Value []json.RawMessage `json:"value"`
			}
			if err := json.Unmarshal(docsLogPage(t, n), &page); err != nil {
				t.Fatal(err)
			}
			if len(page.Value) != 1 {
				t.Fatalf("%d events", len(page.Value))
			}
			var ev models.ProvisioningObjectSummary
			if err := json.Unmarshal(page.Value[0], &ev); err != nil {
				t.Fatal(err)
			}
			out, err := json.Marshal(ev)
			if err != nil {
				t.Fatal(err)
			}
			var want, got any
			_ = json.Unmarshal(page.Value[0], &want)
			_ = json.Unmarshal(out, &got)
			if err := keeps(got, want, "$"); err != nil {
				t.Fatalf("%v\nencoded: %s", err, out)
			}
			checkDocsEvent(t, n, ev)
		})
	}
}

// keeps reports how got fails to hold every non-null member of want with
// the same value, or holds a member want lacks with a value other than a
// zero value.
func keeps(got, want any, path string) error {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: got %v, want an object", path, got)
		}
		for k, wv := range w {
			gv, present := g[k]
			if wv == nil {
				if present && !isZero(gv) {
					return fmt.Errorf("%s.%s: got %v, want null", path, k, gv)
				}
				continue
			}
			if !present {
				return fmt.Errorf("%s.%s: lost", path, k)
			}
			if err := keeps(gv, wv, path+"."+k); err != nil {
				return err
			}
		}
		for k, gv := range g {
			if _, inWant := w[k]; !inWant && !isZero(gv) {
				return fmt.Errorf("%s.%s: added %v", path, k, gv)
			}
		}
		return nil
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Errorf("%s: got %v, want %d items", path, got, len(w))
		}
		for i := range w {
			if err := keeps(g[i], w[i], fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		return nil
	default:
		if !reflect.DeepEqual(got, want) {
			return fmt.Errorf("%s: got %#v, want %#v", path, got, want)
		}
		return nil
	}
}

func isZero(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == "" || v == "0001-01-01T00:00:00Z" // the zero time.Time
	case float64:
		return v == 0
	case bool:
		return !v
	case map[string]any:
		return len(v) == 0
	case []any:
		return len(v) == 0
	}
	return false
}

// checkDocsEvent asserts typed fields of the decoded examples.
func checkDocsEvent(t *testing.T, n int, ev models.ProvisioningObjectSummary) {
	t.Helper()
	if ev.ProvisioningAction != models.LogActionCreate || ev.InitiatedBy == nil || ev.ServicePrincipal == nil {
		t.Fatalf("event %+v", ev)
	}
	switch n {
	case 1:
		want := time.Date(2019, 5, 4, 3, 0, 54, 0, time.UTC)
		if !ev.ActivityDateTime.Equal(want) || ev.DurationInMilliseconds != 3236 || ev.JobID != "aws.74beb1753b704b63b8d56f0b76082b16.10a7a801-7101-4c69-ae00-ce9f75f8460a" {
			t.Fatalf("event %+v", ev)
		}
		if ev.ProvisioningStatusInfo.Status != models.LogStatusSuccess || ev.ProvisioningStatusInfo.ErrorInformation != nil {
			t.Fatalf("status %+v", ev.ProvisioningStatusInfo)
		}
		if raw := ev.InitiatedBy.Extra["initiatingType"]; string(raw) != `"system"` || ev.InitiatedBy.InitiatorType != "" {
			t.Fatalf("initiator %+v", ev.InitiatedBy)
		}
		if len(ev.ModifiedProperties) != 5 || ev.ModifiedProperties[4].OldValue != nil ||
			*ev.ModifiedProperties[4].NewValue != "https://signin.contoso.com/saml?metadata=contoso|ISV9.1|primary|z" {
			t.Fatalf("modified %+v", ev.ModifiedProperties)
		}
		if ev.TargetSystem.Details["ServicePrincipalDisplayName"] != "Contoso" || ev.SourceIdentity.IdentityType != "RolesCompound" {
			t.Fatalf("systems %+v %+v", ev.TargetSystem, ev.SourceIdentity)
		}
		if s := ev.ProvisioningSteps[0]; !strings.EqualFold(string(s.ProvisioningStepType), string(models.LogStepImport)) || s.Details == nil {
			t.Fatalf("step %+v", s)
		}
	case 2:
		info := ev.ProvisioningStatusInfo
		if info.Status != models.LogStatusFailure || info.ErrorInformation == nil {
			t.Fatalf("status %+v", info)
		}
		e := info.ErrorInformation
		if e.ErrorCode != "ContosoEntryConflict" || e.ErrorCategory != models.LogErrorNonServiceFailure ||
			!strings.HasPrefix(e.Reason, "Message: Contoso returned") || e.AdditionalDetails != "" {
			t.Fatalf("error %+v", e)
		}
		last := ev.ProvisioningSteps[2]
		if last.ProvisioningStepType != models.LogStepExport || last.Status != models.LogStatusFailure || last.Details["ReportableIdentifier"] != "Self-service Pilot" {
			t.Fatalf("step %+v", last)
		}
		if ev.InitiatedBy.InitiatorType != models.InitiatorSystem || ev.InitiatedBy.Extra != nil || ev.ServicePrincipal.DisplayName != "Contoso" {
			t.Fatalf("initiator %+v sp %+v", ev.InitiatedBy, ev.ServicePrincipal)
		}
		if ev.TargetIdentity.ID != "" || ev.TargetIdentity.IdentityType != "Group" || ev.SourceIdentity.DisplayName != "Self-service Pilot" {
			t.Fatalf("identities %+v %+v", ev.SourceIdentity, ev.TargetIdentity)
		}
	}
}

// Members Graph adds later survive at every level, in order of name after
// the modelled ones.
func TestProvisioningLogsKeepUnknownMembers(t *testing.T) {
	in := `{"id":"1","future":{"a":[1,2]},"provisioningStatusInfo":{"status":"warning","x":1,"errorInformation":{"errorCode":"E","y":true}},` +
		`"provisioningSteps":[{"name":"s","z":"?"}],"initiatedBy":{"initiatorType":"robot"},"servicePrincipal":{"id":"sp","name":"n"},` +
		`"sourceSystem":{"id":"s","w":null},"targetIdentity":{"id":"t","v":"1"},"action":"Create"}`
	var ev models.ProvisioningObjectSummary
	if err := json.Unmarshal([]byte(in), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.InitiatedBy.InitiatorType != "robot" || string(ev.Extra["future"]) != `{"a":[1,2]}` || string(ev.ServicePrincipal.Extra["name"]) != `"n"` {
		t.Fatalf("decoded %+v", ev)
	}
	out, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	var want, got any
	_ = json.Unmarshal([]byte(in), &want)
	_ = json.Unmarshal(out, &got)
	if err := keeps(got, want, "$"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.HasSuffix(string(out), `"action":"Create","future":{"a":[1,2]}}`) {
		t.Fatalf("extra members not last in key order: %s", out)
	}
	// Extra cannot shadow a modelled member or smuggle in bad JSON.
	ev = models.ProvisioningObjectSummary{ID: "real", Extra: map[string]json.RawMessage{"id": json.RawMessage(`"fake"`), "ID": json.RawMessage(`"fake"`)}}
	if out, _ := json.Marshal(ev); strings.Count(string(out), `"fake"`) != 0 {
		t.Fatalf("Extra shadowed id: %s", out)
	}
	ev.Extra = map[string]json.RawMessage{"x": json.RawMessage(`{`)}
	if _, err := json.Marshal(ev); err == nil {
		t.Fatal("invalid Extra encoded")
	}
	// Bad JSON in a nested object's Extra fails the whole event, whether
	// or not the event has unknown members of its own.
	for _, extra := range []map[string]json.RawMessage{nil, {"future": json.RawMessage(`1`)}} {
		ev = models.ProvisioningObjectSummary{ID: "1", Extra: extra,
			ProvisioningSteps: []models.ProvisioningLogStep{{Name: "s", Extra: map[string]json.RawMessage{"z": json.RawMessage(`{`)}}}}
		if out, err := json.Marshal(ev); err == nil {
			t.Fatalf("invalid Extra in a step encoded: %s", out)
		}
	}
}

func TestServicePrincipalShapes(t *testing.T) {
	for in, want := range map[string]string{
		`{"id":"a","displayName":"A"}`:   "a",
		`[{"id":"b","displayName":"B"}]`: "b",
		`[]`:                             "",
	} {
		var ev models.ProvisioningObjectSummary
		if err := json.Unmarshal([]byte(`{"servicePrincipal":`+in+`}`), &ev); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if ev.ServicePrincipal == nil || ev.ServicePrincipal.ID != want {
			t.Fatalf("%s: %+v", in, ev.ServicePrincipal)
		}
	}
	var ev models.ProvisioningObjectSummary
	if err := json.Unmarshal([]byte(`{"servicePrincipal":[{"id":"a"},{"id":"b"}]}`), &ev); err == nil {
		t.Fatal("two service principals read as one")
	}
	// Called directly, as a json.Unmarshaler may be: blank input is an
	// error, not a panic.
	var sp models.ProvisioningServicePrincipal
	if err := sp.UnmarshalJSON([]byte(" ")); err == nil {
		t.Fatal("blank input read as a service principal")
	}
}

func TestProvisioningLogQueryFilter(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 2, 3, 4, 500_000_000, time.FixedZone("CEST", 2*3600))
	for _, tc := range []struct {
		q    models.ProvisioningLogQuery
		want string
	}{
		{models.ProvisioningLogQuery{}, ""},
		{models.ProvisioningLogQuery{Top: 10}, ""},
		{models.ProvisioningLogQuery{JobID: "API2AAD.b1.1a"}, "jobId eq 'API2AAD.b1.1a'"},
		{models.ProvisioningLogQuery{JobID: "j", CycleID: "c", ChangeID: "ch", SourceIdentityID: "s/1"},
			"jobId eq 'j' and cycleId eq 'c' and changeId eq 'ch' and sourceIdentity/id eq 's/1'"},
		{models.ProvisioningLogQuery{JobID: "a' or jobId eq 'b"}, "jobId eq 'a'' or jobId eq ''b'"},
		{models.ProvisioningLogQuery{JobID: "''"}, "jobId eq ''''''"},
		{models.ProvisioningLogQuery{After: t0}, "activityDateTime gt 2024-05-01T00:03:04.5Z"},
		{models.ProvisioningLogQuery{CycleID: "c", After: t0, Before: t0.Add(time.Hour)},
			"cycleId eq 'c' and activityDateTime gt 2024-05-01T00:03:04.5Z and activityDateTime lt 2024-05-01T01:03:04.5Z"},
	} {
		if err := tc.q.Validate(); err != nil {
			t.Fatalf("%+v: %v", tc.q, err)
		}
		if got := tc.q.Filter(); got != tc.want {
			t.Errorf("%+v:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

func TestProvisioningLogQueryValidate(t *testing.T) {
	t0 := time.Now()
	for _, tc := range []struct {
		q     models.ProvisioningLogQuery
		field string
	}{
		{models.ProvisioningLogQuery{Top: -1}, "Top"},
		{models.ProvisioningLogQuery{After: t0, Before: t0}, "After"},
		{models.ProvisioningLogQuery{After: t0.Add(time.Second), Before: t0}, "After"},
		{models.ProvisioningLogQuery{JobID: "a\nb"}, "JobID"},
		{models.ProvisioningLogQuery{SourceIdentityID: "\xff"}, "SourceIdentityID"},
		{models.ProvisioningLogQuery{CycleID: "\x7f"}, "CycleID"},
	} {
		fe, ok := tc.q.Validate().(*models.FieldError)
		if !ok || fe.Field != tc.field {
			t.Errorf("%+v: %v, want a *FieldError for %s", tc.q, fe, tc.field)
		}
	}
}

// clause is one comparison of a parsed filter.
type clause struct{ property, op, value string }

// parseFilter parses the filters Filter writes: comparisons joined by
// " and ", each a property, an operator and an OData string literal (in
// single quotes, ” for a quote) or an unquoted timestamp. It is strict:
// anything else is an error.
func parseFilter(f string) ([]clause, error) {
	var out []clause
	for f != "" {
		if len(out) > 0 {
			rest, ok := strings.CutPrefix(f, " and ")
			if !ok {
				return nil, fmt.Errorf("expected ' and ' at %q", f)
			}
			f = rest
		}
		prop, rest, ok := strings.Cut(f, " ")
		if !ok {
			return nil, fmt.Errorf("no operator after %q", f)
		}
		op, rest, ok := strings.Cut(rest, " ")
		if !ok {
			return nil, fmt.Errorf("no operand after %q", f)
		}
		c := clause{property: prop, op: op}
		if strings.HasPrefix(rest, "'") {
			var v strings.Builder
			i := 1
			for {
				if i >= len(rest) {
					return nil, fmt.Errorf("unterminated literal in %q", rest)
				}
				if rest[i] == '\'' {
					if i+1 < len(rest) && rest[i+1] == '\'' {
						v.WriteByte('\'')
						i += 2
						continue
					}
					i++
					break
				}
				v.WriteByte(rest[i])
				i++
			}
			c.value, f = v.String(), rest[i:]
		} else {
			end := strings.Index(rest, " ")
			if end < 0 {
				end = len(rest)
			}
			c.value, f = rest[:end], rest[end:]
		}
		out = append(out, c)
	}
	return out, nil
}

// FuzzProvisioningLogFilter checks that whatever the IDs hold (quotes,
// " and ", " or ", parentheses), the filter parses back into exactly the
// clauses asked for, each ID as one literal, and nothing else.
func FuzzProvisioningLogFilter(f *testing.F) {
	f.Add("API2AAD.b16687d38faf42adb29892cdcaf01c6e.1a03de52", "", "", "", int64(0))
	f.Add("a' or jobId eq 'b", "'", "''", "x' and cycleId eq 'y", int64(1714521600))
	f.Add("') or (1 eq 1", "c", " and ", "%27%20or", int64(-1))
	f.Add("'", "", "a'' or ''b", "end'", int64(0))
	f.Fuzz(checkFilterParsesBack)
}

// TestProvisioningLogFilterProperty runs the fuzz property over random
// IDs built from the characters that matter (quotes, spaces, "and",
// "or", parentheses), so that every test run checks it.
func TestProvisioningLogFilterProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"'", "''", " ", " and ", " or ", "eq", "(", ")", "a", "/", "%27", "é", "jobId", "\\"}
	id := func() string {
		var b strings.Builder
		for range rng.IntN(6) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	for range 5000 {
		checkFilterParsesBack(t, id(), id(), id(), id(), rng.Int64N(4e9)-2e9)
	}
}

func checkFilterParsesBack(t *testing.T, job, cycle, change, source string, unix int64) {
	q := models.ProvisioningLogQuery{JobID: job, CycleID: cycle, ChangeID: change, SourceIdentityID: source}
	if unix != 0 {
		q.After = time.Unix(unix, 0)
	}
	if q.Validate() != nil {
		for _, s := range []string{job, cycle, change, source} {
			if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
				return // refused before any filter is built
			}
		}
		t.Fatalf("%+v refused", q)
	}
	got, err := parseFilter(q.Filter())
	if err != nil {
		t.Fatalf("%q: %v", q.Filter(), err)
	}
	var want []clause
	for _, c := range []clause{{"jobId", "eq", job}, {"cycleId", "eq", cycle}, {"changeId", "eq", change}, {"sourceIdentity/id", "eq", source}} {
		if c.value != "" {
			want = append(want, c)
		}
	}
	if unix != 0 {
		want = append(want, clause{"activityDateTime", "gt", q.After.UTC().Format(time.RFC3339Nano)})
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("filter %q parsed as %q, want %q", q.Filter(), got, want)
	}
}
