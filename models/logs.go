package models

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ProvisioningObjectSummary is one event of the provisioning logs (Graph
// provisioningObjectSummary, GET /auditLogs/provisioning): what the
// provisioning service did with one object, for example one user of a
// bulkUpload request. It is read-only.
//
// An event decoded from Graph encodes back as it was received: a member
// Graph sent as null is written as null (a null string reads as "", a
// null number as 0: see Duration), one it left out stays out, and "", 0
// and false it sent are written as sent. Member names are matched exactly
// ("ID" is not "id"); members this type does not name are kept in Extra
// and written back. This holds for every type an event holds. An event
// built in Go is written with every member, zero values included and nil
// pointers and slices as null, as Graph writes one. Graph's documentation
// spells some enumeration values in more than one case ("Import" and
// "import"); compare them with strings.EqualFold.
type ProvisioningObjectSummary struct {
	// ID identifies the event.
	ID string `json:"id"`
	// ActivityDateTime is when the event happened (UTC).
	ActivityDateTime time.Time `json:"activityDateTime"`
	// TenantID is the Entra tenant.
	TenantID string `json:"tenantId"`
	// JobID is the synchronization job that provisioned the object.
	JobID string `json:"jobId"`
	// CycleID identifies the job's run (cycle) the event belongs to.
	CycleID string `json:"cycleId"`
	// ChangeID identifies the change within the cycle.
	ChangeID string `json:"changeId"`
	// ProvisioningAction is what was done: create, update, delete,
	// disable, stagedDelete or other.
	ProvisioningAction LogAction `json:"provisioningAction"`
	// DurationInMilliseconds is how long the action took; 0 when Graph
	// sent null or nothing (Duration tells these apart).
	DurationInMilliseconds int64 `json:"durationInMilliseconds"`
	// ProvisioningStatusInfo is the outcome, with the error if it failed.
	ProvisioningStatusInfo *ProvisioningStatusInfo `json:"provisioningStatusInfo"`
	// ProvisioningSteps are the steps taken, in order.
	ProvisioningSteps []ProvisioningLogStep `json:"provisioningSteps"`
	// ModifiedProperties are the target attributes that were changed,
	// with their old and new values (nil for null).
	ModifiedProperties []ModifiedProperty `json:"modifiedProperties"`
	// ServicePrincipal is the service principal (application) whose job
	// provisioned the object. The resource page calls it a collection;
	// Graph's metadata and examples send one object, and a one-element
	// array is read as that object.
	ServicePrincipal *ProvisioningServicePrincipal `json:"servicePrincipal"`
	// SourceSystem is where the object came from, e.g. an HR system.
	SourceSystem *ProvisioningSystem `json:"sourceSystem"`
	// TargetSystem is where it was provisioned to.
	TargetSystem *ProvisioningSystem `json:"targetSystem"`
	// InitiatedBy is who or what started the provisioning.
	InitiatedBy *Initiator `json:"initiatedBy"`
	// SourceIdentity is the object in the source system.
	SourceIdentity *ProvisionedIdentity `json:"sourceIdentity"`
	// TargetIdentity is the object in the target system.
	TargetIdentity *ProvisionedIdentity `json:"targetIdentity"`
	// Action names the activity, for example "Create" (beta only,
	// deprecated in favour of ProvisioningAction). An event built in Go
	// writes it only when set.
	Action string `json:"action,omitempty"`
	// StatusInfo is the outcome (beta only, deprecated in favour of
	// ProvisioningStatusInfo): a statusBase, or a statusDetails with the
	// error. An event built in Go writes it only when set.
	StatusInfo *StatusDetails `json:"statusInfo,omitempty"`
	// Extra holds the members Graph sent that this type does not model,
	// as received.
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// ProvisioningStatusInfo is the outcome of a provisioning event.
type ProvisioningStatusInfo struct {
	// Status is success, warning, failure or skipped.
	Status LogStatus `json:"status"`
	// ErrorInformation says what went wrong; nil (null) when the status
	// is success or skipped.
	ErrorInformation *ProvisioningErrorInfo `json:"errorInformation"`
	// Extra holds unmodelled members, as received.
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// StatusDetails is the deprecated outcome of a provisioning event in beta
// (ProvisioningObjectSummary.StatusInfo): Graph statusBase, whose only
// member is the status, or the derived statusDetails, which Graph marks
// with "@odata.type": "#microsoft.graph.statusDetails" (kept in Extra) and
// which adds the error members. Members of statusDetails that are "" are
// left out of a value built in Go.
type StatusDetails struct {
	// Status is success, warning, failure or skipped.
	Status LogStatus `json:"status"`
	// AdditionalDetails adds to Reason.
	AdditionalDetails string `json:"additionalDetails,omitempty"`
	// ErrorCategory says whose failure it is (Graph's example spells it
	// "NonServiceFailure" as well as "nonServiceFailure").
	ErrorCategory LogErrorCategory `json:"errorCategory,omitempty"`
	// ErrorCode is the error, e.g. "ContosoEntryConflict".
	ErrorCode string `json:"errorCode,omitempty"`
	// Reason explains the status.
	Reason string `json:"reason,omitempty"`
	// RecommendedAction is how to resolve the error.
	RecommendedAction string `json:"recommendedAction,omitempty"`
	// Extra holds unmodelled members, as received, such as "@odata.type".
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// ProvisioningErrorInfo describes the failure of a provisioning event.
// Graph may send null for any of its strings; that reads as "" and is
// written back as null.
type ProvisioningErrorInfo struct {
	// ErrorCode is the error, e.g. "ContosoEntryConflict".
	ErrorCode string `json:"errorCode"`
	// Reason explains the status.
	Reason string `json:"reason"`
	// AdditionalDetails adds to Reason.
	AdditionalDetails string `json:"additionalDetails"`
	// ErrorCategory says whose failure it is: failure, nonServiceFailure
	// or success.
	ErrorCategory LogErrorCategory `json:"errorCategory"`
	// RecommendedAction is how to resolve the error.
	RecommendedAction string `json:"recommendedAction"`
	// Extra holds unmodelled members, as received.
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// ProvisioningLogStep is one step of a provisioning event (Graph
// provisioningStep in the provisioning logs; provisionOnDemand's steps are
// ProvisioningStep).
type ProvisioningLogStep struct {
	// Name of the step, e.g. "EntryImport".
	Name string `json:"name"`
	// ProvisioningStepType is import, scoping, matching, processing,
	// referenceResolution or export.
	ProvisioningStepType LogStepType `json:"provisioningStepType"`
	// Status is success, warning, failure or skipped.
	Status LogStatus `json:"status"`
	// Description summarizes what happened.
	Description string `json:"description"`
	// Details are what happened in detail (Graph detailsInfo, an open
	// set of properties).
	Details StringMap `json:"details"`
	// Extra holds unmodelled members, as received.
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// ProvisionedIdentity is the source or target object of a provisioning
// event.
type ProvisionedIdentity struct {
	// ID identifies the object in its system.
	ID string `json:"id"`
	// DisplayName is the object's display name.
	DisplayName string `json:"displayName"`
	// IdentityType is the object's type, e.g. "User", "Group".
	IdentityType string `json:"identityType"`
	// Details are more properties of the object (Graph detailsInfo).
	Details StringMap `json:"details"`
	// Extra holds unmodelled members, as received.
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// ProvisioningSystem is the source or target system of a provisioning
// event.
type ProvisioningSystem struct {
	// ID identifies the system.
	ID string `json:"id"`
	// DisplayName is the system's name, e.g. "Azure Active Directory".
	DisplayName string `json:"displayName"`
	// Details are more properties of the system (Graph detailsInfo),
	// e.g. ApplicationId and ServicePrincipalId.
	Details StringMap `json:"details"`
	// Extra holds unmodelled members, as received.
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// ProvisioningServicePrincipal is the service principal whose job
// provisioned an object.
type ProvisioningServicePrincipal struct {
	// ID is the service principal's object ID.
	ID string `json:"id"`
	// DisplayName is its name.
	DisplayName string `json:"displayName"`
	// Extra holds unmodelled members, as received.
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// Initiator is who or what started a provisioning event.
type Initiator struct {
	// ID identifies the initiator; often "" for the provisioning
	// service itself.
	ID string `json:"id"`
	// DisplayName is the initiator's name, e.g. "Azure AD Provisioning
	// Service".
	DisplayName string `json:"displayName"`
	// InitiatorType is user, application or system.
	InitiatorType InitiatorType `json:"initiatorType"`
	// Extra holds unmodelled members, as received. (One of Graph's
	// examples spells the type "initiatingType"; it lands here.)
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// LogAction is what a provisioning event did (Graph provisioningAction).
type LogAction string

// Documented provisioning actions; other values are kept as received.
const (
	LogActionCreate             LogAction = "create"
	LogActionUpdate             LogAction = "update"
	LogActionDelete             LogAction = "delete"
	LogActionStagedDelete       LogAction = "stagedDelete"
	LogActionDisable            LogAction = "disable"
	LogActionOther              LogAction = "other"
	LogActionUnknownFutureValue LogAction = "unknownFutureValue"
)

// LogStatus is the outcome of a provisioning event or step (Graph
// provisioningResult).
type LogStatus string

// Documented outcomes; other values are kept as received.
const (
	LogStatusSuccess            LogStatus = "success"
	LogStatusWarning            LogStatus = "warning"
	LogStatusFailure            LogStatus = "failure"
	LogStatusSkipped            LogStatus = "skipped"
	LogStatusUnknownFutureValue LogStatus = "unknownFutureValue"
)

// LogStepType is the kind of a provisioning step (Graph
// provisioningStepType).
type LogStepType string

// Documented step types; other values are kept as received.
const (
	LogStepImport              LogStepType = "import"
	LogStepScoping             LogStepType = "scoping"
	LogStepMatching            LogStepType = "matching"
	LogStepProcessing          LogStepType = "processing"
	LogStepReferenceResolution LogStepType = "referenceResolution"
	LogStepExport              LogStepType = "export"
	LogStepUnknownFutureValue  LogStepType = "unknownFutureValue"
)

// LogErrorCategory says whose failure an error is (Graph
// provisioningStatusErrorCategory).
type LogErrorCategory string

// Documented error categories; other values are kept as received.
const (
	LogErrorFailure            LogErrorCategory = "failure"
	LogErrorNonServiceFailure  LogErrorCategory = "nonServiceFailure"
	LogErrorSuccess            LogErrorCategory = "success"
	LogErrorUnknownFutureValue LogErrorCategory = "unknownFutureValue"
)

// InitiatorType is the kind of initiator of a provisioning event.
type InitiatorType string

// Documented initiator types; other values are kept as received.
const (
	InitiatorUser               InitiatorType = "user"
	InitiatorApplication        InitiatorType = "application"
	InitiatorSystem             InitiatorType = "system"
	InitiatorUnknownFutureValue InitiatorType = "unknownFutureValue"
)

// Duration returns how long the action took, and false when Graph sent
// null for durationInMilliseconds or left it out. An event built in Go
// reports true.
func (s ProvisioningObjectSummary) Duration() (time.Duration, bool) {
	if s.wire.decoded && s.DurationInMilliseconds == 0 {
		i := fieldIndex(fieldsOf(reflect.TypeFor[ProvisioningObjectSummary]()), "durationInMilliseconds")
		if s.wire.present&(1<<i) == 0 {
			return 0, false
		}
	}
	return time.Duration(s.DurationInMilliseconds) * time.Millisecond, true
}

// Each type above decodes and encodes through decodeEvery and encodeEvery:
// a value read from Graph is written back as received, one built in Go
// with every member.

// Key identifies the event across reads of the logs (pages that overlap,
// a log followed): its ID, or, for an event Graph sent without one,
// "sha256:" and a digest of the event as written back, so that such
// events are still told apart rather than all taken for one.
func (s ProvisioningObjectSummary) Key() string {
	if s.ID != "" {
		return s.ID
	}
	b, _ := json.Marshal(s) // a decoded event always encodes
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// UnmarshalJSON decodes s without losing anything (see the type's
// documentation).
func (s *ProvisioningObjectSummary) UnmarshalJSON(b []byte) error { return unmarshalModel(b, s) }

func (s *ProvisioningObjectSummary) decodeFrom(node any) error {
	return decodeEvery(node, s, &s.Extra, &s.wire)
}

// MarshalJSON encodes s as it was received, with any changes made since;
// a value built in Go is written with every member.
func (s ProvisioningObjectSummary) MarshalJSON() ([]byte, error) { return marshalModel(s) }

func (s ProvisioningObjectSummary) encodeTo(b *bytes.Buffer) error {
	return encodeEvery(b, &s, s.Extra, s.wire)
}

// UnmarshalJSON decodes s without losing anything.
func (s *ProvisioningStatusInfo) UnmarshalJSON(b []byte) error { return unmarshalModel(b, s) }

func (s *ProvisioningStatusInfo) decodeFrom(node any) error {
	return decodeEvery(node, s, &s.Extra, &s.wire)
}

// MarshalJSON encodes s as it was received, with any changes made since.
func (s ProvisioningStatusInfo) MarshalJSON() ([]byte, error) { return marshalModel(s) }

func (s ProvisioningStatusInfo) encodeTo(b *bytes.Buffer) error {
	return encodeEvery(b, &s, s.Extra, s.wire)
}

// UnmarshalJSON decodes s without losing anything.
func (s *StatusDetails) UnmarshalJSON(b []byte) error { return unmarshalModel(b, s) }

func (s *StatusDetails) decodeFrom(node any) error {
	return decodeEvery(node, s, &s.Extra, &s.wire)
}

// MarshalJSON encodes s as it was received, with any changes made since.
func (s StatusDetails) MarshalJSON() ([]byte, error) { return marshalModel(s) }

func (s StatusDetails) encodeTo(b *bytes.Buffer) error {
	return encodeEvery(b, &s, s.Extra, s.wire)
}

// UnmarshalJSON decodes e without losing anything.
func (e *ProvisioningErrorInfo) UnmarshalJSON(b []byte) error { return unmarshalModel(b, e) }

func (e *ProvisioningErrorInfo) decodeFrom(node any) error {
	return decodeEvery(node, e, &e.Extra, &e.wire)
}

// MarshalJSON encodes e as it was received, with any changes made since.
func (e ProvisioningErrorInfo) MarshalJSON() ([]byte, error) { return marshalModel(e) }

func (e ProvisioningErrorInfo) encodeTo(b *bytes.Buffer) error {
	return encodeEvery(b, &e, e.Extra, e.wire)
}

// UnmarshalJSON decodes s without losing anything.
func (s *ProvisioningLogStep) UnmarshalJSON(b []byte) error { return unmarshalModel(b, s) }

func (s *ProvisioningLogStep) decodeFrom(node any) error {
	return decodeEvery(node, s, &s.Extra, &s.wire)
}

// MarshalJSON encodes s as it was received, with any changes made since.
func (s ProvisioningLogStep) MarshalJSON() ([]byte, error) { return marshalModel(s) }

func (s ProvisioningLogStep) encodeTo(b *bytes.Buffer) error {
	return encodeEvery(b, &s, s.Extra, s.wire)
}

// UnmarshalJSON decodes p without losing anything.
func (p *ProvisionedIdentity) UnmarshalJSON(b []byte) error { return unmarshalModel(b, p) }

func (p *ProvisionedIdentity) decodeFrom(node any) error {
	return decodeEvery(node, p, &p.Extra, &p.wire)
}

// MarshalJSON encodes p as it was received, with any changes made since.
func (p ProvisionedIdentity) MarshalJSON() ([]byte, error) { return marshalModel(p) }

func (p ProvisionedIdentity) encodeTo(b *bytes.Buffer) error {
	return encodeEvery(b, &p, p.Extra, p.wire)
}

// UnmarshalJSON decodes s without losing anything.
func (s *ProvisioningSystem) UnmarshalJSON(b []byte) error { return unmarshalModel(b, s) }

func (s *ProvisioningSystem) decodeFrom(node any) error {
	return decodeEvery(node, s, &s.Extra, &s.wire)
}

// MarshalJSON encodes s as it was received, with any changes made since.
func (s ProvisioningSystem) MarshalJSON() ([]byte, error) { return marshalModel(s) }

func (s ProvisioningSystem) encodeTo(b *bytes.Buffer) error {
	return encodeEvery(b, &s, s.Extra, s.wire)
}

// UnmarshalJSON decodes p without losing anything. It also reads an array
// of at most one object, the shape the resource page documents; an empty
// array reads as a zero value, written back as an object.
func (p *ProvisioningServicePrincipal) UnmarshalJSON(b []byte) error { return unmarshalModel(b, p) }

func (p *ProvisioningServicePrincipal) decodeFrom(node any) error {
	if items, ok := node.([]any); ok {
		switch len(items) {
		case 0:
			*p = ProvisioningServicePrincipal{}
			return nil
		case 1:
			node = items[0]
		default:
			return fmt.Errorf("servicePrincipal holds %d objects, not one", len(items))
		}
	}
	return decodeEvery(node, p, &p.Extra, &p.wire)
}

// MarshalJSON encodes p as it was received, with any changes made since.
func (p ProvisioningServicePrincipal) MarshalJSON() ([]byte, error) { return marshalModel(p) }

func (p ProvisioningServicePrincipal) encodeTo(b *bytes.Buffer) error {
	return encodeEvery(b, &p, p.Extra, p.wire)
}

// UnmarshalJSON decodes i without losing anything.
func (i *Initiator) UnmarshalJSON(b []byte) error { return unmarshalModel(b, i) }

func (i *Initiator) decodeFrom(node any) error {
	return decodeEvery(node, i, &i.Extra, &i.wire)
}

// MarshalJSON encodes i as it was received, with any changes made since.
func (i Initiator) MarshalJSON() ([]byte, error) { return marshalModel(i) }

func (i Initiator) encodeTo(b *bytes.Buffer) error {
	return encodeEvery(b, &i, i.Extra, i.wire)
}

// ProvisioningLogQuery selects provisioning events: every filter
// Graph documents for GET /auditLogs/provisioning. Set fields are combined
// with "and"; the zero value selects every event. Text is matched as Graph
// matches it: exactly, with regard to case, except the status, which Graph
// compares without regard to case.
//
// The documented filters, and how the fields write them:
//
//	id, tenantId, jobId, cycleId, changeId        eq, contains
//	provisioningAction                            eq, contains
//	provisioningStatusInfo/status                 eq, contains
//	servicePrincipal/id, servicePrincipal/displayName   eq
//	sourceIdentity/id, /displayName, /identityType      eq, contains
//	targetIdentity/id, /displayName, /identityType      eq, contains
//	sourceSystem/displayName, targetSystem/displayName  eq, contains
//	initiatedBy/displayName                       eq, contains
//	activityDateTime                              gt, lt; and $orderby
//	durationInMilliseconds (documented in beta)   gt, lt
//
// Graph documents neither "or", "not", "ge", "le" nor startswith for these
// logs, and the query writes none of them.
type ProvisioningLogQuery struct {
	// JobID selects the events of one synchronization job (jobId eq).
	JobID string
	// CycleID selects the events of one run of a job (cycleId eq).
	CycleID string
	// ChangeID selects one change (changeId eq).
	ChangeID string
	// SourceIdentityID selects the events of one source object, e.g. one
	// user of a bulkUpload (sourceIdentity/id eq).
	SourceIdentityID string
	// ID selects one event (id eq).
	ID string
	// TenantID selects the events of one tenant (tenantId eq).
	TenantID string
	// ProvisioningAction selects the events of one action, e.g.
	// LogActionCreate (provisioningAction eq).
	ProvisioningAction LogAction
	// Status selects the events with one outcome, e.g. LogStatusFailure
	// (provisioningStatusInfo/status eq; Graph ignores case here).
	Status LogStatus
	// ServicePrincipalID selects the events of one service principal
	// (servicePrincipal/id eq).
	ServicePrincipalID string
	// ServicePrincipalName selects the events of the service principals
	// of that name (servicePrincipal/displayName eq).
	ServicePrincipalName string
	// SourceIdentityName selects by the source object's display name
	// (sourceIdentity/displayName eq).
	SourceIdentityName string
	// SourceIdentityType selects by the source object's type, e.g. "User"
	// (sourceIdentity/identityType eq).
	SourceIdentityType string
	// TargetIdentityID selects the events of one target object
	// (targetIdentity/id eq).
	TargetIdentityID string
	// TargetIdentityName selects by the target object's display name
	// (targetIdentity/displayName eq).
	TargetIdentityName string
	// TargetIdentityType selects by the target object's type
	// (targetIdentity/identityType eq).
	TargetIdentityType string
	// SourceSystemName selects by the source system's name, e.g. "API"
	// (sourceSystem/displayName eq).
	SourceSystemName string
	// TargetSystemName selects by the target system's name, e.g. "Azure
	// Active Directory" (targetSystem/displayName eq).
	TargetSystemName string
	// InitiatedByName selects by the initiator's name, e.g. "Azure AD
	// Provisioning Service" (initiatedBy/displayName eq).
	InitiatedByName string
	// Contains selects the events whose properties contain the texts it
	// holds (contains(property,'text')).
	Contains LogContains
	// After, if set, selects events strictly after it (activityDateTime
	// gt): Graph documents gt, lt and eq for activityDateTime, not ge or
	// le.
	After time.Time
	// Before, if set, selects events strictly before it
	// (activityDateTime lt).
	Before time.Time
	// LongerThan, if set, selects the events whose action took longer
	// (durationInMilliseconds gt), in whole milliseconds. Graph documents
	// this filter in beta.
	LongerThan time.Duration
	// ShorterThan, if set, selects the events whose action took less
	// time (durationInMilliseconds lt), in whole milliseconds; beta.
	ShorterThan time.Duration
	// OrderBy orders the events by time ($orderby): LogOldestFirst or
	// LogNewestFirst; "" leaves the order to Graph.
	OrderBy LogOrder
	// Top is the page size ($top); 0 means Graph's default. Every page is
	// fetched either way; a page holding more events than Top (or than
	// 1000, Graph's largest page, when Top is 0) is refused with an error.
	Top int
}

// LogContains selects provisioning events by text their properties
// contain (Graph's contains function, case-sensitive). Set fields are
// combined with "and".
type LogContains struct {
	ID                 string // contains(id,'…')
	TenantID           string // contains(tenantId,'…')
	JobID              string // contains(jobId,'…')
	CycleID            string // contains(cycleId,'…')
	ChangeID           string // contains(changeId,'…')
	ProvisioningAction string // contains(provisioningAction,'…')
	Status             string // contains(provisioningStatusInfo/status,'…')
	SourceIdentityID   string // contains(sourceIdentity/id,'…')
	SourceIdentityName string // contains(sourceIdentity/displayName,'…')
	SourceIdentityType string // contains(sourceIdentity/identityType,'…')
	TargetIdentityID   string // contains(targetIdentity/id,'…')
	TargetIdentityName string // contains(targetIdentity/displayName,'…')
	TargetIdentityType string // contains(targetIdentity/identityType,'…')
	SourceSystemName   string // contains(sourceSystem/displayName,'…')
	TargetSystemName   string // contains(targetSystem/displayName,'…')
	InitiatedByName    string // contains(initiatedBy/displayName,'…')
}

// LogOrder is the order of provisioning events ($orderby).
type LogOrder string

// The orders Graph documents: by activityDateTime.
const (
	LogOldestFirst LogOrder = "activityDateTime asc"
	LogNewestFirst LogOrder = "activityDateTime desc"
)

// maxLogDuration is the largest durationInMilliseconds (an Edm.Int32).
const maxLogDuration = (1<<31 - 1) * time.Millisecond

// logText is one text filter of a query: the field that holds it, the
// property it compares, and the value ("" when unset).
type logText struct{ field, property, value string }

// eqFilters returns the eq filters of q, in the order Filter writes them.
func (q *ProvisioningLogQuery) eqFilters() []logText {
	return []logText{
		{"JobID", "jobId", q.JobID},
		{"CycleID", "cycleId", q.CycleID},
		{"ChangeID", "changeId", q.ChangeID},
		{"SourceIdentityID", "sourceIdentity/id", q.SourceIdentityID},
		{"ID", "id", q.ID},
		{"TenantID", "tenantId", q.TenantID},
		{"ProvisioningAction", "provisioningAction", string(q.ProvisioningAction)},
		{"Status", "provisioningStatusInfo/status", string(q.Status)},
		{"ServicePrincipalID", "servicePrincipal/id", q.ServicePrincipalID},
		{"ServicePrincipalName", "servicePrincipal/displayName", q.ServicePrincipalName},
		{"SourceIdentityName", "sourceIdentity/displayName", q.SourceIdentityName},
		{"SourceIdentityType", "sourceIdentity/identityType", q.SourceIdentityType},
		{"TargetIdentityID", "targetIdentity/id", q.TargetIdentityID},
		{"TargetIdentityName", "targetIdentity/displayName", q.TargetIdentityName},
		{"TargetIdentityType", "targetIdentity/identityType", q.TargetIdentityType},
		{"SourceSystemName", "sourceSystem/displayName", q.SourceSystemName},
		{"TargetSystemName", "targetSystem/displayName", q.TargetSystemName},
		{"InitiatedByName", "initiatedBy/displayName", q.InitiatedByName},
	}
}

// containsFilters returns the contains filters of q, in the order Filter
// writes them.
func (q *ProvisioningLogQuery) containsFilters() []logText {
	c := &q.Contains
	return []logText{
		{"Contains.ID", "id", c.ID},
		{"Contains.TenantID", "tenantId", c.TenantID},
		{"Contains.JobID", "jobId", c.JobID},
		{"Contains.CycleID", "cycleId", c.CycleID},
		{"Contains.ChangeID", "changeId", c.ChangeID},
		{"Contains.ProvisioningAction", "provisioningAction", c.ProvisioningAction},
		{"Contains.Status", "provisioningStatusInfo/status", c.Status},
		{"Contains.SourceIdentityID", "sourceIdentity/id", c.SourceIdentityID},
		{"Contains.SourceIdentityName", "sourceIdentity/displayName", c.SourceIdentityName},
		{"Contains.SourceIdentityType", "sourceIdentity/identityType", c.SourceIdentityType},
		{"Contains.TargetIdentityID", "targetIdentity/id", c.TargetIdentityID},
		{"Contains.TargetIdentityName", "targetIdentity/displayName", c.TargetIdentityName},
		{"Contains.TargetIdentityType", "targetIdentity/identityType", c.TargetIdentityType},
		{"Contains.SourceSystemName", "sourceSystem/displayName", c.SourceSystemName},
		{"Contains.TargetSystemName", "targetSystem/displayName", c.TargetSystemName},
		{"Contains.InitiatedByName", "initiatedBy/displayName", c.InitiatedByName},
	}
}

// MaxLogPage is the largest page of provisioning events Graph serves
// ($top).
const MaxLogPage = 1000

// Validate checks that the texts are valid UTF-8 without control
// characters, that Top is 0 to MaxLogPage, that After is before Before and
// LongerThan shorter than ShorterThan when both are set, that the
// durations are whole, non-negative milliseconds that fit Graph's 32-bit
// property, and that OrderBy is one of the LogOrder constants. It returns
// a *FieldError naming the field, e.g. "Contains.SourceIdentityName".
func (q ProvisioningLogQuery) Validate() error {
	for _, f := range slices.Concat(q.eqFilters(), q.containsFilters()) {
		if !utf8.ValidString(f.value) {
			return &FieldError{f.field, "must be valid UTF-8"}
		}
		if strings.ContainsFunc(f.value, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return &FieldError{f.field, "must not contain control characters"}
		}
	}
	if q.Top < 0 || q.Top > MaxLogPage {
		return &FieldError{"Top", fmt.Sprintf("must be 0 (Graph's default) to %d, the largest page Graph serves", MaxLogPage)}
	}
	if !q.After.IsZero() && !q.Before.IsZero() && !q.After.Before(q.Before) {
		return &FieldError{"After", "must be before Before"}
	}
	for _, d := range []struct {
		field string
		value time.Duration
	}{{"LongerThan", q.LongerThan}, {"ShorterThan", q.ShorterThan}} {
		switch {
		case d.value < 0:
			return &FieldError{d.field, "must not be negative"}
		case d.value%time.Millisecond != 0:
			return &FieldError{d.field, "must be a whole number of milliseconds"}
		case d.value > maxLogDuration:
			return &FieldError{d.field, "must be at most 2147483647 ms"}
		}
	}
	if q.LongerThan != 0 && q.ShorterThan != 0 && q.LongerThan >= q.ShorterThan {
		return &FieldError{"LongerThan", "must be shorter than ShorterThan"}
	}
	if q.OrderBy != "" && q.OrderBy != LogOldestFirst && q.OrderBy != LogNewestFirst {
		return &FieldError{"OrderBy", fmt.Sprintf("must be %q or %q", LogOldestFirst, LogNewestFirst)}
	}
	return nil
}

// Filter returns the OData $filter expression for q (not URL-encoded),
// "" when q selects everything. Texts are written as OData string
// literals: in single quotes, with each single quote inside doubled, so no
// value can end its literal or add a clause. Times are DateTimeOffset
// literals in UTC, unquoted, e.g. activityDateTime gt 2024-05-01T00:00:00Z;
// durations are integers of milliseconds. The clauses come in the order of
// the fields: eq filters, contains filters, times, durations.
func (q ProvisioningLogQuery) Filter() string {
	var clauses []string
	for _, f := range q.eqFilters() {
		if f.value != "" {
			clauses = append(clauses, f.property+" eq "+odataString(f.value))
		}
	}
	for _, f := range q.containsFilters() {
		if f.value != "" {
			clauses = append(clauses, "contains("+f.property+","+odataString(f.value)+")")
		}
	}
	if !q.After.IsZero() {
		clauses = append(clauses, "activityDateTime gt "+q.After.UTC().Format(time.RFC3339Nano))
	}
	if !q.Before.IsZero() {
		clauses = append(clauses, "activityDateTime lt "+q.Before.UTC().Format(time.RFC3339Nano))
	}
	if q.LongerThan > 0 {
		clauses = append(clauses, "durationInMilliseconds gt "+strconv.FormatInt(q.LongerThan.Milliseconds(), 10))
	}
	if q.ShorterThan > 0 {
		clauses = append(clauses, "durationInMilliseconds lt "+strconv.FormatInt(q.ShorterThan.Milliseconds(), 10))
	}
	return strings.Join(clauses, " and ")
}

// odataString returns s as an OData string literal: in single quotes,
// each single quote doubled.
func odataString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
