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
		{Key: CredentialBaseAddress, Value: NewSecret("https://x/?a=1&b=<2>")}, {Key: CredentialSecretToken, Value: NewSecret("s3cret")}, {Key: "Empty"},
	}}
	b, err := req.GraphJSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"templateId":"scim","credentials":[{"key":"BaseAddress","value":"https://x/?a=1\u0026b=\u003c2\u003e"},{"key":"SecretToken","value":"s3cret"},{"key":"Empty","value":""}]}`
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
