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
//     not document, such as "@odata.type" or an attribute's
//     "apiExpressions") are kept as JSON in each object's Extra field and
//     written back.
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

import "time"

// SynchronizationJob is a provisioning job of a service principal
// (Graph resource synchronizationJob).
//
// Only TemplateID is needed to create a job. For an update, set the fields
// to change (Schedule, SynchronizationJobSettings); the rest are read-only
// and are omitted from the request when empty.
type SynchronizationJob struct {
	ODataType                  string                   `json:"@odata.type,omitempty"`
	ID                         string                   `json:"id,omitempty"`
	TemplateID                 string                   `json:"templateId,omitempty"`
	Schedule                   *SynchronizationSchedule `json:"schedule,omitempty"`
	Status                     *SynchronizationStatus   `json:"status,omitempty"`
	SynchronizationJobSettings []KeyValuePair           `json:"synchronizationJobSettings,omitempty"`
}

// KeyValuePair is a name and a string value (Graph keyValuePair). A value
// may itself hold JSON text; it is kept as text.
type KeyValuePair struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// SynchronizationSchedule says when a job runs.
type SynchronizationSchedule struct {
	// Expiration is when the schedule ends; nil means it does not.
	Expiration *time.Time `json:"expiration"`
	// Interval between runs. MaxDuration (TimeSpan.MaxValue) means the job
	// does not repeat; see Duration.
	Interval Duration `json:"interval,omitempty"`
	// State is Active, Disabled or Paused. A new job is Disabled.
	State ScheduleState `json:"state,omitempty"`
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
	ODataType                          string                        `json:"@odata.type,omitempty"`
	Code                               StatusCode                    `json:"code,omitempty"`
	CountSuccessiveCompleteFailures    int64                         `json:"countSuccessiveCompleteFailures"`
	EscrowsPruned                      bool                          `json:"escrowsPruned"`
	LastExecution                      *SynchronizationTaskExecution `json:"lastExecution,omitempty"`
	LastSuccessfulExecution            *SynchronizationTaskExecution `json:"lastSuccessfulExecution,omitempty"`
	LastSuccessfulExecutionWithExports *SynchronizationTaskExecution `json:"lastSuccessfulExecutionWithExports,omitempty"`
	Progress                           []SynchronizationProgress     `json:"progress"`
	Quarantine                         *SynchronizationQuarantine    `json:"quarantine,omitempty"`
	SteadyStateFirstAchievedTime       time.Time                     `json:"steadyStateFirstAchievedTime"`
	SteadyStateLastAchievedTime        time.Time                     `json:"steadyStateLastAchievedTime"`
	SynchronizedEntryCountByType       []StringKeyLongValuePair      `json:"synchronizedEntryCountByType"`
	TroubleshootingURL                 string                        `json:"troubleshootingUrl,omitempty"`
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
	Key   string `json:"key"`
	Value int64  `json:"value"`
}

// SynchronizationTaskExecution summarizes one run of a job.
type SynchronizationTaskExecution struct {
	ActivityIdentifier           string                `json:"activityIdentifier,omitempty"`
	CountEntitled                int64                 `json:"countEntitled"`
	CountEntitledForProvisioning int64                 `json:"countEntitledForProvisioning"`
	CountEscrowed                int64                 `json:"countEscrowed"`
	CountEscrowedRaw             int64                 `json:"countEscrowedRaw"`
	CountExported                int64                 `json:"countExported"`
	CountExports                 int64                 `json:"countExports"`
	CountImported                int64                 `json:"countImported"`
	CountImportedDeltas          int64                 `json:"countImportedDeltas"`
	CountImportedReferenceDeltas int64                 `json:"countImportedReferenceDeltas"`
	Error                        *SynchronizationError `json:"error,omitempty"`
	State                        ExecutionState        `json:"state,omitempty"`
	TimeBegan                    time.Time             `json:"timeBegan"`
	TimeEnded                    time.Time             `json:"timeEnded"`
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
	Code             string `json:"code,omitempty"`
	Message          string `json:"message,omitempty"`
	TenantActionable bool   `json:"tenantActionable"`
}

// SynchronizationProgress is the progress of one phase of a run.
type SynchronizationProgress struct {
	CompletedUnits              int64     `json:"completedUnits"`
	TotalUnits                  int64     `json:"totalUnits"`
	Units                       string    `json:"units,omitempty"`
	ProgressObservationDateTime time.Time `json:"progressObservationDateTime"`
}

// SynchronizationQuarantine describes why and since when a job is
// quarantined.
type SynchronizationQuarantine struct {
	CurrentBegan time.Time             `json:"currentBegan"`
	NextAttempt  time.Time             `json:"nextAttempt"`
	Reason       QuarantineReason      `json:"reason,omitempty"`
	SeriesBegan  time.Time             `json:"seriesBegan"`
	SeriesCount  int64                 `json:"seriesCount"`
	Error        *SynchronizationError `json:"error,omitempty"`
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
