package upload

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync/graphtest"
)

const hrExport = "WorkerID,Login,First,Last,Status,Hired\n" +
	"W1,Ada@Contoso.com,Ada,Lovelace,A,31/01/2024\n" +
	"W2,ben@contoso.com,Ben,Sato,T,01/02/2020\n"

const hrMapping = `{
	"externalId": "WorkerID",
	"userName": {"column": "Login", "transform": ["lower"]},
	"displayName": {"join": ["First", "Last"]},
	"name.givenName": "First",
	"active": {"column": "Status", "values": {"A": "true", "T": "false"}},
	"userType": {"constant": "Employee"}
}`

// -map uploads an export with the HR system's own columns; -validate
// checks the mapping against the attributes the job's schema accepts,
// reads every record, and sends nothing.
func TestMapAndValidate(t *testing.T) {
	srv, job := fakeReal(t, &graphtest.Options{InboundDelay: 20 * time.Millisecond})
	csv := writeFile(t, "hr.csv", hrExport)
	m := writeFile(t, "map.json", hrMapping)
	r := runArgs(t, context.Background(), "", "-job", job, "-csv", csv, "-map", m, "-validate")
	if r.code != exitOK || bulkCalls(srv) != 0 || !strings.Contains(r.stdout, "usertype") || !strings.Contains(r.stderr, "2 record(s) read") ||
		!strings.Contains(r.stderr, "nothing was sent") {
		t.Fatalf("-validate: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// An attribute the job's schema lacks (a custom extension nobody
	// added to the API's attribute list): exit 2, nothing sent.
	custom := writeFile(t, "custom.json", strings.Replace(hrMapping, `"userType"`, `"urn:contoso:hr:1.0:User:HireDate": {"column": "Hired", "transform": ["date:DD/MM/YYYY"]}, "userType"`, 1))
	r = runArgs(t, context.Background(), "", "-job", job, "-map", custom, "-validate")
	if r.code != exitUsage || bulkCalls(srv) != 0 || !strings.Contains(r.stdout, "urn:contoso:hr:1.0:user:hiredate  no") ||
		!strings.Contains(r.stderr, "1 attribute(s) of "+custom+" are not in the job's schema") {
		t.Fatalf("-validate of an unknown attribute: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// A record the mapping cannot use: exit 2 with its line and column.
	bad := writeFile(t, "bad.csv", hrExport+"W3,c@contoso.com,C,D,X,\n")
	if r := runArgs(t, context.Background(), "", "-job", job, "-csv", bad, "-map", m, "-validate"); r.code != exitUsage ||
		!strings.Contains(r.stderr, "line 4 column 5 (Status)") {
		t.Fatalf("a bad record: exit %d\n%s", r.code, r.stderr)
	}
	// The upload itself.
	code, rows, stderr := runJSON(t, context.Background(), "", "-job", job, "-csv", csv, "-map", m, "-poll", "20ms", "-timeout", "10s")
	if code != exitOK || len(rows) != 2 || bulkCalls(srv) != 1 {
		t.Fatalf("exit %d rows %+v\n%s", code, rows, stderr)
	}
	u, ok := srv.InboundUser("W1")
	if !ok || u.UserName != "ada@contoso.com" || u.DisplayName != "Ada Lovelace" || !u.Active || u.Attributes["userType"] != "Employee" {
		t.Fatalf("W1 = %+v", u)
	}
	if u, _ := srv.InboundUser("W2"); u.Active {
		t.Fatalf("W2 (T) is active: %+v", u)
	}
}
