package graphsync

import (
	"context"
	"iter"
	"strconv"
	"strings"

	abs "github.com/microsoft/kiota-abstractions-go"

	"github.com/graphsync/graphsync/models"
)

const tmplProvisioningLogs = "/auditLogs/provisioning"

// ListProvisioningLogs returns the provisioning events query selects
// (GET /auditLogs/provisioning with $filter, $orderby and $top), following
// @odata.nextLink until the last page; a nextLink that leaves the
// Client's scheme, host and port or leads back to a page already read is
// refused with an error, as is a page of more events than query.Top (or
// than 1000, Graph's largest page, when Top is 0), before its events are
// decoded. It is how a
// caller learns what became of each user of a BulkUpload: select the job
// (and, for one user, SourceIdentityID; for the failures, Status). The
// query can use every filter Graph documents (see ProvisioningLogQuery).
// Events appear minutes after the provisioning service acts. The caller
// needs AuditLog.Read.All.
//
// A bad query returns a *ValidationError and nothing is sent. For result
// sets too large to hold in memory, use ProvisioningLogs.
func (c *Client) ListProvisioningLogs(ctx context.Context, query models.ProvisioningLogQuery) ([]models.ProvisioningObjectSummary, error) {
	r, err := logsRequest(ctx, "ListProvisioningLogs", query)
	if err != nil {
		return nil, err
	}
	return list[models.ProvisioningObjectSummary](ctx, c, r)
}

// ProvisioningLogs is ListProvisioningLogs as an iterator: it fetches one
// page at a time, as the caller ranges over the events, and fetches no
// more once the caller stops. Memory is bounded by one page, whatever
// the server sends: query.Top sets its size, and a page of more events
// (or of more than 1000 without Top) is refused unread; ranging over it
// again starts again from the first page.
// On failure (a bad query, an error answer, a refused nextLink) it yields
// the error with a zero event, once, and stops:
//
//	for ev, err := range client.ProvisioningLogs(ctx, models.ProvisioningLogQuery{JobID: jobID}) {
//		if err != nil {
//			return err
//		}
//		...
//	}
func (c *Client) ProvisioningLogs(ctx context.Context, query models.ProvisioningLogQuery) iter.Seq2[models.ProvisioningObjectSummary, error] {
	return func(yield func(models.ProvisioningObjectSummary, error) bool) {
		r, err := logsRequest(ctx, "ProvisioningLogs", query)
		if err == nil {
			err = eachPage(ctx, c, r, func(page []models.ProvisioningObjectSummary) bool {
				for _, ev := range page {
					if !yield(ev, nil) {
						return false
					}
				}
				return true
			})
		}
		if err != nil {
			yield(models.ProvisioningObjectSummary{}, err)
		}
	}
}

// logsRequest validates query and returns the first request for it.
func logsRequest(ctx context.Context, op string, query models.ProvisioningLogQuery) (*request, error) {
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	if err := query.Validate(); err != nil {
		return nil, invalidModel("query", err)
	}
	return &request{op: op, method: abs.GET, template: tmplProvisioningLogs, query: logsQuery(query), pageSize: query.Top}, nil
}

// logsQuery returns the encoded query string for q: $filter (the whole
// expression percent-encoded as one value, so the IDs inside its quoted
// literals are never path-escaped or split), $orderby and $top. The names
// keep their literal "$".
func logsQuery(q models.ProvisioningLogQuery) string {
	var b strings.Builder
	if f := q.Filter(); f != "" {
		b.WriteString("$filter=")
		writeEscaped(&b, f)
	}
	if q.OrderBy != "" {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString("$orderby=")
		writeEscaped(&b, string(q.OrderBy))
	}
	if q.Top > 0 {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString("$top=")
		b.WriteString(strconv.Itoa(q.Top))
	}
	return b.String()
}
