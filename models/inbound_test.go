package models_test

import (
	"encoding/json"
	"fmt"
	"iter"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/graphsync/graphsync/models"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func jsonEqual(t *testing.T, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("got is not JSON: %v: %s", err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("want is not JSON: %v: %s", err, want)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("JSON differs\n got: %s\nwant: %s", got, want)
	}
}

// Each documented request decodes, validates and encodes back
// JSON-equal: nothing is lost or added.
func TestBulkUploadFixturesRoundTrip(t *testing.T) {
	for n := 1; n <= 3; n++ {
		t.Run(fmt.Sprint("example", n), func(t *testing.T) {
			want := readFixture(t, fmt.Sprintf("bulkupload/request_%d.json", n))
			var req models.BulkUpload
			if err := json.Unmarshal(want, &req); err != nil {
				t.Fatal(err)
			}
			if err := req.Validate(); err != nil {
				t.Fatalf("documented request refused: %v", err)
			}
			got, err := json.Marshal(req)
			if err != nil {
				t.Fatal(err)
			}
			jsonEqual(t, got, want)
			if n == 2 && req.Operations[1].Data.Extensions["urn:contoso:employee"]["JobCode"] != "AB-1003" {
				t.Fatalf("custom extension not decoded: %+v", req.Operations[1].Data.Extensions)
			}
			if n == 3 && (req.Operations[0].Data.Active == nil || *req.Operations[0].Data.Active) {
				t.Fatal(`"active": false not kept as a false *bool`)
			}
		})
	}
}

func TestSCIMUserActiveAbsentIsNotFalse(t *testing.T) {
	no := false
	for _, tc := range []struct {
		active *bool
		want   string
	}{
		{nil, `{"schemas":null,"externalId":"1"}`},
		{&no, `{"schemas":null,"externalId":"1","active":false}`},
	} {
		b, err := json.Marshal(models.SCIMUser{ExternalID: "1", Active: tc.active})
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tc.want {
			t.Errorf("got %s, want %s", b, tc.want)
		}
	}
}

func TestSCIMUserExtensions(t *testing.T) {
	in := `{"schemas":["urn:a"],"externalId":"1","urn:b:x":{"n":12345678901234567890,"f":1.50,"o":{"k":[true,null]}},"urn:a":{"s":"v"}}`
	var u models.SCIMUser
	if err := json.Unmarshal([]byte(in), &u); err != nil {
		t.Fatal(err)
	}
	if n, ok := u.Extensions["urn:b:x"]["n"].(json.Number); !ok || n.String() != "12345678901234567890" {
		t.Fatalf("big number not kept: %#v", u.Extensions["urn:b:x"]["n"])
	}
	out, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	// Extensions are written after the modelled attributes, in key order,
	// and numbers exactly as read.
	want := `{"schemas":["urn:a"],"externalId":"1","urn:a":{"s":"v"},"urn:b:x":{"f":1.50,"n":12345678901234567890,"o":{"k":[true,null]}}}`
	if string(out) != want {
		t.Fatalf("got  %s\nwant %s", out, want)
	}

	for _, bad := range []string{
		`{"externalId":"1","userNmae":"typo"}`, // not modelled, not a namespace
		`{"externalId":"1","password":"x"}`,
		`{"externalId":"1","urn:x":"not an object"}`,
		`{"externalId":"1","urn:x":null}`,
		`{"externalId":"1","urn:":{"a":1}}`, // a URN prefix with nothing after it
	} {
		if err := json.Unmarshal([]byte(bad), &u); err == nil {
			t.Errorf("%s: decoded without error", bad)
		}
	}
	// Member names match without regard to case, as encoding/json does,
	// and are not mistaken for unknown members.
	if err := json.Unmarshal([]byte(`{"ExternalID":"1","USERNAME":"u"}`), &u); err != nil || u.UserName != "u" {
		t.Fatalf("case-insensitive member: %v %+v", err, u)
	}
	// An extension named like a modelled attribute cannot be encoded.
	if _, err := json.Marshal(models.SCIMUser{Extensions: map[string]map[string]any{"userName": {}}}); err == nil {
		t.Fatal("an extension clashing with an attribute was encoded")
	}
}

// validRequest returns a request that passes Validate, to be broken one
// field at a time.
func validRequest() models.BulkUpload {
	user := func(id string) models.SCIMUser {
		return models.SCIMUser{
			Schemas:    []string{models.SCIMUserSchema, models.SCIMEnterpriseUserSchema, "urn:contoso:employee"},
			ExternalID: id,
			Enterprise: &models.EnterpriseUser{Department: "Tour Ops"},
			Extensions: map[string]map[string]any{"urn:contoso:employee": {"JobCode": "AB-1"}},
		}
	}
	var ops []models.BulkOperation
	for i := range 4 {
		id := fmt.Sprint(1000 + i)
		ops = append(ops, models.BulkOperation{Method: "POST", BulkID: id, Path: "/Users", Data: user(id)})
	}
	return models.BulkUpload{Schemas: []string{models.BulkRequestSchema}, Operations: ops}
}

func TestBulkUploadValidate(t *testing.T) {
	if err := validRequest().Validate(); err != nil {
		t.Fatalf("valid request refused: %v", err)
	}
	one := 1
	zero := 0
	for _, tc := range []struct {
		name   string
		change func(*models.BulkUpload)
		field  string
		reason string
	}{
		{"no schemas", func(b *models.BulkUpload) { b.Schemas = nil }, "schemas", "must be"},
		{"wrong schema", func(b *models.BulkUpload) { b.Schemas = []string{models.SCIMUserSchema} }, "schemas", "must be"},
		{"extra schema", func(b *models.BulkUpload) { b.Schemas = append(b.Schemas, "urn:x") }, "schemas", "must be"},
		{"no operations", func(b *models.BulkUpload) { b.Operations = nil }, "Operations", "at least one"},
		{"51 operations", func(b *models.BulkUpload) {
			for i := len(b.Operations); i < 51; i++ {
				op := b.Operations[0]
				op.BulkID = fmt.Sprint("b", i)
				b.Operations = append(b.Operations, op)
			}
		}, "Operations", "at most 50"},
		{"failOnErrors 0", func(b *models.BulkUpload) { b.FailOnErrors = &zero }, "failOnErrors", "at least 1"},
		{"method", func(b *models.BulkUpload) { b.Operations[2].Method = "PATCH" }, "Operations[2].method", `"PATCH"`},
		{"method case", func(b *models.BulkUpload) { b.Operations[2].Method = "post" }, "Operations[2].method", "only"},
		{"empty bulkId", func(b *models.BulkUpload) { b.Operations[3].BulkID = " " }, "Operations[3].bulkId", "empty"},
		{"duplicate bulkId", func(b *models.BulkUpload) { b.Operations[3].BulkID = b.Operations[1].BulkID }, "Operations[3].bulkId", "Operations[1]"},
		{"path", func(b *models.BulkUpload) { b.Operations[0].Path = "/Groups" }, "Operations[0].path", `"/Groups"`},
		{"externalId", func(b *models.BulkUpload) { b.Operations[1].Data.ExternalID = "" }, "Operations[1].data.externalId", "required"},
		{"no core schema", func(b *models.BulkUpload) {
			b.Operations[1].Data.Schemas = []string{models.SCIMEnterpriseUserSchema, "urn:contoso:employee"}
		}, "Operations[1].data.schemas", models.SCIMUserSchema},
		{"no enterprise schema", func(b *models.BulkUpload) {
			b.Operations[1].Data.Schemas = []string{models.SCIMUserSchema, "urn:contoso:employee"}
		}, "Operations[1].data.schemas", models.SCIMEnterpriseUserSchema},
		{"extension not listed", func(b *models.BulkUpload) {
			b.Operations[2].Data.Schemas = []string{models.SCIMUserSchema, models.SCIMEnterpriseUserSchema}
		}, "Operations[2].data.schemas", "urn:contoso:employee"},
		{"extension not a URN", func(b *models.BulkUpload) {
			b.Operations[0].Data.Extensions["contoso"] = map[string]any{}
		}, `Operations[0].data["contoso"]`, "URN"},
		{"extension nil map", func(b *models.BulkUpload) {
			b.Operations[0].Data.Extensions["urn:contoso:employee"] = nil
		}, `Operations[0].data["urn:contoso:employee"]`, "nil"},
		{"enterprise as extension", func(b *models.BulkUpload) {
			b.Operations[0].Data.Extensions[models.SCIMEnterpriseUserSchema] = map[string]any{}
		}, `Operations[0].data["` + models.SCIMEnterpriseUserSchema + `"]`, "Enterprise"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := validRequest()
			tc.change(&req)
			err := req.Validate()
			fe, ok := err.(*models.FieldError)
			if !ok {
				t.Fatalf("error %v (%T), want a *FieldError", err, err)
			}
			if fe.Field != tc.field || !strings.Contains(fe.Reason, tc.reason) {
				t.Fatalf("got %q: %q, want %q: …%s…", fe.Field, fe.Reason, tc.field, tc.reason)
			}
		})
	}
	// Schema URNs compare without regard to case; failOnErrors may be set.
	req := validRequest()
	req.Operations[0].Data.Schemas = []string{strings.ToUpper(models.SCIMUserSchema), models.SCIMEnterpriseUserSchema, "URN:CONTOSO:EMPLOYEE"}
	req.FailOnErrors = &one
	if err := req.Validate(); err != nil {
		t.Fatal(err)
	}
}

// users yields n users; externalID(i) gives user i's externalId (i from
// 1). pulled counts the users read.
func users(n int, externalID func(int) string, pulled *int) iter.Seq[models.SCIMUser] {
	return func(yield func(models.SCIMUser) bool) {
		for i := 1; i <= n; i++ {
			*pulled++
			if !yield(models.SCIMUser{ExternalID: externalID(i), UserName: fmt.Sprint("u", i)}) {
				return
			}
		}
	}
}

func TestBulkUploadChunksSizes(t *testing.T) {
	for n, want := range map[int][]int{0: nil, 1: {1}, 49: {49}, 50: {50}, 51: {50, 1}, 120: {50, 50, 20}} {
		var pulled int
		var sizes []int
		next := 1
		for req := range models.BulkUploadChunks(users(n, func(i int) string { return fmt.Sprint("e", i) }, &pulled)) {
			if err := req.Validate(); err != nil {
				t.Fatalf("n=%d: chunk refused: %v", n, err)
			}
			sizes = append(sizes, len(req.Operations))
			for _, op := range req.Operations {
				// Input order, bulkId = externalId, schemas filled.
				if op.Data.UserName != fmt.Sprint("u", next) || op.BulkID != fmt.Sprint("e", next) {
					t.Fatalf("n=%d: operation %+v, want user %d", n, op, next)
				}
				if !reflect.DeepEqual(op.Data.Schemas, []string{models.SCIMUserSchema, models.SCIMEnterpriseUserSchema}) {
					t.Fatalf("schemas = %q", op.Data.Schemas)
				}
				next++
			}
		}
		if !reflect.DeepEqual(sizes, want) || pulled != n {
			t.Errorf("n=%d: sizes %v (pulled %d), want %v", n, sizes, pulled, want)
		}
	}
}

func TestBulkUploadChunksBulkIDs(t *testing.T) {
	// Users 1–4 and 6: externalIds with a duplicate, an empty one, and
	// one that looks like a generated bulkId.
	ids := map[int]string{1: "record-3", 2: "A", 3: "", 4: "A", 5: "B", 6: "B"}
	var pulled int
	var got []string
	for req := range models.BulkUploadChunks(users(6, func(i int) string { return ids[i] }, &pulled)) {
		if err := validBulkIDs(req); err != nil {
			t.Fatal(err)
		}
		for _, op := range req.Operations {
			got = append(got, op.BulkID)
		}
	}
	want := []string{"record-3", "A", "record-3-2", "record-4", "B", "record-6"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("bulkIds %q, want %q", got, want)
	}
	// The suffix counts up from 2 past every taken one.
	ids = map[int]string{1: "record-3", 2: "record-3-2"}
	got = nil
	for req := range models.BulkUploadChunks(users(3, func(i int) string { return ids[i] }, &pulled)) {
		for _, op := range req.Operations {
			got = append(got, op.BulkID)
		}
	}
	if want := []string{"record-3", "record-3-2", "record-3-3"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("bulkIds %q, want %q", got, want)
	}
	// An externalId that repeats in another request is used again: bulkIds
	// need only be unique within a request.
	var n int
	chunks := 0
	for req := range models.BulkUploadChunks(users(100, func(i int) string { return fmt.Sprint("e", (i-1)%50) }, &n)) {
		chunks++
		if req.Operations[0].BulkID != "e0" {
			t.Fatalf("chunk %d starts with %q", chunks, req.Operations[0].BulkID)
		}
	}
}

func validBulkIDs(req models.BulkUpload) error {
	seen := map[string]bool{}
	for _, op := range req.Operations {
		if op.BulkID == "" || seen[op.BulkID] {
			return fmt.Errorf("bulkId %q empty or repeated", op.BulkID)
		}
		seen[op.BulkID] = true
	}
	return nil
}

// The chunker reads no more users than the requests taken need, and
// hands a request over as soon as it is full.
func TestBulkUploadChunksIsLazy(t *testing.T) {
	var pulled int
	for req := range models.BulkUploadChunks(users(1000, func(i int) string { return fmt.Sprint(i) }, &pulled)) {
		if pulled != 50 || len(req.Operations) != 50 {
			t.Fatalf("first request after reading %d users", pulled)
		}
		break
	}
	if pulled != 50 {
		t.Fatalf("read %d users for one request", pulled)
	}
	// Users with a schemas list keep it; extension URNs are added in
	// order when it is empty.
	u := models.SCIMUser{ExternalID: "x", Extensions: map[string]map[string]any{"urn:z": {}, "urn:a": {}}}
	kept := models.SCIMUser{ExternalID: "y", Schemas: []string{"urn:custom"}}
	var got [][]string
	for req := range models.BulkUploadChunks(func(yield func(models.SCIMUser) bool) { _ = yield(u) && yield(kept) }) {
		for _, op := range req.Operations {
			got = append(got, op.Data.Schemas)
		}
	}
	want := [][]string{{models.SCIMUserSchema, models.SCIMEnterpriseUserSchema, "urn:a", "urn:z"}, {"urn:custom"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("schemas %q, want %q", got, want)
	}
	if u.Schemas != nil {
		t.Fatal("the caller's user was modified")
	}
}
