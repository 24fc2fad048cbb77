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

// SynchronizationTemplate is a preconfigured job definition of an
// application; its ID is what CreateJob's TemplateID names.
type SynchronizationTemplate struct {
	ID            string         `json:"id"`
	ApplicationID string         `json:"applicationId,omitempty"`
	Default       bool           `json:"default"`
	Description   string         `json:"description,omitempty"`
	Discoverable  bool           `json:"discoverable"`
	FactoryTag    string         `json:"factoryTag,omitempty"`
	Metadata      []KeyValuePair `json:"metadata,omitempty"`
}

// SecretKeyValue is one credential of a service principal's
// synchronization (for example BaseAddress and SecretToken). Values are
// secrets: graphsync never logs them or puts them in errors.
type SecretKeyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}
