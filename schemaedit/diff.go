package schemaedit

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/graphsync/graphsync/internal/printable"
	"github.com/graphsync/graphsync/models"
)

// ChangeOp says what happened to the part of the schema a Change names.
type ChangeOp string

// The operations.
const (
	Added   ChangeOp = "added"
	Removed ChangeOp = "removed"
	Changed ChangeOp = "changed"
)

// ChangeKind names the part of the schema a Change is about.
type ChangeKind string

// The parts of a schema Diff compares. Each is matched between the two
// schemas by its key: a rule by its ID (its name when it has none), an
// object mapping by its source and target object names, an attribute
// mapping by its target attribute, a directory, an object and an
// attribute definition by name. Two parts with the same key are matched
// in order.
const (
	// KindSchema: the schema's own members (the order of its rules or
	// directories included; its version and @odata.context are not
	// compared).
	KindSchema ChangeKind = "schema"
	// KindRule: a synchronization rule, or its own members (name,
	// priority, metadata, filters, the order of its object mappings).
	KindRule ChangeKind = "rule"
	// KindObjectMapping: an object mapping, or its own members (enabled,
	// flowTypes, name, metadata, the order of its attribute mappings).
	KindObjectMapping ChangeKind = "objectMapping"
	// KindScope: an object mapping's scoping filter.
	KindScope ChangeKind = "scope"
	// KindAttributeMapping: an attribute mapping.
	KindAttributeMapping ChangeKind = "attributeMapping"
	// KindDirectory: a directory definition, or its own members.
	KindDirectory ChangeKind = "directory"
	// KindObject: an object of a directory, or its own members.
	KindObject ChangeKind = "object"
	// KindAttribute: an attribute definition of an object.
	KindAttribute ChangeKind = "attribute"
)

// A Change is one difference between two schemas. The names say where it
// is: the rule (RuleID, RuleName) and object mapping (SourceObject,
// TargetObject) of a rule, object mapping, scope or attribute mapping
// (TargetAttribute); the directory, object and attribute of a definition.
// It encodes to JSON with the names below; empty ones are left out.
type Change struct {
	Op   ChangeOp   `json:"op"`
	Kind ChangeKind `json:"kind"`

	RuleID          string `json:"ruleId,omitempty"`
	RuleName        string `json:"ruleName,omitempty"`
	SourceObject    string `json:"sourceObjectName,omitempty"`
	TargetObject    string `json:"targetObjectName,omitempty"`
	TargetAttribute string `json:"targetAttributeName,omitempty"`

	Directory string `json:"directory,omitempty"`
	Object    string `json:"object,omitempty"`
	Attribute string `json:"attribute,omitempty"`

	// Old and New are an attribute mapping as it was and as it becomes
	// (Old nil when added, New nil when removed): its expression side by
	// side.
	Old *Mapping `json:"old,omitempty"`
	New *Mapping `json:"new,omitempty"`

	// Fields are the members that changed, for Changed: by name, in
	// order of name, with their old and new JSON values.
	Fields []Field `json:"fields,omitempty"`
}

// A Field is one member that changed: its JSON member name (or "order of
// NAME", with the keys in order, when the same parts of a list come in
// another order) and its values as JSON, each nil when absent.
type Field struct {
	Name string          `json:"name"`
	Old  json.RawMessage `json:"old,omitempty"`
	New  json.RawMessage `json:"new,omitempty"`
}

// Diff returns the changes that turn old into new: every difference of
// the JSON the two schemas encode to, but for the schema's version (Graph
// sets it) and @odata.context (it names where the schema was read). A
// part added or removed is one Change, whatever it holds; a part changed
// is a Change for its own members, then one for each part below it that
// changed. They come in a stable order: the schema's own members, then
// each rule in new's order (its members, then its object mappings in
// new's order: members, scope, attribute mappings in new's order, then
// those removed in old's order), the rules removed in old's order, then
// the directories likewise. No change means nil.
//
// The error is a schema's Extra holding something that is not JSON.
func Diff(old, new models.SynchronizationSchema) ([]Change, error) {
	a, err := tree(old)
	if err != nil {
		return nil, fmt.Errorf("schemaedit: the old schema: %w", err)
	}
	b, err := tree(new)
	if err != nil {
		return nil, fmt.Errorf("schemaedit: the new schema: %w", err)
	}
	d := &differ{old: &old, new: &new}
	d.schema(a, b)
	return d.out, nil
}

func tree(s models.SynchronizationSchema) (map[string]any, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	v, err := decodeTree(b)
	if err != nil {
		return nil, err
	}
	o, _ := v.(map[string]any) // a null schema (all zero) compares as {}
	return o, nil
}

type differ struct {
	old, new *models.SynchronizationSchema
	out      []Change
}

// ignored are the schema's members Diff does not compare.
var ignored = []string{"version", "@odata.context"}

func (d *differ) schema(a, b map[string]any) {
	rules := matchList(a, b, "synchronizationRules", ruleKey)
	dirs := matchList(a, b, "directories", nameKey)
	fs := fields(a, b, append([]string{"synchronizationRules", "directories"}, ignored...)...)
	fs = rules.fields(fs)
	fs = dirs.fields(fs)
	if len(fs) > 0 {
		d.out = append(d.out, Change{Op: Changed, Kind: KindSchema, Fields: sortFields(fs)})
	}
	for _, p := range rules.pairs {
		d.rule(p)
	}
	for _, p := range dirs.pairs {
		d.directory(p)
	}
}

func (d *differ) rule(p pair) {
	at := Change{Kind: KindRule}
	at.RuleID, at.RuleName = str(p.either(), "id"), str(p.either(), "name")
	if d.addedOrRemoved(at, p) {
		return
	}
	oms := matchList(p.a.v, p.b.v, "objectMappings", objectMappingKey)
	if fs := oms.fields(fields(p.a.v, p.b.v, "objectMappings")); len(fs) > 0 {
		at.Op, at.Fields = Changed, sortFields(fs)
		d.out = append(d.out, at)
	}
	ra, rb := &d.old.SynchronizationRules[p.a.idx], &d.new.SynchronizationRules[p.b.idx]
	for _, q := range oms.pairs {
		var oa, ob *models.ObjectMapping
		if q.a != nil {
			oa = &ra.ObjectMappings[q.a.idx]
		}
		if q.b != nil {
			ob = &rb.ObjectMappings[q.b.idx]
		}
		d.objectMapping(at, q, oa, ob)
	}
}

func (d *differ) objectMapping(rule Change, p pair, oa, ob *models.ObjectMapping) {
	at := Change{Kind: KindObjectMapping, RuleID: rule.RuleID, RuleName: rule.RuleName,
		SourceObject: str(p.either(), "sourceObjectName"), TargetObject: str(p.either(), "targetObjectName")}
	if d.addedOrRemoved(at, p) {
		return
	}
	ams := matchList(p.a.v, p.b.v, "attributeMappings", targetKey)
	if fs := ams.fields(fields(p.a.v, p.b.v, "attributeMappings", "scope")); len(fs) > 0 {
		c := at
		c.Op, c.Fields = Changed, sortFields(fs)
		d.out = append(d.out, c)
	}
	if f, ok := field(p.a.v, p.b.v, "scope"); ok {
		c := at
		c.Op, c.Kind, c.Fields = Changed, KindScope, []Field{f}
		d.out = append(d.out, c)
	}
	for _, q := range ams.pairs {
		c := at
		c.Kind, c.TargetAttribute = KindAttributeMapping, str(q.either(), "targetAttributeName")
		if q.a != nil {
			m := Read(oa.AttributeMappings[q.a.idx])
			c.Old = &m
		}
		if q.b != nil {
			m := Read(ob.AttributeMappings[q.b.idx])
			c.New = &m
		}
		switch {
		case q.a == nil:
			c.Op = Added
		case q.b == nil:
			c.Op = Removed
		default:
			fs := fields(q.a.v, q.b.v)
			if len(fs) == 0 {
				continue
			}
			c.Op, c.Fields = Changed, fs
		}
		d.out = append(d.out, c)
	}
}

func (d *differ) directory(p pair) {
	at := Change{Kind: KindDirectory, Directory: str(p.either(), "name")}
	if d.addedOrRemoved(at, p) {
		return
	}
	objs := matchList(p.a.v, p.b.v, "objects", nameKey)
	if fs := objs.fields(fields(p.a.v, p.b.v, "objects")); len(fs) > 0 {
		c := at
		c.Op, c.Fields = Changed, sortFields(fs)
		d.out = append(d.out, c)
	}
	for _, q := range objs.pairs {
		c := at
		c.Kind, c.Object = KindObject, str(q.either(), "name")
		if d.addedOrRemoved(c, q) {
			continue
		}
		attrs := matchList(q.a.v, q.b.v, "attributes", nameKey)
		if fs := attrs.fields(fields(q.a.v, q.b.v, "attributes")); len(fs) > 0 {
			c := c
			c.Op, c.Fields = Changed, sortFields(fs)
			d.out = append(d.out, c)
		}
		for _, r := range attrs.pairs {
			c := c
			c.Kind, c.Attribute = KindAttribute, str(r.either(), "name")
			if d.addedOrRemoved(c, r) {
				continue
			}
			if fs := fields(r.a.v, r.b.v); len(fs) > 0 {
				c.Op, c.Fields = Changed, fs
				d.out = append(d.out, c)
			}
		}
	}
}

// addedOrRemoved records at as added or removed when p is, and says so.
func (d *differ) addedOrRemoved(at Change, p pair) bool {
	switch {
	case p.a == nil:
		at.Op = Added
	case p.b == nil:
		at.Op = Removed
	default:
		return false
	}
	d.out = append(d.out, at)
	return true
}

// item is an element of a list of parts: its key, its index in the list
// and its value (nil when the element is not an object).
type item struct {
	key string
	idx int
	v   map[string]any
	raw any
}

// pair is an element of the old list and the one of the new list with
// the same key; a is nil for one added, b for one removed.
type pair struct{ a, b *item }

func (p pair) either() map[string]any {
	if p.b != nil {
		return p.b.v
	}
	return p.a.v
}

// matched is a list member of two objects, its elements paired.
type matched struct {
	name       string
	a, b       any // the members as they are, nil when absent
	hasA, hasB bool
	la, lb     []item
	pairs      []pair
}

// matchList pairs the elements of the member name of a and b by key:
// those of b in order, each with its match in a or none, then those of a
// without a match.
func matchList(a, b map[string]any, name string, key func(map[string]any) string) *matched {
	m := &matched{name: name}
	m.a, m.hasA = a[name]
	m.b, m.hasB = b[name]
	m.la, m.lb = items(m.a, key), items(m.b, key)
	used := make([]bool, len(m.la))
	byKey := map[string]int{}
	for i, it := range m.la {
		byKey[it.key] = i
	}
	for i := range m.lb {
		p := pair{b: &m.lb[i]}
		if j, ok := byKey[m.lb[i].key]; ok {
			p.a, used[j] = &m.la[j], true
		}
		m.pairs = append(m.pairs, p)
	}
	for j := range m.la {
		if !used[j] {
			m.pairs = append(m.pairs, pair{a: &m.la[j]})
		}
	}
	return m
}

// items are the elements of list, each keyed by key and, from the second
// with the same key on, the count of those before it.
func items(list any, key func(map[string]any) string) []item {
	elems, _ := list.([]any)
	seen := map[string]int{}
	out := make([]item, len(elems))
	for i, e := range elems {
		o, _ := e.(map[string]any)
		k := ""
		if o != nil {
			k = key(o)
		}
		n := seen[k]
		seen[k]++
		if n > 0 {
			k += "\x00" + strconv.Itoa(n)
		}
		out[i] = item{key: k, idx: i, v: o, raw: e}
	}
	return out
}

// fields appends to fs what the list changes of its parent itself: the
// order of the elements both lists hold, the elements' own change when
// one is null and the other an object, and the member when both lists
// are empty but differ (absent, null, []).
func (m *matched) fields(fs []Field) []Field {
	var orderA, orderB []string
	for _, it := range m.la {
		if slices.ContainsFunc(m.lb, func(o item) bool { return o.key == it.key }) {
			orderA = append(orderA, display(it.key))
		}
	}
	for _, it := range m.lb {
		if slices.ContainsFunc(m.la, func(o item) bool { return o.key == it.key }) {
			orderB = append(orderB, display(it.key))
		}
	}
	if !slices.Equal(orderA, orderB) {
		fs = append(fs, Field{Name: "order of " + m.name, Old: raw(orderA), New: raw(orderB)})
	}
	for _, p := range m.pairs {
		if p.a != nil && p.b != nil && (p.a.v == nil) != (p.b.v == nil) {
			fs = append(fs, Field{Name: m.name + "[" + strconv.Itoa(p.b.idx) + "]", Old: canonical(p.a.raw), New: canonical(p.b.raw)})
		}
	}
	if len(m.la) == 0 && len(m.lb) == 0 && (m.hasA != m.hasB || !reflect.DeepEqual(m.a, m.b)) {
		f := Field{Name: m.name}
		if m.hasA {
			f.Old = canonical(m.a)
		}
		if m.hasB {
			f.New = canonical(m.b)
		}
		fs = append(fs, f)
	}
	return fs
}

// display is a key as a person reads it.
func display(key string) string {
	k, n, ok := strings.Cut(key, "\x00")
	if ok {
		return k + " #" + n
	}
	return k
}

func ruleKey(o map[string]any) string {
	if id := str(o, "id"); id != "" {
		return id
	}
	return "name:" + str(o, "name")
}

func nameKey(o map[string]any) string { return str(o, "name") }

func objectMappingKey(o map[string]any) string {
	return str(o, "sourceObjectName") + "→" + str(o, "targetObjectName")
}

func targetKey(o map[string]any) string { return str(o, "targetAttributeName") }

func str(o map[string]any, name string) string {
	s, _ := o[name].(string)
	return s
}

// fields returns the members of a and b that differ, skip aside, in
// order of name.
func fields(a, b map[string]any, skip ...string) []Field {
	var names []string
	for _, o := range []map[string]any{a, b} {
		for k := range o {
			if !slices.Contains(skip, k) && !slices.Contains(names, k) {
				names = append(names, k)
			}
		}
	}
	slices.Sort(names)
	var out []Field
	for _, k := range names {
		if f, ok := field(a, b, k); ok {
			out = append(out, f)
		}
	}
	return out
}

// field returns the member name of a and b, when it differs.
func field(a, b map[string]any, name string) (Field, bool) {
	va, oka := a[name]
	vb, okb := b[name]
	if oka == okb && reflect.DeepEqual(va, vb) {
		return Field{}, false
	}
	f := Field{Name: name}
	if oka {
		f.Old = canonical(va)
	}
	if okb {
		f.New = canonical(vb)
	}
	return f, true
}

func sortFields(fs []Field) []Field {
	slices.SortStableFunc(fs, func(x, y Field) int { return strings.Compare(x.Name, y.Name) })
	return fs
}

// Text writes changes for a person, each Change as String does, one after
// the other; "No changes." when there are none.
func Text(changes []Change) string {
	if len(changes) == 0 {
		return "No changes.\n"
	}
	var b strings.Builder
	for _, c := range changes {
		b.WriteString(c.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// String writes the change for a person: a line saying what changed and
// where, "+" for added, "-" removed, "~" changed, then, indented, an
// attribute mapping's old and new value ("old:", "new:") or a scope's,
// and each other member changed as "name: old → new". Every name and
// value is cleaned of control characters (package printable), so a change
// is exactly the lines it means to be; long JSON values are cut.
func (c Change) String() string {
	var b strings.Builder
	b.WriteString(map[ChangeOp]string{Added: "+ ", Removed: "- ", Changed: "~ "}[c.Op])
	b.WriteString(c.where())
	line := func(s string) { b.WriteString("\n    " + s) }
	skip := map[string]bool{}
	switch {
	case c.Kind == KindAttributeMapping && c.Op == Added && c.New != nil:
		line(c.New.String())
		line(c.New.flows())
	case c.Kind == KindAttributeMapping && c.Op == Removed && c.Old != nil:
		line(c.Old.String())
		line(c.Old.flows())
	case c.Kind == KindAttributeMapping && c.Old != nil && c.New != nil && c.Old.String() != c.New.String():
		line("old: " + c.Old.String())
		line("new: " + c.New.String())
		skip["source"], skip["defaultValue"] = true, true
	case c.Kind == KindScope && len(c.Fields) == 1 && c.Fields[0].Name == "scope":
		old, errOld := scopeText(c.Fields[0].Old)
		new, errNew := scopeText(c.Fields[0].New)
		if errOld == nil && errNew == nil && !slices.Equal(old, new) {
			for i, s := range old {
				line(map[bool]string{true: "old: ", false: "     "}[i == 0] + s)
			}
			for i, s := range new {
				line(map[bool]string{true: "new: ", false: "     "}[i == 0] + s)
			}
			skip["scope"] = true
		}
	}
	for _, f := range c.Fields {
		if !skip[f.Name] {
			line(clean(f.Name) + ": " + value(f.Old) + " → " + value(f.New))
		}
	}
	return b.String()
}

// where names the changed part.
func (c Change) where() string {
	rule := "rule " + ruleName(c.RuleID, c.RuleName)
	objects := quote(c.SourceObject) + "→" + quote(c.TargetObject)
	switch c.Kind {
	case KindSchema:
		return "schema"
	case KindRule:
		return rule
	case KindObjectMapping:
		return "object mapping " + objects + " in " + rule
	case KindScope:
		return "scoping filter of " + objects + " in " + rule
	case KindAttributeMapping:
		return "attribute mapping " + quote(c.TargetAttribute) + " of " + objects + " in " + rule
	case KindDirectory:
		return "directory " + quote(c.Directory)
	case KindObject:
		return "object " + quote(c.Object) + " of directory " + quote(c.Directory)
	case KindAttribute:
		return "attribute " + quote(c.Attribute) + " of object " + quote(c.Object) + " of directory " + quote(c.Directory)
	}
	return clean(string(c.Kind))
}

// flows says how an attribute mapping flows, for an added or removed one.
func (m Mapping) flows() string {
	s := "flowBehavior " + orDefault(string(m.FlowBehavior)) + ", flowType " + orDefault(string(m.FlowType))
	if m.MatchingPriority != 0 {
		s += ", matchingPriority " + strconv.Itoa(int(m.MatchingPriority))
	}
	return s
}

func orDefault(s string) string {
	if s == "" {
		return "(default)"
	}
	return clean(s)
}

// maxValue bounds a JSON value String writes.
const maxValue = 240

func value(r json.RawMessage) string {
	if r == nil {
		return "absent"
	}
	return printable.Cut(string(r), maxValue)
}

// scopeText writes a scoping filter, one group a line: group "name":
// [attribute] OPERATOR "value" and ...; a filter of no groups, or none,
// as one line saying every object is in scope.
func scopeText(r json.RawMessage) ([]string, error) {
	if r == nil || string(r) == "null" {
		return []string{"none: every object is in scope"}, nil
	}
	var f models.Filter
	if err := json.Unmarshal(r, &f); err != nil {
		return nil, err
	}
	var out []string
	for _, set := range []struct {
		name   string
		groups []models.FilterGroup
	}{{"", f.Groups}, {"input filter ", f.InputFilterGroups}, {"category filter ", f.CategoryFilterGroups}} {
		for _, g := range set.groups {
			var cs []string
			for _, c := range g.Clauses {
				s := "[" + clean(c.SourceOperandName) + "] " + clean(c.OperatorName)
				if c.TargetOperand != nil {
					var vs []string
					for _, v := range c.TargetOperand.Values {
						vs = append(vs, quote(v))
					}
					s += " " + strings.Join(vs, ", ")
				}
				cs = append(cs, s)
			}
			out = append(out, set.name+"group "+quote(g.Name)+": "+strings.Join(cs, " and "))
		}
	}
	if len(out) == 0 {
		return []string{"no groups: every object is in scope"}, nil
	}
	return out, nil
}
