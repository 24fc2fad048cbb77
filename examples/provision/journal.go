package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
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

// journal appends entries to a file, one JSON line each, written with one
// write and synced before Write returns: a line is either whole on disk
// or absent (a process killed mid-write leaves at most a torn last line,
// which readJournal ignores).
type journal struct {
	mu sync.Mutex
	f  *os.File
}

func openJournal(path string) (*journal, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	j := &journal{f: f}
	// A torn last line from a killed run must not glue onto ours.
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		last := make([]byte, 1)
		if r, err := os.Open(path); err == nil {
			if _, err := r.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
				_, err = f.Write([]byte("\n"))
			}
			r.Close()
			if err != nil {
				f.Close()
				return nil, err
			}
		}
	}
	return j, nil
}

func (j *journal) Write(e entry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if _, err := j.f.Write(append(b, '\n')); err != nil {
		return err
	}
	return j.f.Sync()
}

func (j *journal) Close() error { return j.f.Close() }

// readJournal counts the final entries of a journal by subject key, the
// lines it could not read (torn by a killed write), and the jobs its
// entries name ("servicePrincipalId/jobId"). A missing file counts
// nothing. Lines of any length are read (an entry carries Graph's whole
// message).
func readJournal(path string) (counts map[string]int, torn int, jobs map[string]bool, err error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return map[string]int{}, 0, map[string]bool{}, nil
	}
	if err != nil {
		return nil, 0, nil, err
	}
	defer f.Close()
	counts, jobs = map[string]int{}, map[string]bool{}
	r := bufio.NewReader(f)
	for {
		line, err := r.ReadBytes('\n')
		if len(strings.TrimSpace(string(line))) > 0 {
			var e entry
			if json.Unmarshal(line, &e) != nil || e.State == "" {
				torn++
			} else {
				jobs[e.ServicePrincipalID+"/"+e.JobID] = true
				if e.final() {
					counts[e.key()]++
				}
			}
		}
		if err == io.EOF {
			return counts, torn, jobs, nil
		}
		if err != nil {
			return nil, 0, nil, fmt.Errorf("%s: %w", path, err)
		}
	}
}
