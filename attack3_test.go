package graphsync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/models"
)

// ATTACK3: a server (or Graph itself, quoting the request in its error)
// echoes a credential value in its error message: the doc says
// "Credential values never appear in errors".
func TestAttack3ValidateCredentialsEchoedSecret(t *testing.T) {
	const secret = "s3cr3t-T0KEN-value"
	var logs bytes.Buffer
	c, ts, _ := setup(t, &graphsync.ClientOptions{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	ts.mux.HandleFunc("POST /v1.0/servicePrincipals/{sp}/synchronization/jobs/{job}/validateCredentials", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		fmt.Fprintf(w, `{"error":{"code":"CredentialValidationFailed","message":"The token '%s' was rejected by https://scim.example/?token=%s"}}`, secret, secret)
	})
	err := c.ValidateCredentials(ctx, "sp", "job", models.ValidateCredentialsRequest{Credentials: []models.SecretKeyValue{
		{Key: models.CredentialBaseAddress, Value: models.NewSecret("https://scim.example/")},
		{Key: models.CredentialSecretToken, Value: models.NewSecret(secret)},
	}})
	if err == nil {
		t.Fatal("no error")
	}
	var re *graphsync.ResponseError
	errors.As(err, &re)
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", re), re.Message, logs.String()} {
		if strings.Contains(s, secret) {
			t.Errorf("secret appears: %s", s)
		}
	}
}

// ATTACK3: decode → encode of a schema must be JSON-equal to what was
// received, nothing lost.
func TestAttack3SchemaRoundTripHostile(t *testing.T) {
	cases := map[string]string{
		"big numbers in extra":    `{"id":"s","x":{"a":12345678901234567890,"b":1e400,"c":-0.0000000000000000001,"d":[1.0,2e0]},"synchronizationRules":[{"id":"r","priority":2147483647,"y":123456789012345678901234567890}]}`,
		"null vs absent vs empty": `{"id":"s","directories":null,"synchronizationRules":[{"id":"r","metadata":[],"objectMappings":[{"scope":null,"attributeMappings":[{"source":null}]}],"containerFilter":{"includedContainers":null},"groupFilter":{}}],"version":null}`,
		"unicode escapes":         `{"id":"\u00e9\u2028\u2029<>&","synchronizationRules":[{"id":"r\ud83d\ude00","name":"a\"b\\c\u0000"}],"\u0040odata.context":"x","q":"\u003cscript\u003e"}`,
		"nested nulls in arrays":  `{"id":"s","synchronizationRules":[{"id":"r","objectMappings":[null,{"attributeMappings":[null]}],"metadata":[null]}],"directories":[null]}`,
		"case-different member":   `{"id":"s","ID":"other","Version":"v","synchronizationRules":[{"id":"r","Priority":"x"}]}`,
		"zero values present":     `{"id":"","version":"","synchronizationRules":[{"id":"r","editable":false,"priority":0,"name":""}]}`,
		"deep expression":         `{"id":"s","synchronizationRules":[{"id":"r","objectMappings":[{"attributeMappings":[{"source":` + strings.Repeat(`{"type":"Function","parameters":[{"key":"k","value":`, 200) + `{"name":"x"}` + strings.Repeat(`}]}`, 200) + `}]}]}]}`,
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			var s models.SynchronizationSchema
			if err := json.Unmarshal([]byte(in), &s); err != nil {
				t.Fatalf("decode: %v", err)
			}
			out, err := json.Marshal(s)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if !jsonEqualNumbers(t, out, []byte(in)) {
				t.Errorf("round trip lost something\n in: %s\nout: %s", in, out)
			}
		})
	}
}

func jsonEqualNumbers(t *testing.T, a, b []byte) bool {
	t.Helper()
	dec := func(x []byte) any {
		d := json.NewDecoder(bytes.NewReader(x))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			t.Fatalf("not JSON: %v: %s", err, x)
		}
		return v
	}
	return reflect.DeepEqual(dec(a), dec(b))
}

// ATTACK3: a retried 503 whose message echoes the secret: the retry is
// logged at Info with the message, and the span status carries it.
func TestAttack3ValidateCredentialsEchoedSecretInRetryLog(t *testing.T) {
	const secret = "s3cr3t-T0KEN-value"
	var logs bytes.Buffer
	c, ts, _ := setup(t, &graphsync.ClientOptions{
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Retry:  &graphsync.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, RetryPOSTOnUnavailable: true},
	})
	ts.mux.HandleFunc("POST /v1.0/servicePrincipals/{sp}/synchronization/jobs/{job}/validateCredentials", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(503)
		fmt.Fprintf(w, `{"error":{"code":"ServiceUnavailable","message":"backend could not reach https://scim.example/?token=%s"}}`, secret)
	})
	c.ValidateCredentials(ctx, "sp", "job", models.ValidateCredentialsRequest{Credentials: []models.SecretKeyValue{
		{Key: models.CredentialSecretToken, Value: models.NewSecret(secret)},
	}})
	if strings.Contains(logs.String(), secret) {
		t.Errorf("secret logged: %s", logs.String())
	}
}

// ATTACK3: a 429 on bulkUpload must not pause provisionOnDemand (separate
// limiters), and vice versa.
func TestAttack3BulkThrottleDoesNotPauseProvision(t *testing.T) {
	c, ts, _ := setup(t, nil)
	ts.mux.HandleFunc("POST /v1.0/servicePrincipals/{sp}/synchronization/jobs/{job}/bulkUpload", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(429)
		w.Write([]byte(`{"error":{"code":"TooManyRequests","message":"slow down"}}`))
	})
	ts.mux.HandleFunc("POST /v1.0/servicePrincipals/{sp}/synchronization/jobs/{job}/provisionOnDemand", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(readFile(t, "testdata/provision_response_1.json"))
	})
	u := models.SCIMUser{ExternalID: "E1", UserName: "a@b.c", Schemas: []string{models.SCIMUserSchema, models.SCIMEnterpriseUserSchema}}
	bctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	_, err := c.BulkUpload(bctx, "sp", "job", models.BulkUpload{Schemas: []string{models.BulkRequestSchema},
		Operations: []models.BulkOperation{{Method: "POST", BulkID: "1", Path: "/Users", Data: u}}})
	t.Logf("bulk: %v", err)
	start := time.Now()
	pctx, cancel2 := context.WithTimeout(ctx, 2*time.Second)
	defer cancel2()
	_, err = c.ProvisionOnDemand(pctx, "sp", "job", models.NewProvisionRequest("r", models.User("u")))
	if err != nil || time.Since(start) > time.Second {
		t.Errorf("provisionOnDemand after a bulkUpload 429: %v after %v", err, time.Since(start))
	}
}
