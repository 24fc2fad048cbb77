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
// req.UseSavedCredentials true, the credentials already saved. Graph
// answers 204 No Content when they work; when they do not, the error is a
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
	p := jobParams(servicePrincipalID, jobID)
	p["action"] = "validateCredentials"
	return c.validateCredentials(ctx, &request{op: "ValidateCredentials", method: abs.POST, template: tmplJobAction, params: p}, req)
}

// ValidateTemplateCredentials asks Graph whether credentials work for the
// application of the service principal before any job exists (POST
// .../synchronization/jobs/validateCredentials), with the settings of the
// template req.TemplateID, which is required: the first check of a new
// application, as in Graph's cross-tenant synchronization tutorial, which
// sends UseSavedCredentials false explicitly (new(false)). The rest is as
// for ValidateCredentials: 204 when the credentials work, a
// *ResponseError when they do not, a *ValidationError and nothing sent
// for a bad request.
func (c *Client) ValidateTemplateCredentials(ctx context.Context, servicePrincipalID string, req models.ValidateCredentialsRequest) error {
	if err := checkSP(ctx, servicePrincipalID); err != nil {
		return err
	}
	if strings.TrimSpace(req.TemplateID) == "" {
		return invalid("req.TemplateID", "is required to validate credentials before a job exists")
	}
	return c.validateCredentials(ctx, &request{op: "ValidateTemplateCredentials", method: abs.POST, template: tmplValidateCredentials,
		params: spParams(servicePrincipalID)}, req)
}

const tmplValidateCredentials = "/servicePrincipals/{sp}/synchronization/jobs/validateCredentials"

// validateCredentials checks req, then sends it as r's body.
func (c *Client) validateCredentials(ctx context.Context, r *request, req models.ValidateCredentialsRequest) error {
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
	r.body, r.secrets = body, secretValues(req.Credentials)
	_, err = c.do(ctx, r)
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
