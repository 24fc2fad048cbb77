package graphtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/models"
)

// DefaultInboundDelay is how long after a bulkUpload request is accepted
// the fake applies its users and writes their provisioning log events,
// unless Options.InboundDelay says otherwise. Graph takes minutes.
const DefaultInboundDelay = 300 * time.Millisecond

// FakeTenantID is the tenantId of the fake's provisioning log events.
const FakeTenantID = "0d3f6f8e-6f43-4bd5-9d5c-6c7c3c2f4a10"

// InboundUser is a user of the fake's directory as API-driven inbound
// provisioning (bulkUpload) left it, or as AddInboundUser registered it.
type InboundUser struct {
	// ID is the user's object ID in the directory (the targetIdentity of
	// its provisioning log events).
	ID string
	// ExternalID is the matching attribute: the user's identifier in the
	// source (HR) system.
	ExternalID  string
	UserName    string
	DisplayName string
	// Active is false for a disabled account.
	Active bool
	// Attributes are the user's SCIM attributes, flattened as
	// "name.givenName", "emails[type eq \"work\"].value",
	// "urn:...:enterprise:2.0:User:department" (what the fake compares to
	// report modifiedProperties).
	Attributes map[string]string
}

// inbound is the fake's API-driven inbound provisioning state: the users
// bulkUpload created, the records waiting to be applied, and the
// provisioning logs. It lives in Server, under Server.mu.
type inbound struct {
	users     map[string]*InboundUser // by externalId
	pending   []pendingRecord         // in arrival order
	logs      []models.ProvisioningObjectSummary
	uploads   []time.Time // arrival of bulkUpload calls not throttled
	throttled int
	failures  map[string]*InboundFailure // injected, by externalId
}

// InboundFailure is a failure injected for the records of one externalId
// (InjectInboundFailure): the provisioning service fails them, as Graph
// does for a record it cannot apply, with the event's errorInformation
// filled as Graph fills it.
type InboundFailure struct {
	// ExternalID is the record's externalId. Required.
	ExternalID string
	// ErrorCode is the event's errorInformation.errorCode; when empty,
	// "ServiceUnavailable" for a transient failure and
	// "InvalidAttributeValue" for a data error.
	ErrorCode string
	// Transient says whose failure it is: true is the service's own
	// (errorCategory "failure": sending the record again may succeed),
	// false the record's data (errorCategory "nonServiceFailure": it
	// fails again until the data is fixed).
	Transient bool
	// Reason and RecommendedAction are the event's; when empty, the fake
	// writes its own.
	Reason, RecommendedAction string
	// Times is how many of the record's next attempts fail (then it is
	// applied as usual); 0 means every attempt.
	Times int
}

// InjectInboundFailure makes bulkUpload's records of f.ExternalID fail
// f.Times times (0: always), from the next one applied, replacing what
// an earlier call injected for that externalId. It panics without an
// externalId.
func (s *Server) InjectInboundFailure(f InboundFailure) {
	if f.ExternalID == "" {
		panic("graphtest: InjectInboundFailure without an externalId")
	}
	if f.ErrorCode == "" {
		f.ErrorCode = "InvalidAttributeValue"
		if f.Transient {
			f.ErrorCode = "ServiceUnavailable"
		}
	}
	if f.Reason == "" {
		f.Reason = fmt.Sprintf("The provisioning service could not process User '%s' (%s, injected by graphtest).", f.ExternalID, f.ErrorCode)
		if f.Transient {
			f.Reason = fmt.Sprintf("The provisioning service was temporarily unable to process User '%s' (%s, injected by graphtest).", f.ExternalID, f.ErrorCode)
		}
	}
	if f.RecommendedAction == "" {
		f.RecommendedAction = "Correct the record's attribute values in the source system and send it again."
		if f.Transient {
			f.RecommendedAction = "No action is needed: the record is processed again when it is sent again."
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inbound.failures == nil {
		s.inbound.failures = map[string]*InboundFailure{}
	}
	s.inbound.failures[f.ExternalID] = &f
}

// pendingRecord is one operation of an accepted bulkUpload request,
// applied at due.
type pendingRecord struct {
	due         time.Time
	arrived     time.Time
	spID, jobID string
	cycleID     string
	bulkID      string
	user        models.SCIMUser
}

func (s *Server) inboundDelay() time.Duration {
	if s.opts.InboundDelay > 0 {
		return s.opts.InboundDelay
	}
	return DefaultInboundDelay
}

func (s *Server) bulkUploadLimit() (int, time.Duration) {
	n, w := s.opts.BulkUploadLimit, s.opts.BulkUploadWindow
	if n <= 0 {
		n = graphsync.BulkUploadLimit
	}
	if w <= 0 {
		w = graphsync.BulkUploadWindow
	}
	return n, w
}

// AddInboundUser registers a user as if an earlier bulkUpload had
// provisioned it (active unless u.Active is false), so that a test can
// see bulkUpload update or disable it. u.ExternalID is required.
func (s *Server) AddInboundUser(u models.SCIMUser) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inbound.users == nil {
		s.inbound.users = map[string]*InboundUser{}
	}
	attrs := flattenSCIM(u)
	active := u.Active == nil || *u.Active
	attrs["active"] = strconv.FormatBool(active)
	s.inbound.users[u.ExternalID] = &InboundUser{ID: newID(), ExternalID: u.ExternalID, UserName: u.UserName,
		DisplayName: u.DisplayName, Active: active, Attributes: attrs}
}

// InboundUser returns the directory user whose externalId is externalID,
// after applying every bulkUpload record that is due.
func (s *Server) InboundUser(externalID string) (InboundUser, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleInbound(time.Now())
	u, ok := s.inbound.users[externalID]
	if !ok {
		return InboundUser{}, false
	}
	c := *u
	c.Attributes = maps.Clone(u.Attributes)
	return c, true
}

// InboundUsers returns the directory users bulkUpload created or
// AddInboundUser registered, by externalId, after applying every record
// that is due.
func (s *Server) InboundUsers() []InboundUser {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleInbound(time.Now())
	out := make([]InboundUser, 0, len(s.inbound.users))
	for _, u := range s.inbound.users {
		c := *u
		c.Attributes = maps.Clone(u.Attributes)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b InboundUser) int { return strings.Compare(a.ExternalID, b.ExternalID) })
	return out
}

// ProvisioningLogs returns every provisioning log event written so far,
// oldest first, after applying every record that is due.
func (s *Server) ProvisioningLogs() []models.ProvisioningObjectSummary {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleJobs(time.Now())
	s.settleInbound(time.Now())
	return slices.Clone(s.inbound.logs)
}

// PendingInbound returns how many accepted bulkUpload records are not
// yet applied.
func (s *Server) PendingInbound() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleInbound(time.Now())
	return len(s.inbound.pending)
}

// UploadTimes returns when each bulkUpload call that was not throttled
// arrived (see MaxInWindow).
func (s *Server) UploadTimes() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.inbound.uploads)
}

// BulkUploadThrottled returns how many bulkUpload calls got 429 for
// passing the bulkUpload limit (injected faults not counted); Throttled
// counts provisionOnDemand's.
func (s *Server) BulkUploadThrottled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inbound.throttled
}

// isAPIDriven reports whether a job's template is one of API-driven
// inbound provisioning (API2AAD to Entra ID, API2AD to Active Directory),
// the only jobs that take bulkUpload.
func isAPIDriven(templateID string) bool {
	return strings.HasPrefix(strings.ToUpper(templateID), "API2")
}

// bulkUpload enforces the limit, validates the SCIM BulkRequest, queues
// its operations and answers 202 with a Location to the job's logs.
func (h handler) bulkUpload(jobID string) {
	s := h.s
	now := time.Now()
	s.settleInbound(now)
	if limit, window := s.bulkUploadLimit(); !s.opts.DisableBulkUploadLimit {
		cut := now.Add(-window)
		inWindow := 0
		var oldest time.Time
		for _, t := range s.inbound.uploads {
			if t.After(cut) {
				if inWindow == 0 {
					oldest = t
				}
				inWindow++
			}
		}
		if inWindow >= limit {
			s.inbound.throttled++
			wait := oldest.Add(window).Sub(now)
			h.w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
			h.fail(&apiError{http.StatusTooManyRequests, "TooManyRequests",
				fmt.Sprintf("Too many requests. The rate limit for bulkUpload is %d requests per %s.", limit, window)})
			return
		}
		// Every call that is not throttled counts, refused ones too.
		s.inbound.uploads = append(s.inbound.uploads, now)
	}
	j := h.sp.job(jobID)
	if j == nil {
		h.notFound("Job", jobID)
		return
	}
	if !isAPIDriven(j.data.TemplateID) {
		h.fail(badRequest("The job '%s' (template '%s') is not a job of API-driven inbound provisioning; bulkUpload takes jobs of the API2AAD and API2AD templates.", jobID, j.data.TemplateID))
		return
	}
	if mt, _, err := mime.ParseMediaType(h.r.Header.Get("Content-Type")); err != nil || mt != "application/scim+json" {
		h.fail(badRequest("The Content-Type of a bulkUpload request must be 'application/scim+json'; the request has '%s'.", h.r.Header.Get("Content-Type")))
		return
	}
	ops, e := checkBulkRequest(h.body)
	if e != nil {
		h.fail(e)
		return
	}
	if s.inbound.users == nil {
		s.inbound.users = map[string]*InboundUser{}
	}
	cycle := newID()
	due := now.Add(s.inboundDelay())
	for _, op := range ops {
		s.inbound.pending = append(s.inbound.pending, pendingRecord{due: due, arrived: now, spID: h.spID,
			jobID: jobID, cycleID: cycle, bulkID: op.BulkID, user: op.Data})
	}
	h.w.Header().Set("Location", logsLocation(s.URL, h.version, jobID))
	h.w.Header().Set("Content-Length", "0")
	h.w.WriteHeader(http.StatusAccepted)
}

// logsLocation is the Location of an accepted bulkUpload: the job's
// provisioning logs, written as the documentation's example writes it
// ("jobid", a trailing slash) but on the fake's own URL.
func logsLocation(base, version, jobID string) string {
	return base + "/" + version + "/auditLogs/provisioning/?$filter=jobid%20eq%20'" +
		url.PathEscape(strings.ReplaceAll(jobID, "'", "''")) + "'"
}

// checkBulkRequest validates a bulkUpload body as Graph's documentation
// describes it and returns its operations.
func checkBulkRequest(body []byte) ([]models.BulkOperation, *apiError) {
	o, e := decodeObject(body, "The request body")
	if e != nil {
		return nil, e
	}
	for _, name := range o.names() {
		switch name {
		case "schemas", "Operations", "failOnErrors":
		default:
			return nil, badRequest("The member '%s' is not part of a SCIM BulkRequest (schemas, Operations, failOnErrors).", name)
		}
	}
	var schemas []string
	if err := json.Unmarshal(o["schemas"], &schemas); err != nil || len(schemas) != 1 || schemas[0] != models.BulkRequestSchema {
		return nil, badRequest("schemas must be [\"%s\"].", models.BulkRequestSchema)
	}
	if v, ok := o["failOnErrors"]; ok && !isNull(v) {
		var n int
		if err := json.Unmarshal(v, &n); err != nil || n < 1 {
			return nil, badRequest("failOnErrors must be null or a positive integer.")
		}
	}
	var raws []json.RawMessage
	if v, ok := o["Operations"]; !ok || isNull(v) || json.Unmarshal(v, &raws) != nil {
		return nil, badRequest("Operations must be an array of operations.")
	}
	if len(raws) == 0 || len(raws) > models.MaxBulkOperations {
		return nil, badRequest("A bulkUpload request holds 1 to %d operations; this one has %d.", models.MaxBulkOperations, len(raws))
	}
	ops := make([]models.BulkOperation, len(raws))
	seen := map[string]int{}
	for i, raw := range raws {
		path := fmt.Sprintf("Operations[%d]", i)
		oo, e := decodeObject(raw, path)
		if e != nil {
			return nil, e
		}
		for _, name := range oo.names() {
			switch name {
			case "method", "bulkId", "path", "data":
			default:
				return nil, badRequest("%s: the member '%s' is not part of a bulk operation (method, bulkId, path, data).", path, name)
			}
		}
		op := &ops[i]
		for _, f := range []struct {
			name string
			dst  *string
		}{{"method", &op.Method}, {"bulkId", &op.BulkID}, {"path", &op.Path}} {
			if v, ok := oo[f.name]; !ok || json.Unmarshal(v, f.dst) != nil {
				return nil, badRequest("%s.%s is required and must be a string.", path, f.name)
			}
		}
		switch {
		case op.Method != models.BulkMethodPost:
			return nil, badRequest("%s.method is '%s'; bulkUpload takes only POST.", path, op.Method)
		case strings.TrimSpace(op.BulkID) == "":
			return nil, badRequest("%s.bulkId must not be empty.", path)
		case op.Path != models.BulkPathUsers:
			return nil, badRequest("%s.path is '%s'; bulkUpload takes only /Users.", path, op.Path)
		}
		if j, dup := seen[op.BulkID]; dup {
			return nil, badRequest("%s.bulkId '%s' is also the bulkId of Operations[%d].", path, op.BulkID, j)
		}
		seen[op.BulkID] = i
		data, ok := oo["data"]
		if !ok || isNull(data) {
			return nil, badRequest("%s.data is required.", path)
		}
		if err := json.Unmarshal(data, &op.Data); err != nil {
			return nil, badRequest("%s.data is not a SCIM user: %v.", path, err)
		}
		for _, want := range []string{models.SCIMUserSchema, models.SCIMEnterpriseUserSchema} {
			if !slices.ContainsFunc(op.Data.Schemas, func(s string) bool { return strings.EqualFold(s, want) }) {
				return nil, badRequest("%s.data.schemas must list '%s'.", path, want)
			}
		}
		for k := range op.Data.Extensions {
			if !slices.ContainsFunc(op.Data.Schemas, func(s string) bool { return strings.EqualFold(s, k) }) {
				return nil, badRequest("%s.data.schemas must list '%s', the namespace of attributes the user carries.", path, k)
			}
		}
		if strings.TrimSpace(op.Data.ExternalID) == "" {
			return nil, badRequest("%s.data.externalId is required.", path)
		}
	}
	return ops, nil
}

// settleInbound applies the records that are due at now, in arrival
// order. Called with s.mu held; every request and every accessor calls
// it, so that no timer or goroutine is needed and virtual time (synctest)
// works.
func (s *Server) settleInbound(now time.Time) {
	n := 0
	for n < len(s.inbound.pending) && !s.inbound.pending[n].due.After(now) {
		s.applyRecord(s.inbound.pending[n])
		n++
	}
	if n > 0 {
		s.inbound.pending = slices.Delete(s.inbound.pending, 0, n)
	}
}

// applyRecord creates, updates or disables the record's user and writes
// its provisioning log event.
func (s *Server) applyRecord(p pendingRecord) {
	u := p.user
	at := graphTime(p.due)
	ev := models.ProvisioningObjectSummary{
		ID: newID(), ActivityDateTime: at, TenantID: FakeTenantID, JobID: p.jobID, CycleID: p.cycleID,
		ChangeID: newID(), DurationInMilliseconds: p.due.Sub(p.arrived).Milliseconds(),
		ServicePrincipal: &models.ProvisioningServicePrincipal{ID: p.spID, DisplayName: "API-driven provisioning to Microsoft Entra ID"},
		SourceSystem:     &models.ProvisioningSystem{ID: p.jobID, DisplayName: "API", Details: models.StringMap{}},
		TargetSystem: &models.ProvisioningSystem{ID: "e69d4bd2-2da2-483e-bc49-aad4080b91b3", DisplayName: "Azure Active Directory",
			Details: models.StringMap{"ServicePrincipalId": p.spID}},
		InitiatedBy: &models.Initiator{ID: "", DisplayName: "Azure AD Provisioning Service", InitiatorType: models.InitiatorSystem},
		SourceIdentity: &models.ProvisionedIdentity{ID: u.ExternalID, DisplayName: u.DisplayName, IdentityType: "User",
			Details: models.StringMap{"bulkId": p.bulkID}},
		ModifiedProperties: []models.ModifiedProperty{},
	}
	step := func(name string, typ models.LogStepType, st models.LogStatus, desc string, details models.StringMap) models.ProvisioningLogStep {
		if details == nil {
			details = models.StringMap{}
		}
		return models.ProvisioningLogStep{Name: name, ProvisioningStepType: typ, Status: st, Description: desc, Details: details}
	}
	ev.ProvisioningSteps = []models.ProvisioningLogStep{
		step("EntryImport", models.LogStepImport, models.LogStatusSuccess,
			fmt.Sprintf("Received User '%s' from the bulkUpload request", u.ExternalID), models.StringMap{"bulkId": p.bulkID}),
	}
	existing := s.inbound.users[u.ExternalID]
	failAs := func(category models.LogErrorCategory, code, reason, action string) {
		ev.ProvisioningAction = models.LogActionOther
		ev.ProvisioningStatusInfo = &models.ProvisioningStatusInfo{Status: models.LogStatusFailure,
			ErrorInformation: &models.ProvisioningErrorInfo{ErrorCode: code, Reason: reason,
				ErrorCategory: category, RecommendedAction: action}}
		ev.ProvisioningSteps = append(ev.ProvisioningSteps,
			step("EntryExport", models.LogStepExport, models.LogStatusFailure, reason, nil))
		s.inbound.logs = append(s.inbound.logs, ev)
	}
	fail := func(code, reason, action string) { failAs(models.LogErrorNonServiceFailure, code, reason, action) }
	if f := s.inbound.failures[u.ExternalID]; f != nil {
		if f.Times > 0 {
			if f.Times--; f.Times == 0 {
				delete(s.inbound.failures, u.ExternalID)
			}
		}
		category := models.LogErrorNonServiceFailure
		if f.Transient {
			category = models.LogErrorFailure
		}
		failAs(category, f.ErrorCode, f.Reason, f.RecommendedAction)
		return
	}
	matchDesc := fmt.Sprintf("No User matched externalId '%s' in Azure Active Directory", u.ExternalID)
	if existing != nil {
		matchDesc = fmt.Sprintf("User '%s' matched externalId '%s' in Azure Active Directory", existing.ID, u.ExternalID)
	}
	ev.ProvisioningSteps = append(ev.ProvisioningSteps,
		step("EntrySynchronizationScoping", models.LogStepScoping, models.LogStatusSuccess, "User is in scope of the job", nil),
		step("EntryMatching", models.LogStepMatching, models.LogStatusSuccess, matchDesc, nil))

	userName := u.UserName
	if existing == nil && strings.TrimSpace(userName) == "" {
		fail("AttributeValueRequired", fmt.Sprintf("User '%s' cannot be created without a userName (mapped to userPrincipalName).", u.ExternalID),
			"Send a userName for users that do not exist yet, or map another attribute to userPrincipalName.")
		return
	}
	if userName != "" {
		for _, other := range s.inbound.users {
			if other.ExternalID != u.ExternalID && strings.EqualFold(other.UserName, userName) {
				fail("AzureActiveDirectoryConflictEntries",
					fmt.Sprintf("The userName '%s' of User '%s' is already the userName of the User with externalId '%s'.", userName, u.ExternalID, other.ExternalID),
					"Give each user a unique userName, or correct the externalId of the record.")
				return
			}
		}
	}
	attrs := flattenSCIM(u)
	var before map[string]string
	if existing != nil {
		before = existing.Attributes
	}
	keys := make([]string, 0, len(attrs))
	for k, v := range attrs {
		if old, ok := before[k]; !ok || old != v {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		nv := attrs[k]
		mp := models.ModifiedProperty{DisplayName: k, NewValue: &nv}
		if old, ok := before[k]; ok {
			mp.OldValue = &old
		}
		ev.ModifiedProperties = append(ev.ModifiedProperties, mp)
	}
	active := u.Active == nil || *u.Active
	var exportName, exportDesc string
	switch {
	case existing == nil:
		existing = &InboundUser{ID: newID(), ExternalID: u.ExternalID, Attributes: map[string]string{}}
		s.inbound.users[u.ExternalID] = existing
		ev.ProvisioningAction = models.LogActionCreate
		exportName, exportDesc = "EntryExportAdd", fmt.Sprintf("User '%s' was created in Azure Active Directory", userName)
	case existing.Active && u.Active != nil && !*u.Active:
		ev.ProvisioningAction = models.LogActionDisable
		exportName, exportDesc = "EntryExportUpdateSoftDelete", fmt.Sprintf("User '%s' was disabled in Azure Active Directory", existing.UserName)
	case len(keys) == 0 && (u.Active == nil || *u.Active == existing.Active):
		ev.ProvisioningAction = models.LogActionOther
		ev.ProvisioningStatusInfo = &models.ProvisioningStatusInfo{Status: models.LogStatusSkipped}
		ev.ProvisioningSteps = append(ev.ProvisioningSteps, step("EntrySynchronizationSkip", models.LogStepExport, models.LogStatusSkipped,
			"The state of the user in both the source and target systems already match.", models.StringMap{"SkipReason": "RedundantExport"}))
		ev.TargetIdentity = &models.ProvisionedIdentity{ID: existing.ID, DisplayName: existing.DisplayName, IdentityType: "User", Details: models.StringMap{}}
		s.inbound.logs = append(s.inbound.logs, ev)
		return
	default:
		ev.ProvisioningAction = models.LogActionUpdate
		exportName, exportDesc = "EntryExportUpdate", fmt.Sprintf("User '%s' was updated in Azure Active Directory", existing.UserName)
	}
	if u.Active != nil {
		existing.Active = *u.Active
	} else if ev.ProvisioningAction == models.LogActionCreate {
		existing.Active = active
	}
	if userName != "" {
		existing.UserName = userName
	}
	if u.DisplayName != "" {
		existing.DisplayName = u.DisplayName
	}
	for k, v := range attrs {
		existing.Attributes[k] = v
	}
	ev.ProvisioningStatusInfo = &models.ProvisioningStatusInfo{Status: models.LogStatusSuccess}
	ev.ProvisioningSteps = append(ev.ProvisioningSteps, step(exportName, models.LogStepExport, models.LogStatusSuccess, exportDesc,
		models.StringMap{"ReportableIdentifier": existing.UserName}))
	ev.TargetIdentity = &models.ProvisionedIdentity{ID: existing.ID, DisplayName: existing.DisplayName, IdentityType: "User", Details: models.StringMap{}}
	s.inbound.logs = append(s.inbound.logs, ev)
}

// flattenSCIM returns a user's attributes as path -> value, with the
// attribute paths of SCIM filters ("emails[type eq \"work\"].value") and
// extension URNs ("urn:...:User:department").
func flattenSCIM(u models.SCIMUser) map[string]string {
	out := map[string]string{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				walk(p, e)
			}
		case []any:
			for i, e := range x {
				key := strconv.Itoa(i)
				if m, ok := e.(map[string]any); ok {
					if t, ok := m["type"].(string); ok && t != "" {
						key = `type eq "` + t + `"`
					}
					m = maps.Clone(m)
					delete(m, "type")
					e = m
				}
				walk(prefix+"["+key+"]", e)
			}
		case nil:
		default:
			out[prefix] = fmt.Sprint(x)
		}
	}
	b, _ := json.Marshal(u)
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	_ = d.Decode(&m)
	delete(m, "schemas")
	for k, v := range m {
		if hasURN(k) {
			if attrs, ok := v.(map[string]any); ok {
				for ak, av := range attrs {
					walk(k+":"+ak, av)
				}
				continue
			}
		}
		walk(k, v)
	}
	return out
}

func hasURN(s string) bool { return strings.HasPrefix(strings.ToLower(s), "urn:") }
