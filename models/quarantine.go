package models

import (
	"bytes"
	"encoding/json"
	"time"
)

// UnmarshalJSON reads a quarantine as Graph writes it. Besides timestamps
// it takes an empty string for currentBegan, nextAttempt and seriesBegan,
// as Graph's documented get-job example sends them, and reads it as the
// zero time (IsNever); so does null.
func (q *SynchronizationQuarantine) UnmarshalJSON(b []byte) error {
	type plain SynchronizationQuarantine // without this method
	var w struct {
		plain
		CurrentBegan lenientTime `json:"currentBegan"`
		NextAttempt  lenientTime `json:"nextAttempt"`
		SeriesBegan  lenientTime `json:"seriesBegan"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*q = SynchronizationQuarantine(w.plain)
	q.CurrentBegan, q.NextAttempt, q.SeriesBegan = time.Time(w.CurrentBegan), time.Time(w.NextAttempt), time.Time(w.SeriesBegan)
	return nil
}

// lenientTime is a timestamp that may be "" or null (the zero time).
type lenientTime time.Time

func (t *lenientTime) UnmarshalJSON(b []byte) error {
	if s := bytes.TrimSpace(b); string(s) == `""` || string(s) == "null" {
		*t = lenientTime{}
		return nil
	}
	var v time.Time
	if err := v.UnmarshalJSON(b); err != nil {
		return err
	}
	*t = lenientTime(v)
	return nil
}

// QuarantineReasonInfo is what Microsoft documents about a quarantine
// reason: its meaning and what to do about it.
type QuarantineReasonInfo struct {
	// Reason is the reason as Graph sent it.
	Reason QuarantineReason
	// Listed is true for the values Graph's synchronizationQuarantine
	// reference lists.
	Listed bool
	// Explained is true when Microsoft's documentation says what the
	// reason means (Entra's "Application provisioning in quarantine
	// status" and "accidental deletions prevention" pages); for the other
	// listed values Graph gives the name only, and Meaning says so.
	Explained bool
	// Meaning is what the reason means, in Microsoft's words where it
	// has some, and otherwise what is documented around it.
	Meaning string
	// Remedy is what Microsoft's documentation says to do.
	Remedy string
}

// Documentation the texts below come from.
const (
	// QuarantineDocURL is Entra's page on quarantine: its reasons, the
	// escrow thresholds and how to get a job out of quarantine.
	QuarantineDocURL = "https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-quarantine-status"
	// AccidentalDeletionsDocURL is Entra's page on accidental deletions
	// prevention, the deletion threshold that quarantines a job.
	AccidentalDeletionsDocURL = "https://learn.microsoft.com/entra/identity/app-provisioning/accidental-deletions"
)

const (
	remedyGeneral = "Resolve the cause first: check the admin credentials in the provisioning configuration and " +
		"read the provisioning logs for the errors behind the quarantine. Then start the job (Graph's start " +
		"clears the quarantine) or restart it (the portal's Restart provisioning, or restart with " +
		"QuarantineState, Escrows and Watermark). A job left in quarantine for more than four weeks is disabled."
	remedyEscrows = "Find the failing objects in the provisioning logs (status failure) and fix their cause " +
		"(attribute mappings, scoping, the target application's data). Then restart the job, resetting Escrows " +
		"and QuarantineState (or the portal's Restart provisioning, which also runs a full initial cycle)."
	escrowThresholds = "Entra documents the escrow thresholds: from 5,000 failures on, a job is quarantined when " +
		"more than 40% of provisioning events failed or there are more than 40,000 failures (reference failures, " +
		"such as a manager or group member update, not counted), or when there are more than 60,000 failures in all"
)

// quarantineReasons is what the documentation says about each reason
// Graph lists.
var quarantineReasons = map[QuarantineReason]QuarantineReasonInfo{
	QuarantineEncounteredQuarantineException: {Explained: true,
		Meaning: "Invalid credentials were provided: the provisioning service is unable to establish a connection " +
			"between the source system and the target system.",
		Remedy: "Authorize access to the target application again with valid admin credentials in the provisioning " +
			"configuration (for a gallery application, see its configuration tutorial for any further step; the " +
			"account needs the permissions the application requires), then start or restart the job."},
	QuarantineEncounteredEscrowProportionThreshold: {Explained: true,
		Meaning: "Provisioning exceeded the escrow threshold: more than 40% of provisioning events failed. " +
			escrowThresholds + ".",
		Remedy: remedyEscrows},
	QuarantineEncounteredBaseEscrowThreshold: {
		Meaning: "An escrow threshold was met (Graph lists the value without a meaning, and Entra does not say which " +
			"threshold it names). " + escrowThresholds + ".",
		Remedy: remedyEscrows},
	QuarantineEncounteredTotalEscrowThreshold: {
		Meaning: "An escrow threshold was met (Graph lists the value without a meaning, and Entra does not say which " +
			"threshold it names). " + escrowThresholds + ".",
		Remedy: remedyEscrows},
	QuarantineQuarantinedOnDemand: {Explained: true,
		Meaning: "Microsoft detected an issue with the application and set the job to quarantine manually " +
			"(Entra's page spells the value QuarantineOnDemand).",
		Remedy: "Entra names no remedy of its own for this reason. " + remedyGeneral},
	QuarantineTooManyDeletes: {Explained: true,
		Meaning: "The accidental deletions prevention threshold was met: a cycle would delete or disable more " +
			"objects than the job's deletion threshold allows (Graph lists the value without a meaning; Entra's " +
			"accidental deletions page says such a job goes into quarantine).",
		Remedy: "Review the deletions the job holds back in the provisioning logs (action StagedDelete). To allow " +
			"them, restart the job with ForceDeletes (the portal's Allow deletes). To reject them, assign or " +
			"restore the users and groups, or correct the provisioning configuration, then restart the job; do " +
			"not restart before that."},
	QuarantineIngestionInterrupted: {
		Meaning: "Graph lists the value without a meaning, and Microsoft's documentation does not explain it.",
		Remedy:  remedyGeneral},
	QuarantineUnknown: {
		Meaning: "Graph does not know why the job is in quarantine; the quarantine's error may say more.",
		Remedy:  remedyGeneral},
}

// Info returns what Microsoft documents about the reason. A reason Graph
// adds later, or an empty one (Graph's documented get-job example sends
// ""), is not Listed and gets the general remedy.
func (r QuarantineReason) Info() QuarantineReasonInfo {
	info, ok := quarantineReasons[r]
	if ok {
		info.Listed = true
	} else if r == "" {
		info.Meaning, info.Remedy = "Graph named no reason; the quarantine's error may say why.", remedyGeneral
	} else {
		info.Meaning, info.Remedy = "A reason Graph's documentation does not list (Graph adds values over time).", remedyGeneral
	}
	info.Reason = r
	return info
}

// QuarantineReasons returns the reasons Graph's synchronizationQuarantine
// reference lists, in its order.
func QuarantineReasons() []QuarantineReason {
	return []QuarantineReason{
		QuarantineEncounteredBaseEscrowThreshold, QuarantineEncounteredTotalEscrowThreshold,
		QuarantineEncounteredEscrowProportionThreshold, QuarantineEncounteredQuarantineException,
		QuarantineUnknown, QuarantineQuarantinedOnDemand, QuarantineTooManyDeletes, QuarantineIngestionInterrupted,
	}
}
