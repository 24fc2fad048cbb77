package graphsync

import (
	"context"

	abs "github.com/microsoft/kiota-abstractions-go"

	"github.com/graphsync/graphsync/models"
)

const (
	tmplTemplates = "/servicePrincipals/{sp}/synchronization/templates"
	tmplTemplate  = "/servicePrincipals/{sp}/synchronization/templates/{template}"
)

// ListTemplates returns the synchronization templates of the service
// principal, each with its metadata and, when Graph sends it, its schema;
// a template's ID is what CreateJob needs. It follows @odata.nextLink
// until the last page, like ListJobs.
func (c *Client) ListTemplates(ctx context.Context, servicePrincipalID string) ([]models.SynchronizationTemplate, error) {
	if err := checkSP(ctx, servicePrincipalID); err != nil {
		return nil, err
	}
	return list[models.SynchronizationTemplate](ctx, c, &request{op: "ListTemplates", method: abs.GET, template: tmplTemplates, params: spParams(servicePrincipalID)})
}

// GetTemplate returns one synchronization template of the service
// principal with its metadata and its schema, the schema that jobs created
// from it start with.
func (c *Client) GetTemplate(ctx context.Context, servicePrincipalID, templateID string) (*models.SynchronizationTemplate, error) {
	if err := checkSP(ctx, servicePrincipalID); err != nil {
		return nil, err
	}
	if err := checkID("templateID", templateID); err != nil {
		return nil, err
	}
	resp, err := c.do(ctx, &request{op: "GetTemplate", method: abs.GET, template: tmplTemplate,
		params: map[string]string{"sp": servicePrincipalID, "template": templateID}})
	if err != nil {
		return nil, err
	}
	return decode[models.SynchronizationTemplate](resp, "template")
}
