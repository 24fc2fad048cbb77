package expression

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/graphsync/graphsync/internal/printable"
	"github.com/graphsync/graphsync/models"
)

// FindingKind names the check a Finding comes from.
type FindingKind string

// The checks of CheckSchema.
const (
	// UnknownDirectory: a rule names a source or target directory the
	// schema does not define.
	UnknownDirectory FindingKind = "unknownDirectory"
	// UnknownObject: an object mapping names an object its rule's
	// directory does not define.
	UnknownObject FindingKind = "unknownObject"
	// SyntaxErrorFinding: an expression does not parse, or its
	// attributeMappingSource tree cannot be read (FromSource).
	SyntaxErrorFinding FindingKind = "syntaxError"
	// InvalidCall: Check's problems: an unknown function or name, a wrong
	// number of arguments, a required one omitted, SelectUniqueValue
	// nested.
	InvalidCall FindingKind = "invalidCall"
	// UnknownAttribute: an expression reads an [attribute] the source
	// object does not define.
	UnknownAttribute FindingKind = "unknownAttribute"
	// UnknownTargetAttribute: a mapping writes an attribute the target
	// object does not define.
	UnknownTargetAttribute FindingKind = "unknownTargetAttribute"
	// DuplicateTarget: a second mapping writes a target attribute an
	// earlier mapping of the same object mapping writes.
	DuplicateTarget FindingKind = "duplicateTarget"
	// RequiredUnmapped: a target attribute defined as required has no
	// mapping.
	RequiredUnmapped FindingKind = "requiredUnmapped"
	// TreeMismatch: an attribute mapping's expression text parses but is
	// not its source tree (SameTree), as when the text of a schema file
	// was edited and the tree was not.
	TreeMismatch FindingKind = "treeMismatch"
)

// A Finding is one thing CheckSchema found wrong, and where. It encodes
// to JSON with the field names below; empty ones are left out.
type Finding struct {
	Kind FindingKind `json:"kind"`
	// RuleID and RuleName identify the synchronization rule.
	RuleID   string `json:"ruleId,omitempty"`
	RuleName string `json:"ruleName,omitempty"`
	// SourceObject and TargetObject identify the object mapping.
	SourceObject string `json:"sourceObjectName,omitempty"`
	TargetObject string `json:"targetObjectName,omitempty"`
	// TargetAttribute identifies the attribute mapping, or the attribute
	// left unmapped.
	TargetAttribute string `json:"targetAttributeName,omitempty"`
	// Path is where in the schema's JSON the value at fault is, member
	// names and indexes from the top, such as
	// "synchronizationRules[0].objectMappings[1].attributeMappings[4].source.expression":
	// a directory or object name for the first two kinds, the target
	// attribute's name, the expression text (or the source tree, when the
	// schema holds no text), or, for RequiredUnmapped, the object
	// mapping's attributeMappings. A tool that read the schema from a file
	// can turn it into a line and column there.
	Path string `json:"path,omitempty"`
	// Expression is the expression at fault, as the schema holds it (or
	// as its tree reads, when the schema has no text), and Position the
	// place in it.
	Expression string    `json:"expression,omitempty"`
	Position   *Position `json:"position,omitempty"`
	// Message says what is wrong.
	Message string `json:"message"`
}

// A Position is a place in an expression: the byte offset from 0, the
// line and the column (in characters) from 1.
type Position struct {
	Offset int `json:"offset"`
	Line   int `json:"line"`
	Column int `json:"column"`
}

// String returns the finding on one line, every name and expression
// cleaned of control characters: rule "R" User→User "mail" at 1:5:
// message.
func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(string(f.Kind))
	b.WriteString(": rule ")
	b.WriteString(printable.Quote(f.RuleID, 80))
	if f.SourceObject != "" || f.TargetObject != "" {
		b.WriteString(" " + printable.Quote(f.SourceObject, 60) + "→" + printable.Quote(f.TargetObject, 60))
	}
	if f.TargetAttribute != "" {
		b.WriteString(" attribute " + printable.Quote(f.TargetAttribute, 80))
	}
	if f.Position != nil {
		b.WriteString(" at " + strconv.Itoa(f.Position.Line) + ":" + strconv.Itoa(f.Position.Column))
	}
	b.WriteString(": ")
	b.WriteString(f.Message)
	return b.String()
}

// CheckSchema checks every rule of a schema offline, as far as the schema
// itself tells: for each object mapping, that its objects exist in its
// rule's directories; for each attribute mapping, that its expression
// parses (the expression text when the schema has one, else the tree), that
// Check finds nothing wrong with it, that every [attribute] it reads
// exists in the source object, that its text and its source tree say the
// same (SameTree), that its target attribute exists in the target object
// and that no earlier mapping of the object mapping writes it; and that
// every target attribute defined as required is mapped.
// Names (directories, objects, attributes) are matched exactly; a name
// that differs only in case gets a hint. Disabled object mappings are
// checked too.
//
// Findings come in the schema's order (rules, object mappings, attribute
// mappings, then the unmapped required attributes in the target object's
// order), an expression's in the order of their positions, then its
// TreeMismatch. A clean schema gives nil.
func CheckSchema(s models.SynchronizationSchema) []Finding {
	var out []Finding
	for i, r := range s.SynchronizationRules {
		at := Finding{RuleID: r.ID, RuleName: r.Name}
		rulePath := "synchronizationRules[" + strconv.Itoa(i) + "]"
		srcDir, srcOK := directory(s, r.SourceDirectoryName)
		dstDir, dstOK := directory(s, r.TargetDirectoryName)
		if !srcOK {
			out = append(out, with(at, UnknownDirectory, rulePath+".sourceDirectoryName", "the source directory "+
				printable.Quote(r.SourceDirectoryName, 80)+" is not in the schema"+dirHint(s, r.SourceDirectoryName)))
		}
		if !dstOK {
			out = append(out, with(at, UnknownDirectory, rulePath+".targetDirectoryName", "the target directory "+
				printable.Quote(r.TargetDirectoryName, 80)+" is not in the schema"+dirHint(s, r.TargetDirectoryName)))
		}
		for j, m := range r.ObjectMappings {
			at := at
			at.SourceObject, at.TargetObject = m.SourceObjectName, m.TargetObjectName
			mappingPath := rulePath + ".objectMappings[" + strconv.Itoa(j) + "]"
			var src, dst *models.ObjectDefinition
			if srcOK {
				if src = object(srcDir, m.SourceObjectName); src == nil {
					out = append(out, with(at, UnknownObject, mappingPath+".sourceObjectName", "the source object "+printable.Quote(m.SourceObjectName, 80)+
						" is not in directory "+printable.Quote(srcDir.Name, 80)+objectHint(srcDir, m.SourceObjectName)))
				}
			}
			if dstOK {
				if dst = object(dstDir, m.TargetObjectName); dst == nil {
					out = append(out, with(at, UnknownObject, mappingPath+".targetObjectName", "the target object "+printable.Quote(m.TargetObjectName, 80)+
						" is not in directory "+printable.Quote(dstDir.Name, 80)+objectHint(dstDir, m.TargetObjectName)))
				}
			}
			out = append(out, checkObjectMapping(at, mappingPath, m, src, dst)...)
		}
	}
	return out
}

// checkObjectMapping checks the attribute mappings of m, which is at path
// in the schema; src and dst are nil when the objects are unknown (their
// attributes are then not checked).
func checkObjectMapping(at Finding, path string, m models.ObjectMapping, src, dst *models.ObjectDefinition) []Finding {
	var out []Finding
	mapped := map[string]bool{}
	for k, am := range m.AttributeMappings {
		at := at
		at.TargetAttribute = am.TargetAttributeName
		amPath := path + ".attributeMappings[" + strconv.Itoa(k) + "]"
		if dst != nil && attribute(dst, am.TargetAttributeName) == nil {
			out = append(out, with(at, UnknownTargetAttribute, amPath+".targetAttributeName", "the target attribute "+
				printable.Quote(am.TargetAttributeName, 80)+" is not in object "+printable.Quote(dst.Name, 80)+
				attributeHint(dst, am.TargetAttributeName)))
		}
		if mapped[am.TargetAttributeName] {
			out = append(out, with(at, DuplicateTarget, amPath+".targetAttributeName", "the target attribute "+
				printable.Quote(am.TargetAttributeName, 80)+" is mapped more than once"))
		}
		mapped[am.TargetAttributeName] = true
		if am.Source != nil {
			out = append(out, checkSource(at, amPath+".source", *am.Source, src)...)
		}
	}
	if dst != nil {
		for _, a := range dst.Attributes {
			if a.Required && !mapped[a.Name] {
				f := with(at, RequiredUnmapped, path+".attributeMappings", "the required target attribute "+printable.Quote(a.Name, 80)+" is not mapped")
				f.TargetAttribute = a.Name
				out = append(out, f)
			}
		}
	}
	return out
}

// checkSource checks one attribute mapping's source, which is at path in
// the schema.
func checkSource(at Finding, path string, s models.AttributeMappingSource, src *models.ObjectDefinition) []Finding {
	text := s.Expression
	var n Node
	if text != "" {
		path += ".expression"
		var err error
		if n, err = Parse(text); err != nil {
			at.Expression = text
			var se *SyntaxError
			if errors.As(err, &se) {
				at.Position = &Position{Offset: se.Offset, Line: se.Line, Column: se.Column}
				return []Finding{with(at, SyntaxErrorFinding, path, se.Msg)}
			}
			return []Finding{with(at, SyntaxErrorFinding, path, err.Error())}
		}
	} else {
		var err error
		if n, err = FromSource(s); err != nil {
			return []Finding{with(at, SyntaxErrorFinding, path, strings.TrimPrefix(err.Error(), "expression: "))}
		}
		text = n.String()
	}
	at.Expression = text
	var mismatch []Finding
	if s.Expression != "" && !SameTree(n, s) {
		msg := "the expression text is not its source tree, which reads " + printable.Quote(treeText(s), 200) +
			": the two must say the same (rebuild the tree from the text, or the text from the tree)"
		if s.Name == "" && len(s.Parameters) == 0 {
			msg = "the expression text has no source tree (name and parameters): the tree must say the same as the text (rebuild it from the text)"
		}
		mismatch = append(mismatch, with(at, TreeMismatch, strings.TrimSuffix(path, ".expression"), msg))
	}
	type placed struct {
		pos  int
		kind FindingKind
		msg  string
	}
	var ps []placed
	for _, p := range Check(n) {
		ps = append(ps, placed{p.Pos, InvalidCall, p.Msg})
	}
	if src != nil {
		walk(n, func(n Node) {
			if n.Kind == Attribute && attribute(src, n.Name) == nil {
				ps = append(ps, placed{n.Pos, UnknownAttribute, "the attribute " + printable.Quote(n.Name, 80) +
					" is not in source object " + printable.Quote(src.Name, 80) + attributeHint(src, n.Name)})
			}
		})
	}
	// Check's problems and the attributes, each in node order already,
	// merged by position.
	slices.SortStableFunc(ps, func(a, b placed) int { return cmp.Compare(a.pos, b.pos) })
	out := make([]Finding, 0, len(ps))
	for _, p := range ps {
		f := with(at, p.kind, path, p.msg)
		line, col := lineColumn(text, p.pos)
		f.Position = &Position{Offset: p.pos, Line: line, Column: col}
		out = append(out, f)
	}
	return append(out, mismatch...)
}

func with(at Finding, kind FindingKind, path, msg string) Finding {
	at.Kind, at.Path, at.Message = kind, path, msg
	return at
}

func directory(s models.SynchronizationSchema, name string) (models.DirectoryDefinition, bool) {
	for _, d := range s.Directories {
		if d.Name == name {
			return d, true
		}
	}
	return models.DirectoryDefinition{}, false
}

func object(d models.DirectoryDefinition, name string) *models.ObjectDefinition {
	for i := range d.Objects {
		if d.Objects[i].Name == name {
			return &d.Objects[i]
		}
	}
	return nil
}

func attribute(o *models.ObjectDefinition, name string) *models.AttributeDefinition {
	for i := range o.Attributes {
		if o.Attributes[i].Name == name {
			return &o.Attributes[i]
		}
	}
	return nil
}

// caseHint returns " (did you mean X?)" for the first of names equal to
// name without regard to case, or "".
func caseHint(name string, names func(yield func(string) bool)) string {
	for n := range names {
		if strings.EqualFold(n, name) {
			return " (names are case-sensitive: " + printable.Quote(n, 80) + ")"
		}
	}
	return ""
}

func dirHint(s models.SynchronizationSchema, name string) string {
	return caseHint(name, func(yield func(string) bool) {
		for _, d := range s.Directories {
			if !yield(d.Name) {
				return
			}
		}
	})
}

func objectHint(d models.DirectoryDefinition, name string) string {
	return caseHint(name, func(yield func(string) bool) {
		for _, o := range d.Objects {
			if !yield(o.Name) {
				return
			}
		}
	})
}

func attributeHint(o *models.ObjectDefinition, name string) string {
	return caseHint(name, func(yield func(string) bool) {
		for _, a := range o.Attributes {
			if !yield(a.Name) {
				return
			}
		}
	})
}
