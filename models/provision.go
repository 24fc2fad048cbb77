package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ProvisionRequest is the body of provisionOnDemand: what to provision and
// under which synchronization rule.
type ProvisionRequest struct {
	// Parameters are the rules to apply, each with its subjects.
	Parameters []ApplicationParameters `json:"parameters"`
}

// ApplicationParameters names a rule of the job's schema (RuleID, possibly
// with a suffix such as "#V2") and the subjects to provision with it
// (Graph synchronizationJobApplicationParameters).
type ApplicationParameters struct {
	// RuleID is the ID of a rule of the job's schema (see
	// SynchronizationSchema.RuleFor).
	RuleID string `json:"ruleId"`
	// Subjects are the objects to provision with the rule.
	Subjects []Subject `json:"subjects"`
}

// Subject is an object to provision (Graph synchronizationJobSubject).
// ObjectID is a GUID or, for Active Directory sources, a distinguished name
// such as "CN=AdeleV,CN=Users,DC=corp,DC=chicago,DC=com". ObjectTypeName is
// the type as the source system spells it ("User", "user", "Group").
type Subject struct {
	// ObjectID identifies the object in the source: a GUID, or a
	// distinguished name for Active Directory.
	ObjectID string `json:"objectId"`
	// ObjectTypeName is the object's type as the source spells it, for
	// example "User", "user" or "Group".
	ObjectTypeName string `json:"objectTypeName"`
	// Links are objects to provision with this one, such as a group's
	// members; nil for none.
	Links *LinkedObjects `json:"links,omitempty"`
}

// LinkedObjects are references to provision along with a subject (Graph
// synchronizationLinkedObjects): a group's members (and owners), a user's
// manager.
type LinkedObjects struct {
	// Manager is a user's manager.
	Manager *Subject `json:"manager,omitempty"`
	// Members are a group's members (Entra ID provisions at most five
	// per request).
	Members []Subject `json:"members,omitempty"`
	// Owners are a group's owners.
	Owners []Subject `json:"owners,omitempty"`
}

// Object type names used by Entra ID. Other sources may spell them
// differently ("user" for Active Directory); send what the source uses.
const (
	ObjectTypeUser  = "User"
	ObjectTypeGroup = "Group"
)

// User returns a Subject for a user.
func User(objectID string) Subject {
	return Subject{ObjectID: objectID, ObjectTypeName: ObjectTypeUser}
}

// Group returns a Subject for a group with the given members (users),
// which are provisioned with it.
func Group(objectID string, memberUserIDs ...string) Subject {
	s := Subject{ObjectID: objectID, ObjectTypeName: ObjectTypeGroup}
	if len(memberUserIDs) > 0 {
		s.Links = &LinkedObjects{Members: make([]Subject, len(memberUserIDs))}
		for i, id := range memberUserIDs {
			s.Links.Members[i] = User(id)
		}
	}
	return s
}

// SplitMembers returns s as one or more subjects that together carry all
// its members, none with more than MaxGroupMembers (Graph's limit per
// request): a group with 12 members gives three subjects for the same
// group, with 5, 5 and 2 members. Send each in a request of its own. A
// subject with no more than MaxGroupMembers members is returned as it is.
// Members keep their order; the other links (manager, owners) go with the
// first subject only.
func (s Subject) SplitMembers() []Subject {
	if s.Links == nil || len(s.Links.Members) <= MaxGroupMembers {
		return []Subject{s}
	}
	members := s.Links.Members
	out := make([]Subject, 0, (len(members)+MaxGroupMembers-1)/MaxGroupMembers)
	for i := 0; i < len(members); i += MaxGroupMembers {
		part := s
		links := LinkedObjects{Members: members[i:min(i+MaxGroupMembers, len(members)):min(i+MaxGroupMembers, len(members))]}
		if i == 0 {
			links.Manager, links.Owners = s.Links.Manager, s.Links.Owners
		}
		part.Links = &links
		out = append(out, part)
	}
	return out
}

// NewProvisionRequest returns a request with one rule and its subjects,
// the common case.
func NewProvisionRequest(ruleID string, subjects ...Subject) ProvisionRequest {
	return ProvisionRequest{Parameters: []ApplicationParameters{{RuleID: ruleID, Subjects: subjects}}}
}

// FieldError names the field of a request that is not valid, as a path
// such as "parameters[0].subjects[1].objectTypeName".
type FieldError struct {
	// Field is the path of the field, for example "parameters[0].ruleId".
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// Error returns the field and the reason.
func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// Validate checks what Graph requires: at least one parameter, each with a
// ruleId and at least one subject, each subject (and each linked subject)
// with an objectId and an objectTypeName, and no group with more than
// MaxGroupMembers members. It returns a *FieldError for the
// first problem found.
func (r ProvisionRequest) Validate() error {
	if len(r.Parameters) == 0 {
		return &FieldError{"parameters", "at least one is required"}
	}
	for i, p := range r.Parameters {
		path := fmt.Sprintf("parameters[%d]", i)
		if strings.TrimSpace(p.RuleID) == "" {
			return &FieldError{path + ".ruleId", "is required"}
		}
		if len(p.Subjects) == 0 {
			return &FieldError{path + ".subjects", "at least one is required"}
		}
		for j, s := range p.Subjects {
			if err := s.validate(fmt.Sprintf("%s.subjects[%d]", path, j), 0); err != nil {
				return err
			}
		}
	}
	return nil
}

const maxLinkDepth = 8

// MaxGroupMembers is the most members of a group that provisionOnDemand
// takes in one request (Entra ID's documented limit for provisioning a
// group on demand).
const MaxGroupMembers = 5

func (s Subject) validate(path string, depth int) error {
	if strings.TrimSpace(s.ObjectID) == "" {
		return &FieldError{path + ".objectId", "is required"}
	}
	if strings.TrimSpace(s.ObjectTypeName) == "" {
		return &FieldError{path + ".objectTypeName", "is required"}
	}
	if s.Links == nil {
		return nil
	}
	if depth >= maxLinkDepth {
		return &FieldError{path + ".links", fmt.Sprintf("nested deeper than %d levels", maxLinkDepth)}
	}
	if m := s.Links.Manager; m != nil {
		if err := m.validate(path+".links.manager", depth+1); err != nil {
			return err
		}
	}
	if len(s.Links.Members) > MaxGroupMembers {
		return &FieldError{path + ".links.members", fmt.Sprintf("has %d members; Graph provisions at most %d members of a group per request: split them into several requests", len(s.Links.Members), MaxGroupMembers)}
	}
	for k, m := range s.Links.Members {
		if err := m.validate(fmt.Sprintf("%s.links.members[%d]", path, k), depth+1); err != nil {
			return err
		}
	}
	for k, m := range s.Links.Owners {
		if err := m.validate(fmt.Sprintf("%s.links.owners[%d]", path, k), depth+1); err != nil {
			return err
		}
	}
	return nil
}

// ProvisionResult is provisionOnDemand's answer, decoded. Graph sends a
// stringKeyStringValuePair whose key and value are strings that hold JSON;
// Key and Value are those strings decoded, RawKey and RawValue the strings
// as received (for anything not modelled here).
type ProvisionResult struct {
	// Key is the outcome, decoded from RawKey.
	Key ProvisionKey
	// Value is what the provisioning service did, decoded from RawValue.
	Value ProvisionValue
	// RawKey is the answer's key string as received.
	RawKey string
	// RawValue is the answer's value string as received.
	RawValue string
	// ODataContext is the answer's @odata.context, if any.
	ODataContext string
	// RequestID is the request-id header of Graph's answer, for support.
	RequestID string
}

// ProvisionKey is the decoded key: the outcome and, when it did not
// succeed, why.
type ProvisionKey struct {
	// Result is Success, Skipped, Failure or Warning.
	Result ProvisionOutcome `json:"result"`
	// Details say why the outcome is not Success.
	Details ProvisionDetails `json:"details"`
}

// ProvisionDetails explains an outcome other than Success.
type ProvisionDetails struct {
	// ErrorCode is Graph's code, for example "RedundantExport" for a
	// subject skipped because nothing changed.
	ErrorCode string `json:"errorCode,omitempty"`
	// ErrorMessage explains ErrorCode.
	ErrorMessage string `json:"errorMessage,omitempty"`
}

// ProvisionOutcome is the overall result of a provisionOnDemand call.
type ProvisionOutcome string

// Known outcomes; others are kept as received.
const (
	OutcomeSuccess ProvisionOutcome = "Success"
	OutcomeSkipped ProvisionOutcome = "Skipped"
	OutcomeFailure ProvisionOutcome = "Failure"
	OutcomeWarning ProvisionOutcome = "Warning"
)

// ProvisionValue is the decoded value: what the provisioning service did.
// It is empty when Graph sends "{}" (as for a group with members).
type ProvisionValue struct {
	// Action is what was done to the target object, for example Create.
	Action ProvisioningAction `json:"action,omitempty"`
	// ChangeID identifies the change in the provisioning logs.
	ChangeID string `json:"changeId,omitempty"`
	// StartTime is when provisioning began; nil if not sent.
	StartTime *time.Time `json:"startTime,omitempty"`
	// EndTime is when it ended; nil if not sent.
	EndTime *time.Time `json:"endTime,omitempty"`
	// ReportableIdentifier names the object for reports, for example its
	// user principal name.
	ReportableIdentifier string `json:"reportableIdentifier,omitempty"`
	// ModifiedProperties are the target attributes that changed.
	ModifiedProperties []ModifiedProperty `json:"modifiedProperties,omitempty"`
	// ProvisioningSteps are the steps taken, in order.
	ProvisioningSteps []ProvisioningStep `json:"provisioningSteps,omitempty"`
	// StatusInfo is the status of the whole event; nil if not sent.
	StatusInfo *StatusInfo `json:"statusInfo,omitempty"`
	// SourceIdentity is the object in the source system.
	SourceIdentity *Identity `json:"sourceIdentity,omitempty"`
	// TargetIdentity is the object in the target system.
	TargetIdentity *Identity `json:"targetIdentity,omitempty"`
	// SourceSystem is the system the object was read from.
	SourceSystem *SystemDetails `json:"sourceSystem,omitempty"`
	// TargetSystem is the system the object was written to.
	TargetSystem *SystemDetails `json:"targetSystem,omitempty"`
}

// ProvisioningAction is what was done to the target object.
type ProvisioningAction string

// Documented actions; others are kept as received.
const (
	ActionCreate       ProvisioningAction = "Create"
	ActionUpdate       ProvisioningAction = "Update"
	ActionDelete       ProvisioningAction = "Delete"
	ActionDisable      ProvisioningAction = "Disable"
	ActionStagedDelete ProvisioningAction = "StagedDelete"
	ActionOther        ProvisioningAction = "Other"
)

// ModifiedProperty is one attribute the provisioning changed (Graph
// modifiedProperty). OldValue and NewValue are nil when Graph sends null.
// Inside a provisioning log event (ProvisioningObjectSummary) it is read
// and written back as Graph sent it, like the event: a null DisplayName
// stays null, members it does not name go to Extra. On its own, and in
// provisionOnDemand's result, encoding/json reads and writes it as a plain
// struct, which keeps that decoding as fast as it was.
type ModifiedProperty struct {
	// DisplayName names the attribute.
	DisplayName string `json:"displayName"`
	// OldValue is the value before; nil for none.
	OldValue *string `json:"oldValue"`
	// NewValue is the value after; nil for none.
	NewValue *string `json:"newValue"`
	// Extra holds the members Graph sent that this type does not name,
	// as received, when read as part of a provisioning log event.
	Extra map[string]json.RawMessage `json:"-"`
	wire  wire
}

// ModifiedProperty has no UnmarshalJSON and MarshalJSON of its own (see
// the type); a provisioning log event reads and writes it with these.

func (p *ModifiedProperty) decodeFrom(node any) error {
	return decodeEvery(node, p, &p.Extra, &p.wire)
}

func (p ModifiedProperty) encodeTo(b *bytes.Buffer) error {
	return encodeEvery(b, &p, p.Extra, p.wire)
}

// ProvisioningStep is one step of the provisioning pipeline.
type ProvisioningStep struct {
	// Name names the step, for example "EntryImport".
	Name string `json:"name"`
	// Type is the kind of step, for example Import or Export.
	Type StepType `json:"type,omitempty"`
	// Status is the step's outcome.
	Status StepStatus `json:"status,omitempty"`
	// Description says what happened, in English.
	Description string `json:"description,omitempty"`
	// Timestamp is when the step ran; nil if not sent.
	Timestamp *time.Time `json:"timestamp,omitempty"`
	// Details are the step's details, name and value.
	Details StringMap `json:"details,omitempty"`
}

// StepType is the kind of a provisioning step.
type StepType string

// Documented step types; others are kept as received.
const (
	StepImport              StepType = "Import"
	StepScoping             StepType = "Scoping"
	StepMatching            StepType = "Matching"
	StepProcessing          StepType = "Processing"
	StepReferenceResolution StepType = "ReferenceResolution"
	StepExport              StepType = "Export"
)

// StepStatus is the outcome of a step.
type StepStatus string

// Documented step statuses; others are kept as received.
const (
	StepSuccess StepStatus = "Success"
	StepWarning StepStatus = "Warning"
	StepFailure StepStatus = "Failure"
	StepSkipped StepStatus = "Skipped"
)

// StatusInfo is the status of the whole provisioning event.
type StatusInfo struct {
	// Status is the event's status, for example "success" or "failure".
	Status string `json:"status,omitempty"`
	// ErrorCode is Graph's code for a failure.
	ErrorCode string `json:"errorCode,omitempty"`
	// Reason explains the failure.
	Reason string `json:"reason,omitempty"`
	// AdditionalDetails add to Reason.
	AdditionalDetails string `json:"additionalDetails,omitempty"`
	// ErrorCategory classifies the failure.
	ErrorCategory string `json:"errorCategory,omitempty"`
	// RecommendedAction says what to do about it.
	RecommendedAction string `json:"recommendedAction,omitempty"`
}

// Identity is the source or target object.
type Identity struct {
	// ID identifies the object in its system.
	ID string `json:"id,omitempty"`
	// Type is the object's type in its system, for example "User".
	Type string `json:"type,omitempty"`
	// DisplayName is the object's display name.
	DisplayName string `json:"displayName,omitempty"`
	// Details are further properties, name and value.
	Details StringMap `json:"details,omitempty"`
}

// SystemDetails is the source or target system.
type SystemDetails struct {
	// ID identifies the system.
	ID string `json:"id,omitempty"`
	// Name names the system, for example "Azure Active Directory".
	Name string `json:"name,omitempty"`
	// Details are further properties, name and value.
	Details StringMap `json:"details,omitempty"`
}

// StringMap is a JSON object of string values. Values that are not
// strings (numbers, booleans, objects) are kept as their JSON text, and
// null as "", so an unexpected shape never fails the decoding.
type StringMap map[string]string

// UnmarshalJSON implements the lenient decoding described on StringMap.
func (m *StringMap) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*m = nil
		return nil
	}
	// Fast path: every value a string (or null, which decodes to "").
	var plain map[string]string
	if json.Unmarshal(b, &plain) == nil {
		*m = plain
		return nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := make(StringMap, len(raw))
	for k, v := range raw {
		switch {
		case len(v) > 0 && v[0] == '"':
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return err
			}
			out[k] = s
		case string(v) == "null":
			out[k] = ""
		default:
			out[k] = string(bytes.TrimSpace(v))
		}
	}
	*m = out
	return nil
}

// Succeeded reports whether Graph reported Success.
func (r *ProvisionResult) Succeeded() bool { return r.Key.Result == OutcomeSuccess }

// Skipped reports whether Graph skipped the subject (for example because
// source and target already match: error code RedundantExport).
func (r *ProvisionResult) Skipped() bool { return r.Key.Result == OutcomeSkipped }

// Failed reports whether the outcome is neither Success nor Skipped.
func (r *ProvisionResult) Failed() bool { return !r.Succeeded() && !r.Skipped() }

// FailedStep returns the first provisioning step whose status is Failure,
// or nil.
func (r *ProvisionResult) FailedStep() *ProvisioningStep {
	for i := range r.Value.ProvisioningSteps {
		if r.Value.ProvisioningSteps[i].Status == StepFailure {
			return &r.Value.ProvisioningSteps[i]
		}
	}
	return nil
}

// ErrResultDecode is matched (errors.Is) by the error of DecodeProvisionResult
// when the key or value string does not hold the JSON Graph documents.
var ErrResultDecode = errors.New("models: provisionOnDemand result does not decode")

// DecodeProvisionResult decodes provisionOnDemand's response body. It
// always returns a non-nil result holding whatever it could read; when the
// key or value string is not the JSON it should be, the error says which
// and the raw strings are still in the result, so nothing the server sent
// is lost.
func DecodeProvisionResult(body []byte) (*ProvisionResult, error) {
	var outer struct {
		ODataContext string  `json:"@odata.context"`
		Key          *string `json:"key"`
		Value        *string `json:"value"`
	}
	r := &ProvisionResult{}
	if err := json.Unmarshal(body, &outer); err != nil {
		return r, fmt.Errorf("%w: body is not a stringKeyStringValuePair: %v", ErrResultDecode, err)
	}
	r.ODataContext = outer.ODataContext
	if outer.Key == nil {
		return r, fmt.Errorf("%w: body has no key", ErrResultDecode)
	}
	r.RawKey = *outer.Key
	if outer.Value != nil {
		r.RawValue = *outer.Value
	}
	var errs []error
	if err := json.Unmarshal([]byte(r.RawKey), &r.Key); err != nil {
		r.Key = ProvisionKey{}
		errs = append(errs, fmt.Errorf("%w: key: %v", ErrResultDecode, err))
	}
	if strings.TrimSpace(r.RawValue) != "" {
		if err := json.Unmarshal([]byte(r.RawValue), &r.Value); err != nil {
			r.Value = ProvisionValue{}
			errs = append(errs, fmt.Errorf("%w: value: %v", ErrResultDecode, err))
		}
	}
	return r, errors.Join(errs...)
}
