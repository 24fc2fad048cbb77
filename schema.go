package graphsync

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	abs "github.com/microsoft/kiota-abstractions-go"

	"github.com/graphsync/graphsync/models"
)

const (
	tmplJobSchema             = "/servicePrincipals/{sp}/synchronization/jobs/{job}/schema"
	tmplSchemaFunctions       = "/servicePrincipals/{sp}/synchronization/jobs/{job}/schema/functions"
	tmplSchemaFilterOperators = "/servicePrincipals/{sp}/synchronization/jobs/{job}/schema/filterOperators"
	tmplSchemaParseExpression = "/servicePrincipals/{sp}/synchronization/jobs/{job}/schema/parseExpression"
	tmplDiscoverDirectory     = "/servicePrincipals/{sp}/synchronization/jobs/{job}/schema/directories/{directory}/discover"
)

// GetJobSchema returns the synchronization schema of a job: its
// directories and the rules that map source objects to target objects. A
// rule's ID is the ruleId that ProvisionOnDemand needs; schema.RuleFor
// picks the rule for an object type.
//
// The schema keeps everything Graph sent, including members the models do
// not name, so that UpdateJobSchema of the unchanged value writes back
// what was read.
func (c *Client) GetJobSchema(ctx context.Context, servicePrincipalID, jobID string) (*models.SynchronizationSchema, error) {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return nil, err
	}
	resp, err := c.do(ctx, &request{op: "GetJobSchema", method: abs.GET, template: tmplJobSchema, params: jobParams(servicePrincipalID, jobID)})
	if err != nil {
		return nil, err
	}
	return decode[models.SynchronizationSchema](resp, "schema")
}

// UpdateJobSchema replaces the synchronization schema of a job with schema
// (PUT). Graph replaces the whole schema: start from GetJobSchema's value
// and change what must change, so that everything else is written back as
// it was. Graph answers 204 No Content.
//
// A schema without synchronization rules is refused with a
// *ValidationError before anything is sent: it would leave the job with
// none (ResetJobSchema is the way to go back to the template's schema).
func (c *Client) UpdateJobSchema(ctx context.Context, servicePrincipalID, jobID string, schema models.SynchronizationSchema) error {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return err
	}
	if len(schema.SynchronizationRules) == 0 {
		return invalid("schema.SynchronizationRules", "is empty; a PUT replaces the whole schema, so read it with GetJobSchema and change it")
	}
	body, err := json.Marshal(schema)
	if err != nil {
		return fmt.Errorf("graphsync: encoding schema: %w", err)
	}
	_, err = c.do(ctx, &request{op: "UpdateJobSchema", method: abs.PUT, template: tmplJobSchema, params: jobParams(servicePrincipalID, jobID), body: body})
	return err
}

// ResetJobSchema deletes the job's customized schema (DELETE
// .../jobs/{jobId}/schema): the job goes back to the default schema of
// its template, and every change made with UpdateJobSchema is lost. The
// rule IDs ProvisionOnDemand takes may change with it: read the schema
// again. Graph documents "201 No Content" and shows 204; any 2xx is
// success.
func (c *Client) ResetJobSchema(ctx context.Context, servicePrincipalID, jobID string) error {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return err
	}
	_, err := c.do(ctx, &request{op: "ResetJobSchema", method: abs.DELETE, template: tmplJobSchema, params: jobParams(servicePrincipalID, jobID)})
	return err
}

// ListSchemaFunctions returns the functions a job's attribute mappings
// can use in their expressions, each with its parameters (GET
// .../jobs/{jobId}/schema/functions). A parsed expression
// (ParseExpression) names a function's parameters by the names given
// here. It follows @odata.nextLink like ListJobs.
func (c *Client) ListSchemaFunctions(ctx context.Context, servicePrincipalID, jobID string) ([]models.AttributeMappingFunctionSchema, error) {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return nil, err
	}
	return list[models.AttributeMappingFunctionSchema](ctx, c, &request{op: "ListSchemaFunctions", method: abs.GET,
		template: tmplSchemaFunctions, params: jobParams(servicePrincipalID, jobID)})
}

// ListFilterOperators returns the operators a job's scoping filters can
// use (GET .../jobs/{jobId}/schema/filterOperators): a FilterClause's
// OperatorName names one. It follows @odata.nextLink like ListJobs.
func (c *Client) ListFilterOperators(ctx context.Context, servicePrincipalID, jobID string) ([]models.FilterOperatorSchema, error) {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return nil, err
	}
	return list[models.FilterOperatorSchema](ctx, c, &request{op: "ListFilterOperators", method: abs.GET,
		template: tmplSchemaFilterOperators, params: jobParams(servicePrincipalID, jobID)})
}

// ParseExpression asks Graph to parse an attribute-mapping expression
// (POST .../jobs/{jobId}/schema/parseExpression) and, when
// req.TestInputObject is set, to evaluate it against that object. The
// answer says whether it parsed (ParsingSucceeded, with the parsed tree in
// ParsedExpression) and was evaluated (EvaluationSucceeded, with the
// values in EvaluationResult). An expression that does not parse is not
// an error of the call: Graph answers 200 with ParsingSucceeded false and
// Error saying why.
//
// req.Expression is required: without it the call gives a
// *ValidationError and nothing is sent. What req sets is sent, and
// nothing else; a request read from JSON is sent as it was written (see
// models.ParseExpressionRequest).
func (c *Client) ParseExpression(ctx context.Context, servicePrincipalID, jobID string, req models.ParseExpressionRequest) (*models.ParseExpressionResponse, error) {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return nil, err
	}
	if strings.TrimSpace(req.Expression) == "" {
		return nil, invalid("req.Expression", "is required: the expression to parse")
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("graphsync: encoding parseExpression request: %w", err)
	}
	resp, err := c.do(ctx, &request{op: "ParseExpression", method: abs.POST, template: tmplSchemaParseExpression,
		params: jobParams(servicePrincipalID, jobID), body: body})
	if err != nil {
		return nil, err
	}
	return decode[models.ParseExpressionResponse](resp, "parseExpression answer")
}

// DiscoverDirectory asks Graph to discover the latest definition of one
// of the directories of a job's schema (POST
// .../schema/directories/{directoryId}/discover, without a body): the
// objects and attributes the application now supports, for example
// custom attributes added to a SCIM application since the job was
// created. It returns the discovered definition (Discoverabilities,
// DiscoveryDateTime, Version and Objects). directoryID is a
// DirectoryDefinition's ID from GetJobSchema.
func (c *Client) DiscoverDirectory(ctx context.Context, servicePrincipalID, jobID, directoryID string) (*models.DirectoryDefinition, error) {
	if err := checkJob(ctx, servicePrincipalID, jobID); err != nil {
		return nil, err
	}
	if err := checkID("directoryID", directoryID); err != nil {
		return nil, err
	}
	p := jobParams(servicePrincipalID, jobID)
	p["directory"] = directoryID
	resp, err := c.do(ctx, &request{op: "DiscoverDirectory", method: abs.POST, template: tmplDiscoverDirectory, params: p})
	if err != nil {
		return nil, err
	}
	return decode[models.DirectoryDefinition](resp, "directory definition")
}
