package graphsync

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/graphsync/graphsync/models"
)

// CycleStats is one cycle in numbers: its provisioning events counted by
// action and status, and the error codes of its failures. The zero value
// is empty and ready for Add.
//
// Counting is linear in the events and its memory bounded whatever Graph
// sends: Add finds a row by a map and moves it up past the rows its count
// overtakes, instead of searching and sorting; and a CycleStats keeps at
// most MaxCycleCounts action and status pairs and MaxCycleErrorCodes
// error codes, the first ones seen, each holding at most a few hundred
// bytes of Graph's text: an action, a status or an error code longer than
// 256 bytes gets no row, and an example reason is cut to 1 KB. What comes under a pair or a code without a row
// is counted in OtherEvents or OtherErrors. A CycleStats must not be
// copied once Add has been called (the copies share rows).
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
	// OtherEvents counts the events of an action and status pair first
	// seen when Counts held MaxCycleCounts pairs, or whose action or
	// status is longer than 256 bytes: they are in Events, not in Counts,
	// ByStatus or ByAction.
	OtherEvents int `json:"otherEvents,omitempty"`
	// Errors are the failures' error codes, most frequent first (then by
	// code); an event that failed without a code counts under "".
	Errors []ErrorCodeCount `json:"errors"`
	// OtherErrors counts the failures with a code first seen when Errors
	// held MaxCycleErrorCodes codes, or longer than 256 bytes.
	OtherErrors int `json:"otherErrors,omitempty"`

	countsAt rankIndex[[2]string, ActionStatusCount]
	errorsAt rankIndex[string, ErrorCodeCount]
}

// Bounds of a CycleStats: the action and status pairs (Graph documents
// 24) and the error codes it counts one by one.
const (
	MaxCycleCounts     = 100
	MaxCycleErrorCodes = 1000
)

// The most of Graph's text a row of a CycleStats keeps: an action, a
// status or an error code longer than maxCycleKey gets no row (Graph's
// are identifiers of a few dozen bytes); an example reason is cut to
// maxCycleReason.
const (
	maxCycleKey    = 256
	maxCycleReason = 1024
)

// ActionStatusCount counts a cycle's events of one action and status.
type ActionStatusCount struct {
	Action models.LogAction `json:"action"`
	Status models.LogStatus `json:"status"`
	Count  int              `json:"count"`
}

// rankKey is the row's action and status, letter case aside.
func (c ActionStatusCount) rankKey() [2]string {
	return [2]string{foldCase(string(c.Action)), foldCase(string(c.Status))}
}

// before reports whether c comes before d in CycleStats.Counts.
func (c ActionStatusCount) before(d ActionStatusCount) bool {
	return cmp.Or(cmp.Compare(d.Count, c.Count), strings.Compare(string(c.Action), string(d.Action)), strings.Compare(string(c.Status), string(d.Status))) < 0
}

// ErrorCodeCount counts a cycle's failed events with one error code.
type ErrorCodeCount struct {
	Code  string `json:"code"`
	Count int    `json:"count"`
	// Reason is the reason of the first event counted, as an example,
	// cut to 1 KB.
	Reason string `json:"reason,omitempty"`
}

func (e ErrorCodeCount) rankKey() string { return e.Code }

// keep is c as a new row keeps it: its text copied, so that the row holds
// nothing of the event (a page's worth of text) it came from.
func (c ActionStatusCount) keep() ActionStatusCount {
	c.Action, c.Status = models.LogAction(strings.Clone(string(c.Action))), models.LogStatus(strings.Clone(string(c.Status)))
	return c
}

// keep is e as a new row keeps it: its code copied, its reason cut to
// maxCycleReason bytes (on a rune's boundary) and copied.
func (e ErrorCodeCount) keep() ErrorCodeCount {
	e.Code = strings.Clone(e.Code)
	if len(e.Reason) > maxCycleReason {
		n := maxCycleReason
		for n > 0 && !utf8.RuneStart(e.Reason[n]) {
			n--
		}
		e.Reason = e.Reason[:n]
	}
	e.Reason = strings.Clone(e.Reason)
	return e
}

// before reports whether e comes before f in CycleStats.Errors.
func (e ErrorCodeCount) before(f ErrorCodeCount) bool {
	return cmp.Or(cmp.Compare(f.Count, e.Count), strings.Compare(e.Code, f.Code)) < 0
}

// foldCase is s with its letter case folded, for a key that matches as
// strings.EqualFold does.
func foldCase(s string) string { return strings.ToLower(strings.ToUpper(s)) }

// Add counts one event. Actions and statuses are counted as Graph wrote
// them; letter case aside, they are one ("Create" is "create"). It takes
// constant time, but for moving a row up past the rows of equal count it
// overtakes (at most MaxCycleCounts or MaxCycleErrorCodes).
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
	row := ActionStatusCount{Action: ev.ProvisioningAction, Status: status}
	if len(row.Action) > maxCycleKey || len(row.Status) > maxCycleKey || !s.countsAt.count(&s.Counts, row, MaxCycleCounts, countsOrder, func(r *ActionStatusCount) { r.Count++ }) {
		s.OtherEvents++
	}
	if strings.EqualFold(string(status), string(models.LogStatusFailure)) {
		e := ErrorCodeCount{}
		if info != nil {
			e.Code, e.Reason = info.ErrorCode, info.Reason
		}
		if len(e.Code) > maxCycleKey || !s.errorsAt.count(&s.Errors, e, MaxCycleErrorCodes, errorsOrder, func(r *ErrorCodeCount) { r.Count++ }) {
			s.OtherErrors++
		}
	}
}

// rankIndex finds the row of a key in rows kept in rank order (most
// counted first), and keeps that order as counts grow by one: a map
// instead of a search, and a row moved up past the ones its count
// overtakes instead of a sort.
type rankIndex[K comparable, E any] struct {
	at map[K]int // index of each key's row
	// n and first are len(rows) and &rows[0] when at was last right:
	// rows changed otherwise (decoded, replaced, cut) are indexed anew.
	n     int
	first *E
}

// rankOrder is a row's key, whether one row comes before another, and
// what a new row keeps of the one it is made from, for a rankIndex.
type rankOrder[K comparable, E any] struct {
	key    func(E) K
	before func(a, b E) bool
	keep   func(E) E
}

var (
	countsOrder = rankOrder[[2]string, ActionStatusCount]{ActionStatusCount.rankKey, ActionStatusCount.before, ActionStatusCount.keep}
	errorsOrder = rankOrder[string, ErrorCodeCount]{ErrorCodeCount.rankKey, ErrorCodeCount.before, ErrorCodeCount.keep}
)

// count adds one (inc) to the row of proto's key in *rows, appending
// what o.keep keeps of proto for a new key if rows hold fewer than
// limit, and moves the row
// to its rank. It reports false when the key has no row and none was
// added.
func (x *rankIndex[K, E]) count(rows *[]E, proto E, limit int, o rankOrder[K, E], inc func(*E)) bool {
	k := o.key(proto)
	i, ok := x.find(*rows, k, o.key)
	if !ok {
		if len(*rows) >= limit {
			return false
		}
		*rows = append(*rows, o.keep(proto))
		i = len(*rows) - 1
		x.at[k] = i
	}
	r := *rows
	inc(&r[i])
	for ; i > 0 && o.before(r[i], r[i-1]); i-- {
		r[i], r[i-1] = r[i-1], r[i]
		x.at[o.key(r[i])] = i
	}
	x.at[k] = i
	x.n, x.first = len(r), &r[0]
	return true
}

// find returns the index of k's row in rows, indexing rows anew when
// they changed since.
func (x *rankIndex[K, E]) find(rows []E, k K, key func(E) K) (int, bool) {
	if x.at != nil && x.n == len(rows) && (len(rows) == 0 || x.first == &rows[0]) {
		if i, ok := x.at[k]; !ok || (i < len(rows) && key(rows[i]) == k) {
			return i, ok
		}
	}
	x.at = make(map[K]int, len(rows))
	for i := len(rows) - 1; i >= 0; i-- { // the first row of a key wins
		x.at[key(rows[i])] = i
	}
	x.n, x.first = len(rows), nil
	if len(rows) > 0 {
		x.first = &rows[0]
	}
	i, ok := x.at[k]
	return i, ok
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
