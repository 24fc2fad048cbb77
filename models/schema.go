package models

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// SynchronizationSchema says what a synchronization job or template
// synchronizes and how: the directories and their objects, and the rules
// that map objects from a source directory to a target directory (Graph
// synchronizationSchema). provisionOnDemand's ruleId is the ID of one of
// its rules; see RuleFor.
//
// A schema keeps everything Graph sent, including members it does not
// name, so that a GET followed by a PUT of the unchanged value sends back
// what was received (see the package documentation).
type SynchronizationSchema struct {
	// ID identifies the schema.
	ID string `json:"id"`
	// Directories are the directories the rules read and write, with
	// their objects and attributes.
	Directories []DirectoryDefinition `json:"directories"`
	// SynchronizationRules are the rules of the job or template.
	SynchronizationRules []SynchronizationRule `json:"synchronizationRules"`
	// Version changes with every change of the schema. Graph sets it.
	Version string `json:"version"`
	// Extra holds the members Graph sent that this type does not name, as
	// received (for example "@odata.context"); they are written back
	// unchanged. A member named like a field of the type is not written.
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes s without losing anything (see the package
// documentation).
func (s *SynchronizationSchema) UnmarshalJSON(b []byte) error { return unmarshalModel(b, s) }

func (s *SynchronizationSchema) decodeFrom(node any) error {
	return decodeObject(node, s, &s.Extra, &s.wire)
}

// MarshalJSON encodes s as it was received, with any changes made since.
func (s SynchronizationSchema) MarshalJSON() ([]byte, error) { return marshalModel(s) }

func (s SynchronizationSchema) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &s, s.Extra, s.wire)
}

// SynchronizationRule says how objects of one source directory are
// synchronized to one target directory: which objects, how they are
// matched and how their attributes are transformed (Graph
// synchronizationRule).
type SynchronizationRule struct {
	// ContainerFilter limits the rule to objects in certain containers
	// (organizational units). Used by Microsoft Entra Connect cloud sync;
	// Graph documents it in beta and sends it in v1.0 too.
	ContainerFilter *ContainerFilter `json:"containerFilter"`
	// Editable is true if the rule may be customized, false if it is
	// read-only.
	Editable bool `json:"editable"`
	// GroupFilter limits the rule to members of certain groups. Used by
	// Microsoft Entra Connect cloud sync; Graph documents it in beta and
	// sends it in v1.0 too.
	GroupFilter *GroupFilter `json:"groupFilter"`
	// ID identifies the rule: the ruleId that provisionOnDemand takes.
	ID string `json:"id"`
	// Metadata are extension properties; Graph says not to change them
	// unless its support team says so.
	Metadata []StringKeyStringValuePair `json:"metadata"`
	// Name is the rule's human-readable name.
	Name string `json:"name"`
	// ObjectMappings say which objects the rule synchronizes and how.
	ObjectMappings []ObjectMapping `json:"objectMappings"`
	// Priority orders the rules: the lowest number is processed first.
	Priority int32 `json:"priority"`
	// SourceDirectoryName names the source directory, one of the
	// schema's Directories.
	SourceDirectoryName string `json:"sourceDirectoryName"`
	// TargetDirectoryName names the target directory, one of the
	// schema's Directories.
	TargetDirectoryName string `json:"targetDirectoryName"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes r without losing anything.
func (r *SynchronizationRule) UnmarshalJSON(b []byte) error { return unmarshalModel(b, r) }

func (r *SynchronizationRule) decodeFrom(node any) error {
	return decodeObject(node, r, &r.Extra, &r.wire)
}

// MarshalJSON encodes r as it was received, with any changes made since.
func (r SynchronizationRule) MarshalJSON() ([]byte, error) { return marshalModel(r) }

func (r SynchronizationRule) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &r, r.Extra, r.wire)
}

// ContainerFilter lists the containers, such as organizational units, in
// scope for a rule (Graph containerFilter).
type ContainerFilter struct {
	// IncludedContainers are the containers in scope; for Active
	// Directory organizational units, their distinguished names. Empty
	// means no container filtering.
	IncludedContainers []string `json:"includedContainers"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes f without losing anything.
func (f *ContainerFilter) UnmarshalJSON(b []byte) error { return unmarshalModel(b, f) }

func (f *ContainerFilter) decodeFrom(node any) error {
	return decodeObject(node, f, &f.Extra, &f.wire)
}

// MarshalJSON encodes f as it was received, with any changes made since.
func (f ContainerFilter) MarshalJSON() ([]byte, error) { return marshalModel(f) }

func (f ContainerFilter) encodeTo(b *bytes.Buffer) error { return encodeObject(b, &f, f.Extra, f.wire) }

// GroupFilter lists the groups whose members are in scope for a rule
// (Graph groupFilter).
type GroupFilter struct {
	// IncludedGroups identify the groups in scope (for Active Directory,
	// their distinguished names).
	IncludedGroups []string `json:"includedGroups"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes f without losing anything.
func (f *GroupFilter) UnmarshalJSON(b []byte) error { return unmarshalModel(b, f) }

func (f *GroupFilter) decodeFrom(node any) error {
	return decodeObject(node, f, &f.Extra, &f.wire)
}

// MarshalJSON encodes f as it was received, with any changes made since.
func (f GroupFilter) MarshalJSON() ([]byte, error) { return marshalModel(f) }

func (f GroupFilter) encodeTo(b *bytes.Buffer) error { return encodeObject(b, &f, f.Extra, f.wire) }

// ObjectMapping says how one object of the source directory is
// synchronized to one object of the target directory: how they are
// matched, which are in scope and how attributes flow (Graph
// objectMapping).
type ObjectMapping struct {
	// AttributeMappings say which attributes flow to the target object
	// and how they are computed.
	AttributeMappings []AttributeMapping `json:"attributeMappings"`
	// Enabled is true if the mapping is processed, false if it is
	// skipped.
	Enabled bool `json:"enabled"`
	// FlowTypes are the operations enabled for the mapping, such as
	// "Add, Update, Delete" (Graph's default).
	FlowTypes ObjectFlowTypes `json:"flowTypes"`
	// Metadata are extension properties; Graph says not to change them.
	Metadata []MetadataEntry `json:"metadata"`
	// Name is the mapping's human-readable name.
	Name string `json:"name"`
	// Scope decides which source objects are provisioned; nil means all.
	Scope *Filter `json:"scope"`
	// SourceObjectName names the object in the source directory, for
	// example "User" or "Group"; it is what a provisionOnDemand subject's
	// objectTypeName names.
	SourceObjectName string `json:"sourceObjectName"`
	// TargetObjectName names the object in the target directory.
	TargetObjectName string `json:"targetObjectName"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes m without losing anything.
func (m *ObjectMapping) UnmarshalJSON(b []byte) error { return unmarshalModel(b, m) }

func (m *ObjectMapping) decodeFrom(node any) error {
	return decodeObject(node, m, &m.Extra, &m.wire)
}

// MarshalJSON encodes m as it was received, with any changes made since.
func (m ObjectMapping) MarshalJSON() ([]byte, error) { return marshalModel(m) }

func (m ObjectMapping) encodeTo(b *bytes.Buffer) error { return encodeObject(b, &m, m.Extra, m.wire) }

// ObjectFlowTypes is the set of operations an object mapping performs,
// written as a comma-separated list such as "Add, Update, Delete" (Graph
// objectFlowTypes). It is kept as received; Has reads it.
type ObjectFlowTypes string

// Documented object flow types. Add creates objects in the target, Update
// changes them, Delete deprovisions them.
const (
	ObjectFlowNone   ObjectFlowTypes = "None"
	ObjectFlowAdd    ObjectFlowTypes = "Add"
	ObjectFlowUpdate ObjectFlowTypes = "Update"
	ObjectFlowDelete ObjectFlowTypes = "Delete"
)

// Has reports whether the list holds flow (compared without regard to
// case or spaces).
func (t ObjectFlowTypes) Has(flow ObjectFlowTypes) bool { return hasFlag(string(t), string(flow)) }

// hasFlag reports whether the comma-separated list holds flag.
func hasFlag(list, flag string) bool {
	for part := range strings.SplitSeq(list, ",") {
		if strings.EqualFold(strings.TrimSpace(part), strings.TrimSpace(flag)) {
			return true
		}
	}
	return false
}

// AttributeMapping says how the value of one target attribute is computed
// and when it flows (Graph attributeMapping).
type AttributeMapping struct {
	// DefaultValue is used when Source evaluates to null. Graph sends
	// null for none; that is kept.
	DefaultValue string `json:"defaultValue"`
	// ExportMissingReferences is for Graph's internal use.
	ExportMissingReferences bool `json:"exportMissingReferences"`
	// FlowBehavior says when the attribute is exported: FlowWhenChanged
	// (the default) or FlowAlways.
	FlowBehavior AttributeFlowBehavior `json:"flowBehavior"`
	// FlowType says when the attribute is updated in the target.
	FlowType AttributeFlowType `json:"flowType"`
	// MatchingPriority, if above 0, makes the attribute one used to match
	// source and target objects, lowest first.
	MatchingPriority int32 `json:"matchingPriority"`
	// Source computes the value from the source object; nil (Graph sends
	// null) when only DefaultValue is used.
	Source *AttributeMappingSource `json:"source"`
	// TargetAttributeName names the attribute of the target object.
	TargetAttributeName string `json:"targetAttributeName"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes m without losing anything.
func (m *AttributeMapping) UnmarshalJSON(b []byte) error { return unmarshalModel(b, m) }

func (m *AttributeMapping) decodeFrom(node any) error {
	return decodeObject(node, m, &m.Extra, &m.wire)
}

// MarshalJSON encodes m as it was received, with any changes made since.
func (m AttributeMapping) MarshalJSON() ([]byte, error) { return marshalModel(m) }

func (m AttributeMapping) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &m, m.Extra, m.wire)
}

// AttributeFlowBehavior says when an attribute is exported to the target.
type AttributeFlowBehavior string

// Documented flow behaviors; others are kept as received.
const (
	FlowWhenChanged AttributeFlowBehavior = "FlowWhenChanged"
	FlowAlways      AttributeFlowBehavior = "FlowAlways"
)

// AttributeFlowType says when an attribute is updated in the target.
type AttributeFlowType string

// Documented flow types; others are kept as received.
const (
	// FlowTypeAlways updates the attribute on every change (the default).
	FlowTypeAlways AttributeFlowType = "Always"
	// FlowTypeObjectAddOnly sets the attribute only when the object is
	// created.
	FlowTypeObjectAddOnly AttributeFlowType = "ObjectAddOnly"
	// FlowTypeMultiValueAddOnly flows only changes that add values to a
	// multi-valued attribute.
	FlowTypeMultiValueAddOnly AttributeFlowType = "MultiValueAddOnly"
	// FlowTypeValueAddOnly flows additions but not removals when the
	// attribute has a value.
	FlowTypeValueAddOnly AttributeFlowType = "ValueAddOnly"
	// FlowTypeAttributeAddOnly flows a change only when the attribute has
	// no value at all.
	FlowTypeAttributeAddOnly AttributeFlowType = "AttributeAddOnly"
)

// AttributeMappingSource is an expression that computes an attribute's
// value: an attribute of the source object, a constant, or a function whose
// parameters are expressions themselves (Graph attributeMappingSource).
type AttributeMappingSource struct {
	// Expression is the expression as text, for example
	// `Mid([userPrincipalName], 1, 8)`.
	Expression string `json:"expression"`
	// Name is the function's name, the source attribute's name or the
	// constant's value, depending on Type.
	Name string `json:"name"`
	// Parameters are a function's parameters, each an expression. Empty
	// (Graph sends [] or null) unless Type is Function.
	Parameters []StringKeyAttributeMappingSourceValuePair `json:"parameters"`
	// Type is Attribute (the default), Constant or Function.
	Type AttributeMappingSourceType `json:"type"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes s without losing anything.
func (s *AttributeMappingSource) UnmarshalJSON(b []byte) error { return unmarshalModel(b, s) }

func (s *AttributeMappingSource) decodeFrom(node any) error {
	return decodeObject(node, s, &s.Extra, &s.wire)
}

// MarshalJSON encodes s as it was received, with any changes made since.
func (s AttributeMappingSource) MarshalJSON() ([]byte, error) { return marshalModel(s) }

func (s AttributeMappingSource) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &s, s.Extra, s.wire)
}

// AttributeMappingSourceType is the kind of an AttributeMappingSource.
type AttributeMappingSourceType string

// Documented source types; others are kept as received.
const (
	SourceAttribute AttributeMappingSourceType = "Attribute"
	SourceConstant  AttributeMappingSourceType = "Constant"
	SourceFunction  AttributeMappingSourceType = "Function"
)

// StringKeyAttributeMappingSourceValuePair is one parameter of a function
// expression: its name and its value, an expression (Graph
// stringKeyAttributeMappingSourceValuePair).
type StringKeyAttributeMappingSourceValuePair struct {
	// Key is the parameter's name, for example "source".
	Key string `json:"key"`
	// Value is the parameter's expression.
	Value *AttributeMappingSource `json:"value"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes p without losing anything.
func (p *StringKeyAttributeMappingSourceValuePair) UnmarshalJSON(b []byte) error {
	return unmarshalModel(b, p)
}

func (p *StringKeyAttributeMappingSourceValuePair) decodeFrom(node any) error {
	return decodeObject(node, p, &p.Extra, &p.wire)
}

// MarshalJSON encodes p as it was received, with any changes made since.
func (p StringKeyAttributeMappingSourceValuePair) MarshalJSON() ([]byte, error) {
	return marshalModel(p)
}

func (p StringKeyAttributeMappingSourceValuePair) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &p, p.Extra, p.wire)
}

// Filter is a scoping filter: it decides which objects an object mapping
// processes (Graph filter). Each field is a set of groups: an object is in
// scope for a set if any group of it evaluates to true, and a group is true
// if all its clauses are.
type Filter struct {
	// CategoryFilterGroups decide whether an object belongs to the
	// mapping (experimental, per Graph).
	CategoryFilterGroups []FilterGroup `json:"categoryFilterGroups"`
	// Groups decide whether an object is in scope for provisioning; an
	// object that leaves this scope is deprovisioned. This is the filter
	// to use in most cases.
	Groups []FilterGroup `json:"groups"`
	// InputFilterGroups drop objects as they are read; an object that
	// leaves this scope is not deprovisioned (experimental, per Graph).
	InputFilterGroups []FilterGroup `json:"inputFilterGroups"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes f without losing anything.
func (f *Filter) UnmarshalJSON(b []byte) error { return unmarshalModel(b, f) }

func (f *Filter) decodeFrom(node any) error {
	return decodeObject(node, f, &f.Extra, &f.wire)
}

// MarshalJSON encodes f as it was received, with any changes made since.
func (f Filter) MarshalJSON() ([]byte, error) { return marshalModel(f) }

func (f Filter) encodeTo(b *bytes.Buffer) error { return encodeObject(b, &f, f.Extra, f.wire) }

// FilterGroup is a set of clauses that an object must all satisfy to be in
// scope (Graph filterGroup).
type FilterGroup struct {
	// Clauses are the conditions, all of which must hold.
	Clauses []FilterClause `json:"clauses"`
	// Name is the group's human-readable name.
	Name string `json:"name"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes g without losing anything.
func (g *FilterGroup) UnmarshalJSON(b []byte) error { return unmarshalModel(b, g) }

func (g *FilterGroup) decodeFrom(node any) error {
	return decodeObject(node, g, &g.Extra, &g.wire)
}

// MarshalJSON encodes g as it was received, with any changes made since.
func (g FilterGroup) MarshalJSON() ([]byte, error) { return marshalModel(g) }

func (g FilterGroup) encodeTo(b *bytes.Buffer) error { return encodeObject(b, &g, g.Extra, g.wire) }

// FilterClause is one condition an object must satisfy: an operator
// applied to a source attribute and target values (Graph filterClause).
type FilterClause struct {
	// OperatorName is one of the operators Graph supports, for example
	// "EQUALS", "IS TRUE" or "REGEX MATCH".
	OperatorName string `json:"operatorName"`
	// SourceOperandName names the source object's attribute tested.
	SourceOperandName string `json:"sourceOperandName"`
	// TargetOperand holds the values the attribute is tested against;
	// nil for operators that take none.
	TargetOperand *FilterOperand `json:"targetOperand"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes c without losing anything.
func (c *FilterClause) UnmarshalJSON(b []byte) error { return unmarshalModel(b, c) }

func (c *FilterClause) decodeFrom(node any) error {
	return decodeObject(node, c, &c.Extra, &c.wire)
}

// MarshalJSON encodes c as it was received, with any changes made since.
func (c FilterClause) MarshalJSON() ([]byte, error) { return marshalModel(c) }

func (c FilterClause) encodeTo(b *bytes.Buffer) error { return encodeObject(b, &c, c.Extra, c.wire) }

// FilterOperand holds the values of a filter clause (Graph filterOperand).
type FilterOperand struct {
	// Values are the values the source attribute is tested against.
	Values []string `json:"values"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes o without losing anything.
func (o *FilterOperand) UnmarshalJSON(b []byte) error { return unmarshalModel(b, o) }

func (o *FilterOperand) decodeFrom(node any) error {
	return decodeObject(node, o, &o.Extra, &o.wire)
}

// MarshalJSON encodes o as it was received, with any changes made since.
func (o FilterOperand) MarshalJSON() ([]byte, error) { return marshalModel(o) }

func (o FilterOperand) encodeTo(b *bytes.Buffer) error { return encodeObject(b, &o, o.Extra, o.wire) }

// DirectoryDefinition describes a directory to the synchronization
// engine: its objects, their attributes and the attributes' types (Graph
// directoryDefinition). Rules and mappings may use only objects and
// attributes defined here.
type DirectoryDefinition struct {
	// Discoverabilities say what kind of discovery the directory
	// supports, a comma-separated list such as
	// "AttributeNames,AttributeDataTypes". Read-only.
	Discoverabilities DirectoryDefinitionDiscoverabilities `json:"discoverabilities"`
	// DiscoveryDateTime is when the directory was discovered, as Graph
	// wrote it (ISO 8601, UTC); empty (Graph sends null) when it was not.
	DiscoveryDateTime Timestamp `json:"discoveryDateTime"`
	// ID identifies the directory.
	ID string `json:"id"`
	// Metadata are extension properties of the directory.
	Metadata []StringKeyStringValuePair `json:"metadata"`
	// Name is the directory's name, unique in the schema; rules name
	// their directories with it.
	Name string `json:"name"`
	// Objects are the objects the directory supports.
	Objects []ObjectDefinition `json:"objects"`
	// ReadOnly is true if the directory definition is read-only.
	ReadOnly bool `json:"readOnly"`
	// Version is the version discovered; empty (null) before discovery.
	// Read-only.
	Version string `json:"version"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes d without losing anything.
func (d *DirectoryDefinition) UnmarshalJSON(b []byte) error { return unmarshalModel(b, d) }

func (d *DirectoryDefinition) decodeFrom(node any) error {
	return decodeObject(node, d, &d.Extra, &d.wire)
}

// MarshalJSON encodes d as it was received, with any changes made since.
func (d DirectoryDefinition) MarshalJSON() ([]byte, error) { return marshalModel(d) }

func (d DirectoryDefinition) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &d, d.Extra, d.wire)
}

// DirectoryDefinitionDiscoverabilities is the set of discovery kinds a
// directory supports, a comma-separated list kept as received; Has reads
// it.
type DirectoryDefinitionDiscoverabilities string

// Documented discoverabilities.
const (
	DiscoverNone                DirectoryDefinitionDiscoverabilities = "None"
	DiscoverAttributeNames      DirectoryDefinitionDiscoverabilities = "AttributeNames"
	DiscoverAttributeDataTypes  DirectoryDefinitionDiscoverabilities = "AttributeDataTypes"
	DiscoverAttributeReadOnly   DirectoryDefinitionDiscoverabilities = "AttributeReadOnly"
	DiscoverReferenceAttributes DirectoryDefinitionDiscoverabilities = "ReferenceAttributes"
	DiscoverUnknownFutureValue  DirectoryDefinitionDiscoverabilities = "UnknownFutureValue"
)

// Has reports whether the list holds kind (compared without regard to
// case or spaces).
func (d DirectoryDefinitionDiscoverabilities) Has(kind DirectoryDefinitionDiscoverabilities) bool {
	return hasFlag(string(d), string(kind))
}

// Timestamp is a date and time exactly as Graph wrote it, for example
// "2014-01-01T00:00:00Z" or "2025-03-30T07:00:28.2095357Z". It is kept as
// text so that writing it back sends the same characters (a time.Time would
// drop trailing zeros of the fraction); Time parses it.
type Timestamp string

// Time parses the timestamp (RFC 3339, up to 9 fractional digits). The
// empty Timestamp gives the zero time and no error.
func (t Timestamp) Time() (time.Time, error) {
	if t == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, string(t))
}

// NewTimestamp formats t in UTC as Graph does (RFC 3339, with a fraction
// only when there is one).
func NewTimestamp(t time.Time) Timestamp {
	return Timestamp(t.UTC().Format(time.RFC3339Nano))
}

// ObjectDefinition describes an object of a directory and its attributes
// (Graph objectDefinition).
type ObjectDefinition struct {
	// Attributes are the object's attributes.
	Attributes []AttributeDefinition `json:"attributes"`
	// Metadata are properties of the object, for example
	// IsSoftDeletionSupported.
	Metadata []ObjectDefinitionMetadataEntry `json:"metadata"`
	// Name is the object's name, unique in the directory, for example
	// "User".
	Name string `json:"name"`
	// SupportedAPIs are the APIs the provisioning service queries to read
	// the object.
	SupportedAPIs []string `json:"supportedApis"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes d without losing anything.
func (d *ObjectDefinition) UnmarshalJSON(b []byte) error { return unmarshalModel(b, d) }

func (d *ObjectDefinition) decodeFrom(node any) error {
	return decodeObject(node, d, &d.Extra, &d.wire)
}

// MarshalJSON encodes d as it was received, with any changes made since.
func (d ObjectDefinition) MarshalJSON() ([]byte, error) { return marshalModel(d) }

func (d ObjectDefinition) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &d, d.Extra, d.wire)
}

// AttributeDefinition describes an attribute of an object (Graph
// attributeDefinition).
type AttributeDefinition struct {
	// Anchor is true for the attribute that anchors the object: unique,
	// immutable, exactly one per object.
	Anchor bool `json:"anchor"`
	// APIExpressions are expressions the synchronization engine uses to
	// read the attribute through the directory's API, key and value, for
	// example {"key": "Get", "value": "$.userName"}. Graph documents no
	// meaning for them; they are kept so that a schema written back keeps
	// them.
	APIExpressions []StringKeyStringValuePair `json:"apiExpressions"`
	// CaseExact is true if values are compared with regard to case.
	CaseExact bool `json:"caseExact"`
	// DefaultValue is the attribute's default value; Graph sends null
	// for none.
	DefaultValue string `json:"defaultValue"`
	// FlowNullValues is true if null values may flow.
	FlowNullValues bool `json:"flowNullValues"`
	// Metadata are properties of the attribute, for example
	// MaximumLength.
	Metadata []AttributeDefinitionMetadataEntry `json:"metadata"`
	// Multivalued is true if the attribute holds several values.
	Multivalued bool `json:"multivalued"`
	// Mutability is ReadWrite (the default), ReadOnly, Immutable or
	// WriteOnly.
	Mutability Mutability `json:"mutability"`
	// Name is the attribute's name, unique in the object.
	Name string `json:"name"`
	// ReferencedObjects are, for a Reference attribute, the objects it
	// refers to (for example User for manager).
	ReferencedObjects []ReferencedObject `json:"referencedObjects"`
	// Required is true if an object cannot be created without the
	// attribute.
	Required bool `json:"required"`
	// Type is the type of the attribute's values.
	Type AttributeType `json:"type"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes d without losing anything.
func (d *AttributeDefinition) UnmarshalJSON(b []byte) error { return unmarshalModel(b, d) }

func (d *AttributeDefinition) decodeFrom(node any) error {
	return decodeObject(node, d, &d.Extra, &d.wire)
}

// MarshalJSON encodes d as it was received, with any changes made since.
func (d AttributeDefinition) MarshalJSON() ([]byte, error) { return marshalModel(d) }

func (d AttributeDefinition) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &d, d.Extra, d.wire)
}

// Mutability says whether an attribute may be written.
type Mutability string

// Documented mutabilities; others are kept as received.
const (
	MutabilityReadWrite Mutability = "ReadWrite"
	MutabilityReadOnly  Mutability = "ReadOnly"
	MutabilityImmutable Mutability = "Immutable"
	MutabilityWriteOnly Mutability = "WriteOnly"
)

// AttributeType is the type of an attribute's values.
type AttributeType string

// Documented attribute types; others are kept as received.
const (
	AttributeString    AttributeType = "String"
	AttributeInteger   AttributeType = "Integer"
	AttributeReference AttributeType = "Reference"
	AttributeBinary    AttributeType = "Binary"
	AttributeBoolean   AttributeType = "Boolean"
	AttributeDateTime  AttributeType = "DateTime"
)

// ReferencedObject names an object, in the same directory, that a
// Reference attribute refers to (Graph referencedObject).
type ReferencedObject struct {
	// ReferencedObjectName names the object.
	ReferencedObjectName string `json:"referencedObjectName"`
	// ReferencedProperty names the property of the referenced object
	// used as the reference; Graph says it is not supported yet and
	// sends null.
	ReferencedProperty string `json:"referencedProperty"`
	// Extra holds the members Graph sent that this type does not name,
	// written back unchanged (see SynchronizationSchema.Extra).
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// UnmarshalJSON decodes o without losing anything.
func (o *ReferencedObject) UnmarshalJSON(b []byte) error { return unmarshalModel(b, o) }

func (o *ReferencedObject) decodeFrom(node any) error {
	return decodeObject(node, o, &o.Extra, &o.wire)
}

// MarshalJSON encodes o as it was received, with any changes made since.
func (o ReferencedObject) MarshalJSON() ([]byte, error) { return marshalModel(o) }

func (o ReferencedObject) encodeTo(b *bytes.Buffer) error {
	return encodeObject(b, &o, o.Extra, o.wire)
}
