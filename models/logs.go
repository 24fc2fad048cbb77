package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// ProvisioningObjectSummary is one event of the provisioning logs (Graph
// provisioningObjectSummary, GET /auditLogs/provisioning): what the
// provisioning service did with one object, for example one user of a
// bulkUpload request. It is read-only.
//
// Every property is written when encoding, as its zero value when Graph
// left it out ("", 0, null; 0001-01-01T00:00:00Z for ActivityDateTime). Members this type does not model are kept in Extra and written
// back, so a record read and written again loses nothing. Graph's
// documentation spells some enumeration values in more than one case
// ("Import" and "import"); compare them with strings.EqualFold.
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
	// DurationInMilliseconds is how long the action took.
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
	// Extra holds the members Graph sent that this type does not model,
	// as received.
	Extra map[string]json.RawMessage `json:"-"`
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
}

// ProvisioningErrorInfo describes the failure of a provisioning event.
// Graph may send null for any of its strings; that reads as "".
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

// The types below keep unmodelled members: each decodes and encodes
// through decodeKeeping and encodeKeeping with its own member names.
type (
	provisioningObjectSummary    ProvisioningObjectSummary
	provisioningStatusInfo       ProvisioningStatusInfo
	provisioningErrorInfo        ProvisioningErrorInfo
	provisioningLogStep          ProvisioningLogStep
	provisionedIdentity          ProvisionedIdentity
	provisioningSystem           ProvisioningSystem
	provisioningServicePrincipal ProvisioningServicePrincipal
	initiator                    Initiator
)

var (
	summaryMembers          = jsonMembers[provisioningObjectSummary]()
	statusInfoMembers       = jsonMembers[provisioningStatusInfo]()
	errorInfoMembers        = jsonMembers[provisioningErrorInfo]()
	logStepMembers          = jsonMembers[provisioningLogStep]()
	identityMembers         = jsonMembers[provisionedIdentity]()
	systemMembers           = jsonMembers[provisioningSystem]()
	servicePrincipalMembers = jsonMembers[provisioningServicePrincipal]()
	initiatorMembers        = jsonMembers[initiator]()
)

// UnmarshalJSON keeps unmodelled members in Extra.
func (s *ProvisioningObjectSummary) UnmarshalJSON(b []byte) error {
	return decodeKeeping(b, (*provisioningObjectSummary)(s), summaryMembers, &s.Extra)
}

// MarshalJSON writes Extra back after the modelled members.
func (s ProvisioningObjectSummary) MarshalJSON() ([]byte, error) {
	return encodeKeeping(provisioningObjectSummary(s), summaryMembers, s.Extra)
}

// UnmarshalJSON keeps unmodelled members in Extra.
func (s *ProvisioningStatusInfo) UnmarshalJSON(b []byte) error {
	return decodeKeeping(b, (*provisioningStatusInfo)(s), statusInfoMembers, &s.Extra)
}

// MarshalJSON writes Extra back after the modelled members.
func (s ProvisioningStatusInfo) MarshalJSON() ([]byte, error) {
	return encodeKeeping(provisioningStatusInfo(s), statusInfoMembers, s.Extra)
}

// UnmarshalJSON keeps unmodelled members in Extra.
func (e *ProvisioningErrorInfo) UnmarshalJSON(b []byte) error {
	return decodeKeeping(b, (*provisioningErrorInfo)(e), errorInfoMembers, &e.Extra)
}

// MarshalJSON writes Extra back after the modelled members.
func (e ProvisioningErrorInfo) MarshalJSON() ([]byte, error) {
	return encodeKeeping(provisioningErrorInfo(e), errorInfoMembers, e.Extra)
}

// UnmarshalJSON keeps unmodelled members in Extra.
func (s *ProvisioningLogStep) UnmarshalJSON(b []byte) error {
	return decodeKeeping(b, (*provisioningLogStep)(s), logStepMembers, &s.Extra)
}

// MarshalJSON writes Extra back after the modelled members.
func (s ProvisioningLogStep) MarshalJSON() ([]byte, error) {
	return encodeKeeping(provisioningLogStep(s), logStepMembers, s.Extra)
}

// UnmarshalJSON keeps unmodelled members in Extra.
func (p *ProvisionedIdentity) UnmarshalJSON(b []byte) error {
	return decodeKeeping(b, (*provisionedIdentity)(p), identityMembers, &p.Extra)
}

// MarshalJSON writes Extra back after the modelled members.
func (p ProvisionedIdentity) MarshalJSON() ([]byte, error) {
	return encodeKeeping(provisionedIdentity(p), identityMembers, p.Extra)
}

// UnmarshalJSON keeps unmodelled members in Extra.
func (s *ProvisioningSystem) UnmarshalJSON(b []byte) error {
	return decodeKeeping(b, (*provisioningSystem)(s), systemMembers, &s.Extra)
}

// MarshalJSON writes Extra back after the modelled members.
func (s ProvisioningSystem) MarshalJSON() ([]byte, error) {
	return encodeKeeping(provisioningSystem(s), systemMembers, s.Extra)
}

// UnmarshalJSON keeps unmodelled members in Extra. It also reads an array
// of at most one object, the shape the resource page documents.
func (p *ProvisioningServicePrincipal) UnmarshalJSON(b []byte) error {
	if b = bytes.TrimSpace(b); len(b) > 0 && b[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		switch len(items) {
		case 0:
			*p = ProvisioningServicePrincipal{}
			return nil
		case 1:
			b = items[0]
		default:
			return fmt.Errorf("models: servicePrincipal holds %d objects, not one", len(items))
		}
	}
	return decodeKeeping(b, (*provisioningServicePrincipal)(p), servicePrincipalMembers, &p.Extra)
}

// MarshalJSON writes Extra back after the modelled members.
func (p ProvisioningServicePrincipal) MarshalJSON() ([]byte, error) {
	return encodeKeeping(provisioningServicePrincipal(p), servicePrincipalMembers, p.Extra)
}

// UnmarshalJSON keeps unmodelled members in Extra.
func (i *Initiator) UnmarshalJSON(b []byte) error {
	return decodeKeeping(b, (*initiator)(i), initiatorMembers, &i.Extra)
}

// MarshalJSON writes Extra back after the modelled members.
func (i Initiator) MarshalJSON() ([]byte, error) {
	return encodeKeeping(initiator(i), initiatorMembers, i.Extra)
}

// ProvisioningLogQuery selects provisioning events. Set fields are
// combined with "and"; the zero value selects every event. Values are
// matched exactly (Graph's filters are case-sensitive).
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
	// After, if set, selects events strictly after it (activityDateTime
	// gt): Graph documents gt, lt and eq for activityDateTime, not ge or
	// le.
	After time.Time
	// Before, if set, selects events strictly before it
	// (activityDateTime lt).
	Before time.Time
	// Top is the page size ($top); 0 means Graph's default. Every page is
	// fetched either way; a page holding more events than Top (or than
	// 1000, Graph's largest page, when Top is 0) is refused with an error.
	Top int
}

// Validate checks that Top is not negative, that After is before Before
// when both are set, and that the IDs are valid UTF-8 without control
// characters. It returns a *FieldError naming the field.
func (q ProvisioningLogQuery) Validate() error {
	for _, f := range []struct{ name, value string }{
		{"JobID", q.JobID}, {"CycleID", q.CycleID}, {"ChangeID", q.ChangeID}, {"SourceIdentityID", q.SourceIdentityID},
	} {
		if !utf8.ValidString(f.value) {
			return &FieldError{f.name, "must be valid UTF-8"}
		}
		if strings.ContainsFunc(f.value, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return &FieldError{f.name, "must not contain control characters"}
		}
	}
	if q.Top < 0 {
		return &FieldError{"Top", "must not be negative"}
	}
	if !q.After.IsZero() && !q.Before.IsZero() && !q.After.Before(q.Before) {
		return &FieldError{"After", "must be before Before"}
	}
	return nil
}

// Filter returns the OData $filter expression for q (not URL-encoded),
// "" when q selects everything. IDs are written as OData string literals:
// in single quotes, with each single quote inside doubled, so no value can
// end its literal or add a clause. Times are DateTimeOffset literals in
// UTC, unquoted, e.g. activityDateTime gt 2024-05-01T00:00:00Z.
func (q ProvisioningLogQuery) Filter() string {
	var clauses []string
	for _, c := range []struct{ property, value string }{
		{"jobId", q.JobID}, {"cycleId", q.CycleID}, {"changeId", q.ChangeID}, {"sourceIdentity/id", q.SourceIdentityID},
	} {
		if c.value != "" {
			clauses = append(clauses, c.property+" eq "+odataString(c.value))
		}
	}
	if !q.After.IsZero() {
		clauses = append(clauses, "activityDateTime gt "+q.After.UTC().Format(time.RFC3339Nano))
	}
	if !q.Before.IsZero() {
		clauses = append(clauses, "activityDateTime lt "+q.Before.UTC().Format(time.RFC3339Nano))
	}
	return strings.Join(clauses, " and ")
}

// odataString returns s as an OData string literal: in single quotes,
// each single quote doubled.
func odataString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
