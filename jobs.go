package graphsync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
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
	return c.getJob(ctx, servicePrincipalID, jobID, false)
}

// getJob is GetJob; once sends the request once, without the retry
// policy's retries (see request.once).
func (c *Client) getJob(ctx context.Context, servicePrincipalID, jobID string, once bool) (*models.SynchronizationJob, error) {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return nil, err
	}
	resp, err := c.do(ctx, &request{op: "GetJob", method: abs.GET, template: tmplJob, params: jobParams(servicePrincipalID, jobID), once: once})
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
//
// The route is not documented: Graph's synchronizationJob page lists no
// update method and marks schedule read-only. The official SDKs and
// Microsoft Graph PowerShell (Update-MgServicePrincipalSynchronizationJob)
// generate it from Graph's metadata, and it is kept for what they do;
// Graph may refuse it or ignore what it does not let change. Graph
// answered 204 No Content where it was seen to work.
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

// StartOptions are the options of StartJob. Nil means the defaults.
type StartOptions struct {
	// Force starts the job without reading its state first, even when it
	// is running. Graph warns that starting a running job can stop the
	// service: set it only when something else has made sure the job is
	// not running.
	Force bool
}

// ErrJobActive is the error of StartJob for a job that is running:
// Graph's documentation warns not to start a running job, which can stop
// the service, and to start one only when it is paused, in quarantine or
// not started yet. Nothing was started. Use PauseJob first, RestartJob to
// run it again from a reset, or StartOptions.Force.
var ErrJobActive = errors.New("graphsync: the job is running: starting it again can stop the service")

// StartJob starts a job: a new one (Graph creates jobs disabled), a
// paused one, or one in quarantine. Graph answers 204 and runs the job in
// the background; poll GetJob for its status.
//
// Graph's documentation warns that starting a job that is running can
// stop the service. So, unless opts.Force is set, StartJob reads the job
// first (GetJob) and, when it is running (status Active, or scheduled
// Active and not in quarantine), sends nothing more and returns an error
// matching ErrJobActive that names the job's state. The read and the
// start are two requests: a job that changes state between them is not
// seen.
func (c *Client) StartJob(ctx context.Context, servicePrincipalID, jobID string, opts *StartOptions) error {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return err
	}
	if opts == nil || !opts.Force {
		job, err := c.GetJob(ctx, servicePrincipalID, jobID)
		if err != nil {
			return fmt.Errorf("graphsync: reading the job's state before starting it: %w", err)
		}
		if schedule, status, running := jobRunning(job); running {
			return fmt.Errorf("%w (schedule %s, status %s): pause it first, or set StartOptions.Force", ErrJobActive,
				known(string(schedule), "Active", "Disabled", "Paused"),
				known(string(status), "NotConfigured", "NotRun", "Active", "Paused", "Quarantine"))
		}
	}
	return c.jobAction(ctx, "StartJob", servicePrincipalID, jobID, "start", nil)
}

// jobRunning reports whether a job is running: its status is Active, or
// its schedule is Active and it is not in quarantine (a quarantined job
// may be started). It returns the schedule's state and the status's code
// as read, "" for what Graph did not send.
// known returns v quoted when it is one of the documented values, and
// says it is not otherwise: an error names no text of the server's it
// does not know (an echoed token, a terminal escape).
func known(v string, documented ...string) string {
	for _, d := range documented {
		if v == d {
			return strconv.Quote(v)
		}
	}
	return "(undocumented)"
}

func jobRunning(job *models.SynchronizationJob) (schedule models.ScheduleState, status models.StatusCode, running bool) {
	if job.Schedule != nil {
		schedule = job.Schedule.State
	}
	if job.Status != nil {
		status = job.Status.Code
	}
	return schedule, status, status == models.StatusActive ||
		(schedule == models.ScheduleActive && status != models.StatusQuarantine && status != models.StatusPaused)
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
		return nil, resp.fail(fmt.Sprintf("graphsync: decoding %s from a %d answer: %v", what, resp.status, err), err)
	}
	return &v, nil
}

// isNoValue reports whether a body is empty, white space or JSON null.
func isNoValue(body []byte) bool {
	b := bytes.TrimSpace(body)
	return len(b) == 0 || string(b) == "null"
}
