package graphtest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/graphsync/graphsync"
)

// ApplicationTemplate is a gallery application the fake can instantiate
// (POST /applicationTemplates/{id}/instantiate).
type ApplicationTemplate struct {
	// ID identifies the template, e.g.
	// "8adf8e6e-67b2-4cf2-a259-e3dc5476c621"; it matches without regard
	// to case.
	ID string
	// DisplayName is the template's name, e.g. "AWS Single-Account
	// Access".
	DisplayName string
	// SynchronizationTemplates are the IDs of the synchronization
	// templates the service principal of an instance gets, the first the
	// default, each with DefaultRules; none for an application without
	// provisioning.
	SynchronizationTemplates []string
}

// DefaultApplicationTemplates returns the application templates the fake
// knows without being told, those Graph's documentation instantiates:
// the non-gallery application (graphsync.NonGalleryTemplateID, the "scim"
// synchronization template), cross-tenant synchronization
// ("518e5f48-1fc8-4c48-9387-9fdf28b0dfe7", "Azure2Azure"), AWS
// Single-Account Access ("8b1025e4-1dd2-430b-a150-2ef79cd700f5", "aws")
// and the Azure AD SAML Toolkit ("229946b9-a9fb-45b8-9531-efa47453ac9e",
// single sign-on without provisioning). The synchronization templates
// are those the documentation lists for them.
func DefaultApplicationTemplates() []ApplicationTemplate {
	return []ApplicationTemplate{
		{ID: graphsync.NonGalleryTemplateID, DisplayName: "Non-gallery application", SynchronizationTemplates: []string{"scim"}},
		{ID: "518e5f48-1fc8-4c48-9387-9fdf28b0dfe7", DisplayName: "Azure AD cross-tenant synchronization", SynchronizationTemplates: []string{"Azure2Azure"}},
		{ID: "8b1025e4-1dd2-430b-a150-2ef79cd700f5", DisplayName: "AWS Single-Account Access", SynchronizationTemplates: []string{"aws"}},
		{ID: "229946b9-a9fb-45b8-9531-efa47453ac9e", DisplayName: "Azure AD SAML Toolkit"},
	}
}

// AddApplicationTemplate makes an application template instantiable,
// replacing one of the same ID.
func (s *Server) AddApplicationTemplate(t ApplicationTemplate) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.appTemplates[strings.ToLower(t.ID)] = cloneAppTemplate(t)
}

func cloneAppTemplate(t ApplicationTemplate) ApplicationTemplate {
	t.SynchronizationTemplates = slices.Clone(t.SynchronizationTemplates)
	return t
}

// application is an application object: one instantiate created, or
// one AddApplication registered.
type application struct {
	id, appID, displayName, templateID string
}

// AddApplication registers an application object (as instantiate
// creates one), so that its synchronization calls
// (/applications/{id}/synchronization/acquireAccessToken) answer.
func (s *Server) AddApplication(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applications[id] = &application{id: id, appID: stableID("appId", id), displayName: id}
}

// applicationSynchronization serves /{version}/applications/...: only
// {id}/synchronization/acquireAccessToken. Called with s.mu held.
func (s *Server) applicationSynchronization(h handler, rest []string) {
	if len(rest) != 3 || rest[1] != "synchronization" || rest[2] != "acquireAccessToken" {
		h.fail(badRequest("Unsupported request."))
		return
	}
	if s.applications[rest[0]] == nil {
		h.fail(resourceNotFound(rest[0]))
		return
	}
	h.only(http.MethodPost, h.acquireAccessToken)
}

// applicationTemplates serves /{version}/applicationTemplates/...: only
// instantiate. Called with s.mu held.
func (s *Server) applicationTemplates(h handler, rest []string) {
	if len(rest) != 2 || rest[1] != "instantiate" {
		h.fail(badRequest("Unsupported request."))
		return
	}
	h.only(http.MethodPost, func() { h.instantiate(rest[0]) })
}

// instantiate creates an application and its service principal from a
// template, answering 201 with both as Graph's v1.0 example shows them.
func (h handler) instantiate(templateID string) {
	t, ok := h.s.appTemplates[strings.ToLower(templateID)]
	if !ok {
		h.fail(resourceNotFound(templateID))
		return
	}
	name, e := instantiateName(h.body)
	if e != nil {
		h.fail(e)
		return
	}
	now := graphTime(time.Now())
	app := &application{id: newID(), appID: newID(), displayName: name, templateID: t.ID}
	h.s.applications[app.id] = app
	sp := newServicePrincipal(app.appID, t.SynchronizationTemplates)
	sp.appID, sp.displayName, sp.applicationTemplateID = app.appID, name, t.ID
	sp.visibleAt = now.Add(h.s.opts.ReplicationDelay)
	spID := newID()
	h.s.sps[spID] = sp
	h.json(http.StatusCreated, map[string]any{
		"@odata.context": odataContext(h.version, "microsoft.graph.applicationServicePrincipal"),
		"application": map[string]any{
			"id": app.id, "appId": app.appID, "applicationTemplateId": t.ID,
			"createdDateTime": now.Format(time.RFC3339Nano), "deletedDateTime": nil,
			"displayName": name, "identifierUris": []string{}, "signInAudience": "AzureADMyOrg", "tags": []string{},
		},
		"servicePrincipal": wireServicePrincipal(spID, sp),
	})
}

// instantiateName reads instantiate's body: {"displayName": "..."}, the
// name required.
func instantiateName(body []byte) (string, *apiError) {
	o, e := decodeObject(body, "The request body")
	if e != nil {
		return "", e
	}
	var name string
	for _, n := range o.names() {
		switch {
		case n == "displayName":
			if name, e = stringValue(o[n], n, "Edm.String"); e != nil {
				return "", e
			}
		case !annotation(n):
			return "", badRequest("The parameter '%s' in the request payload is not a valid parameter for the operation 'instantiate'.", n)
		}
	}
	if strings.TrimSpace(name) == "" {
		return "", badRequest("The parameter 'displayName' is required.")
	}
	return name, nil
}

// wireServicePrincipal is a service principal as Graph writes it, the
// properties a provisioning workflow reads.
func wireServicePrincipal(id string, sp *servicePrincipal) map[string]any {
	var templateID any // null for a service principal of no template
	if sp.applicationTemplateID != "" {
		templateID = sp.applicationTemplateID
	}
	return map[string]any{
		"id": id, "deletedDateTime": nil, "accountEnabled": true, "appId": sp.appID,
		"applicationTemplateId": templateID, "appDisplayName": sp.displayName, "displayName": sp.displayName,
		"appRoleAssignmentRequired": true, "servicePrincipalNames": []string{sp.appID},
		"servicePrincipalType": "Application", "tags": []string{"WindowsAzureActiveDirectoryIntegratedApp"},
	}
}

// getServicePrincipal serves GET /servicePrincipals/{id}, with $select.
func (h handler) getServicePrincipal() {
	out := wireServicePrincipal(h.spID, h.sp)
	context := "servicePrincipals/$entity"
	if sel := h.r.URL.Query().Get("$select"); sel != "" {
		picked := map[string]any{}
		for _, name := range strings.Split(sel, ",") {
			v, ok := out[strings.TrimSpace(name)]
			if !ok {
				h.fail(badRequest("Could not find a property named '%s' on type 'microsoft.graph.servicePrincipal'.", strings.TrimSpace(name)))
				return
			}
			picked[strings.TrimSpace(name)] = v
		}
		out, context = picked, fmt.Sprintf("servicePrincipals(%s)/$entity", sel)
	}
	out["@odata.context"] = odataContext(h.version, context)
	h.json(http.StatusOK, out)
}
