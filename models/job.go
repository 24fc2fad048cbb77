// Package models holds the Microsoft Graph synchronization resources that
// graphsync sends and receives, as plain Go structs with json tags.
//
// Conventions:
//   - Value fields, with pointers only where "absent" (JSON null) differs
//     from the zero value: nullable timestamps and optional nested objects.
//   - Enumerations are typed strings with constants for the documented
//     values. A value Graph adds later decodes into the same type unchanged
//     and is written back as received.
//   - Timestamps are time.Time. Graph writes "0001-01-01T00:00:00Z" for
//     "never happened"; that decodes to the zero time, so IsNever (t.IsZero)
//     tells a caller which it is, and it encodes back to the same text.
//
// # Schemas and templates lose nothing
//
// A synchronization schema is read with GET and written back whole with
// PUT, which replaces it. SynchronizationSchema, the types it holds and
// SynchronizationTemplate therefore keep everything Graph sends:
//   - Members the Go types do not name (properties Graph adds later, or does
//     not document, such as "@odata.type") are kept as JSON in each
//     object's Extra field and written back.
//   - A member that was null is written back as null, one that was absent
//     stays absent, an empty array stays an empty array, and a member that
//     was present is written even when it holds the zero value. Nullable
//     strings (such as a mapping's defaultValue) are plain strings: "" with
//     null remembered.
//   - Member names are matched exactly: "Name" is not "name" (unlike
//     encoding/json's default), so it is kept in Extra.
//   - Timestamps are Timestamp, the text as Graph wrote it.
//
// Decoding and then encoding an unchanged value gives the same JSON as was
// received (member order and white space aside). A value built in Go
// rather than decoded writes only its non-zero fields.
package models

import (
	"encoding/json"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
)

// SynchronizationJob is a provisioning job of a service principal
// (Graph resource synchronizationJob).
//
// Only TemplateID is needed to create a job. For an update, set the fields
// to change (Schedule, SynchronizationJobSettings); the rest are read-only
// and are omitted from the request when empty.
type SynchronizationJob struct {
	// ODataType is the "@odata.type" Graph may send; empty is not sent.
	ODataType string `json:"@odata.type,omitempty"`
	// ID identifies the job; Graph sets it, for example
	// "BoxOutDelta.e4bbf44533ea4eabb17027f3a92e92aa.5ffd0cd2-…".
	ID string `json:"id,omitempty"`
	// TemplateID names the template the job is created from (see
	// ListTemplates); required to create a job.
	TemplateID string `json:"templateId,omitempty"`
	// Schedule says when the job runs; nil when not sent.
	Schedule *SynchronizationSchedule `json:"schedule,omitempty"`
	// Status is the job's state as Graph reports it; read-only, nil when
	// not sent.
	Status *SynchronizationStatus `json:"status,omitempty"`
	// SynchronizationJobSettings are the job's settings, name and value.
	SynchronizationJobSettings []KeyValuePair `json:"synchronizationJobSettings,omitempty"`
}

// KeyValuePair is a name and a string value (Graph keyValuePair). A value
// may itself hold JSON text; it is kept as text.
type KeyValuePair struct {
	// Name is the setting's name.
	Name string `json:"name"`
	// Value is the setting's value, as text.
	Value string `json:"value"`
}

// SynchronizationSchedule says when a job runs.
type SynchronizationSchedule struct {
	// Expiration is when the schedule ends; nil means it does not (Graph
	// sends null). In an update (PATCH), nil leaves the expiration as it
	// is and is not sent; to remove it, set
	// azcore.NullValue[*time.Time](), which is sent as null.
	Expiration *time.Time `json:"expiration,omitempty"`
	// Interval between runs. MaxDuration (TimeSpan.MaxValue) means the job
	// does not repeat; see Duration.
	Interval Duration `json:"interval,omitempty"`
	// State is Active, Disabled or Paused. A new job is Disabled.
	State ScheduleState `json:"state,omitempty"`
}

// MarshalJSON writes the schedule, with "expiration": null when Expiration
// is azcore.NullValue[*time.Time]() and without it when Expiration is nil.
func (s SynchronizationSchedule) MarshalJSON() ([]byte, error) {
	type schedule SynchronizationSchedule // without this method
	if !azcore.IsNullValue(s.Expiration) {
		return json.Marshal(schedule(s))
	}
	return json.Marshal(struct {
		Expiration json.RawMessage `json:"expiration"` // shadows the embedded one
		schedule
	}{json.RawMessage("null"), schedule(s)})
}

// ScheduleState is the state of a job's schedule.
type ScheduleState string

// Documented schedule states.
const (
	ScheduleActive   ScheduleState = "Active"
	ScheduleDisabled ScheduleState = "Disabled"
	SchedulePaused   ScheduleState = "Paused"
)

// SynchronizationStatus is the state of a job as Graph reports it. It is
// read-only.
type SynchronizationStatus struct {
	// ODataType is the "@odata.type" Graph may send.
	ODataType string `json:"@odata.type,omitempty"`
	// Code is the job's high-level state, for example NotConfigured or
	// Active.
	Code StatusCode `json:"code,omitempty"`
	// CountSuccessiveCompleteFailures counts the consecutive times the
	// job failed.
	CountSuccessiveCompleteFailures int64 `json:"countSuccessiveCompleteFailures"`
	// EscrowsPruned is true if the job's escrows (object-level errors)
	// were pruned during the initial synchronization, instead of the job
	// going into quarantine; the job then pauses when that ends.
	EscrowsPruned bool `json:"escrowsPruned"`
	// LastExecution is the last run; nil if the job never ran.
	LastExecution *SynchronizationTaskExecution `json:"lastExecution,omitempty"`
	// LastSuccessfulExecution is the last run without errors; nil if
	// none.
	LastSuccessfulExecution *SynchronizationTaskExecution `json:"lastSuccessfulExecution,omitempty"`
	// LastSuccessfulExecutionWithExports is the last successful run that
	// exported changes to the target; nil if none.
	LastSuccessfulExecutionWithExports *SynchronizationTaskExecution `json:"lastSuccessfulExecutionWithExports,omitempty"`
	// Progress is the job's progress toward completion.
	Progress []SynchronizationProgress `json:"progress"`
	// Quarantine says why and since when the job is quarantined; nil when
	// it is not.
	Quarantine *SynchronizationQuarantine `json:"quarantine,omitempty"`
	// SteadyStateFirstAchievedTime is when steady state (no more changes
	// to process) was first reached; IsNever when it was not.
	SteadyStateFirstAchievedTime time.Time `json:"steadyStateFirstAchievedTime"`
	// SteadyStateLastAchievedTime is when steady state was last reached;
	// IsNever when it was not.
	SteadyStateLastAchievedTime time.Time `json:"steadyStateLastAchievedTime"`
	// SynchronizedEntryCountByType counts the synchronized entries by
	// object type.
	SynchronizedEntryCountByType []StringKeyLongValuePair `json:"synchronizedEntryCountByType"`
	// TroubleshootingURL links to the troubleshooting steps of the
	// job's error, if any.
	TroubleshootingURL string `json:"troubleshootingUrl,omitempty"`
}

// IsNever reports whether t is Graph's "never" timestamp,
// 0001-01-01T00:00:00Z (the zero time.Time).
func IsNever(t time.Time) bool { return t.IsZero() }

// StatusCode is the high-level state of a job.
type StatusCode string

// Documented job status codes.
const (
	StatusNotConfigured StatusCode = "NotConfigured"
	StatusNotRun        StatusCode = "NotRun"
	StatusActive        StatusCode = "Active"
	StatusPaused        StatusCode = "Paused"
	StatusQuarantine    StatusCode = "Quarantine"
)

// StringKeyLongValuePair counts entries of one type.
type StringKeyLongValuePair struct {
	// Key is the object type, for example "user".
	Key string `json:"key"`
	// Value is the count.
	Value int64 `json:"value"`
}

// SynchronizationTaskExecution summarizes one run of a job.
type SynchronizationTaskExecution struct {
	// ActivityIdentifier identifies the run, for support.
	ActivityIdentifier string `json:"activityIdentifier,omitempty"`
	// CountEntitled counts the processed entries assigned to the
	// application.
	CountEntitled int64 `json:"countEntitled"`
	// CountEntitledForProvisioning counts the processed entries assigned
	// for provisioning.
	CountEntitledForProvisioning int64 `json:"countEntitledForProvisioning"`
	// CountEscrowed counts the entries escrowed (errors).
	CountEscrowed int64 `json:"countEscrowed"`
	// CountEscrowedRaw counts the escrowed entries, system-generated
	// escrows included.
	CountEscrowedRaw int64 `json:"countEscrowedRaw"`
	// CountExported counts the entries exported to the target.
	CountExported int64 `json:"countExported"`
	// CountExports counts the entries that were expected to be exported.
	CountExports int64 `json:"countExports"`
	// CountImported counts the entries imported from the source.
	CountImported int64 `json:"countImported"`
	// CountImportedDeltas counts the imported delta changes.
	CountImportedDeltas int64 `json:"countImportedDeltas"`
	// CountImportedReferenceDeltas counts the imported delta changes of
	// references.
	CountImportedReferenceDeltas int64 `json:"countImportedReferenceDeltas"`
	// Error is why the run failed; nil if it did not.
	Error *SynchronizationError `json:"error,omitempty"`
	// State is the run's outcome: Succeeded, Failed or EntryLevelErrors.
	State ExecutionState `json:"state,omitempty"`
	// TimeBegan is when the run began.
	TimeBegan time.Time `json:"timeBegan"`
	// TimeEnded is when the run ended.
	TimeEnded time.Time `json:"timeEnded"`
}

// ExecutionState is the outcome of a run.
type ExecutionState string

// Documented execution states.
const (
	ExecutionSucceeded        ExecutionState = "Succeeded"
	ExecutionFailed           ExecutionState = "Failed"
	ExecutionEntryLevelErrors ExecutionState = "EntryLevelErrors"
)

// SynchronizationError is an error reported inside a job status.
type SynchronizationError struct {
	// Code is the error's code.
	Code string `json:"code,omitempty"`
	// Message describes the error.
	Message string `json:"message,omitempty"`
	// TenantActionable is true if the tenant's administrators can fix the
	// cause.
	TenantActionable bool `json:"tenantActionable"`
}

// SynchronizationProgress is the progress of one phase of a run.
type SynchronizationProgress struct {
	// CompletedUnits counts the units done.
	CompletedUnits int64 `json:"completedUnits"`
	// TotalUnits counts the units to do.
	TotalUnits int64 `json:"totalUnits"`
	// Units names what is counted, for example "Entries".
	Units string `json:"units,omitempty"`
	// ProgressObservationDateTime is when the progress was measured.
	ProgressObservationDateTime time.Time `json:"progressObservationDateTime"`
}

// SynchronizationQuarantine describes why and since when a job is
// quarantined.
type SynchronizationQuarantine struct {
	// CurrentBegan is when the quarantine was last evaluated and imposed.
	CurrentBegan time.Time `json:"currentBegan"`
	// NextAttempt is when the quarantine will next be evaluated again.
	NextAttempt time.Time `json:"nextAttempt"`
	// Reason says why the job is quarantined.
	Reason QuarantineReason `json:"reason,omitempty"`
	// SeriesBegan is when the quarantine was first imposed in this series
	// (a series ends when the quarantine is lifted).
	SeriesBegan time.Time `json:"seriesBegan"`
	// SeriesCount counts the times in this series the quarantine was
	// evaluated again and left in effect.
	SeriesCount int64 `json:"seriesCount"`
	// Error describes the errors that put the job in quarantine.
	Error *SynchronizationError `json:"error,omitempty"`
}

// QuarantineReason says why a job was quarantined. Graph adds values over
// time; unknown ones are kept as received.
type QuarantineReason string

// Documented quarantine reasons.
const (
	QuarantineEncounteredBaseEscrowThreshold       QuarantineReason = "EncounteredBaseEscrowThreshold"
	QuarantineEncounteredTotalEscrowThreshold      QuarantineReason = "EncounteredTotalEscrowThreshold"
	QuarantineEncounteredEscrowProportionThreshold QuarantineReason = "EncounteredEscrowProportionThreshold"
	QuarantineEncounteredQuarantineException       QuarantineReason = "EncounteredQuarantineException"
	QuarantineQuarantinedOnDemand                  QuarantineReason = "QuarantinedOnDemand"
	QuarantineTooManyDeletes                       QuarantineReason = "TooManyDeletes"
	QuarantineIngestionInterrupted                 QuarantineReason = "IngestionInterrupted"
	QuarantineUnknown                              QuarantineReason = "Unknown"
)
