package graphsync

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	abs "github.com/microsoft/kiota-abstractions-go"

	"github.com/graphsync/graphsync/models"
)

// URL templates. Variables are expanded by Kiota's RFC 6570 template
// engine, which percent-encodes every reserved character, so an ID can
// never add a path segment, a query or a fragment.
const (
	tmplJobs      = "/servicePrincipals/{sp}/synchronization/jobs"
	tmplJob       = "/servicePrincipals/{sp}/synchronization/jobs/{job}"
	tmplJobAction = "/servicePrincipals/{sp}/synchronization/jobs/{job}/{action}"
	tmplSecrets   = "/servicePrincipals/{sp}/synchronization/secrets"
)

// CreateJob creates a synchronization job on the service principal from
// job.TemplateID (required; see ListTemplates) and returns the job as
// Graph stored it. Graph creates jobs disabled: call StartJob to run it.
//
// Graph answers 201 Created; any 2xx is taken as success. On failure the
// error is a *ResponseError and no job was created unless Graph says
// otherwise.
func (c *Client) CreateJob(ctx context.Context, servicePrincipalID string, job models.SynchronizationJob) (*models.SynchronizationJob, error) {
	if err := checkSP(ctx, servicePrincipalID); err != nil {
		return nil, err
	}
	if strings.TrimSpace(job.TemplateID) == "" {
		return nil, invalid("job.TemplateID", "is required to create a job")
	}
	if err := checkSchedule("job.Schedule", job.Schedule); err != nil {
		return nil, err
	}
	body, err := json.Marshal(job)
	if err != nil {
		return nil, fmt.Errorf("graphsync: encoding job: %w", err)
	}
	resp, err := c.do(ctx, &request{op: "CreateJob", method: abs.POST, template: tmplJobs, params: spParams(servicePrincipalID), body: body})
	if err != nil {
		return nil, err
	}
	return decode[models.SynchronizationJob](resp, "job")
}

// GetJob returns one job with its schedule and status.
func (c *Client) GetJob(ctx context.Context, servicePrincipalID, jobID string) (*models.SynchronizationJob, error) {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return nil, err
	}
	resp, err := c.do(ctx, &request{op: "GetJob", method: abs.GET, template: tmplJob, params: jobParams(servicePrincipalID, jobID)})
	if err != nil {
		return nil, err
	}
	return decode[models.SynchronizationJob](resp, "job")
}

// ListJobs returns every job of the service principal, following
// @odata.nextLink until the last page. A nextLink that points to a host
// other than the Client's, or back to a page already read, is refused
// with an error, as is a page of more than 1000 jobs (Graph's largest
// page), before it is decoded.
func (c *Client) ListJobs(ctx context.Context, servicePrincipalID string) ([]models.SynchronizationJob, error) {
	if err := checkSP(ctx, servicePrincipalID); err != nil {
		return nil, err
	}
	return list[models.SynchronizationJob](ctx, c, &request{op: "ListJobs", method: abs.GET, template: tmplJobs, params: spParams(servicePrincipalID)})
}

// UpdateJob changes a job (PATCH). Set only what should change, usually
// Schedule or SynchronizationJobSettings; empty fields are not sent.
// Graph answers 204 No Content.
func (c *Client) UpdateJob(ctx context.Context, servicePrincipalID, jobID string, job models.SynchronizationJob) error {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return err
	}
	if err := checkSchedule("job.Schedule", job.Schedule); err != nil {
		return err
	}
	body, err := json.Marshal(job)
	if err != nil {
		return fmt.Errorf("graphsync: encoding job: %w", err)
	}
	_, err = c.do(ctx, &request{op: "UpdateJob", method: abs.PATCH, template: tmplJob, params: jobParams(servicePrincipalID, jobID), body: body})
	return err
}

// DeleteJob deletes a job. Graph answers 204 No Content; deleting a job
// that does not exist returns an error matching ErrNotFound.
func (c *Client) DeleteJob(ctx context.Context, servicePrincipalID, jobID string) error {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return err
	}
	_, err := c.do(ctx, &request{op: "DeleteJob", method: abs.DELETE, template: tmplJob, params: jobParams(servicePrincipalID, jobID)})
	return err
}

// StartJob starts a job, or resumes a paused one. Graph answers 204 and
// runs the job in the background; poll GetJob for its status.
func (c *Client) StartJob(ctx context.Context, servicePrincipalID, jobID string) error {
	return c.jobAction(ctx, "StartJob", servicePrincipalID, jobID, "start", nil)
}

// PauseJob pauses a job; it keeps its state and StartJob resumes it.
func (c *Client) PauseJob(ctx context.Context, servicePrincipalID, jobID string) error {
	return c.jobAction(ctx, "PauseJob", servicePrincipalID, jobID, "pause", nil)
}

// RestartJob restarts a job, first resetting what scope names (for
// example models.ResetWatermark|models.ResetEscrows). With
// models.ResetNone no criteria are sent and Graph restarts the job with
// its defaults.
func (c *Client) RestartJob(ctx context.Context, servicePrincipalID, jobID string, scope models.ResetScope) error {
	if !scope.Valid() {
		return invalid("scope", fmt.Sprintf("undocumented flags in %s", scope))
	}
	var body []byte
	if scope != models.ResetNone {
		var err error
		body, err = json.Marshal(map[string]map[string]models.ResetScope{"criteria": {"resetScope": scope}})
		if err != nil {
			return fmt.Errorf("graphsync: encoding restart criteria: %w", err)
		}
	}
	return c.jobAction(ctx, "RestartJob", servicePrincipalID, jobID, "restart", body)
}

func (c *Client) jobAction(ctx context.Context, op, servicePrincipalID, jobID, action string, body []byte) error {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return err
	}
	p := jobParams(servicePrincipalID, jobID)
	p["action"] = action
	_, err := c.do(ctx, &request{op: op, method: abs.POST, template: tmplJobAction, params: p, body: body})
	return err
}

// SaveSecrets stores the credentials the service principal's jobs use to
// reach the target application (PUT .../synchronization/secrets), for
// example BaseAddress and SecretToken. Values are never logged or included
// in errors. Not available in the China cloud: there it fails with
// ErrUnsupported before sending anything.
func (c *Client) SaveSecrets(ctx context.Context, servicePrincipalID string, secrets []models.SecretKeyValue) error {
	if err := checkSP(ctx, servicePrincipalID); err != nil {
		return err
	}
	if c.cloud.NoSecrets {
		return fmt.Errorf("%w: saving synchronization secrets is not available in the %s cloud", ErrUnsupported, c.cloud.Name)
	}
	if len(secrets) == 0 {
		return invalid("secrets", "must hold at least one key")
	}
	if err := checkSecrets("secrets", secrets); err != nil {
		return err
	}
	body, err := models.SecretsGraphJSON(secrets)
	if err != nil {
		return fmt.Errorf("graphsync: encoding secrets: %w", err)
	}
	_, err = c.do(ctx, &request{op: "SaveSecrets", method: abs.PUT, template: tmplSecrets, params: spParams(servicePrincipalID), body: body,
		secrets: secretValues(secrets)})
	return err
}

// checkSP validates the arguments of calls on a service principal.
func checkSP(ctx context.Context, servicePrincipalID string) error {
	if err := checkContext(ctx); err != nil {
		return err
	}
	return checkID("servicePrincipalID", servicePrincipalID)
}

// checkJob validates the arguments of calls on one job.
func checkJob(ctx context.Context, servicePrincipalID, jobID string) error {
	if err := checkSP(ctx, servicePrincipalID); err != nil {
		return err
	}
	return checkID("jobID", jobID)
}

func checkSchedule(field string, s *models.SynchronizationSchedule) error {
	if s == nil {
		return nil
	}
	if err := s.Interval.Validate(); err != nil {
		return invalid(field+".Interval", err.Error())
	}
	return nil
}

func spParams(sp string) map[string]string { return map[string]string{"sp": sp} }

func jobParams(sp, job string) map[string]string { return map[string]string{"sp": sp, "job": job} }

// decode parses a 2xx body into T. A body that holds no object (empty, or
// JSON null) is an error: the call promised one.
func decode[T any](resp *response, what string) (*T, error) {
	if isNoValue(resp.body) {
		return nil, fmt.Errorf("graphsync: a %d answer without a %s: the body is empty or null", resp.status, what)
	}
	var v T
	if err := json.Unmarshal(resp.body, &v); err != nil {
		return nil, fmt.Errorf("graphsync: decoding %s from a %d answer: %w", what, resp.status, err)
	}
	return &v, nil
}

// isNoValue reports whether a body is empty, white space or JSON null.
func isNoValue(body []byte) bool {
	b := bytes.TrimSpace(body)
	return len(b) == 0 || string(b) == "null"
}
