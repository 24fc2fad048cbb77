package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"log/slog"
	"strings"
	"testing"
)

// A credential value refuses to be shown however it is formatted, logged
// or encoded: alone, in a SecretKeyValue, in a slice (SaveSecrets'
// argument), in a request, or in a struct of the caller's that holds one
// (issue #21, item 12: a []SecretKeyValue logged with slog's JSON handler
// showed the values).
func TestCredentialValuesAreNeverShown(t *testing.T) {
	const secret = "hunter2-s3cret"
	req := ValidateCredentialsRequest{
		TemplateID: "scim",
		Credentials: []SecretKeyValue{
			{Key: CredentialBaseAddress, Value: NewSecret("https://" + secret)},
			{Key: CredentialSecretToken, Value: NewSecret(secret)},
			{Key: "Empty"},
		},
	}
	holder := struct {
		Name string
		Req  *ValidateCredentialsRequest
		KVs  []SecretKeyValue
		M    map[string]Secret
	}{"mine", &req, req.Credentials, map[string]Secret{"t": NewSecret(secret)}}
	values := []any{req, &req, req.Credentials, req.Credentials[1], &req.Credentials[1], req.Credentials[1].Value, holder, &holder}
	var out []string
	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3v", "%T"} {
			out = append(out, fmt.Sprintf(verb, v))
		}
		out = append(out, fmt.Sprint(v), fmt.Sprintln(v))
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	var logged bytes.Buffer
	l := log.New(&logged, "", 0)
	l.Printf("%v %+v", req, req)
	l.Print(req.Credentials[0])
	for _, h := range []slog.Handler{slog.NewTextHandler(&logged, nil), slog.NewJSONHandler(&logged, nil)} {
		slog.New(h).Info("validating", "req", req, "reqp", &req, "creds", req.Credentials, "cred", req.Credentials[1],
			"value", req.Credentials[1].Value, "holder", holder)
	}
	text, _ := req.Credentials[1].Value.MarshalText()
	out = append(out, logged.String(), string(text))
	all := strings.Join(out, "\n")
	if strings.Contains(all, secret) || strings.Contains(all, fmt.Sprintf("%x", secret)) || strings.Contains(all, fmt.Sprintf("%X", secret)) {
		t.Fatalf("a secret was shown:\n%s", all)
	}
	for _, want := range []string{"SecretToken", "<redacted>", "{Key:SecretToken Value:<redacted>}", `models.SecretKeyValue{Key:"SecretToken", Value:"<redacted>"}`,
		`"credentials":{"BaseAddress":"<redacted>"`, "req.credentials.SecretToken=<redacted>", `{"key":"SecretToken","value":"\u003credacted\u003e"}`,
		`"creds":[{"key":"BaseAddress","value":"\u003credacted\u003e"}`, "Req:0x"} {
		if !strings.Contains(all, want) {
			t.Errorf("formatting lacks %q:\n%s", want, all)
		}
	}
	// An empty value shows as empty, not as a secret.
	if s := fmt.Sprint(req.Credentials[2]); s != "{Empty }" {
		t.Errorf("empty value shown as %q", s)
	}
}

// The body the Client sends carries the values: that is what they are
// for; reading JSON back gets them too.
func TestCredentialValuesGoToGraph(t *testing.T) {
	req := ValidateCredentialsRequest{TemplateID: "scim", Credentials: []SecretKeyValue{
		{Key: CredentialBaseAddress, Value: NewSecret("https://x/?a=1&b=<2>")}, {Key: CredentialSecretToken, Value: NewSecret("s3cret")},
		{Key: "Empty", Value: NewSecret("")}, {Key: "Unset"},
	}}
	b, err := req.GraphJSON()
	if err != nil {
		t.Fatal(err)
	}
	// An empty value is sent; a value never set is not.
	want := `{"templateId":"scim","credentials":[{"key":"BaseAddress","value":"https://x/?a=1\u0026b=\u003c2\u003e"},{"key":"SecretToken","value":"s3cret"},{"key":"Empty","value":""},{"key":"Unset"}]}`
	if string(b) != want {
		t.Fatalf("GraphJSON = %s\nwant       %s", b, want)
	}
	b, err = SecretsGraphJSON(req.Credentials[1:2])
	if err != nil || string(b) != `{"value":[{"key":"SecretToken","value":"s3cret"}]}` {
		t.Fatalf("SecretsGraphJSON = %s, %v", b, err)
	}
	var back []SecretKeyValue
	if err := json.Unmarshal([]byte(`[{"key":"SecretToken","value":"from-a-file"}]`), &back); err != nil || back[0].Value.Reveal() != "from-a-file" {
		t.Fatalf("read %+v (%q), %v", back, back[0].Value.Reveal(), err)
	}
}

// What the caller set is sent, and nothing else: an explicit false
// (Graph's cross-tenant synchronization tutorial sends one), no member
// for nil.
func TestValidateCredentialsRequestSendsWhatIsSet(t *testing.T) {
	cred := []SecretKeyValue{{Key: CredentialCompanyID, Value: NewSecret("tenant")}}
	for _, tc := range []struct {
		saved *bool
		want  string
	}{
		{nil, `{"templateId":"Azure2Azure","credentials":[{"key":"CompanyId","value":"tenant"}]}`},
		{new(false), `{"templateId":"Azure2Azure","useSavedCredentials":false,"credentials":[{"key":"CompanyId","value":"tenant"}]}`},
		{new(true), `{"templateId":"Azure2Azure","useSavedCredentials":true,"credentials":[{"key":"CompanyId","value":"tenant"}]}`},
	} {
		req := ValidateCredentialsRequest{TemplateID: "Azure2Azure", UseSavedCredentials: tc.saved, Credentials: cred}
		b, err := req.GraphJSON()
		if err != nil || string(b) != tc.want {
			t.Errorf("GraphJSON = %s, %v\nwant       %s", b, err, tc.want)
		}
		if got := req.UsesSavedCredentials(); got != (tc.saved != nil && *tc.saved) {
			t.Errorf("UsesSavedCredentials = %v for %v", got, tc.saved)
		}
		var logged bytes.Buffer
		slog.New(slog.NewTextHandler(&logged, nil)).Info("x", "req", req)
		if has := strings.Contains(logged.String(), "useSavedCredentials="); has != (tc.saved != nil) {
			t.Errorf("logged %s", logged.String())
		}
	}
	// A request read from JSON gets its false back, and sends it again.
	var req ValidateCredentialsRequest
	if err := json.Unmarshal([]byte(`{"useSavedCredentials":false,"credentials":[{"key":"k","value":"v"}]}`), &req); err != nil ||
		req.UseSavedCredentials == nil || *req.UseSavedCredentials {
		t.Fatalf("read %+v, %v", req, err)
	}
}

// acquireAccessToken's documented example sends a pair with nothing but
// its @odata.type: read and sent again, it is unchanged; formatting shows
// the type only when there is one.
func TestSecretKeyValueODataType(t *testing.T) {
	doc := `{"credentials":[{"@odata.type":"microsoft.graph.synchronizationSecretKeyStringValuePair"}]}`
	var in struct{ Credentials []SecretKeyValue }
	if err := json.Unmarshal([]byte(doc), &in); err != nil {
		t.Fatal(err)
	}
	kv := in.Credentials[0]
	if kv.Key != "" || !kv.Value.IsZero() || kv.ODataType != "microsoft.graph.synchronizationSecretKeyStringValuePair" {
		t.Fatalf("read %+v", kv)
	}
	b, err := CredentialsGraphJSON(in.Credentials)
	if err != nil || string(b) != doc {
		t.Fatalf("CredentialsGraphJSON = %s, %v", b, err)
	}
	typed := SecretKeyValue{Key: "k", Value: NewSecret("hunter2"), ODataType: "t"}
	for verb, want := range map[string]string{"%v": "{k <redacted> t}", "%+v": "{Key:k Value:<redacted> ODataType:t}",
		"%#v": `models.SecretKeyValue{Key:"k", Value:"<redacted>", ODataType:"t"}`, "%s": "{k <redacted> t}"} {
		if got := fmt.Sprintf(verb, typed); got != want {
			t.Errorf("%s: %s, want %s", verb, got, want)
		}
	}
	if got := fmt.Sprint(SecretKeyValue{Key: "k", Value: NewSecret("hunter2")}); got != "{k <redacted>}" {
		t.Errorf("without a type: %s", got)
	}
	if NewSecret("").IsZero() || !(Secret{}).IsZero() {
		t.Error("IsZero: NewSecret(\"\") is set, the zero Secret is not")
	}
}
