package graphtest

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/graphsync/graphsync/expression"
)

// A schema is served in one of two ways. Until a job's schema is replaced
// with a PUT, it is generated from the job's rules (generateSchema), as a
// template's always is. After a PUT, the body is kept as sent and served
// back, and the job's rules are derived from it (rulesFromSchema), so that
// what provisionOnDemand accepts is what the schema says.

// schemaContext is the @odata.context of a job's or template's schema:
// owner is "jobs('id')" or "templates('id')".
func (h handler) schemaContext(owner string) string {
	return odataContext(h.version, spSegment(h.spID)+"/synchronization/"+owner+"/schema/$entity")
}

func quoteKey(id string) string { return "'" + strings.ReplaceAll(id, "'", "''") + "'" }

// jobSchema serves GET, PUT and DELETE (reset) on a job's schema.
func (h handler) jobSchema(id string) {
	j := h.sp.job(id)
	if j == nil {
		h.notFound("Job", id)
		return
	}
	context := h.schemaContext("jobs(" + quoteKey(id) + ")")
	switch h.r.Method {
	case http.MethodGet:
		if j.schema == nil {
			h.json(http.StatusOK, generateSchema(id, j.rules, context))
			return
		}
		// The schema as it was PUT, with the context Graph writes.
		var o map[string]json.RawMessage
		_ = json.Unmarshal(j.schema, &o) // checked when it was PUT
		c, _ := json.Marshal(context)
		o["@odata.context"] = c
		h.json(http.StatusOK, o)
	case http.MethodPut:
		rules, e := rulesFromSchema(h.body)
		if e != nil {
			h.fail(e)
			return
		}
		j.schema = append([]byte(nil), h.body...)
		j.rules = rules
		h.noContent()
	case http.MethodDelete:
		// Back to the template's schema, whatever was PUT.
		j.schema, j.rules = nil, nil
		if t := h.template(j.data.TemplateID); t != nil {
			j.rules = cloneRules(t.rules)
		}
		h.noContent()
	default:
		h.methodNotAllowed()
	}
}

// rulesFromSchema checks a PUT schema and returns the rules it holds: a
// JSON object with a synchronizationRules array, each rule an object with
// an id, each attribute mapping's expression text one that parses.
func rulesFromSchema(body []byte) ([]Rule, *apiError) {
	o, e := decodeObject(body, "The schema")
	if e != nil {
		return nil, e
	}
	raw, ok := o["synchronizationRules"]
	if !ok || isNull(raw) {
		return nil, badRequest("The schema has no synchronizationRules.")
	}
	var in []struct {
		ID                  *string `json:"id"`
		Name                string  `json:"name"`
		SourceDirectoryName string  `json:"sourceDirectoryName"`
		TargetDirectoryName string  `json:"targetDirectoryName"`
		ObjectMappings      []struct {
			SourceObjectName  string `json:"sourceObjectName"`
			TargetObjectName  string `json:"targetObjectName"`
			AttributeMappings []struct {
				TargetAttributeName string `json:"targetAttributeName"`
				Source              *struct {
					Expression string `json:"expression"`
				} `json:"source"`
			} `json:"attributeMappings"`
		} `json:"objectMappings"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, badRequest("The schema's synchronizationRules are not an array of rules: %v.", err)
	}
	rules := make([]Rule, len(in))
	for i, r := range in {
		if r.ID == nil || strings.TrimSpace(*r.ID) == "" {
			return nil, badRequest("synchronizationRules[%d] has no id.", i)
		}
		rules[i] = Rule{ID: *r.ID, Name: r.Name, SourceDirectoryName: r.SourceDirectoryName, TargetDirectoryName: r.TargetDirectoryName}
		for j, m := range r.ObjectMappings {
			rules[i].Objects = append(rules[i].Objects, ObjectMapping{SourceObjectName: m.SourceObjectName, TargetObjectName: m.TargetObjectName})
			for k, am := range m.AttributeMappings {
				if am.Source == nil || am.Source.Expression == "" {
					continue
				}
				var se *expression.SyntaxError
				if _, err := expression.Parse(am.Source.Expression); errors.As(err, &se) {
					return nil, badRequest("The expression of synchronizationRules[%d].objectMappings[%d].attributeMappings[%d] (target attribute '%s') does not parse: %s",
						i, j, k, am.TargetAttributeName, syntaxMessage(se))
				}
			}
		}
	}
	return rules, nil
}

// wireSchema is a synchronizationSchema as Graph writes it.
type wireSchema struct {
	Context              string          `json:"@odata.context,omitempty"`
	ID                   string          `json:"id"`
	Version              string          `json:"version"`
	SynchronizationRules []wireRule      `json:"synchronizationRules"`
	Directories          []wireDirectory `json:"directories"`
}

type wireRule struct {
	ContainerFilter     *struct{}          `json:"containerFilter"`
	Editable            bool               `json:"editable"`
	GroupFilter         *struct{}          `json:"groupFilter"`
	ID                  string             `json:"id"`
	Metadata            []wireMetadataItem `json:"metadata"`
	Name                string             `json:"name"`
	ObjectMappings      []wireObjectMap    `json:"objectMappings"`
	Priority            int                `json:"priority"`
	SourceDirectoryName string             `json:"sourceDirectoryName"`
	TargetDirectoryName string             `json:"targetDirectoryName"`
}

type wireObjectMap struct {
	AttributeMappings []wireAttributeMapping `json:"attributeMappings"`
	Enabled           bool                   `json:"enabled"`
	FlowTypes         string                 `json:"flowTypes"`
	Metadata          []wireMetadataItem     `json:"metadata"`
	Name              string                 `json:"name"`
	Scope             *struct{}              `json:"scope"`
	SourceObjectName  string                 `json:"sourceObjectName"`
	TargetObjectName  string                 `json:"targetObjectName"`
}

type wireAttributeMapping struct {
	DefaultValue            *string     `json:"defaultValue"`
	ExportMissingReferences bool        `json:"exportMissingReferences"`
	FlowBehavior            string      `json:"flowBehavior"`
	FlowType                string      `json:"flowType"`
	MatchingPriority        int         `json:"matchingPriority"`
	Source                  *wireSource `json:"source"`
	TargetAttributeName     string      `json:"targetAttributeName"`
}

// wireSource is an attributeMappingSource: an attribute, a constant, or a
// function of other sources.
type wireSource struct {
	Expression string      `json:"expression"`
	Name       string      `json:"name"`
	Parameters []wireParam `json:"parameters"`
	Type       string      `json:"type"`
}

type wireParam struct {
	Key   string      `json:"key"`
	Value *wireSource `json:"value"`
}

type wireDirectory struct {
	Discoverabilities string             `json:"discoverabilities"`
	DiscoveryDateTime *string            `json:"discoveryDateTime"`
	ID                string             `json:"id"`
	Metadata          []wireMetadataItem `json:"metadata"`
	Name              string             `json:"name"`
	Objects           []wireObject       `json:"objects"`
	ReadOnly          bool               `json:"readOnly"`
	Version           *string            `json:"version"`
}

type wireObject struct {
	Attributes    []wireAttribute    `json:"attributes"`
	Metadata      []wireMetadataItem `json:"metadata"`
	Name          string             `json:"name"`
	SupportedAPIs []string           `json:"supportedApis"`
}

type wireAttribute struct {
	Anchor            bool               `json:"anchor"`
	CaseExact         bool               `json:"caseExact"`
	DefaultValue      *string            `json:"defaultValue"`
	FlowNullValues    bool               `json:"flowNullValues"`
	Metadata          []wireMetadataItem `json:"metadata"`
	Multivalued       bool               `json:"multivalued"`
	Mutability        string             `json:"mutability"`
	Name              string             `json:"name"`
	ReferencedObjects []struct{}         `json:"referencedObjects"`
	Required          bool               `json:"required"`
	Type              string             `json:"type"`
}

func attribute(name string) *wireSource {
	return &wireSource{Expression: "[" + name + "]", Name: name, Parameters: []wireParam{}, Type: "Attribute"}
}

func constant(value string) *wireSource {
	return &wireSource{Expression: `"` + value + `"`, Name: value, Parameters: []wireParam{}, Type: "Constant"}
}

// function is a call of name with the parameters, given as key, value
// pairs.
func function(name string, params ...any) *wireSource {
	s := &wireSource{Name: name, Type: "Function", Parameters: []wireParam{}}
	args := make([]string, 0, len(params)/2)
	for i := 0; i+1 < len(params); i += 2 {
		v := params[i+1].(*wireSource)
		s.Parameters = append(s.Parameters, wireParam{Key: params[i].(string), Value: v})
		args = append(args, v.Expression)
	}
	s.Expression = name + "(" + strings.Join(args, ", ") + ")"
	return s
}

func mapAttr(target string, source *wireSource, matching int) wireAttributeMapping {
	return wireAttributeMapping{FlowBehavior: "FlowWhenChanged", FlowType: "Always",
		MatchingPriority: matching, Source: source, TargetAttributeName: target}
}

// attributeMappings are the mappings generated for objects named source:
// those of Entra ID → SCIM users and groups, or two for other objects.
func attributeMappings(source string) []wireAttributeMapping {
	switch strings.ToLower(source) {
	case strings.ToLower(InboundSourceObject):
		return inboundAttributeMappings()
	case "user":
		return []wireAttributeMapping{
			mapAttr("userName", attribute("userPrincipalName"), 1),
			mapAttr("active", function("Not", "source", attribute("IsSoftDeleted")), 0),
			mapAttr("displayName", attribute("displayName"), 0),
			mapAttr(`emails[type eq "work"].value`, attribute("mail"), 0),
			mapAttr("name.givenName", attribute("givenName"), 0),
			mapAttr("name.familyName", attribute("surname"), 0),
			mapAttr("name.formatted", function("Join", "separator", constant(" "),
				"source1", attribute("givenName"), "source2", attribute("surname")), 0),
			mapAttr("externalId", attribute("mailNickname"), 0),
		}
	case "group":
		return []wireAttributeMapping{
			mapAttr("displayName", attribute("displayName"), 1),
			mapAttr("externalId", attribute("objectId"), 0),
			mapAttr("members", attribute("members"), 0),
		}
	}
	return []wireAttributeMapping{
		mapAttr("displayName", attribute("displayName"), 1),
		mapAttr("externalId", attribute("objectId"), 0),
	}
}

// sourceAttributes appends the attributes s reads.
func sourceAttributes(names []string, s *wireSource) []string {
	if s == nil {
		return names
	}
	if s.Type == "Attribute" {
		return append(names, s.Name)
	}
	for _, p := range s.Parameters {
		names = sourceAttributes(names, p.Value)
	}
	return names
}

// generateSchema is the schema Graph would show for rules: each rule with
// its object mappings and their attribute mappings, and the directories
// the rules name, with the objects and attributes the mappings read and
// write. id identifies the schema (the job's or template's ID).
func generateSchema(id string, rules []Rule, context string) wireSchema {
	s := wireSchema{Context: context, ID: id, SynchronizationRules: []wireRule{}, Directories: []wireDirectory{}}
	dirs := map[string]int{} // index in s.Directories, by name
	addAttrs := func(dir, object string, attrs []string) {
		n, ok := dirs[dir]
		if !ok {
			n = len(s.Directories)
			dirs[dir] = n
			s.Directories = append(s.Directories, wireDirectory{Discoverabilities: "None", ID: stableID("directory", dir),
				Metadata: []wireMetadataItem{}, Name: dir, Objects: []wireObject{}})
		}
		d := &s.Directories[n]
		var o *wireObject
		for i := range d.Objects {
			if d.Objects[i].Name == object {
				o = &d.Objects[i]
			}
		}
		if o == nil {
			d.Objects = append(d.Objects, wireObject{Attributes: []wireAttribute{}, Metadata: []wireMetadataItem{},
				Name: object, SupportedAPIs: []string{}})
			o = &d.Objects[len(d.Objects)-1]
		}
	next:
		for _, a := range attrs {
			for _, have := range o.Attributes {
				if have.Name == a {
					continue next
				}
			}
			o.Attributes = append(o.Attributes, attributeDefinition(a))
		}
	}
	// Directories and objects are listed in order of first mention.
	for i, r := range rules {
		w := wireRule{Editable: true, ID: r.ID, Metadata: []wireMetadataItem{}, Name: r.Name,
			ObjectMappings: []wireObjectMap{}, Priority: i + 1,
			SourceDirectoryName: r.SourceDirectoryName, TargetDirectoryName: r.TargetDirectoryName}
		for _, m := range r.Objects {
			am := attributeMappings(m.SourceObjectName)
			var src, dst []string
			for _, a := range am {
				src = sourceAttributes(src, a.Source)
				dst = append(dst, a.TargetAttributeName)
			}
			w.ObjectMappings = append(w.ObjectMappings, wireObjectMap{
				AttributeMappings: am, Enabled: true, FlowTypes: "Add, Update, Delete",
				Metadata:         []wireMetadataItem{{Key: "Disposition", Value: `"Normal"`}, {Key: "Unsynchronized", Value: "false"}},
				Name:             fmt.Sprintf("Provision %s %s", r.SourceDirectoryName, m.SourceObjectName),
				SourceObjectName: m.SourceObjectName, TargetObjectName: m.TargetObjectName,
			})
			addAttrs(r.SourceDirectoryName, m.SourceObjectName, append(src, sourceObjectAttributes(m.SourceObjectName)...))
			addAttrs(r.TargetDirectoryName, m.TargetObjectName, dst)
		}
		s.SynchronizationRules = append(s.SynchronizationRules, w)
	}
	s.Version = "graphtest:" + stableID("version", fmt.Sprint(rules))[:8]
	return s
}

// attributeDefinition describes an attribute a generated mapping reads or
// writes.
func attributeDefinition(name string) wireAttribute {
	a := wireAttribute{Metadata: []wireMetadataItem{}, Mutability: "ReadWrite", Name: name,
		ReferencedObjects: []struct{}{}, Type: "String"}
	switch name {
	case "IsSoftDeleted", "active":
		a.Type = "Boolean"
	case "members":
		a.Type, a.Multivalued = "Reference", true
	case "objectId":
		a.Anchor, a.Mutability, a.Required = true, "ReadOnly", true
	case "userName", "userPrincipalName":
		a.Required = true
	}
	return a
}

// stableID is a GUID-shaped ID derived from kind and name, the same on
// every call.
func stableID(kind, name string) string {
	sum := sha1.Sum([]byte(kind + "\x00" + name))
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// discoverDirectory serves POST .../jobs/{id}/schema/directories/{dir}/discover,
// which takes no body: the directory of the job's schema (generated, or
// as PUT) with the time of this discovery and a new version. The schema
// itself is not changed.
func (h handler) discoverDirectory(jobID, directoryID string) {
	j := h.sp.job(jobID)
	if j == nil {
		h.notFound("Job", jobID)
		return
	}
	if len(bytes.TrimSpace(h.body)) != 0 {
		h.fail(badRequest("discover takes no request body."))
		return
	}
	var dirs []map[string]json.RawMessage
	if j.schema == nil {
		b, _ := json.Marshal(generateSchema(jobID, j.rules, "").Directories)
		_ = json.Unmarshal(b, &dirs)
	} else {
		var s struct {
			Directories []map[string]json.RawMessage `json:"directories"`
		}
		_ = json.Unmarshal(j.schema, &s) // a directory that does not decode is not found
		dirs = s.Directories
	}
	for _, d := range dirs {
		var id string
		if json.Unmarshal(d["id"], &id) != nil || id != directoryID {
			continue
		}
		d["discoveryDateTime"], _ = json.Marshal(graphTime(time.Now()))
		d["version"], _ = json.Marshal(newID())
		if _, ok := d["discoverabilities"]; !ok || isNull(d["discoverabilities"]) || string(d["discoverabilities"]) == `"None"` {
			d["discoverabilities"] = json.RawMessage(`"AttributeNames, AttributeDataTypes"`)
		}
		h.json(http.StatusOK, d)
		return
	}
	h.notFound("Directory", directoryID)
}
