package graphsync

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/graphsync/graphsync/models"
)

// CycleStats is one cycle in numbers: its provisioning events counted by
// action and status, and the error codes of its failures. The zero value
// is empty and ready for Add.
type CycleStats struct {
	// CycleID and JobID are those of the events added (the first
	// event's, when events of several were added).
	CycleID string `json:"cycleId"`
	JobID   string `json:"jobId"`
	// Events counts the events added.
	Events int `json:"events"`
	// First and Last are the earliest and latest activityDateTime.
	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
	// Counts are the events by action and status, most numerous first
	// (then by action and status).
	Counts []ActionStatusCount `json:"counts"`
	// Errors are the failures' error codes, most frequent first (then by
	// code); an event that failed without a code counts under "".
	Errors []ErrorCodeCount `json:"errors"`
}

// ActionStatusCount counts a cycle's events of one action and status.
type ActionStatusCount struct {
	Action models.LogAction `json:"action"`
	Status models.LogStatus `json:"status"`
	Count  int              `json:"count"`
}

// ErrorCodeCount counts a cycle's failed events with one error code.
type ErrorCodeCount struct {
	Code  string `json:"code"`
	Count int    `json:"count"`
	// Reason is the reason of the first event counted, as an example.
	Reason string `json:"reason,omitempty"`
}

// Add counts one event. Actions and statuses are counted as Graph wrote
// them; letter case aside, they are one ("Create" is "create").
func (s *CycleStats) Add(ev models.ProvisioningObjectSummary) {
	if s.Events == 0 {
		s.CycleID, s.JobID = ev.CycleID, ev.JobID
	}
	s.Events++
	if t := ev.ActivityDateTime; !t.IsZero() {
		if s.First.IsZero() || t.Before(s.First) {
			s.First = t
		}
		if t.After(s.Last) {
			s.Last = t
		}
	}
	status := models.LogStatus("")
	var info *models.ProvisioningErrorInfo
	if si := ev.ProvisioningStatusInfo; si != nil {
		status, info = si.Status, si.ErrorInformation
	}
	i := slices.IndexFunc(s.Counts, func(c ActionStatusCount) bool {
		return strings.EqualFold(string(c.Action), string(ev.ProvisioningAction)) && strings.EqualFold(string(c.Status), string(status))
	})
	if i < 0 {
		s.Counts = append(s.Counts, ActionStatusCount{Action: ev.ProvisioningAction, Status: status})
		i = len(s.Counts) - 1
	}
	s.Counts[i].Count++
	if strings.EqualFold(string(status), string(models.LogStatusFailure)) {
		code, reason := "", ""
		if info != nil {
			code, reason = info.ErrorCode, info.Reason
		}
		j := slices.IndexFunc(s.Errors, func(e ErrorCodeCount) bool { return e.Code == code })
		if j < 0 {
			s.Errors = append(s.Errors, ErrorCodeCount{Code: code, Reason: reason})
			j = len(s.Errors) - 1
		}
		s.Errors[j].Count++
	}
	slices.SortStableFunc(s.Counts, func(a, b ActionStatusCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(string(a.Action), string(b.Action)), strings.Compare(string(a.Status), string(b.Status)))
	})
	slices.SortStableFunc(s.Errors, func(a, b ErrorCodeCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Code, b.Code))
	})
}

// ByStatus returns how many events have the status (letter case aside).
func (s *CycleStats) ByStatus(status models.LogStatus) int {
	n := 0
	for _, c := range s.Counts {
		if strings.EqualFold(string(c.Status), string(status)) {
			n += c.Count
		}
	}
	return n
}

// ByAction returns how many events have the action (letter case aside).
func (s *CycleStats) ByAction(action models.LogAction) int {
	n := 0
	for _, c := range s.Counts {
		if strings.EqualFold(string(c.Action), string(action)) {
			n += c.Count
		}
	}
	return n
}

// TopErrors returns the n most frequent error codes (all when n <= 0).
func (s *CycleStats) TopErrors(n int) []ErrorCodeCount {
	if n <= 0 || n > len(s.Errors) {
		n = len(s.Errors)
	}
	return slices.Clone(s.Errors[:n])
}

// CountCycle reads the provisioning events of one cycle (query.CycleID,
// required; query.JobID and the other filters narrow it further) one page
// at a time, as ProvisioningLogs does, and returns them counted. Memory
// holds one page and the counts, however long the cycle. A query without
// a CycleID gives a *ValidationError and nothing is sent; otherwise it
// fails as ProvisioningLogs does. The caller needs AuditLog.Read.All.
func (c *Client) CountCycle(ctx context.Context, query models.ProvisioningLogQuery) (*CycleStats, error) {
	if strings.TrimSpace(query.CycleID) == "" {
		return nil, invalid("query.CycleID", "is required: CountCycle counts one cycle's events")
	}
	s := &CycleStats{CycleID: query.CycleID, JobID: query.JobID, Counts: []ActionStatusCount{}, Errors: []ErrorCodeCount{}}
	for ev, err := range c.ProvisioningLogs(ctx, query) {
		if err != nil {
			return nil, err
		}
		s.Add(ev)
	}
	return s, nil
}
