package models

import (
	"bytes"
	"encoding/json"
)

// ApplicationServicePrincipal is what instantiating an application
// template creates: the application and its service principal (Graph
// applicationServicePrincipal). The service principal's ID is the one
// the synchronization calls take.
//
// Like the schema types, it keeps everything Graph sends (see
// SynchronizationSchema): the models name only what a provisioning
// workflow needs, and every other member, including the older names the
// beta endpoint answers with ("objectId", "availableToOtherTenants",
// "appOwnerTenantId"...), is kept in Extra and written back unchanged.
type ApplicationServicePrincipal struct {
	// Application is the application object created in the tenant.
	Application *Application `json:"application"`
	// ServicePrincipal is the application's instance in the tenant, on
	// which synchronization jobs are created.
	ServicePrincipal *ServicePrincipal `json:"servicePrincipal"`
	// Extra holds the members this type does not name, such as
	// "@odata.context", written back unchanged.
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes a without losing anything.
func (a *ApplicationServicePrincipal) UnmarshalJSON(b []byte) error { return unmarshalModel(b, a) }

func (a *ApplicationServicePrincipal) decodeFrom(node any) error {
	return decodeObject(node, a, &a.Extra, &a.wire)
}

// MarshalJSON encodes a as it was received, with any changes made since.
func (a ApplicationServicePrincipal) MarshalJSON() ([]byte, error) { return marshalModel(a) }

func (a ApplicationServicePrincipal) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &a, a.Extra, a.wire)
}

// Application is an application registered in Microsoft Entra ID (Graph
// application), as much of it as provisioning needs; Extra keeps the rest.
type Application struct {
	// ID is the application's object ID, what
	// /applications/{id}/synchronization takes. The beta endpoint sends
	// "objectId" instead: see ObjectID.
	ID string `json:"id"`
	// AppID is the application (client) ID.
	AppID string `json:"appId"`
	// ApplicationTemplateID is the template the application was created
	// from; Graph sends null for none.
	ApplicationTemplateID string `json:"applicationTemplateId"`
	// DisplayName is the application's name.
	DisplayName string `json:"displayName"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// ObjectID returns the application's object ID: ID, or the "objectId"
// the beta endpoint sends in its place.
func (a *Application) ObjectID() string { return objectID(a.ID, a.Extra) }

// UnmarshalJSON decodes a without losing anything.
func (a *Application) UnmarshalJSON(b []byte) error { return unmarshalModel(b, a) }

func (a *Application) decodeFrom(node any) error { return decodeObject(node, a, &a.Extra, &a.wire) }

// MarshalJSON encodes a as it was received, with any changes made since.
func (a Application) MarshalJSON() ([]byte, error) { return marshalModel(a) }

func (a Application) encodeTo(b *bytes.Buffer) error { return encodeObject(b, &a, a.Extra, a.wire) }

// ServicePrincipal is an application's instance in a tenant (Graph
// servicePrincipal), as much of it as provisioning needs; Extra keeps
// the rest.
type ServicePrincipal struct {
	// ID is the service principal's object ID, what every
	// /servicePrincipals/{id}/synchronization call takes. The beta
	// endpoint sends "objectId" instead: see ObjectID.
	ID string `json:"id"`
	// AccountEnabled is true if the service principal can sign in.
	AccountEnabled bool `json:"accountEnabled"`
	// AppDisplayName is the application's name.
	AppDisplayName string `json:"appDisplayName"`
	// AppID is the application (client) ID.
	AppID string `json:"appId"`
	// ApplicationTemplateID is the template the application was created
	// from; Graph sends null for none.
	ApplicationTemplateID string `json:"applicationTemplateId"`
	// AppRoleAssignmentRequired is true if users must be assigned to the
	// application (and so are in the scope of its provisioning) before
	// they can use it.
	AppRoleAssignmentRequired bool `json:"appRoleAssignmentRequired"`
	// DisplayName is the service principal's name.
	DisplayName string `json:"displayName"`
	// ServicePrincipalType is "Application" for an application's
	// instance; Graph adds other values over time.
	ServicePrincipalType string `json:"servicePrincipalType"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// ObjectID returns the service principal's object ID: ID, or the
// "objectId" the beta endpoint sends in its place.
func (s *ServicePrincipal) ObjectID() string { return objectID(s.ID, s.Extra) }

// UnmarshalJSON decodes s without losing anything.
func (s *ServicePrincipal) UnmarshalJSON(b []byte) error { return unmarshalModel(b, s) }

func (s *ServicePrincipal) decodeFrom(node any) error {
	return decodeObject(node, s, &s.Extra, &s.wire)
}

// MarshalJSON encodes s as it was received, with any changes made since.
func (s ServicePrincipal) MarshalJSON() ([]byte, error) { return marshalModel(s) }

func (s ServicePrincipal) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &s, s.Extra, s.wire)
}

// objectID returns id, or else the string in extra["objectId"].
func objectID(id string, extra map[string]json.RawMessage) string {
	if id != "" {
		return id
	}
	var old string
	if raw, ok := extra["objectId"]; ok && json.Unmarshal(raw, &old) == nil {
		return old
	}
	return ""
}
