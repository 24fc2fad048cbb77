package hrcsv

import (
	"encoding/json"
	"io"
	"strings"
	"testing"
)

func mustMapping(t *testing.T, src string) *Mapping {
	t.Helper()
	m, err := ParseMapping("map.json", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func readAll(t *testing.T, m *Mapping, csv string) ([]Record, error) {
	t.Helper()
	r, err := NewReader("hr.csv", strings.NewReader(csv), m)
	if err != nil {
		return nil, err
	}
	var out []Record
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
}

// A mapping turns an HR system's own columns into SCIM attributes:
// columns as they are, constants, transforms, joins and value tables, as
// CSV2SCIM's AttributeMapping.psd1 does.
func TestMappingBuildsUsers(t *testing.T) {
	m := mustMapping(t, `{
		"externalId": "WorkerID",
		"userName": {"column": "UserID", "transform": ["lower"]},
		"displayName": {"join": ["FirstName", "LastName"]},
		"name.formatted": {"join": ["LastName", "FirstName"], "separator": ", ", "transform": ["upper"]},
		"title": {"column": "JobTitle", "transform": ["trim"]},
		"userType": {"constant": "Employee"},
		"active": {"column": "WorkerStatus", "values": {"Active": "true", "Leave": "true", "Terminated": "false"}},
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": {"column": "Dept", "values": {"S": "Sales"}, "default": "Other"},
		"urn:contoso:hr:1.0:User:HireDate": {"column": "HireDate", "transform": ["date:DD/MM/YYYY"]}
	}`)
	recs, err := readAll(t, m, "WorkerID,UserID,FirstName,LastName,JobTitle,WorkerStatus,Dept,HireDate,Unused\n"+
		"W1,Ada.L@Contoso.com,Ada,Lovelace,Chief   Analyst,active,S,31/01/2024,x\n"+
		"W2,ben@contoso.com,,Sato,,TERMINATED,R,,\n")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal([]any{recs[0].User, recs[1].User})
	want := `[{"schemas":null,"externalId":"W1","userName":"ada.l@contoso.com","name":{"formatted":"LOVELACE, ADA"},"displayName":"Ada Lovelace","title":"Chief Analyst","userType":"Employee","active":true,` +
		`"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"},"urn:contoso:hr:1.0:User":{"HireDate":"2024-01-31T00:00:00Z"}},` +
		`{"schemas":null,"externalId":"W2","userName":"ben@contoso.com","name":{"formatted":"SATO"},"displayName":"Sato","userType":"Employee","active":false,` +
		`"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Other"}}]`
	if string(got) != want {
		t.Fatalf("users\n%s\nwant\n%s", got, want)
	}
	if a := strings.Join(m.Attributes(), " "); !strings.HasPrefix(a, "externalid username displayname name.formatted title usertype active urn:") {
		t.Errorf("attributes %s", a)
	}
}

// Mistakes in the mapping file are named with its line and column.
func TestMappingErrors(t *testing.T) {
	for src, want := range map[string]string{
		`[]`:                "one JSON object",
		`{"userName": "U"}`: "no externalId",
		`{"externalId": "W",` + "\n" + ` "nope": "X"}`:                                          "map.json line 2 column 2 (nope)",
		`{"externalId": "W", "EXTERNALID": "X"}`:                                                "names the attribute externalid",
		`{"externalId": {"column": "W", "constant": "x"}}`:                                      "exactly one of",
		`{"externalId": {"col": "W"}}`:                                                          "unknown field",
		`{"externalId": {"column": "W", "transform": ["reverse"]}}`:                             "transform \"reverse\"",
		`{"externalId": {"column": "W", "transform": ["date:DD/MM"]}}`:                          "needs YYYY, MM and DD",
		`{"externalId": "W", "active": {"column": "S", "values": {"a": "true", "A": "false"}}}`: "twice",
		`{"externalId": "W", "title": {"constant": "a\u001bb"}}`:                                "control character",
		`{"externalId": "W", "title": {"column": "T", "default": "x"}}`:                         "default goes with values",
		`{"externalId": "W"} {}`:                                                                "more after",
	} {
		_, err := ParseMapping("map.json", strings.NewReader(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", src, err, want)
		}
	}
}

// A record's value that the mapping cannot use is an error naming the
// line, the column and the attribute; a column the header lacks is an
// error of the header.
func TestMappingRecordErrors(t *testing.T) {
	m := mustMapping(t, `{"externalId": "W", "active": {"column": "Status", "values": {"A": "true"}}, "urn:x:1.0:User:D": {"column": "D", "transform": ["date:YYYY-MM-DD"]}}`)
	for csv, want := range map[string]string{
		"W,Status,D\nW1,A,2024-02-30\n": "hr.csv line 2 column 3 (D): urn:x:1.0:User:D: \"2024-02-30\" is not a date",
		"W,Status,D\nW1,X,\n":           "hr.csv line 2 column 2 (Status): active: \"X\" is not one of the values",
		"W,D\nW1,\n":                    "no column \"status\"",
		"W,Status,status,D\nW1,A,A,\n":  "columns 2 and 3",
		"W,Status,D\nW1,A,\x1b\n":       "line 2 column 3: control character",
	} {
		if _, err := readAll(t, m, csv); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", csv, err, want)
		}
	}
}

// A mapping file saved with a byte-order mark (Notepad, PowerShell's
// Out-File) is read as the same file without one.
func TestMappingWithByteOrderMark(t *testing.T) {
	m := mustMapping(t, "\ufeff{\"externalId\": \"WorkerID\", \"title\": \"JobTitle\"}")
	recs, err := readAll(t, m, "WorkerID,JobTitle\nW1,Clerk\n")
	if err != nil || len(recs) != 1 || recs[0].User.ExternalID != "W1" || recs[0].User.Title != "Clerk" {
		t.Fatalf("%+v: %v", recs, err)
	}
}
