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

func TestCredentialValuesAreNeverFormatted(t *testing.T) {
	const secret = "hunter2-s3cret"
	req := ValidateCredentialsRequest{
		TemplateID: "scim",
		Credentials: []SecretKeyValue{
			{Key: CredentialBaseAddress, Value: "https://" + secret},
			{Key: CredentialSecretToken, Value: secret},
			{Key: "Empty"},
		},
	}
	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3v"} {
		out = append(out, fmt.Sprintf(verb, req), fmt.Sprintf(verb, req.Credentials), fmt.Sprintf(verb, req.Credentials[1]),
			fmt.Sprintf(verb, &req.Credentials[1]))
	}
	out = append(out, fmt.Sprint(req), fmt.Sprintln(req.Credentials), req.Credentials[1].String(), req.Credentials[1].GoString())
	var logged bytes.Buffer
	l := log.New(&logged, "", 0)
	l.Printf("%v %+v", req, req)
	l.Print(req.Credentials[0])
	slog.New(slog.NewTextHandler(&logged, nil)).Info("validating", "req", req, "cred", req.Credentials[1])
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("validating", "req", req, "cred", req.Credentials[1])
	out = append(out, logged.String())
	all := strings.Join(out, "\n")
	if strings.Contains(all, secret) || strings.Contains(all, fmt.Sprintf("%x", secret)) {
		t.Fatalf("a secret was formatted:\n%s", all)
	}
	for _, want := range []string{"SecretToken", "<redacted>", "{Key:SecretToken Value:<redacted>}", `models.SecretKeyValue{Key:"SecretToken", Value:"<redacted>"}`,
		`"credentials":{"BaseAddress":"<redacted>"`, "req.credentials.SecretToken=<redacted>"} {
		if !strings.Contains(all, want) {
			t.Errorf("formatting lacks %q:\n%s", want, all)
		}
	}
	// Each verb gets its form: %#v GoString, %+v the fields, any other
	// verb or flag String.
	kv := req.Credentials[1]
	for verb, want := range map[string]string{"%v": kv.String(), "%s": kv.String(), "%+s": kv.String(), "%#s": kv.String(),
		"%+v": "{Key:SecretToken Value:<redacted>}", "%#v": kv.GoString()} {
		if got := fmt.Sprintf(verb, kv); got != want {
			t.Errorf("Sprintf(%q) = %q, want %q", verb, got, want)
		}
	}
	// The wire form carries the values: that is what they are for.
	b, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"templateId":"scim","credentials":[{"key":"BaseAddress","value":"https://hunter2-s3cret"},{"key":"SecretToken","value":"hunter2-s3cret"},{"key":"Empty","value":""}]}`
	if string(b) != want {
		t.Fatalf("JSON = %s\nwant  %s", b, want)
	}
}
