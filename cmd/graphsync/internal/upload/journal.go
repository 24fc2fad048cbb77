package upload

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/jsonl"
)

// States of an entry. stateOutcome and stateRejected are final: the
// record needs nothing more from this program. The others are sent again
// by a run that resumes (bulkUpload is safe to repeat: the provisioning
// service matches the user and skips what is already done).
const (
	// stateOutcome: the provisioning logs hold the record's event.
	stateOutcome = "outcome"
	// stateRejected: Graph refused what the request that carried the
	// record holds: 400, 413, 415 or 422. Sending it again is refused
	// again.
	stateRejected = "rejected"
	// stateUnknown: uploaded (or maybe uploaded: a transport error), but
	// no event before -timeout.
	stateUnknown = "unknown"
	// stateNotUploaded: the run stopped before the record was uploaded,
	// or Graph refused its request for a reason that is not the records'
	// (401, 403, 404, 408, 409, 429 or another 4xx: a permission, the
	// job, the pace); ErrorCode and Reason say which. The run stops
	// uploading at the first such answer.
	stateNotUploaded = "not-uploaded"
	// statePending: written before the request that carries the record
	// is sent, so that a run killed before the outcome is known leaves
	// it: the next run with -state follows the record in the logs
	// instead of sending it again (-resume sends it again, as an
	// unknown one).
	statePending = "pending"
)

// entry is the outcome of one HR record: a journal line, a row of the
// table and an element of the -json output.
type entry struct {
	Line       int    `json:"line"`
	ExternalID string `json:"externalId"`
	UserName   string `json:"userName,omitempty"`
	// Record is the fingerprint of the record as uploaded (a SHA-256 of
	// its SCIM JSON): a journal line counts for -resume only while the
	// input holds the same record.
	Record string `json:"record,omitempty"`
	State  string `json:"state"`
	// Leaver: the record is a leaver's (-state): in the state, absent
	// from the export, sent with active=false.
	Leaver bool `json:"leaver,omitempty"`
	// Inactive: the record, from the export, says active=false (a
	// leaver's does too, and is not marked). The state keeps it, so
	// that a later export marking an active person inactive is told
	// from one that only changes an inactive person's attributes (the
	// brake counts the first).
	Inactive bool `json:"inactive,omitempty"`
	// Attempts is how many times this run sent the record (retries of
	// transient failures included).
	Attempts int `json:"attempts,omitempty"`
	// Action and Status are the provisioning log event's
	// provisioningAction and provisioningStatusInfo.status.
	Action string `json:"action,omitempty"`
	Status string `json:"status,omitempty"`
	// ErrorCategory, ErrorCode, Reason, AdditionalDetails and
	// RecommendedAction are the event's errorInformation, or the refused
	// request's error. Transient says the failure is the service's, not
	// the record's (see transientFailure): sending it again may succeed.
	ErrorCategory     string    `json:"errorCategory,omitempty"`
	Transient         bool      `json:"transient,omitempty"`
	ErrorCode         string    `json:"errorCode,omitempty"`
	Reason            string    `json:"reason,omitempty"`
	AdditionalDetails string    `json:"additionalDetails,omitempty"`
	RecommendedAction string    `json:"recommendedAction,omitempty"`
	ChangeID          string    `json:"changeId,omitempty"`
	CycleID           string    `json:"cycleId,omitempty"`
	TargetID          string    `json:"targetId,omitempty"`
	RequestID         string    `json:"requestId,omitempty"` // of the bulkUpload request
	Time              time.Time `json:"time"`

	// since, for a record a killed run sent (its pending line), is when
	// it was sent: its first event from then on (less -skew) is its
	// outcome, even one logged before this run started.
	since time.Time
}

func (e entry) final() bool { return e.State == stateOutcome || e.State == stateRejected }

// succeeded reports whether the provisioning service did what the record
// asked (skipped counts: nothing needed doing).
func (e entry) succeeded() bool {
	if e.State != stateOutcome {
		return false
	}
	switch strings.ToLower(e.Status) {
	case "success", "skipped", "warning":
		return true
	}
	return false
}

// accepted reports whether Entra accepted the record: its event says
// success or skipped. Only then does -state take its fingerprint.
func (e entry) accepted() bool {
	if e.State != stateOutcome {
		return false
	}
	switch strings.ToLower(e.Status) {
	case "success", "skipped":
		return true
	}
	return false
}

// journalLine is a line of the journal: an entry and the job it is of.
type journalLine struct {
	ServicePrincipalID string `json:"servicePrincipalId"`
	JobID              string `json:"jobId"`
	entry
}

// journal appends entries to a file, one JSON line each with the service
// principal and the job (package jsonl: written whole and synced; a killed
// process leaves at most a torn last line, which readJournal ignores).
type journal struct {
	w       *jsonl.Writer
	sp, job string
}

// openJournal opens the journal for appending (package jsonl: never
// through a symbolic link); warn, if not nil, hears that others may read
// it.
func openJournal(path, sp, job string, warn func(string)) (*journal, error) {
	w, err := jsonl.Open(path, warn)
	if err != nil {
		return nil, err
	}
	return &journal{w: w, sp: sp, job: job}, nil
}

func (j *journal) Write(e entry) error { return j.w.Write(j.line(e)) }

// line is e as a line of the journal.
func (j *journal) line(e entry) journalLine {
	return journalLine{ServicePrincipalID: j.sp, JobID: j.job, entry: e}
}

func (j *journal) Close() error { return j.w.Close() }

// readJournal returns, for each externalId whose last line is final, the
// record fingerprint of that line ("" for a line of an older version,
// which has none and counts for nothing), and how many lines it could not
// read (torn by a killed write). A missing file has none. When job is not
// empty, a line of another service principal or job (or of none) is an
// error: the journal is of another job, whose outcomes say nothing of this
// one. Lines have no length limit. warn, if not nil, hears that others may
// read the journal; a symbolic link is refused (package jsonl).
//
// The last line decides: after a leaver's line (active=false) and a
// rehire's (the record as it was before), the rehire's record is not the
// last one done and is uploaded again; and after a final line, a line
// that is not (the record sent again with another content, its outcome
// unknown) leaves the record to be sent again, whatever its content.
func readJournal(path, sp, job string, warn func(string)) (done map[string]string, torn int, err error) {
	done = map[string]string{}
	err = jsonl.Read(path, warn, func(n int, b []byte) error {
		var l journalLine
		switch {
		case json.Unmarshal(b, &l) != nil || l.State == "" || l.ExternalID == "":
			torn++
		case job != "" && (l.JobID != job || l.ServicePrincipalID != sp):
			return fmt.Errorf("%s line %d is of job %s (service principal %s), not of this run's job %s (service principal %s); "+
				"resume with the journal of this job", path, n, orNone(l.JobID), orNone(l.ServicePrincipalID), job, sp)
		case l.final():
			done[l.ExternalID] = l.Record
		default:
			// A later line that is not final (the record sent again,
			// its outcome unknown; or not sent) supersedes an earlier
			// outcome: what the directory holds is no longer known, and
			// the record is sent again, whatever its content.
			delete(done, l.ExternalID)
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return done, torn, nil
}

func orNone(s string) string {
	if s == "" {
		return "(none recorded)"
	}
	return s
}
