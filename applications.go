package graphsync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"

	"github.com/graphsync/graphsync/models"
)

const (
	tmplInstantiate      = "/applicationTemplates/{template}/instantiate"
	tmplServicePrincipal = "/servicePrincipals/{sp}"
)

// NonGalleryTemplateID is the application template Graph documents for
// applications that are not in the gallery, such as a SCIM application
// of one's own: InstantiateApplicationTemplate with it creates an
// application whose service principal has the "scim" synchronization
// template.
const NonGalleryTemplateID = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621"

// InstantiateApplicationTemplate adds an application from the Microsoft
// Entra application gallery to the tenant under displayName (POST
// /applicationTemplates/{id}/instantiate): it creates the application and
// its service principal and returns both. The service principal's ID
// (result.ServicePrincipal.ObjectID()) is what the synchronization calls
// take; ListTemplates on it gives the templates CreateJob accepts. For an
// application of one's own, use NonGalleryTemplateID.
//
// Graph answers 201 Created; any 2xx is success. The new service
// principal can answer 404 for a while after this returns, until Entra
// ID has replicated it: call WaitForServicePrincipal before using it. A
// failed call is not sent again on 5xx (it may have created the
// application); on failure the error is a *ResponseError.
//
// applicationTemplateID and displayName are required: a bad one gives a
// *ValidationError and nothing is sent.
func (c *Client) InstantiateApplicationTemplate(ctx context.Context, applicationTemplateID, displayName string) (*models.ApplicationServicePrincipal, error) {
	if err := checkContext(ctx); err != nil {
		return nil, err
	}
	if err := checkID("applicationTemplateID", applicationTemplateID); err != nil {
		return nil, err
	}
	if strings.TrimSpace(displayName) == "" {
		return nil, invalid("displayName", "is required: the new application's name")
	}
	body, err := json.Marshal(struct {
		DisplayName string `json:"displayName"`
	}{displayName})
	if err != nil {
		return nil, fmt.Errorf("graphsync: encoding instantiate request: %w", err)
	}
	resp, err := c.do(ctx, &request{op: "InstantiateApplicationTemplate", method: abs.POST, template: tmplInstantiate,
		params: map[string]string{"template": applicationTemplateID}, body: body})
	if err != nil {
		return nil, err
	}
	return decode[models.ApplicationServicePrincipal](resp, "application and service principal")
}

// WaitOptions bounds and paces WaitForServicePrincipal. Nil means the
// defaults.
type WaitOptions struct {
	// MaxWait bounds the whole wait; 0 means 5 minutes. The context's
	// deadline, when sooner, bounds it too.
	MaxWait time.Duration
	// Interval is the pause after the first 404; it doubles after each
	// further one, up to MaxInterval. 0 means 2 seconds.
	Interval time.Duration
	// MaxInterval caps the pause between two reads; 0 means 30 seconds.
	MaxInterval time.Duration
}

// Defaults of WaitOptions.
const (
	DefaultServicePrincipalWait = 5 * time.Minute
	defaultWaitInterval         = 2 * time.Second
	defaultMaxWaitInterval      = 30 * time.Second
)

func (o *WaitOptions) withDefaults() WaitOptions {
	var w WaitOptions
	if o != nil {
		w = *o
	}
	if w.MaxWait <= 0 {
		w.MaxWait = DefaultServicePrincipalWait
	}
	if w.Interval <= 0 {
		w.Interval = defaultWaitInterval
	}
	if w.MaxInterval <= 0 {
		w.MaxInterval = defaultMaxWaitInterval
	}
	return w
}

// WaitForServicePrincipal waits until Graph answers for the service
// principal (GET /servicePrincipals/{id}): a service principal just
// created by InstantiateApplicationTemplate can answer 404 for a while,
// until Entra ID has replicated it. It returns nil at the first 200.
//
// Reads are paced: after a 404 it waits opts.Interval, doubling after
// each further 404 up to opts.MaxInterval, or the Retry-After of the
// answer when Graph names a longer one (429 and 503 answers the retry
// policy gave up on are waited out the same way). The wait is bounded by
// opts.MaxWait, after which one last read is made, and by ctx. It ends
// with:
//   - an error matching ErrNotFound (the last 404) when the service
//     principal did not appear within MaxWait;
//   - an error matching ctx's error, and the last answer's, when ctx
//     ended first;
//   - the error of any other answer (401, 403, ...) at once, unchanged.
//
// Needs Application.Read.All (or any permission that can read service
// principals).
func (c *Client) WaitForServicePrincipal(ctx context.Context, servicePrincipalID string, opts *WaitOptions) error {
	if err := checkSP(ctx, servicePrincipalID); err != nil {
		return err
	}
	o := opts.withDefaults()
	deadline := time.Now().Add(o.MaxWait)
	pause := o.Interval
	for {
		_, err := c.do(ctx, &request{op: "WaitForServicePrincipal", method: abs.GET, template: tmplServicePrincipal,
			params: spParams(servicePrincipalID), query: "$select=id"})
		var re *ResponseError
		switch {
		case err == nil:
			return nil
		case !errors.As(err, &re) || !waitable(re.StatusCode):
			return err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return fmt.Errorf("graphsync: service principal %s not found within %s: %w", servicePrincipalID, o.MaxWait, err)
		}
		d := min(max(pause, re.RetryAfter), left)
		pause = min(pause*2, o.MaxInterval)
		if serr := sleep(ctx, d); serr != nil {
			return fmt.Errorf("graphsync: waiting for service principal %s: %w (last answer: %w)", servicePrincipalID, serr, err)
		}
	}
}

// waitable reports whether WaitForServicePrincipal reads again after an
// answer with status: 404 (not replicated yet), or throttling and
// unavailability the retry policy could not absorb.
func waitable(status int) bool {
	return status == http.StatusNotFound || status == http.StatusTooManyRequests ||
		status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout
}
