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

// docsLogPage returns a provisioning logs example as valid JSON: file is
// list_response_1, list_response_2 (v1.0) or list_response_beta_1,
// list_response_beta_2. Example 1 as published (in both versions) ends its
// modifiedProperties array with a trailing comma; exactly that comma is
// removed, and the test fails if the fixture no longer has it (then this
// repair should go).
func docsLogPage(t testing.TB, file string) []byte {
	t.Helper()
	b := readFixture(t, "provisioninglogs/"+file+".json")
	if strings.HasSuffix(file, "_1") {
		if json.Valid(b) {
			t.Fatalf("%s is valid JSON now: drop the repair", file)
		}
		bad := []byte("},\n            ],\n            \"servicePrincipal\"")
		if bytes.Count(b, bad) != 1 {
			t.Fatalf("%s: the trailing comma is not where it was", file)
		}
		b = bytes.Replace(b, bad, []byte("}\n            ],\n            \"servicePrincipal\""), 1)
	}
	if !json.Valid(b) {
		t.Fatalf("%s is not JSON", file)
	}
	return b
}

// docsEvent returns the one event of a documented page, as JSON.
func docsEvent(t *testing.T, file string) json.RawMessage {
	t.Helper()
	var page struct {
		Value []json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(docsLogPage(t, file), &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Value) != 1 {
		t.Fatalf("%s: %d events", file, len(page.Value))
	}
	return page.Value[0]
}

// Each documented event, v1.0 and beta, decodes and encodes back as the
// same JSON: nothing lost (the nulls of errorInformation, additionalDetails
// and oldValue stay null), nothing added (example 1's initiator has no
// initiatorType, and none is written).
func TestProvisioningLogsFixturesRoundTrip(t *testing.T) {
	for _, file := range []string{"list_response_1", "list_response_2", "list_response_beta_1", "list_response_beta_2"} {
		t.Run(file, func(t *testing.T) {
			in := docsEvent(t, file)
			var ev models.ProvisioningObjectSummary
			if err := json.Unmarshal(in, &ev); err != nil {
				t.Fatal(err)
			}
			out, err := json.Marshal(ev)
			if err != nil {
				t.Fatal(err)
			}
			jsonEqual(t, out, in)
			checkDocsEvent(t, file, ev)
		})
	}
}

// A null stays null and a zero Graph sent stays a zero, at every level;
// Duration says whether Graph gave a duration.
func TestProvisioningLogsKeepNullsAndZeros(t *testing.T) {
	for _, tc := range []struct {
		in  string
		dur time.Duration
		ok  bool
	}{
		{`{"durationInMilliseconds":null}`, 0, false},
		{`{"durationInMilliseconds":0}`, 0, true},
		{`{"durationInMilliseconds":1500}`, 1500 * time.Millisecond, true},
		{`{}`, 0, false},
		{`{"id":null,"tenantId":"","provisioningStatusInfo":{"status":null,"errorInformation":{"additionalDetails":null,"reason":"","errorCode":null}},` +
			`"provisioningSteps":[{"details":null,"name":""}],"modifiedProperties":[{"displayName":null,"oldValue":"","newValue":null}],` +
			`"servicePrincipal":null,"initiatedBy":{"id":"","initiatorType":null},"sourceIdentity":{"details":{}},"targetSystem":{"details":{"a":null}}}`, 0, false},
	} {
		var ev models.ProvisioningObjectSummary
		if err := json.Unmarshal([]byte(tc.in), &ev); err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		out, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(tc.in, `"a":null`) {
			jsonEqual(t, out, []byte(tc.in))
		} else if want := strings.Replace(tc.in, `"a":null`, `"a":""`, 1); string(out) == tc.in {
			// StringMap reads a null value as "" (see StringMap).
			t.Fatalf("%s: a null in details came back", out)
		} else {
			jsonEqual(t, out, []byte(want))
		}
		if d, ok := ev.Duration(); d != tc.dur || ok != tc.ok {
			t.Errorf("%s: Duration() = %v, %v; want %v, %v", tc.in, d, ok, tc.dur, tc.ok)
		}
	}
	// A duration set in Go after decoding counts.
	var ev models.ProvisioningObjectSummary
	_ = json.Unmarshal([]byte(`{"durationInMilliseconds":null}`), &ev)
	ev.DurationInMilliseconds = 7
	if d, ok := ev.Duration(); d != 7*time.Millisecond || !ok {
		t.Errorf("Duration() = %v, %v after setting it", d, ok)
	}
	if out, _ := json.Marshal(ev); string(out) != `{"durationInMilliseconds":7}` {
		t.Errorf("encoded %s", out)
	}
}

// An event built in Go, as graphtest builds them, is written with every
// member: zero values as such, nil pointers and slices as null.
func TestProvisioningLogsBuiltInGoWriteEveryMember(t *testing.T) {
	ev := models.ProvisioningObjectSummary{
		ID:                     "e1",
		ActivityDateTime:       time.Date(2024, 5, 1, 2, 3, 4, 500_000_000, time.UTC),
		ProvisioningStatusInfo: &models.ProvisioningStatusInfo{Status: models.LogStatusSkipped},
		ModifiedProperties:     []models.ModifiedProperty{{DisplayName: "n"}},
		ProvisioningSteps:      []models.ProvisioningLogStep{{Name: "s", Details: models.StringMap{"b": "2", "a": "1"}}},
	}
	out, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"e1","activityDateTime":"2024-05-01T02:03:04.5Z","tenantId":"","jobId":"","cycleId":"","changeId":"",` +
		`"provisioningAction":"","durationInMilliseconds":0,"provisioningStatusInfo":{"status":"skipped","errorInformation":null},` +
		`"provisioningSteps":[{"name":"s","provisioningStepType":"","status":"","description":"","details":{"a":"1","b":"2"}}],` +
		`"modifiedProperties":[{"displayName":"n","oldValue":null,"newValue":null}],"servicePrincipal":null,"sourceSystem":null,` +
		`"targetSystem":null,"initiatedBy":null,"sourceIdentity":null,"targetIdentity":null}`
	if string(out) != want {
		t.Fatalf("encoded\n got %s\nwant %s", out, want)
	}
	if d, ok := ev.Duration(); d != 0 || !ok {
		t.Errorf("Duration() = %v, %v for an event built in Go", d, ok)
	}
}

// checkDocsEvent asserts typed fields of the decoded examples.
func checkDocsEvent(t *testing.T, file string, ev models.ProvisioningObjectSummary) {
	t.Helper()
	if ev.Extra != nil {
		t.Fatalf("%s: unmodelled members %v", file, ev.Extra)
	}
	if (ev.ProvisioningAction != models.LogActionCreate && file != "list_response_beta_2") || ev.InitiatedBy == nil || ev.ServicePrincipal == nil {
		t.Fatalf("event %+v", ev)
	}
	switch file {
	case "list_response_1":
		want := time.Date(2019, 5, 4, 3, 0, 54, 0, time.UTC)
		if !ev.ActivityDateTime.Equal(want) || ev.DurationInMilliseconds != 3236 || ev.JobID != "aws.74beb1753b704b63b8d56f0b76082b16.10a7a801-7101-4c69-ae00-ce9f75f8460a" {
			t.Fatalf("event %+v", ev)
		}
		if ev.ProvisioningStatusInfo.Status != models.LogStatusSuccess || ev.ProvisioningStatusInfo.ErrorInformation != nil {
			t.Fatalf("status %+v", ev.ProvisioningStatusInfo)
		}
		if d, ok := ev.Duration(); d != 3236*time.Millisecond || !ok {
			t.Fatalf("Duration() = %v, %v", d, ok)
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
	case "list_response_beta_1":
		if ev.Action != "Create" || ev.StatusInfo == nil || ev.StatusInfo.Status != models.LogStatusSuccess || ev.StatusInfo.Extra != nil {
			t.Fatalf("action %q statusInfo %+v", ev.Action, ev.StatusInfo)
		}
	case "list_response_beta_2":
		st := ev.StatusInfo
		if ev.Action != "Create" || ev.ProvisioningAction != "" || st == nil || st.Status != models.LogStatusFailure ||
			st.ErrorCode != "ContosoEntryConflict" || st.ErrorCategory != models.LogErrorNonServiceFailure ||
			!strings.HasPrefix(st.Reason, "Message: Contoso returned") || st.AdditionalDetails != "" ||
			string(st.Extra["@odata.type"]) != `"#microsoft.graph.statusDetails"` {
			t.Fatalf("action %q statusInfo %+v", ev.Action, st)
		}
	case "list_response_2":
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
		`"sourceSystem":{"id":"s","w":null},"targetIdentity":{"id":"t","v":"1"},"ID":"other","legacy":"Create"}`
	var ev models.ProvisioningObjectSummary
	if err := json.Unmarshal([]byte(in), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.InitiatedBy.InitiatorType != "robot" || string(ev.Extra["future"]) != `{"a":[1,2]}` || string(ev.ServicePrincipal.Extra["name"]) != `"n"` ||
		ev.ID != "1" || string(ev.Extra["ID"]) != `"other"` {
		t.Fatalf("decoded %+v", ev)
	}
	out, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	jsonEqual(t, out, []byte(in))
	if !strings.HasSuffix(string(out), `"ID":"other","future":{"a":[1,2]},"legacy":"Create"}`) {
		t.Fatalf("extra members not last in key order: %s", out)
	}
	// Extra cannot shadow a modelled member or smuggle in bad JSON.
	ev = models.ProvisioningObjectSummary{ID: "real", Extra: map[string]json.RawMessage{"id": json.RawMessage(`"fake"`)}}
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
		{models.ProvisioningLogQuery{Top: 10, OrderBy: models.LogNewestFirst}, ""},
		{models.ProvisioningLogQuery{JobID: "API2AAD.b1.1a"}, "jobId eq 'API2AAD.b1.1a'"},
		{models.ProvisioningLogQuery{JobID: "j", CycleID: "c", ChangeID: "ch", SourceIdentityID: "s/1"},
			"jobId eq 'j' and cycleId eq 'c' and changeId eq 'ch' and sourceIdentity/id eq 's/1'"},
		{models.ProvisioningLogQuery{JobID: "a' or jobId eq 'b"}, "jobId eq 'a'' or jobId eq ''b'"},
		{models.ProvisioningLogQuery{JobID: "''"}, "jobId eq ''''''"},
		{models.ProvisioningLogQuery{After: t0}, "activityDateTime gt 2024-05-01T00:03:04.5Z"},
		{models.ProvisioningLogQuery{CycleID: "c", After: t0, Before: t0.Add(time.Hour)},
			"cycleId eq 'c' and activityDateTime gt 2024-05-01T00:03:04.5Z and activityDateTime lt 2024-05-01T01:03:04.5Z"},
		// Every eq filter, in the documented order.
		{models.ProvisioningLogQuery{ID: "e1", TenantID: "t1", ProvisioningAction: models.LogActionStagedDelete, Status: models.LogStatusFailure,
			ServicePrincipalID: "sp1", ServicePrincipalName: "Contoso", SourceIdentityName: "Ada", SourceIdentityType: "User",
			TargetIdentityName: "Ada L", TargetIdentityType: "User", SourceSystemName: "API",
			TargetSystemName: "Azure Active Directory", InitiatedByName: "Azure AD Provisioning Service"},
			"id eq 'e1' and tenantId eq 't1' and provisioningAction eq 'stagedDelete' and provisioningStatusInfo/status eq 'failure' and " +
				"servicePrincipal/id eq 'sp1' and servicePrincipal/displayName eq 'Contoso' and sourceIdentity/displayName eq 'Ada' and " +
				"sourceIdentity/identityType eq 'User' and targetIdentity/displayName eq 'Ada L' and targetIdentity/identityType eq 'User' and " +
				"sourceSystem/displayName eq 'API' and targetSystem/displayName eq 'Azure Active Directory' and " +
				"initiatedBy/displayName eq 'Azure AD Provisioning Service'"},
		{models.ProvisioningLogQuery{TargetIdentityID: "t/2", ProvisioningAction: "a custom'action"},
			"provisioningAction eq 'a custom''action' and targetIdentity/id eq 't/2'"},
		// Every contains filter, after the eq filters.
		{models.ProvisioningLogQuery{JobID: "j", Contains: models.LogContains{ID: "1", TenantID: "2", JobID: "3", CycleID: "4", ChangeID: "5",
			ProvisioningAction: "dele", Status: "fail", SourceIdentityID: "6", SourceIdentityName: "Ad'a", SourceIdentityType: "Us",
			TargetIdentityID: "7", TargetIdentityName: "8", TargetIdentityType: "Gr", SourceSystemName: "AP", TargetSystemName: "Azure",
			InitiatedByName: "Service"}},
			"jobId eq 'j' and contains(id,'1') and contains(tenantId,'2') and contains(jobId,'3') and contains(cycleId,'4') and " +
				"contains(changeId,'5') and contains(provisioningAction,'dele') and contains(provisioningStatusInfo/status,'fail') and " +
				"contains(sourceIdentity/id,'6') and contains(sourceIdentity/displayName,'Ad''a') and contains(sourceIdentity/identityType,'Us') and " +
				"contains(targetIdentity/id,'7') and contains(targetIdentity/displayName,'8') and contains(targetIdentity/identityType,'Gr') and " +
				"contains(sourceSystem/displayName,'AP') and contains(targetSystem/displayName,'Azure') and contains(initiatedBy/displayName,'Service')"},
		{models.ProvisioningLogQuery{Contains: models.LogContains{SourceIdentityName: "x') or contains(id,'"}},
			"contains(sourceIdentity/displayName,'x'') or contains(id,''')"},
		// Durations (documented in beta), after the times.
		{models.ProvisioningLogQuery{Before: t0, LongerThan: 1500 * time.Millisecond, ShorterThan: time.Minute},
			"activityDateTime lt 2024-05-01T00:03:04.5Z and durationInMilliseconds gt 1500 and durationInMilliseconds lt 60000"},
		{models.ProvisioningLogQuery{ShorterThan: time.Millisecond}, "durationInMilliseconds lt 1"},
		{models.ProvisioningLogQuery{LongerThan: (1<<31 - 1) * time.Millisecond}, "durationInMilliseconds gt 2147483647"},
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
		{models.ProvisioningLogQuery{Status: "fail\ture"}, "Status"},
		{models.ProvisioningLogQuery{ProvisioningAction: "\xc3"}, "ProvisioningAction"},
		{models.ProvisioningLogQuery{InitiatedByName: "\x00"}, "InitiatedByName"},
		{models.ProvisioningLogQuery{ServicePrincipalName: "a\rb"}, "ServicePrincipalName"},
		{models.ProvisioningLogQuery{Contains: models.LogContains{SourceIdentityName: "\n"}}, "Contains.SourceIdentityName"},
		{models.ProvisioningLogQuery{Contains: models.LogContains{InitiatedByName: "\xff"}}, "Contains.InitiatedByName"},
		{models.ProvisioningLogQuery{LongerThan: -time.Millisecond}, "LongerThan"},
		{models.ProvisioningLogQuery{ShorterThan: 1500 * time.Microsecond}, "ShorterThan"},
		{models.ProvisioningLogQuery{ShorterThan: 1 << 31 * time.Millisecond}, "ShorterThan"},
		{models.ProvisioningLogQuery{LongerThan: time.Second, ShorterThan: time.Second}, "LongerThan"},
		{models.ProvisioningLogQuery{OrderBy: "activityDateTime"}, "OrderBy"},
		{models.ProvisioningLogQuery{OrderBy: "jobId desc"}, "OrderBy"},
	} {
		fe, ok := tc.q.Validate().(*models.FieldError)
		if !ok || fe.Field != tc.field {
			t.Errorf("%+v: %v, want a *FieldError for %s", tc.q, fe, tc.field)
		}
	}
	for _, q := range []models.ProvisioningLogQuery{
		{OrderBy: models.LogOldestFirst}, {OrderBy: models.LogNewestFirst},
		{LongerThan: time.Second, ShorterThan: time.Second + time.Millisecond}, {TargetIdentityID: "é"},
	} {
		if err := q.Validate(); err != nil {
			t.Errorf("%+v: %v", q, err)
		}
	}
}

// clause is one comparison of a parsed filter: op is eq, gt, lt or
// contains.
type clause struct{ property, op, value string }

// parseFilter parses the filters Filter writes: clauses joined by " and ",
// each either "property op operand" or "contains(property,literal)", an
// operand being an OData string literal (in single quotes, a quote
// inside doubled) or an unquoted timestamp or integer. It is strict: anything else
// is an error.
func parseFilter(f string) ([]clause, error) {
	literal := func(rest string) (string, string, error) {
		var v strings.Builder
		i := 1
		for {
			if i >= len(rest) {
				return "", "", fmt.Errorf("unterminated literal in %q", rest)
			}
			if rest[i] == '\'' {
				if i+1 < len(rest) && rest[i+1] == '\'' {
					v.WriteByte('\'')
					i += 2
					continue
				}
				return v.String(), rest[i+1:], nil
			}
			v.WriteByte(rest[i])
			i++
		}
	}
	var out []clause
	for f != "" {
		if len(out) > 0 {
			rest, ok := strings.CutPrefix(f, " and ")
			if !ok {
				return nil, fmt.Errorf("expected ' and ' at %q", f)
			}
			f = rest
		}
		if rest, ok := strings.CutPrefix(f, "contains("); ok {
			prop, rest, ok := strings.Cut(rest, ",")
			if !ok || !strings.HasPrefix(rest, "'") {
				return nil, fmt.Errorf("bad contains at %q", f)
			}
			v, rest, err := literal(rest)
			if err != nil {
				return nil, err
			}
			rest, ok = strings.CutPrefix(rest, ")")
			if !ok {
				return nil, fmt.Errorf("contains not closed at %q", rest)
			}
			out = append(out, clause{prop, "contains", v})
			f = rest
			continue
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
			v, after, err := literal(rest)
			if err != nil {
				return nil, err
			}
			c.value, f = v, after
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

// logTextFields says, independently of the code under test, which field
// of a query writes which clause, in order: the eq fields, then the
// contains ones.
var logTextFields = []struct {
	property string
	op       string
	set      func(q *models.ProvisioningLogQuery, v string)
}{
	{"jobId", "eq", func(q *models.ProvisioningLogQuery, v string) { q.JobID = v }},
	{"cycleId", "eq", func(q *models.ProvisioningLogQuery, v string) { q.CycleID = v }},
	{"changeId", "eq", func(q *models.ProvisioningLogQuery, v string) { q.ChangeID = v }},
	{"sourceIdentity/id", "eq", func(q *models.ProvisioningLogQuery, v string) { q.SourceIdentityID = v }},
	{"id", "eq", func(q *models.ProvisioningLogQuery, v string) { q.ID = v }},
	{"tenantId", "eq", func(q *models.ProvisioningLogQuery, v string) { q.TenantID = v }},
	{"provisioningAction", "eq", func(q *models.ProvisioningLogQuery, v string) { q.ProvisioningAction = models.LogAction(v) }},
	{"provisioningStatusInfo/status", "eq", func(q *models.ProvisioningLogQuery, v string) { q.Status = models.LogStatus(v) }},
	{"servicePrincipal/id", "eq", func(q *models.ProvisioningLogQuery, v string) { q.ServicePrincipalID = v }},
	{"servicePrincipal/displayName", "eq", func(q *models.ProvisioningLogQuery, v string) { q.ServicePrincipalName = v }},
	{"sourceIdentity/displayName", "eq", func(q *models.ProvisioningLogQuery, v string) { q.SourceIdentityName = v }},
	{"sourceIdentity/identityType", "eq", func(q *models.ProvisioningLogQuery, v string) { q.SourceIdentityType = v }},
	{"targetIdentity/id", "eq", func(q *models.ProvisioningLogQuery, v string) { q.TargetIdentityID = v }},
	{"targetIdentity/displayName", "eq", func(q *models.ProvisioningLogQuery, v string) { q.TargetIdentityName = v }},
	{"targetIdentity/identityType", "eq", func(q *models.ProvisioningLogQuery, v string) { q.TargetIdentityType = v }},
	{"sourceSystem/displayName", "eq", func(q *models.ProvisioningLogQuery, v string) { q.SourceSystemName = v }},
	{"targetSystem/displayName", "eq", func(q *models.ProvisioningLogQuery, v string) { q.TargetSystemName = v }},
	{"initiatedBy/displayName", "eq", func(q *models.ProvisioningLogQuery, v string) { q.InitiatedByName = v }},
	{"id", "contains", func(q *models.ProvisioningLogQuery, v string) { q.Contains.ID = v }},
	{"tenantId", "contains", func(q *models.ProvisioningLogQuery, v string) { q.Contains.TenantID = v }},
	{"jobId", "contains", func(q *models.ProvisioningLogQuery, v string) { q.Contains.JobID = v }},
	{"cycleId", "contains", func(q *models.ProvisioningLogQuery, v string) { q.Contains.CycleID = v }},
	{"changeId", "contains", func(q *models.ProvisioningLogQuery, v string) { q.Contains.ChangeID = v }},
	{"provisioningAction", "contains", func(q *models.ProvisioningLogQuery, v string) { q.Contains.ProvisioningAction = v }},
	{"provisioningStatusInfo/status", "contains", func(q *models.ProvisioningLogQuery, v string) { q.Contains.Status = v }},
	{"sourceIdentity/id", "contains", func(q *models.ProvisioningLogQuery, v string) { q.Contains.SourceIdentityID = v }},
	{"sourceIdentity/displayName", "contains", func(q *models.ProvisioningLogQuery, v string) { q.Contains.SourceIdentityName = v }},
	{"sourceIdentity/identityType", "contains", func(q *models.ProvisioningLogQuery, v string) { q.Contains.SourceIdentityType = v }},
	{"targetIdentity/id", "contains", func(q *models.ProvisioningLogQuery, v string) { q.Contains.TargetIdentityID = v }},
	{"targetIdentity/displayName", "contains", func(q *models.ProvisioningLogQuery, v string) { q.Contains.TargetIdentityName = v }},
	{"targetIdentity/identityType", "contains", func(q *models.ProvisioningLogQuery, v string) { q.Contains.TargetIdentityType = v }},
	{"sourceSystem/displayName", "contains", func(q *models.ProvisioningLogQuery, v string) { q.Contains.SourceSystemName = v }},
	{"targetSystem/displayName", "contains", func(q *models.ProvisioningLogQuery, v string) { q.Contains.TargetSystemName = v }},
	{"initiatedBy/displayName", "contains", func(q *models.ProvisioningLogQuery, v string) { q.Contains.InitiatedByName = v }},
}

// FuzzProvisioningLogFilter checks that whatever the texts hold (quotes,
// " and ", " or ", parentheses, commas), the filter parses back into
// exactly the clauses asked for, each text as one literal, and nothing
// else. The four texts are spread over the text fields: field i gets text
// i%4 when bit i of mask is set.
func FuzzProvisioningLogFilter(f *testing.F) {
	f.Add("API2AAD.b16687d38faf42adb29892cdcaf01c6e.1a03de52", "", "", "", uint64(1), int64(0), int64(0))
	f.Add("a' or jobId eq 'b", "'", "''", "x' and cycleId eq 'y", uint64(0xf), int64(1714521600), int64(1500))
	f.Add("') or (1 eq 1", "c", " and ", "%27%20or", ^uint64(0), int64(-1), int64(-2))
	f.Add("'", "x') or contains(id,'", "a'' or ''b", "end'", uint64(0x3_0000_0000), int64(0), int64(1<<31))
	f.Fuzz(checkFilterParsesBack)
}

// TestProvisioningLogFilterProperty runs the fuzz property over random
// texts built from the characters that matter (quotes, spaces, "and",
// "or", parentheses, commas), over random sets of fields, so that every
// test run checks it.
func TestProvisioningLogFilterProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"'", "''", " ", " and ", " or ", "eq", "(", ")", ",", "a", "/", "%27", "é", "jobId", "contains(", "\\"}
	text := func() string {
		var b strings.Builder
		for range rng.IntN(6) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	for range 5000 {
		checkFilterParsesBack(t, text(), text(), text(), text(), rng.Uint64(), rng.Int64N(4e9)-2e9, rng.Int64N(3e9)-1e9)
	}
}

func checkFilterParsesBack(t *testing.T, a, b, c, d string, mask uint64, unix, ms int64) {
	texts := []string{a, b, c, d}
	var q models.ProvisioningLogQuery
	var want []clause
	for i, f := range logTextFields {
		if mask&(1<<i) != 0 {
			f.set(&q, texts[i%4])
			if texts[i%4] != "" {
				want = append(want, clause{f.property, f.op, texts[i%4]})
			}
		}
	}
	if unix != 0 {
		q.After = time.Unix(unix, 0)
		want = append(want, clause{"activityDateTime", "gt", q.After.UTC().Format(time.RFC3339Nano)})
	}
	if ms > 0 && ms < 1<<31 {
		q.LongerThan = time.Duration(ms) * time.Millisecond
		want = append(want, clause{"durationInMilliseconds", "gt", fmt.Sprint(ms)})
	}
	if q.Validate() != nil {
		for _, s := range texts {
			if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
				return // refused before any filter is built
			}
		}
		t.Fatalf("%+v refused: %v", q, q.Validate())
	}
	got, err := parseFilter(q.Filter())
	if err != nil {
		t.Fatalf("%q: %v", q.Filter(), err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("filter %q parsed as %q, want %q", q.Filter(), got, want)
	}
}

// Key is an event's id, or for events Graph sent without one a digest
// that tells them apart (and is the same for the same event read twice).
func TestProvisioningObjectSummaryKey(t *testing.T) {
	var a, b, a2 models.ProvisioningObjectSummary
	for _, tc := range []struct {
		ev   *models.ProvisioningObjectSummary
		body string
	}{
		{&a, `{"sourceIdentity":{"id":"USER-A"},"provisioningAction":"create"}`},
		{&b, `{"sourceIdentity":{"id":"USER-B"},"provisioningAction":"create"}`},
		{&a2, `{"sourceIdentity":{"id":"USER-A"},"provisioningAction":"create"}`},
	} {
		if err := json.Unmarshal([]byte(tc.body), tc.ev); err != nil {
			t.Fatal(err)
		}
	}
	if a.Key() == b.Key() || a.Key() != a2.Key() || !strings.HasPrefix(a.Key(), "sha256:") {
		t.Errorf("keys %q %q %q", a.Key(), b.Key(), a2.Key())
	}
	if k := (models.ProvisioningObjectSummary{ID: "ev-1"}).Key(); k != "ev-1" {
		t.Errorf("key of an event with an id: %q", k)
	}
}
