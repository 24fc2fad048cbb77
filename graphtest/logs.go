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
// follows auditLogs), with $filter, $orderby, $top and the fake's
// $skiptoken.
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
		case "$filter", "$orderby", "$top", "$skiptoken":
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
		clauses, e := parseLogFilter(f[0], version)
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
	newestFirst := false
	if o, ok := q["$orderby"]; ok {
		var e *apiError
		if newestFirst, e = parseLogOrder(o[0]); e != nil {
			fail(e)
			return
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
	s.settleJobs(time.Now())
	s.settleInbound(time.Now())
	logs := s.inbound.logs
	// The skiptoken is a position in the log, which only grows: oldest
	// first, the index of the next event to read, so that events written
	// between pages come on later pages; newest first, the index after
	// it, reading down, so that they do not.
	pos, step := 0, 1
	if newestFirst {
		pos, step = len(logs)-1, -1
	}
	if t, ok := q["$skiptoken"]; ok {
		n, err := strconv.Atoi(t[0])
		if err != nil || n < 0 || n > len(logs) {
			fail(badRequest("Invalid $skiptoken."))
			return
		}
		pos = n
		if newestFirst {
			pos = n - 1
		}
	}
	inLog := func(i int) bool { return i >= 0 && i < len(logs) }
	out := struct {
		Context  string                             `json:"@odata.context"`
		Value    []models.ProvisioningObjectSummary `json:"value"`
		NextLink string                             `json:"@odata.nextLink,omitempty"`
	}{Context: odataContext(version, "auditLogs/provisioning"), Value: []models.ProvisioningObjectSummary{}}
	i := pos
	for ; inLog(i) && len(out.Value) < size; i += step {
		if match(logs[i]) {
			out.Value = append(out.Value, logs[i])
		}
	}
	more := false
	for k := i; inLog(k); k += step {
		if match(logs[k]) {
			more = true
			break
		}
	}
	if more {
		next := url.Values{}
		for _, name := range []string{"$filter", "$orderby"} {
			if v, ok := q[name]; ok {
				next.Set(name, v[0])
			}
		}
		next.Set("$top", strconv.Itoa(size))
		token := i
		if newestFirst {
			token = i + 1
		}
		next.Set("$skiptoken", strconv.Itoa(token))
		out.NextLink = s.URL + "/" + version + "/auditLogs/provisioning?" + strings.ReplaceAll(next.Encode(), "+", "%20")
	}
	if err := writeJSON(w, http.StatusOK, out); err != nil {
		fail(&apiError{http.StatusInternalServerError, "InternalServerError", err.Error()})
	}
}

// parseLogOrder parses a $orderby: activityDateTime, optionally followed
// by asc or desc. It reports whether the order is newest first.
func parseLogOrder(o string) (bool, *apiError) {
	prop, dir, _ := strings.Cut(strings.TrimSpace(o), " ")
	dir = strings.TrimSpace(dir)
	if !strings.EqualFold(prop, "activityDateTime") || (dir != "" && !strings.EqualFold(dir, "asc") && !strings.EqualFold(dir, "desc")) {
		return false, badRequest("Invalid $orderby '%s': the provisioning logs are ordered by activityDateTime only, asc or desc.", o)
	}
	return strings.EqualFold(dir, "desc"), nil
}

// logClause is one comparison of a $filter.
type logClause struct {
	property string // canonical name
	op       string // eq, gt, lt, contains
	text     string
	time     time.Time
	number   int64
}

// logText is a string property a $filter may compare.
type logText struct {
	get      func(models.ProvisioningObjectSummary) string
	contains bool // contains is documented for it, not only eq
	foldCase bool // compared without regard to case (the status, as documented)
	beta     bool // documented in beta only
}

// Properties a $filter may compare: the string properties take eq (and
// most of them contains) with an OData string literal; activityDateTime
// takes eq, gt and lt with an unquoted DateTimeOffset, durationInMilliseconds
// eq, gt and lt with an integer. Names match without regard to case,
// because Graph's own Location writes "jobid". servicePrincipal/name is the
// name the property's description uses; the metadata's is displayName, and
// the fake takes both. action and statusInfo/status are beta's deprecated
// properties.
var logTextProperties = map[string]logText{
	"action": {get: func(e models.ProvisioningObjectSummary) string { return e.Action }, contains: true, beta: true},
	"statusInfo/status": {get: func(e models.ProvisioningObjectSummary) string {
		if e.StatusInfo == nil {
			return ""
		}
		return string(e.StatusInfo.Status)
	}, contains: true, foldCase: true, beta: true},
	"id":                 {get: func(e models.ProvisioningObjectSummary) string { return e.ID }, contains: true},
	"tenantId":           {get: func(e models.ProvisioningObjectSummary) string { return e.TenantID }, contains: true},
	"jobId":              {get: func(e models.ProvisioningObjectSummary) string { return e.JobID }, contains: true},
	"cycleId":            {get: func(e models.ProvisioningObjectSummary) string { return e.CycleID }, contains: true},
	"changeId":           {get: func(e models.ProvisioningObjectSummary) string { return e.ChangeID }, contains: true},
	"provisioningAction": {get: func(e models.ProvisioningObjectSummary) string { return string(e.ProvisioningAction) }, contains: true},
	"provisioningStatusInfo/status": {get: func(e models.ProvisioningObjectSummary) string {
		if e.ProvisioningStatusInfo == nil {
			return ""
		}
		return string(e.ProvisioningStatusInfo.Status)
	}, contains: true, foldCase: true},
	"servicePrincipal/id":          {get: func(e models.ProvisioningObjectSummary) string { return eventSP(e).ID }},
	"servicePrincipal/displayName": {get: func(e models.ProvisioningObjectSummary) string { return eventSP(e).DisplayName }},
	"servicePrincipal/name":        {get: func(e models.ProvisioningObjectSummary) string { return eventSP(e).DisplayName }},
	"sourceIdentity/id":            {get: func(e models.ProvisioningObjectSummary) string { return eventIdentity(e.SourceIdentity).ID }, contains: true},
	"sourceIdentity/displayName":   {get: func(e models.ProvisioningObjectSummary) string { return eventIdentity(e.SourceIdentity).DisplayName }, contains: true},
	"sourceIdentity/identityType":  {get: func(e models.ProvisioningObjectSummary) string { return eventIdentity(e.SourceIdentity).IdentityType }, contains: true},
	"targetIdentity/id":            {get: func(e models.ProvisioningObjectSummary) string { return eventIdentity(e.TargetIdentity).ID }, contains: true},
	"targetIdentity/displayName":   {get: func(e models.ProvisioningObjectSummary) string { return eventIdentity(e.TargetIdentity).DisplayName }, contains: true},
	"targetIdentity/identityType":  {get: func(e models.ProvisioningObjectSummary) string { return eventIdentity(e.TargetIdentity).IdentityType }, contains: true},
	"sourceSystem/displayName":     {get: func(e models.ProvisioningObjectSummary) string { return eventSystem(e.SourceSystem).DisplayName }, contains: true},
	"targetSystem/displayName":     {get: func(e models.ProvisioningObjectSummary) string { return eventSystem(e.TargetSystem).DisplayName }, contains: true},
	"initiatedBy/displayName": {get: func(e models.ProvisioningObjectSummary) string {
		if e.InitiatedBy == nil {
			return ""
		}
		return e.InitiatedBy.DisplayName
	}, contains: true},
}

// The nested objects of an event, or their zero values when Graph sent
// null: a property of a missing object compares as "".
func eventSP(e models.ProvisioningObjectSummary) models.ProvisioningServicePrincipal {
	if e.ServicePrincipal == nil {
		return models.ProvisioningServicePrincipal{}
	}
	return *e.ServicePrincipal
}

func eventIdentity(p *models.ProvisionedIdentity) models.ProvisionedIdentity {
	if p == nil {
		return models.ProvisionedIdentity{}
	}
	return *p
}

func eventSystem(p *models.ProvisioningSystem) models.ProvisioningSystem {
	if p == nil {
		return models.ProvisioningSystem{}
	}
	return *p
}

func (c logClause) match(e models.ProvisioningObjectSummary) bool {
	switch c.property {
	case "activityDateTime":
		return compare(e.ActivityDateTime.Compare(c.time), c.op)
	case "durationInMilliseconds":
		d, ok := e.Duration()
		if !ok {
			return false // null compares as neither greater, less nor equal
		}
		return compare(int64(d/time.Millisecond)-c.number, c.op)
	}
	p := logTextProperties[c.property]
	v, want := p.get(e), c.text
	if p.foldCase {
		v, want = strings.ToLower(v), strings.ToLower(want)
	}
	if c.op == "contains" {
		return strings.Contains(v, want)
	}
	return v == want
}

// compare reports whether a comparison result (negative, 0, positive)
// satisfies op.
func compare[T int | int64](cmp T, op string) bool {
	switch op {
	case "gt":
		return cmp > 0
	case "lt":
		return cmp < 0
	}
	return cmp == 0
}

// canonicalLogProperty returns the canonical name of a property the
// version's logs filter on (names match without regard to case), "" if
// there is none.
func canonicalLogProperty(name, version string) string {
	for _, k := range []string{"activityDateTime", "durationInMilliseconds"} {
		if strings.EqualFold(name, k) {
			return k
		}
	}
	for k, p := range logTextProperties {
		if strings.EqualFold(name, k) && (!p.beta || version == "beta") {
			return k
		}
	}
	return ""
}

// parseLogFilter parses a $filter of clauses joined by "and", each
// "property op literal" or "contains(property,'text')". Anything else (or,
// not, parentheses, other functions such as startswith, other properties
// or operators, contains on a property documented for eq only, a literal
// of the wrong type, beta's properties in v1.0) is refused.
func parseLogFilter(f, version string) ([]logClause, *apiError) {
	invalid := func(format string, args ...any) *apiError {
		return badRequest("Invalid filter clause: %s", fmt.Sprintf(format, args...))
	}
	unknown := func(name string) *apiError {
		return invalid("the property '%s' cannot be filtered on; the provisioning logs filter on id, tenantId, jobId, cycleId, changeId, "+
			"provisioningAction, provisioningStatusInfo/status, servicePrincipal/id, servicePrincipal/displayName, "+
			"sourceIdentity/id, sourceIdentity/displayName, sourceIdentity/identityType, targetIdentity/id, targetIdentity/displayName, "+
			"targetIdentity/identityType, sourceSystem/displayName, targetSystem/displayName, initiatedBy/displayName, "+
			"activityDateTime and durationInMilliseconds (in beta also action and statusInfo/status).", name)
	}
	p := filterLexer{src: f}
	var out []logClause
	for {
		p.space()
		if fn, ok := p.function(); ok {
			if !strings.EqualFold(fn, "contains") {
				return nil, invalid("the function '%s' is not supported; the provisioning logs support contains.", fn)
			}
			name, ok := p.argument()
			canonical := canonicalLogProperty(name, version)
			switch {
			case !ok:
				return nil, invalid("contains takes a property and a string literal, at position %d of '%s'.", p.pos, f)
			case canonical == "":
				return nil, unknown(name)
			case !logTextProperties[canonical].contains:
				return nil, invalid("contains is not supported for %s; use eq.", canonical)
			}
			lit, e := p.stringLiteral()
			if e != "" {
				return nil, invalid("%s", e)
			}
			p.space()
			if !p.take(')') {
				return nil, invalid("')' was expected at position %d of '%s'.", p.pos, f)
			}
			out = append(out, logClause{property: canonical, op: "contains", text: lit})
		} else {
			name, ok := p.word()
			if !ok {
				return nil, invalid("a property name was expected at position %d of '%s'.", p.pos, f)
			}
			canonical := canonicalLogProperty(name, version)
			if canonical == "" {
				return nil, unknown(name)
			}
			op, ok := p.word()
			if !ok {
				return nil, invalid("an operator was expected after '%s'.", name)
			}
			c := logClause{property: canonical, op: op}
			switch canonical {
			case "activityDateTime", "durationInMilliseconds":
				if op != "eq" && op != "gt" && op != "lt" {
					return nil, invalid("the operator '%s' is not supported for %s; use eq, gt or lt.", op, canonical)
				}
				lit, ok := p.word()
				if !ok {
					return nil, invalid("a literal was expected after '%s %s'.", name, op)
				}
				if canonical == "activityDateTime" {
					t, err := time.Parse(time.RFC3339Nano, lit)
					if err != nil {
						return nil, invalid("'%s' is not a DateTimeOffset literal (e.g. 2024-05-01T00:00:00Z).", lit)
					}
					c.time = t
				} else {
					n, err := strconv.ParseInt(lit, 10, 32)
					if err != nil {
						return nil, invalid("'%s' is not an Edm.Int32 literal.", lit)
					}
					c.number = n
				}
			default:
				if op != "eq" {
					if logTextProperties[canonical].contains {
						return nil, invalid("the operator '%s' is not supported for %s; use eq or contains.", op, canonical)
					}
					return nil, invalid("the operator '%s' is not supported for %s; use eq.", op, canonical)
				}
				lit, e := p.stringLiteral()
				if e != "" {
					return nil, invalid("%s", e)
				}
				if !p.done() && p.src[p.pos] != ' ' {
					return nil, invalid("unexpected '%c' after a string literal at position %d of '%s'.", p.src[p.pos], p.pos, f)
				}
				c.text = lit
			}
			out = append(out, c)
		}
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

// take consumes c if it comes next.
func (l *filterLexer) take(c byte) bool {
	if l.pos < len(l.src) && l.src[l.pos] == c {
		l.pos++
		return true
	}
	return false
}

// word reads characters up to the next space.
func (l *filterLexer) word() (string, bool) {
	l.space()
	start := l.pos
	for l.pos < len(l.src) && l.src[l.pos] != ' ' {
		if c := l.src[l.pos]; c == '(' || c == ')' || c == '\'' || c == ',' {
			return "", false
		}
		l.pos++
	}
	return l.src[start:l.pos], l.pos > start
}

// function reads a function name and its opening parenthesis, if a
// function call comes next; otherwise it reads nothing.
func (l *filterLexer) function() (string, bool) {
	end := l.pos
	for end < len(l.src) && (l.src[end] >= 'a' && l.src[end] <= 'z' || l.src[end] >= 'A' && l.src[end] <= 'Z') {
		end++
	}
	if end == l.pos || end >= len(l.src) || l.src[end] != '(' {
		return "", false
	}
	name := l.src[l.pos:end]
	l.pos = end + 1
	return name, true
}

// argument reads a function's first argument, a property path, and the
// comma after it (spaces around either are allowed).
func (l *filterLexer) argument() (string, bool) {
	l.space()
	start := l.pos
	for l.pos < len(l.src) && l.src[l.pos] != ',' && l.src[l.pos] != ' ' {
		if c := l.src[l.pos]; c == '(' || c == ')' || c == '\'' {
			return "", false
		}
		l.pos++
	}
	name := l.src[start:l.pos]
	l.space()
	return name, name != "" && l.take(',')
}

// stringLiteral reads an OData string literal: single quotes, a single
// quote inside doubled. It returns the value, or a description of what is
// wrong; what follows the literal is left to the caller.
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
		return b.String(), ""
	}
	return "", fmt.Sprintf("the string literal starting at position %d of '%s' is not closed.", l.pos, l.src)
}
