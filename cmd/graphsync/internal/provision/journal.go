package provision

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/jsonl"
)

// States of an entry. Every state but stateNotAttempted is final: the
// subject needs nothing more from this program.
const (
	stateAnswered     = "answered"
	stateFailed       = "failed"
	stateUnknown      = "unknown"
	stateDuplicate    = "duplicate"
	stateNotAttempted = "not-attempted"
)

// entry is the outcome of one input subject: a journal line, a row of
// the table and an element of the -json output.
type entry struct {
	// ServicePrincipalID and JobID name the job the subject was sent to.
	ServicePrincipalID string   `json:"servicePrincipalId,omitempty"`
	JobID              string   `json:"jobId,omitempty"`
	Source             string   `json:"source"` // "-subject" or the CSV's name
	Line               int      `json:"line"`   // CSV line, or -subject position
	seq                int      // position in the whole input, for sorting
	Subject            string   `json:"subject"`
	Type               string   `json:"type"`
	RuleID             string   `json:"ruleId"`
	Members            []string `json:"members,omitempty"`
	State              string   `json:"state"`
	// Result, Action, ErrorCode, ErrorMessage, Reason and
	// RecommendedAction are Graph's, from the provisionOnDemand answer
	// (or the HTTP error); ErrorMessage is never shortened.
	Result            string    `json:"result,omitempty"`
	Action            string    `json:"action,omitempty"`
	ErrorCode         string    `json:"errorCode,omitempty"`
	ErrorMessage      string    `json:"errorMessage,omitempty"`
	Reason            string    `json:"reason,omitempty"`
	RecommendedAction string    `json:"recommendedAction,omitempty"`
	FailedStep        string    `json:"failedStep,omitempty"`
	RequestID         string    `json:"requestId,omitempty"`
	Parts             int       `json:"parts,omitempty"` // requests the subject took (a group of more than 5 members)
	Time              time.Time `json:"time"`
}

func (e entry) final() bool { return e.State != stateNotAttempted }

// key identifies the subject of e as subject.key does.
func (e entry) key() string {
	var b strings.Builder
	b.WriteString(e.RuleID)
	b.WriteByte('|')
	b.WriteString(strings.ToLower(e.Type))
	b.WriteByte('|')
	b.WriteString(strings.ToLower(e.Subject))
	for _, m := range e.Members {
		b.WriteByte('|')
		b.WriteString(strings.ToLower(m))
	}
	return b.String()
}

// journal appends entries to a file (package jsonl: one line each,
// written whole and synced; a killed run leaves at most a torn last line,
// which readJournal counts as torn).
type journal = jsonl.Writer

// openJournal opens the journal for appending (package jsonl: never
// through a symbolic link); warn, if not nil, hears that others may read
// it.
func openJournal(path string, warn func(string)) (*journal, error) { return jsonl.Open(path, warn) }

// readJournal counts the final entries of a journal by subject key, the
// lines it could not read (torn by a killed write), and the jobs its
// entries name ("servicePrincipalId/jobId"). A missing file counts
// nothing. Lines of any length are read (an entry carries Graph's whole
// message).
//
// warn, if not nil, hears that others may read the journal; a symbolic
// link is refused (package jsonl).
func readJournal(path string, warn func(string)) (counts map[string]int, torn int, jobs map[string]bool, err error) {
	counts, jobs = map[string]int{}, map[string]bool{}
	err = jsonl.Read(path, warn, func(_ int, line []byte) error {
		var e entry
		if json.Unmarshal(line, &e) != nil || e.State == "" {
			torn++
			return nil
		}
		jobs[e.ServicePrincipalID+"/"+e.JobID] = true
		if e.final() {
			counts[e.key()]++
		}
		return nil
	})
	if err != nil {
		return nil, 0, nil, err
	}
	return counts, torn, jobs, nil
}
