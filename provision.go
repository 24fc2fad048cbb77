package graphsync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	abs "github.com/microsoft/kiota-abstractions-go"

	"github.com/graphsync/graphsync/models"
)

const tmplProvision = "/servicePrincipals/{sp}/synchronization/jobs/{job}/provisionOnDemand"

// ProvisionOnDemand provisions the subjects of req now, through the job's
// rules, and returns Graph's answer decoded.
//
// The request is validated first (see models.ProvisionRequest.Validate);
// a bad one returns a *ValidationError naming the field, and nothing is
// sent. In the China cloud, where Graph does not offer this API, it
// returns an error matching ErrUnsupported without sending.
//
// Every call waits for the Client's limiter (5 calls in any 10 seconds by
// default, Graph's documented limit). A 429 answer pauses the limiter for
// its Retry-After, for every caller sharing it, and the call is sent again
// after the pause (Graph did not act on it). Other failures, 5xx included,
// are not retried unless the RetryPolicy says so, because Graph may have
// acted.
//
// A successful HTTP call can still report that provisioning failed or was
// skipped: check result.Succeeded, Skipped or FailedStep. If Graph's key or
// value string does not hold the JSON it should, the result is returned
// with its raw strings together with an error matching
// models.ErrResultDecode.
func (c *Client) ProvisionOnDemand(ctx context.Context, servicePrincipalID, jobID string, req models.ProvisionRequest) (*models.ProvisionResult, error) {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		var fe *models.FieldError
		if errors.As(err, &fe) {
			return nil, invalid("req."+fe.Field, fe.Reason)
		}
		return nil, invalid("req", err.Error())
	}
	if c.cloud.NoProvisionOnDemand {
		return nil, fmt.Errorf("%w: provisionOnDemand is not available in the %s cloud", ErrUnsupported, c.cloud.Name)
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("graphsync: encoding provisionOnDemand request: %w", err)
	}
	resp, err := c.do(ctx, &request{
		method:   abs.POST,
		template: tmplProvision,
		params:   jobParams(servicePrincipalID, jobID),
		body:     body,
		limited:  true,
	})
	if err != nil {
		return nil, err
	}
	res, err := models.DecodeProvisionResult(resp.body)
	if err != nil {
		return res, fmt.Errorf("graphsync: provisionOnDemand answered %d: %w", resp.status, err)
	}
	return res, nil
}
