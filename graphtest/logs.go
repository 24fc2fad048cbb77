package graphtest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/graphsync/graphsync/models"
)

// Page sizes of the provisioning logs: without $top a page holds
// defaultLogPage events; $top takes 1 to maxLogTop.
const (
	defaultLogPage = 100
	maxLogTop      = 1000
)

// auditLogs serves GET /{version}/auditLogs/provisioning (rest is what
// follows auditLogs), with $filter, $top and the fake's $skiptoken.
func (s *Server) auditLogs(w http.ResponseWriter, r *http.Request, reqID, version string, rest []string) {
	fail := func(e *apiError) { writeError(w, r, reqID, e) }
	if len(rest) == 2 && rest[1] == "" { // the documented Location ends in "provisioning/"
		rest = rest[:1]
	}
	if len(rest) != 1 || rest[0] != "provisioning" {
		fail(badRequest("Unsupported request."))
		return
	}
	if r.Method != http.MethodGet {
		fail(&apiError{http.StatusMethodNotAllowed, "BadRequest", fmt.Sprintf("The method %s is not allowed on this resource.", r.Method)})
		return
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		fail(badRequest("The query string is malformed: %v.", err))
		return
	}
	for name, vals := range q {
		switch name {
		case "$filter", "$top", "$skiptoken":
			if len(vals) > 1 {
				fail(badRequest("The query parameter '%s' is specified more than once.", name))
				return
			}
		default:
			fail(badRequest("The query parameter '%s' is not supported.", name))
			return
		}
	}
	match := func(models.ProvisioningObjectSummary) bool { return true }
	if f, ok := q["$filter"]; ok {
		clauses, e := parseLogFilter(f[0])
		if e != nil {
			fail(e)
			return
		}
		match = func(ev models.ProvisioningObjectSummary) bool {
			for _, c := range clauses {
				if !c.match(ev) {
					return false
				}
			}
			return true
		}
	}
	size := defaultLogPage
	if t, ok := q["$top"]; ok {
		n, err := strconv.Atoi(t[0])
		if err != nil || n < 1 || n > maxLogTop {
			fail(badRequest("Invalid value '%s' for $top: it must be an integer from 1 to %d.", t[0], maxLogTop))
			return
		}
		size = n
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleInbound(time.Now())
	logs := s.inbound.logs
	start := 0
	if t, ok := q["$skiptoken"]; ok {
		n, err := strconv.Atoi(t[0])
		if err != nil || n < 0 || n > len(logs) {
			fail(badRequest("Invalid $skiptoken."))
			return
		}
		start = n
	}
	out := struct {
		Context  string                             `json:"@odata.context"`
		Value    []models.ProvisioningObjectSummary `json:"value"`
		NextLink string                             `json:"@odata.nextLink,omitempty"`
	}{Context: odataContext(version, "auditLogs/provisioning"), Value: []models.ProvisioningObjectSummary{}}
	i := start
	for ; i < len(logs) && len(out.Value) < size; i++ {
		if match(logs[i]) {
			out.Value = append(out.Value, logs[i])
		}
	}
	// The skiptoken is the position of the next event in the log, which
	// only grows: events written between pages come on later pages.
	more := false
	for k := i; k < len(logs); k++ {
		if match(logs[k]) {
			more = true
			break
		}
	}
	if more {
		next := url.Values{}
		if f, ok := q["$filter"]; ok {
			next.Set("$filter", f[0])
		}
		next.Set("$top", strconv.Itoa(size))
		next.Set("$skiptoken", strconv.Itoa(i))
		out.NextLink = s.URL + "/" + version + "/auditLogs/provisioning?" + strings.ReplaceAll(next.Encode(), "+", "%20")
	}
	if err := writeJSON(w, http.StatusOK, out); err != nil {
		fail(&apiError{http.StatusInternalServerError, "InternalServerError", err.Error()})
	}
}

// logClause is one comparison of a $filter.
type logClause struct {
	property string // canonical name
	op       string // eq, gt, lt
	text     string
	time     time.Time
}

// Properties a $filter may compare: string properties take eq and an
// OData string literal; activityDateTime takes eq, gt and lt and an
// unquoted DateTimeOffset. Names match without regard to case, because
// Graph's own Location writes "jobid".
var logStringProperties = map[string]func(models.ProvisioningObjectSummary) string{
	"id":       func(e models.ProvisioningObjectSummary) string { return e.ID },
	"jobId":    func(e models.ProvisioningObjectSummary) string { return e.JobID },
	"cycleId":  func(e models.ProvisioningObjectSummary) string { return e.CycleID },
	"changeId": func(e models.ProvisioningObjectSummary) string { return e.ChangeID },
	"sourceIdentity/id": func(e models.ProvisioningObjectSummary) string {
		if e.SourceIdentity == nil {
			return ""
		}
		return e.SourceIdentity.ID
	},
	"targetIdentity/id": func(e models.ProvisioningObjectSummary) string {
		if e.TargetIdentity == nil {
			return ""
		}
		return e.TargetIdentity.ID
	},
}

func (c logClause) match(e models.ProvisioningObjectSummary) bool {
	if c.property == "activityDateTime" {
		t := e.ActivityDateTime
		switch c.op {
		case "gt":
			return t.After(c.time)
		case "lt":
			return t.Before(c.time)
		default:
			return t.Equal(c.time)
		}
	}
	return logStringProperties[c.property](e) == c.text
}

// parseLogFilter parses a $filter of clauses joined by "and", each
// "property op literal". Anything else (or, not, parentheses, functions,
// other properties or operators, a literal of the wrong type) is refused.
func parseLogFilter(f string) ([]logClause, *apiError) {
	invalid := func(format string, args ...any) *apiError {
		return badRequest("Invalid filter clause: %s", fmt.Sprintf(format, args...))
	}
	p := filterLexer{src: f}
	var out []logClause
	for {
		name, ok := p.word()
		if !ok {
			return nil, invalid("a property name was expected at position %d of '%s'.", p.pos, f)
		}
		var canonical string
		if strings.EqualFold(name, "activityDateTime") {
			canonical = "activityDateTime"
		}
		for k := range logStringProperties {
			if strings.EqualFold(name, k) {
				canonical = k
			}
		}
		if canonical == "" {
			return nil, invalid("the property '%s' cannot be filtered on; use jobId, cycleId, changeId, id, sourceIdentity/id, targetIdentity/id or activityDateTime.", name)
		}
		op, ok := p.word()
		if !ok {
			return nil, invalid("an operator was expected after '%s'.", name)
		}
		c := logClause{property: canonical, op: op}
		if canonical == "activityDateTime" {
			if op != "eq" && op != "gt" && op != "lt" {
				return nil, invalid("the operator '%s' is not supported for activityDateTime; use eq, gt or lt.", op)
			}
			lit, ok := p.word()
			if !ok {
				return nil, invalid("a DateTimeOffset was expected after '%s %s'.", name, op)
			}
			t, err := time.Parse(time.RFC3339Nano, lit)
			if err != nil {
				return nil, invalid("'%s' is not a DateTimeOffset literal (e.g. 2024-05-01T00:00:00Z).", lit)
			}
			c.time = t
		} else {
			if op != "eq" {
				return nil, invalid("the operator '%s' is not supported for %s; use eq.", op, canonical)
			}
			lit, e := p.stringLiteral()
			if e != "" {
				return nil, invalid("%s", e)
			}
			c.text = lit
		}
		out = append(out, c)
		p.space()
		if p.done() {
			return out, nil
		}
		and, _ := p.word()
		if and != "and" {
			return nil, invalid("'and' was expected at position %d of '%s'; only clauses joined by 'and' are supported.", p.pos, f)
		}
	}
}

// filterLexer reads the tokens of a $filter.
type filterLexer struct {
	src string
	pos int
}

func (l *filterLexer) space() {
	for l.pos < len(l.src) && l.src[l.pos] == ' ' {
		l.pos++
	}
}

func (l *filterLexer) done() bool { return l.pos >= len(l.src) }

// word reads characters up to the next space.
func (l *filterLexer) word() (string, bool) {
	l.space()
	start := l.pos
	for l.pos < len(l.src) && l.src[l.pos] != ' ' {
		if c := l.src[l.pos]; c == '(' || c == ')' || c == '\'' {
			return "", false
		}
		l.pos++
	}
	return l.src[start:l.pos], l.pos > start
}

// stringLiteral reads an OData string literal: single quotes, a single
// quote inside doubled. It returns the value, or a description of what is
// wrong.
func (l *filterLexer) stringLiteral() (string, string) {
	l.space()
	if l.pos >= len(l.src) || l.src[l.pos] != '\'' {
		return "", fmt.Sprintf("a string literal in single quotes was expected at position %d of '%s'.", l.pos, l.src)
	}
	var b strings.Builder
	for i := l.pos + 1; i < len(l.src); i++ {
		if l.src[i] != '\'' {
			b.WriteByte(l.src[i])
			continue
		}
		if i+1 < len(l.src) && l.src[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		l.pos = i + 1
		if l.pos < len(l.src) && l.src[l.pos] != ' ' {
			return "", fmt.Sprintf("unexpected '%c' after a string literal at position %d of '%s'.", l.src[l.pos], l.pos, l.src)
		}
		return b.String(), ""
	}
	return "", fmt.Sprintf("the string literal starting at position %d of '%s' is not closed.", l.pos, l.src)
}
