package graphsync

import (
	"context"
	"fmt"
	"strings"

	abs "github.com/microsoft/kiota-abstractions-go"

	"github.com/graphsync/graphsync/models"
)

// ValidateCredentials asks Graph whether credentials work for the job's
// application, before they are saved (SaveSecrets) or the job is started:
// req.Credentials (for example BaseAddress and SecretToken), or, with
// req.UseSavedCredentials true, the credentials already saved. Graph answers
// 204 No Content when they work; when they do not, the error is a
// *ResponseError with Graph's code and message.
//
// The request is checked first: without UseSavedCredentials at least one
// credential is needed, each with a key; with it, Credentials must be
// empty (Graph would ignore them, and secrets are not sent for nothing).
// A bad request returns a *ValidationError naming the field, and nothing
// is sent. What req sets is sent, and nothing else (see
// models.ValidateCredentialsRequest). Credential values never appear in
// errors, and formatting req does not show them.
func (c *Client) ValidateCredentials(ctx context.Context, servicePrincipalID, jobID string, req models.ValidateCredentialsRequest) error {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return err
	}
	switch saved := req.UsesSavedCredentials(); {
	case saved && len(req.Credentials) > 0:
		return invalid("req.Credentials", "must be empty when req.UseSavedCredentials is true: Graph ignores them")
	case !saved && len(req.Credentials) == 0:
		return invalid("req.Credentials", "must hold at least one credential unless req.UseSavedCredentials is true")
	}
	if err := checkSecrets("req.Credentials", req.Credentials); err != nil {
		return err
	}
	body, err := req.GraphJSON()
	if err != nil {
		return fmt.Errorf("graphsync: encoding validateCredentials request: %w", err)
	}
	p := jobParams(servicePrincipalID, jobID)
	p["action"] = "validateCredentials"
	_, err = c.do(ctx, &request{op: "ValidateCredentials", method: abs.POST, template: tmplJobAction, params: p, body: body,
		secrets: secretValues(req.Credentials)})
	return err
}

// checkSecrets refuses credentials without a key, and values that are
// models.Redacted: a copy of a secret that was printed or encoded, which
// would overwrite or test the real one with that text.
func checkSecrets(field string, creds []models.SecretKeyValue) error {
	for i, cred := range creds {
		if strings.TrimSpace(string(cred.Key)) == "" {
			return invalid(fmt.Sprintf("%s[%d].Key", field, i), "must not be empty")
		}
		if cred.Value.Reveal() == models.Redacted {
			return invalid(fmt.Sprintf("%s[%d].Value", field, i),
				fmt.Sprintf("is %q: a redacted copy of the secret (from formatting or json.Marshal), not the secret", models.Redacted))
		}
	}
	return nil
}

// secretValues returns the values of credentials, for request.secrets.
func secretValues(creds []models.SecretKeyValue) []string {
	out := make([]string, 0, len(creds))
	for _, c := range creds {
		out = append(out, c.Value.Reveal())
	}
	return out
}
