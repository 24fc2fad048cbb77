package graphsync

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"

	abs "github.com/microsoft/kiota-abstractions-go"

	"github.com/graphsync/graphsync/models"
)

const tmplBulkUpload = "/servicePrincipals/{sp}/synchronization/jobs/{job}/bulkUpload"

// BulkUpload sends users to a job of API-driven inbound provisioning
// (POST .../jobs/{jobId}/bulkUpload, a SCIM BulkRequest sent as
// application/scim+json), for example from an HR system. Graph stages
// the request and answers 202 Accepted; the provisioning service then
// applies the job's scoping and attribute mappings to each user in the
// background, and the provisioning logs (ListProvisioningLogs with the
// job's ID, or the receipt's Location) say what it did with each one,
// usually within minutes. Build requests of at most 50 users with
// models.BulkUploadChunks.
//
// The request is validated first (see models.BulkUpload.Validate); a bad
// one returns a *ValidationError naming the field, e.g.
// "req.Operations[3].bulkId", and nothing is sent.
//
// Every call waits for the Client's bulkUpload limiter (40 calls in any
// second by default; see ClientOptions.BulkUploadLimiter), which is not
// the provisionOnDemand one. A 429 answer pauses that limiter for its
// Retry-After, for every caller sharing it, and the call is sent again
// after the pause (Graph did not act on it). Other failures, 5xx
// included, are not retried unless the RetryPolicy says so, because
// Graph may have staged the request; they return a *ResponseError (a 400
// usually means the body does not follow Graph's bulkUpload schema; a 403
// that the caller lacks SynchronizationData-User.Upload).
//
// Any 2xx is success; the receipt keeps its status, Location and
// request IDs.
func (c *Client) BulkUpload(ctx context.Context, servicePrincipalID, jobID string, req models.BulkUpload) (*models.BulkUploadReceipt, error) {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		return nil, invalidModel("req", err)
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("graphsync: encoding bulkUpload request: %w", err)
	}
	resp, err := c.do(ctx, &request{
		op:          "BulkUpload",
		method:      abs.POST,
		template:    tmplBulkUpload,
		params:      jobParams(servicePrincipalID, jobID),
		body:        body,
		contentType: "application/scim+json",
		limiter:     c.bulkLimiter,
	})
	if err != nil {
		return nil, err
	}
	return bulkUploadReceipt(resp), nil
}

// bulkUploadReceipt reads the receipt from the answer's headers. Graph's
// documentation shows the same names as members of a JSON body
// ("location", "request-id", "client-request-id"); they are read from
// there when the headers lack them.
func bulkUploadReceipt(resp *response) *models.BulkUploadReceipt {
	r := &models.BulkUploadReceipt{
		StatusCode:      resp.status,
		Location:        resp.headerValue("Location"),
		RequestID:       resp.headerValue("request-id"),
		ClientRequestID: resp.headerValue("client-request-id"),
	}
	if r.Location == "" || r.RequestID == "" || r.ClientRequestID == "" {
		var documented struct {
			Location        string `json:"location"`
			RequestID       string `json:"request-id"`
			ClientRequestID string `json:"client-request-id"`
		}
		if !isNoValue(resp.body) && json.Unmarshal(resp.body, &documented) == nil {
			red := resp.redactor()
			r.Location = cmp.Or(r.Location, red.text(documented.Location))
			r.RequestID = cmp.Or(r.RequestID, red.text(documented.RequestID))
			r.ClientRequestID = cmp.Or(r.ClientRequestID, red.text(documented.ClientRequestID))
		}
	}
	r.ClientRequestID = cmp.Or(r.ClientRequestID, resp.clientRequestID)
	return r
}
