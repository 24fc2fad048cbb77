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

const (
	tmplValidateCredentials           = "/servicePrincipals/{sp}/synchronization/jobs/validateCredentials"
	tmplAcquireAccessToken            = "/servicePrincipals/{sp}/synchronization/acquireAccessToken"
	tmplAcquireApplicationAccessToken = "/applications/{app}/synchronization/acquireAccessToken"
)

// AcquireAccessToken asks Graph to acquire an OAuth access token that
// authorizes the provisioning service to provision users into the
// service principal's application (POST
// .../servicePrincipals/{id}/synchronization/acquireAccessToken), from
// the credentials the application's OAuth flow needs (for example
// Oauth2AuthorizationCode and Oauth2RedirectUri). Graph answers 204 No
// Content; when it cannot, the error is a *ResponseError with Graph's
// code and message. For the application object rather than its service
// principal, use AcquireApplicationAccessToken.
//
// At least one credential is needed, each with a key, except that a pair
// with neither key nor value is sent as it is (Graph's documented example
// sends one, with only its @odata.type); a value copied from a redacted
// credential (models.Redacted) is refused. A bad argument gives a
// *ValidationError and nothing is sent. Credential values are sent
// through models.CredentialsGraphJSON and never appear in errors, logs or
// spans.
func (c *Client) AcquireAccessToken(ctx context.Context, servicePrincipalID string, credentials []models.SecretKeyValue) error {
	if err := checkSP(ctx, servicePrincipalID); err != nil {
		return err
	}
	return c.acquireAccessToken(ctx, &request{op: "AcquireAccessToken", method: abs.POST, template: tmplAcquireAccessToken,
		params: spParams(servicePrincipalID)}, credentials)
}

// AcquireApplicationAccessToken is AcquireAccessToken for an application
// object (POST /applications/{id}/synchronization/acquireAccessToken):
// applicationID is the application's object ID (Application.ObjectID
// after InstantiateApplicationTemplate), not its appId.
func (c *Client) AcquireApplicationAccessToken(ctx context.Context, applicationID string, credentials []models.SecretKeyValue) error {
	if err := checkContext(ctx); err != nil {
		return err
	}
	if err := checkID("applicationID", applicationID); err != nil {
		return err
	}
	return c.acquireAccessToken(ctx, &request{op: "AcquireApplicationAccessToken", method: abs.POST, template: tmplAcquireApplicationAccessToken,
		params: map[string]string{"app": applicationID}}, credentials)
}

// acquireAccessToken checks credentials, then sends them as r's body.
func (c *Client) acquireAccessToken(ctx context.Context, r *request, credentials []models.SecretKeyValue) error {
	if len(credentials) == 0 {
		return invalid("credentials", "must hold at least one credential")
	}
	if err := checkCredentials("credentials", credentials, true); err != nil {
		return err
	}
	body, err := models.CredentialsGraphJSON(credentials)
	if err != nil {
		return fmt.Errorf("graphsync: encoding acquireAccessToken request: %w", err)
	}
	r.body, r.secrets = body, secretValues(credentials)
	_, err = c.do(ctx, r)
	return err
}

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
	return checkCredentials(field, creds, false)
}

// checkCredentials is checkSecrets; with keyless, a pair that has neither
// a key nor a value (acquireAccessToken's documented example sends one
// with only its @odata.type) is let through.
func checkCredentials(field string, creds []models.SecretKeyValue, keyless bool) error {
	for i, cred := range creds {
		switch {
		case keyless && cred.Key == "" && cred.Value.IsZero():
			continue
		case strings.TrimSpace(string(cred.Key)) == "":
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
