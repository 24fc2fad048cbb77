package models

import (
	"bytes"
	"encoding/json"
)

// SynchronizationTemplate is an application's preconfigured job
// definition (Graph synchronizationTemplate): CreateJob's TemplateID names
// one, and jobs created from it start with its Schema. Like the schema
// types, it keeps the members it does not name and writes back nulls as
// nulls (see SynchronizationSchema).
type SynchronizationTemplate struct {
	// ID identifies the template, for example "BoxOutDelta" or "scim".
	ID string `json:"id"`
	// ApplicationID identifies the application the template belongs to.
	ApplicationID string `json:"applicationId"`
	// Default is true if the template is the one recommended for the
	// application.
	Default bool `json:"default"`
	// Description describes the template.
	Description string `json:"description"`
	// Discoverable is true if the template is listed among the
	// templates of the application's service principals.
	Discoverable bool `json:"discoverable"`
	// FactoryTag names the implementation the synchronization engine
	// uses for jobs based on the template.
	FactoryTag string `json:"factoryTag"`
	// Metadata are extension properties, key and value (Graph
	// synchronizationMetadataEntry); Graph says not to change them.
	Metadata []SynchronizationMetadataEntry `json:"metadata"`
	// Schema is the default schema of jobs based on the template, when
	// Graph sends it (it does for a template read by ID, and in lists).
	Schema *SynchronizationSchema `json:"schema"`
	// Extra holds the members Graph sent that this type does not name
	// (for example "@odata.type"), written back unchanged.
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes t without losing anything.
func (t *SynchronizationTemplate) UnmarshalJSON(b []byte) error { return unmarshalModel(b, t) }

func (t *SynchronizationTemplate) decodeFrom(node any) error {
	return decodeObject(node, t, &t.Extra, &t.wire)
}

// MarshalJSON encodes t as it was received, with any changes made since.
func (t SynchronizationTemplate) MarshalJSON() ([]byte, error) { return marshalModel(t) }

func (t SynchronizationTemplate) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &t, t.Extra, t.wire)
}

// MetadataValue returns the value of the template's first metadata entry
// named key, and whether there is one. Names are compared without regard to
// case (see SynchronizationMetadata.Is), so the constants find the entries
// of a template read through beta, whose names are in camelCase.
func (t *SynchronizationTemplate) MetadataValue(key SynchronizationMetadata) (string, bool) {
	for _, e := range t.Metadata {
		if e.Key.Is(key) {
			return e.Value, true
		}
	}
	return "", false
}
