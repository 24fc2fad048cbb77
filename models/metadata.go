package models

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Graph has several key/value pair types. All of those in this file are
// written {"key": ..., "value": ...}; keyValuePair (KeyValuePair, used by
// a job's synchronizationJobSettings) is the one written {"name": ...,
// "value": ...}. Like the schema types, the types here keep members they do
// not name and write back nulls as nulls (see SynchronizationSchema).

// StringKeyStringValuePair is a string key and a string value (Graph
// stringKeyStringValuePair), the metadata of rules and directories.
type StringKeyStringValuePair struct {
	// Key is the entry's name.
	Key string `json:"key"`
	// Value is the entry's value; it may itself hold JSON text, which is
	// kept as text.
	Value string `json:"value"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes p without losing anything.
func (p *StringKeyStringValuePair) UnmarshalJSON(b []byte) error { return unmarshalModel(b, p) }

func (p *StringKeyStringValuePair) decodeFrom(node any) error {
	return decodeObject(node, p, &p.Extra, &p.wire)
}

// MarshalJSON encodes p as it was received, with any changes made since.
func (p StringKeyStringValuePair) MarshalJSON() ([]byte, error) { return marshalModel(p) }

func (p StringKeyStringValuePair) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &p, p.Extra, p.wire)
}

// MetadataEntry is an extension property of an object mapping (Graph
// metadataEntry), for example {"key": "Disposition", "value": "\"Normal\""}.
type MetadataEntry struct {
	// Key is the property's name.
	Key string `json:"key"`
	// Value is the property's value, as text (often JSON text).
	Value string `json:"value"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes e without losing anything.
func (e *MetadataEntry) UnmarshalJSON(b []byte) error { return unmarshalModel(b, e) }

func (e *MetadataEntry) decodeFrom(node any) error {
	return decodeObject(node, e, &e.Extra, &e.wire)
}

// MarshalJSON encodes e as it was received, with any changes made since.
func (e MetadataEntry) MarshalJSON() ([]byte, error) { return marshalModel(e) }

func (e MetadataEntry) encodeTo(b *bytes.Buffer) error { return encodeObject(b, &e, e.Extra, e.wire) }

// ObjectDefinitionMetadataEntry is a property of an object definition
// (Graph objectDefinitionMetadataEntry).
type ObjectDefinitionMetadataEntry struct {
	// Key is the property's name.
	Key ObjectDefinitionMetadata `json:"key"`
	// Value is the property's value, as text.
	Value string `json:"value"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes e without losing anything.
func (e *ObjectDefinitionMetadataEntry) UnmarshalJSON(b []byte) error { return unmarshalModel(b, e) }

func (e *ObjectDefinitionMetadataEntry) decodeFrom(node any) error {
	return decodeObject(node, e, &e.Extra, &e.wire)
}

// MarshalJSON encodes e as it was received, with any changes made since.
func (e ObjectDefinitionMetadataEntry) MarshalJSON() ([]byte, error) { return marshalModel(e) }

func (e ObjectDefinitionMetadataEntry) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &e, e.Extra, e.wire)
}

// ObjectDefinitionMetadata names a property of an object definition.
type ObjectDefinitionMetadata string

// Documented object definition properties; others are kept as received.
const (
	// ObjectPropertyNameAccountEnabled names the attribute that says the
	// object is enabled.
	ObjectPropertyNameAccountEnabled ObjectDefinitionMetadata = "PropertyNameAccountEnabled"
	// ObjectPropertyNameSoftDeleted names the attribute that says the
	// object is soft-deleted.
	ObjectPropertyNameSoftDeleted ObjectDefinitionMetadata = "PropertyNameSoftDeleted"
	// ObjectIsSoftDeletionSupported says whether the object can be
	// soft-deleted.
	ObjectIsSoftDeletionSupported ObjectDefinitionMetadata = "IsSoftDeletionSupported"
	// ObjectIsSynchronizeAllSupported says whether the object supports
	// synchronizing all objects (SyncAll).
	ObjectIsSynchronizeAllSupported ObjectDefinitionMetadata = "IsSynchronizeAllSupported"
	// ObjectConnectorDataStorageRequired says whether the service must
	// store mappings for the object.
	ObjectConnectorDataStorageRequired ObjectDefinitionMetadata = "ConnectorDataStorageRequired"
	// ObjectExtensions is JSON listing the attributes that extend the
	// base object.
	ObjectExtensions ObjectDefinitionMetadata = "Extensions"
	// ObjectLinkTypeName is listed by Graph without a description.
	ObjectLinkTypeName ObjectDefinitionMetadata = "LinkTypeName"
	// ObjectBaseObjectName names the object this one inherits from.
	ObjectBaseObjectName ObjectDefinitionMetadata = "BaseObjectName"
)

// AttributeDefinitionMetadataEntry is a property of an attribute
// definition (Graph attributeDefinitionMetadataEntry).
type AttributeDefinitionMetadataEntry struct {
	// Key is the property's name.
	Key AttributeDefinitionMetadata `json:"key"`
	// Value is the property's value, as text.
	Value string `json:"value"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes e without losing anything.
func (e *AttributeDefinitionMetadataEntry) UnmarshalJSON(b []byte) error { return unmarshalModel(b, e) }

func (e *AttributeDefinitionMetadataEntry) decodeFrom(node any) error {
	return decodeObject(node, e, &e.Extra, &e.wire)
}

// MarshalJSON encodes e as it was received, with any changes made since.
func (e AttributeDefinitionMetadataEntry) MarshalJSON() ([]byte, error) { return marshalModel(e) }

func (e AttributeDefinitionMetadataEntry) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &e, e.Extra, e.wire)
}

// AttributeDefinitionMetadata names a property of an attribute definition.
type AttributeDefinitionMetadata string

// Documented attribute definition properties; others are kept as received.
const (
	// AttributeBaseAttributeName names the attribute this one inherits
	// from.
	AttributeBaseAttributeName AttributeDefinitionMetadata = "BaseAttributeName"
	// AttributeComplexObjectDefinition is JSON with the object
	// definitions and mappings that define a complex attribute.
	AttributeComplexObjectDefinition AttributeDefinitionMetadata = "ComplexObjectDefinition"
	// AttributeIsContainer says whether the attribute contains other
	// entries, as a group does.
	AttributeIsContainer AttributeDefinitionMetadata = "IsContainer"
	// AttributeIsCustomerDefined says whether the customer defined the
	// attribute.
	AttributeIsCustomerDefined AttributeDefinitionMetadata = "IsCustomerDefined"
	// AttributeIsDomainQualified says whether values end with a domain,
	// as userPrincipalName does.
	AttributeIsDomainQualified AttributeDefinitionMetadata = "IsDomainQualified"
	// AttributeLinkPropertyNames names the attributes read from a linked
	// object and added to this entry.
	AttributeLinkPropertyNames AttributeDefinitionMetadata = "LinkPropertyNames"
	// AttributeLinkTypeName gives the types of those attributes.
	AttributeLinkTypeName AttributeDefinitionMetadata = "LinkTypeName"
	// AttributeMaximumLength is the longest value the target accepts.
	AttributeMaximumLength AttributeDefinitionMetadata = "MaximumLength"
	// AttributeReferencedProperty names the property a reference
	// attribute refers to.
	AttributeReferencedProperty AttributeDefinitionMetadata = "ReferencedProperty"
)

// SynchronizationMetadataEntry is a property of a synchronization template
// (Graph synchronizationMetadataEntry).
type SynchronizationMetadataEntry struct {
	// Key is the property's name.
	Key SynchronizationMetadata `json:"key"`
	// Value is the property's value, as text (JSON text for some keys).
	Value string `json:"value"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes e without losing anything.
func (e *SynchronizationMetadataEntry) UnmarshalJSON(b []byte) error { return unmarshalModel(b, e) }

func (e *SynchronizationMetadataEntry) decodeFrom(node any) error {
	return decodeObject(node, e, &e.Extra, &e.wire)
}

// MarshalJSON encodes e as it was received, with any changes made since.
func (e SynchronizationMetadataEntry) MarshalJSON() ([]byte, error) { return marshalModel(e) }

func (e SynchronizationMetadataEntry) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &e, e.Extra, e.wire)
}

// SynchronizationMetadata names a property of a synchronization template.
// Graph's v1.0 metadata spells the names as the constants below do
// ("GalleryApplicationIdentifier"); beta's spells most of them in camelCase
// ("galleryApplicationIdentifier"), and templates read through beta carry
// those. Compare names with Is (or look them up with
// SynchronizationTemplate.MetadataValue), which ignores case as Graph does.
type SynchronizationMetadata string

// Is reports whether k and other name the same property, without regard
// to case: "isOAuthEnabled" (beta) is MetadataIsOAuthEnabled.
func (k SynchronizationMetadata) Is(other SynchronizationMetadata) bool {
	return strings.EqualFold(string(k), string(other))
}

// Documented template properties (v1.0's spelling); others are kept as
// received.
const (
	// MetadataGalleryApplicationIdentifier is the GUID of the enterprise
	// application in Microsoft Entra ID.
	MetadataGalleryApplicationIdentifier SynchronizationMetadata = "GalleryApplicationIdentifier"
	// MetadataGalleryApplicationKey is the application's name in the
	// gallery (the template's factoryTag).
	MetadataGalleryApplicationKey SynchronizationMetadata = "GalleryApplicationKey"
	// MetadataIsOAuthEnabled says whether OAuth is enabled for the
	// application.
	MetadataIsOAuthEnabled SynchronizationMetadata = "IsOAuthEnabled"
	// MetadataIsSynchronizationAgentAssignmentRequired says whether the
	// admin center shows the on-premises agent's settings.
	MetadataIsSynchronizationAgentAssignmentRequired SynchronizationMetadata = "IsSynchronizationAgentAssignmentRequired"
	// MetadataIsSynchronizationAgentRequired says whether an on-premises
	// agent is required.
	MetadataIsSynchronizationAgentRequired SynchronizationMetadata = "IsSynchronizationAgentRequired"
	// MetadataIsSynchronizationInPreview says whether provisioning for
	// the application is in preview.
	MetadataIsSynchronizationInPreview SynchronizationMetadata = "IsSynchronizationInPreview"
	// MetadataOAuthSettings is JSON with the OAuth settings (token
	// exchange URI, client identifier).
	MetadataOAuthSettings SynchronizationMetadata = "OAuthSettings"
	// MetadataSynchronizationLearnMoreIbizaFwLink is the documentation
	// link the admin center shows.
	MetadataSynchronizationLearnMoreIbizaFwLink SynchronizationMetadata = "SynchronizationLearnMoreIbizaFwLink"
	// MetadataConfigurationFields is JSON naming the configuration fields
	// the admin center shows.
	MetadataConfigurationFields SynchronizationMetadata = "ConfigurationFields"
)
