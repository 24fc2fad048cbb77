package schemaedit

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/graphsync/graphsync/expression"
	"github.com/graphsync/graphsync/models"
)

// MappingType is the kind of an attribute mapping, as the Azure portal
// names it.
type MappingType string

// The mapping types.
const (
	// TypeDirect copies an attribute of the source object: Source names
	// it.
	TypeDirect MappingType = "Direct"
	// TypeConstant writes a constant: Source is its value.
	TypeConstant MappingType = "Constant"
	// TypeExpression computes the value: Source is the expression.
	TypeExpression MappingType = "Expression"
	// TypeNone has no source (Graph sends null): only the default value
	// flows.
	TypeNone MappingType = "None"
)

// A Mapping is an attribute mapping as an operator writes one: which
// target attribute, computed how, flowing when. Read returns one from a
// models.AttributeMapping; Direct, Constant and Expression make new ones.
// It encodes to JSON with the field names below.
type Mapping struct {
	// TargetAttribute names the attribute of the target object; it
	// identifies the mapping in its object mapping.
	TargetAttribute string `json:"targetAttributeName"`
	// Type is Direct, Constant, Expression or None.
	Type MappingType `json:"type"`
	// Source is the source attribute's name (Direct), the constant's
	// value (Constant) or the expression (Expression); "" for None.
	Source string `json:"source"`
	// DefaultValue is used when the source gives null; "" is none (Graph
	// sends null).
	DefaultValue string `json:"defaultValue"`
	// FlowBehavior is FlowWhenChanged or FlowAlways; "" is Graph's
	// default, FlowWhenChanged.
	FlowBehavior models.AttributeFlowBehavior `json:"flowBehavior"`
	// FlowType says when the target attribute is updated; "" is Graph's
	// default, Always.
	FlowType models.AttributeFlowType `json:"flowType"`
	// MatchingPriority, above 0, makes the attribute one that matches
	// source and target objects, lowest first.
	MatchingPriority int32 `json:"matchingPriority"`
}

// Direct returns a mapping that copies the source object's attribute to
// target, flowing as Graph's defaults say (FlowWhenChanged, Always).
func Direct(target, attribute string) Mapping {
	return Mapping{TargetAttribute: target, Type: TypeDirect, Source: attribute,
		FlowBehavior: models.FlowWhenChanged, FlowType: models.FlowTypeAlways}
}

// Constant returns a mapping that writes value to target.
func Constant(target, value string) Mapping {
	return Mapping{TargetAttribute: target, Type: TypeConstant, Source: value,
		FlowBehavior: models.FlowWhenChanged, FlowType: models.FlowTypeAlways}
}

// Expression returns a mapping that computes target with the expression
// expr, in the language of package expression. It is parsed when the
// mapping is written (AttributeMapping, AddMapping...).
func Expression(target, expr string) Mapping {
	return Mapping{TargetAttribute: target, Type: TypeExpression, Source: expr,
		FlowBehavior: models.FlowWhenChanged, FlowType: models.FlowTypeAlways}
}

// Read returns an attribute mapping as a Mapping: Direct for a source of
// type Attribute (or none given, Graph's default), Constant for a
// Constant, None without a source, Expression otherwise, with the
// source's expression text (or, when Graph sent none, the text of its
// tree, expression.FromSource; "" when the tree cannot be read). The flow
// members are as the mapping holds them, "" when absent.
func Read(am models.AttributeMapping) Mapping {
	m := Mapping{
		TargetAttribute:  am.TargetAttributeName,
		DefaultValue:     am.DefaultValue,
		FlowBehavior:     am.FlowBehavior,
		FlowType:         am.FlowType,
		MatchingPriority: am.MatchingPriority,
	}
	s := am.Source
	switch {
	case s == nil:
		m.Type = TypeNone
	case s.Type == models.SourceAttribute || s.Type == "":
		m.Type, m.Source = TypeDirect, s.Name
	case s.Type == models.SourceConstant:
		m.Type, m.Source = TypeConstant, s.Name
	default:
		m.Type, m.Source = TypeExpression, expressionText(*s)
	}
	return m
}

// expressionText is the source's expression text, or that of its tree.
func expressionText(s models.AttributeMappingSource) string {
	if s.Expression != "" {
		return s.Expression
	}
	if n, err := expression.FromSource(s); err == nil {
		return n.String()
	}
	return ""
}

// String returns the mapping's source for a person: Direct [mail],
// Constant "x", Expression Join(...), or None; names and text cleaned of
// control characters.
func (m Mapping) String() string {
	var s string
	switch m.Type {
	case TypeDirect:
		s = "Direct [" + clean(m.Source) + "]"
	case TypeConstant:
		s = "Constant " + quote(m.Source)
	case TypeNone:
		s = "None"
	default:
		s = string(m.Type) + " " + clean(m.Source)
	}
	if m.DefaultValue != "" {
		s += ", default " + quote(m.DefaultValue)
	}
	return s
}

// source returns the tree m's Type and Source stand for, nil for None.
func (m Mapping) source() (*models.AttributeMappingSource, error) {
	var n expression.Node
	switch m.Type {
	case TypeNone:
		return nil, nil
	case TypeDirect:
		if m.Source == "" || strings.Contains(m.Source, "]") {
			return nil, fmt.Errorf("%w: mapping of %s: the source attribute %s cannot be written [name]",
				ErrInvalid, quote(m.TargetAttribute), quote(m.Source))
		}
		n = expression.Node{Kind: expression.Attribute, Name: m.Source}
	case TypeConstant:
		n = expression.Node{Kind: expression.String, Value: m.Source}
	case TypeExpression:
		var err error
		if n, err = expression.Parse(m.Source); err != nil {
			return nil, fmt.Errorf("%w: mapping of %s: %w", ErrInvalid, quote(m.TargetAttribute), err)
		}
	default:
		return nil, fmt.Errorf("%w: mapping of %s: unknown type %s (Direct, Constant, Expression or None)",
			ErrInvalid, quote(m.TargetAttribute), quote(string(m.Type)))
	}
	s := expression.ToSource(n)
	return &s, nil
}

func flowBehavior(b models.AttributeFlowBehavior) models.AttributeFlowBehavior {
	if b == "" {
		return models.FlowWhenChanged
	}
	return b
}

func flowType(t models.AttributeFlowType) models.AttributeFlowType {
	if t == "" {
		return models.FlowTypeAlways
	}
	return t
}

// AttributeMapping returns m as a new attribute mapping, with every member
// Graph writes: defaultValue (null for none), exportMissingReferences
// false, flowBehavior and flowType (Graph's defaults for ""),
// matchingPriority, source (the tree of package expression's ToSource;
// null for None) and targetAttributeName. An expression that does not
// parse gives an error wrapping ErrInvalid and the
// *expression.SyntaxError.
func (m Mapping) AttributeMapping() (models.AttributeMapping, error) {
	if m.TargetAttribute == "" {
		return models.AttributeMapping{}, fmt.Errorf("%w: a mapping without a target attribute", ErrInvalid)
	}
	src, err := m.source()
	if err != nil {
		return models.AttributeMapping{}, err
	}
	o := map[string]json.RawMessage{
		"defaultValue":            nullable(m.DefaultValue),
		"exportMissingReferences": json.RawMessage("false"),
		"flowBehavior":            raw(flowBehavior(m.FlowBehavior)),
		"flowType":                raw(flowType(m.FlowType)),
		"matchingPriority":        raw(m.MatchingPriority),
		"source":                  json.RawMessage("null"),
		"targetAttributeName":     raw(m.TargetAttribute),
	}
	if src != nil {
		o["source"] = raw(sourceJSON(*src))
	}
	var am models.AttributeMapping
	if err := rebuild(o, &am); err != nil {
		return models.AttributeMapping{}, err
	}
	return am, nil
}

// find returns the indexes of om's mappings of target.
func find(om *models.ObjectMapping, target string) []int {
	var out []int
	for i, am := range om.AttributeMappings {
		if am.TargetAttributeName == target {
			out = append(out, i)
		}
	}
	return out
}

// one returns the index of om's one mapping of target.
func one(om *models.ObjectMapping, target string) (int, error) {
	switch is := find(om, target); len(is) {
	case 1:
		return is[0], nil
	case 0:
		return -1, fmt.Errorf("%w: no mapping of the target attribute %s in %s", ErrNotFound, quote(target), objects(om))
	default:
		return -1, fmt.Errorf("%w: the target attribute %s is mapped %d times in %s", ErrAmbiguous, quote(target), len(is), objects(om))
	}
}

func objects(om *models.ObjectMapping) string {
	return quote(om.SourceObjectName) + "→" + quote(om.TargetObjectName)
}

// GetMapping returns om's mapping of the target attribute. The error wraps
// ErrNotFound when there is none, ErrAmbiguous when there are several.
func GetMapping(om *models.ObjectMapping, target string) (Mapping, error) {
	i, err := one(om, target)
	if err != nil {
		return Mapping{}, err
	}
	return Read(om.AttributeMappings[i]), nil
}

// AddMapping appends m to om's attribute mappings (see
// Mapping.AttributeMapping). The error wraps ErrExists when
// m.TargetAttribute is mapped already, ErrInvalid when m cannot be
// written; om is then unchanged.
func AddMapping(om *models.ObjectMapping, m Mapping) error {
	if len(find(om, m.TargetAttribute)) > 0 {
		return fmt.Errorf("%w: the target attribute %s is mapped already in %s; replace its mapping",
			ErrExists, quote(m.TargetAttribute), objects(om))
	}
	am, err := m.AttributeMapping()
	if err != nil {
		return err
	}
	om.AttributeMappings = append(om.AttributeMappings, am)
	return nil
}

// ReplaceMapping replaces om's mapping of m.TargetAttribute with m, in
// its place. Only the members whose value m changes are written again:
// the source when Type or Source differ from what the mapping holds (so
// a mapping whose source is unchanged keeps Graph's tree as sent), the
// default value, the flows and the matching priority; every other member
// (exportMissingReferences, @odata.type, members the models do not name)
// is kept. The error wraps ErrNotFound, ErrAmbiguous or ErrInvalid; om is
// then unchanged.
func ReplaceMapping(om *models.ObjectMapping, m Mapping) error {
	i, err := one(om, m.TargetAttribute)
	if err != nil {
		return err
	}
	cur := om.AttributeMappings[i]
	old := Read(cur)
	o, err := members(cur)
	if err != nil {
		return err
	}
	if m.Type != old.Type || m.Source != old.Source {
		src, err := m.source()
		if err != nil {
			return err
		}
		o["source"] = json.RawMessage("null")
		if src != nil {
			o["source"] = raw(sourceJSON(*src))
		}
	}
	if m.DefaultValue != old.DefaultValue {
		o["defaultValue"] = nullable(m.DefaultValue)
	}
	if m.FlowBehavior != old.FlowBehavior {
		o["flowBehavior"] = raw(flowBehavior(m.FlowBehavior))
	}
	if m.FlowType != old.FlowType {
		o["flowType"] = raw(flowType(m.FlowType))
	}
	if m.MatchingPriority != old.MatchingPriority {
		o["matchingPriority"] = raw(m.MatchingPriority)
	}
	var am models.AttributeMapping
	if err := rebuild(o, &am); err != nil {
		return err
	}
	om.AttributeMappings[i] = am
	return nil
}

// SetMapping replaces om's mapping of m.TargetAttribute with m
// (ReplaceMapping) or, when there is none, adds it (AddMapping).
func SetMapping(om *models.ObjectMapping, m Mapping) error {
	if len(find(om, m.TargetAttribute)) == 0 {
		return AddMapping(om, m)
	}
	return ReplaceMapping(om, m)
}

// RemoveMapping removes om's mapping of the target attribute; the others
// keep their order. The error wraps ErrNotFound or ErrAmbiguous.
func RemoveMapping(om *models.ObjectMapping, target string) error {
	i, err := one(om, target)
	if err != nil {
		return err
	}
	om.AttributeMappings = append(om.AttributeMappings[:i:i], om.AttributeMappings[i+1:]...)
	return nil
}
