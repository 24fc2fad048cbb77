package models

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The models are checked against Microsoft's own metadata (CSDL): for each
// Graph type a model holds, csdlGen builds an instance from the type's
// definition in testdata/csdl (slices of msgraph-metadata's v1.0 and beta
// files, see there), with every property set, and the test decodes it into
// the model, encodes it again and compares the two as JSON. It also walks
// the decoded value: a property of the metadata that lands in an Extra
// field is a property the model does not name.

// csdlSchema is the part of a CSDL Schema element the generator reads.
type csdlSchema struct {
	Enums    []csdlEnum `xml:"EnumType"`
	Complex  []csdlType `xml:"ComplexType"`
	Entities []csdlType `xml:"EntityType"`
}

type csdlEnum struct {
	Name    string `xml:"Name,attr"`
	IsFlags bool   `xml:"IsFlags,attr"`
	Members []struct {
		Name string `xml:"Name,attr"`
	} `xml:"Member"`
}

type csdlType struct {
	Name       string         `xml:"Name,attr"`
	BaseType   string         `xml:"BaseType,attr"`
	OpenType   bool           `xml:"OpenType,attr"`
	Properties []csdlProperty `xml:"Property"`
	Navigation []csdlProperty `xml:"NavigationProperty"`
}

type csdlProperty struct {
	Name     string `xml:"Name,attr"`
	Type     string `xml:"Type,attr"`
	Nullable string `xml:"Nullable,attr"`
}

func readCSDL(t *testing.T, version string) *csdlSchema {
	t.Helper()
	b, err := os.ReadFile("../testdata/csdl/" + version + ".xml")
	if err != nil {
		t.Fatal(err)
	}
	var s csdlSchema
	if err := xml.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

func (s *csdlSchema) enum(name string) *csdlEnum {
	for i := range s.Enums {
		if s.Enums[i].Name == name {
			return &s.Enums[i]
		}
	}
	return nil
}

func (s *csdlSchema) structured(name string) *csdlType {
	for _, list := range [][]csdlType{s.Complex, s.Entities} {
		for i := range list {
			if list[i].Name == name {
				return &list[i]
			}
		}
	}
	return nil
}

// A variant says how csdlGen fills properties.
type variant int

const (
	// every property set, to values that are not zero values: true,
	// numbers other than 0, strings other than "", two elements in every
	// collection
	setValues variant = iota
	// every property set, to zero values: false, 0, "", [], and objects
	// whose properties are zero values
	zeroValues
	// every nullable property null, the others zero values
	nullValues
)

func (v variant) String() string { return [...]string{"set", "zero", "null"}[v] }

// csdlGen builds JSON instances of the types of one schema.
type csdlGen struct {
	t      *testing.T
	schema *csdlSchema
	// inline lists the navigation properties Graph returns inline (the
	// contained directories of a schema, the schema of a template); the
	// others are not part of an instance.
	inline map[string][]string
	n      int
}

// instance returns an instance of the structured type name (a map, for
// json.Marshal). depth counts the occurrences of each type on the path,
// to end the recursion of attributeMappingSource.
func (g *csdlGen) instance(name string, v variant, depth map[string]int) map[string]any {
	typ := g.schema.structured(name)
	if typ == nil {
		g.t.Fatalf("csdl: no type %s", name)
	}
	depth[name]++
	defer func() { depth[name]-- }()
	obj := map[string]any{}
	for _, p := range g.properties(typ) {
		obj[p.Name] = g.value(name+"."+p.Name, p, v, depth)
	}
	if typ.OpenType && len(obj) == 0 { // detailsInfo: dynamic properties only
		if v == setValues {
			obj["Dynamic"+fmt.Sprint(g.next())] = "open " + fmt.Sprint(g.next())
			obj["ReportableIdentifier"] = "open " + fmt.Sprint(g.next())
		}
	}
	return obj
}

// properties returns the properties of typ and of its base types, and the
// navigation properties returned inline.
func (g *csdlGen) properties(typ *csdlType) []csdlProperty {
	var ps []csdlProperty
	if typ.BaseType != "" {
		base := g.schema.structured(strings.TrimPrefix(typ.BaseType, "graph."))
		if base == nil {
			g.t.Fatalf("csdl: no base type %s", typ.BaseType)
		}
		ps = append(ps, g.properties(base)...)
	}
	ps = append(ps, typ.Properties...)
	for _, n := range typ.Navigation {
		if slices.Contains(g.inline[typ.Name], n.Name) {
			ps = append(ps, n)
		}
	}
	return ps
}

func (g *csdlGen) next() int { g.n++; return g.n }

func (g *csdlGen) value(path string, p csdlProperty, v variant, depth map[string]int) any {
	if v == nullValues && p.Nullable != "false" {
		return nil
	}
	if v == nullValues {
		v = zeroValues
	}
	elem, isCollection := strings.CutPrefix(p.Type, "Collection(")
	if isCollection {
		elem = strings.TrimSuffix(elem, ")")
		if v == zeroValues || depth[strings.TrimPrefix(elem, "graph.")] >= 2 {
			return []any{}
		}
		return []any{g.scalar(path, elem, v, depth), g.scalar(path, elem, v, depth)}
	}
	return g.scalar(path, elem, v, depth)
}

func (g *csdlGen) scalar(path, typ string, v variant, depth map[string]int) any {
	set := v == setValues
	switch typ {
	case "Edm.String":
		if !set {
			return ""
		}
		return fmt.Sprintf("%s %d", path, g.next())
	case "Edm.Boolean":
		return set
	case "Edm.Int32", "Edm.Int64":
		if !set {
			return 0
		}
		return g.next()
	case "Edm.DateTimeOffset":
		if !set {
			return "0001-01-01T00:00:00Z"
		}
		return fmt.Sprintf("2024-05-%02dT02:03:04.1234567Z", 1+g.next()%28)
	case "Edm.Duration":
		if !set {
			return "PT0S"
		}
		return fmt.Sprintf("P%dDT2H3M4.5S", g.next())
	case "Edm.Guid":
		if !set {
			return "00000000-0000-0000-0000-000000000000"
		}
		return fmt.Sprintf("6cc35b93-185a-4485-a519-%012d", g.next())
	}
	name, ok := strings.CutPrefix(typ, "graph.")
	if !ok {
		g.t.Fatalf("csdl: %s: no generator for %s", path, typ)
	}
	if e := g.schema.enum(name); e != nil {
		if !set {
			return e.Members[0].Name
		}
		m := e.Members[g.next()%len(e.Members)].Name
		if e.IsFlags && len(e.Members) > 2 {
			m += "," + e.Members[len(e.Members)-1].Name
		}
		return m
	}
	if depth[name] >= 2 {
		return nil
	}
	return g.instance(name, v, depth)
}

// csdlModel is a Graph type and the model that holds it. lossless is
// false for the job types: SynchronizationJob and the types it holds are
// the request model of create and update, which leaves out what is empty
// or null, so only instances with every property set come back whole.
type csdlModel struct {
	graph    string
	model    func() any
	lossless bool
}

var v1Models = []csdlModel{
	{"synchronizationJob", func() any { return new(SynchronizationJob) }, false},
	{"synchronizationSchedule", func() any { return new(SynchronizationSchedule) }, false},
	{"synchronizationStatus", func() any { return new(SynchronizationStatus) }, false},
	{"synchronizationTaskExecution", func() any { return new(SynchronizationTaskExecution) }, false},
	{"synchronizationError", func() any { return new(SynchronizationError) }, false},
	{"synchronizationProgress", func() any { return new(SynchronizationProgress) }, false},
	{"synchronizationQuarantine", func() any { return new(SynchronizationQuarantine) }, false},
	{"stringKeyLongValuePair", func() any { return new(StringKeyLongValuePair) }, false},
	{"keyValuePair", func() any { return new(KeyValuePair) }, false},

	{"synchronizationSchema", func() any { return new(SynchronizationSchema) }, true},
	{"synchronizationRule", func() any { return new(SynchronizationRule) }, true},
	{"containerFilter", func() any { return new(ContainerFilter) }, true},
	{"groupFilter", func() any { return new(GroupFilter) }, true},
	{"stringKeyStringValuePair", func() any { return new(StringKeyStringValuePair) }, true},
	{"objectMapping", func() any { return new(ObjectMapping) }, true},
	{"objectMappingMetadataEntry", func() any { return new(MetadataEntry) }, true},
	{"attributeMapping", func() any { return new(AttributeMapping) }, true},
	{"attributeMappingSource", func() any { return new(AttributeMappingSource) }, true},
	{"stringKeyAttributeMappingSourceValuePair", func() any { return new(StringKeyAttributeMappingSourceValuePair) }, true},
	{"filter", func() any { return new(Filter) }, true},
	{"filterGroup", func() any { return new(FilterGroup) }, true},
	{"filterClause", func() any { return new(FilterClause) }, true},
	{"filterOperand", func() any { return new(FilterOperand) }, true},
	{"directoryDefinition", func() any { return new(DirectoryDefinition) }, true},
	{"objectDefinition", func() any { return new(ObjectDefinition) }, true},
	{"objectDefinitionMetadataEntry", func() any { return new(ObjectDefinitionMetadataEntry) }, true},
	{"attributeDefinition", func() any { return new(AttributeDefinition) }, true},
	{"attributeDefinitionMetadataEntry", func() any { return new(AttributeDefinitionMetadataEntry) }, true},
	{"referencedObject", func() any { return new(ReferencedObject) }, true},
	{"synchronizationTemplate", func() any { return new(SynchronizationTemplate) }, true},
	{"synchronizationMetadataEntry", func() any { return new(SynchronizationMetadataEntry) }, true},

	{"provisioningObjectSummary", func() any { return new(ProvisioningObjectSummary) }, true},
	{"provisioningStatusInfo", func() any { return new(ProvisioningStatusInfo) }, true},
	{"provisioningErrorInfo", func() any { return new(ProvisioningErrorInfo) }, true},
	{"provisioningStep", func() any { return new(ProvisioningLogStep) }, true},
	{"provisionedIdentity", func() any { return new(ProvisionedIdentity) }, true},
	{"provisioningSystem", func() any { return new(ProvisioningSystem) }, true},
	{"provisioningServicePrincipal", func() any { return new(ProvisioningServicePrincipal) }, true},
	{"initiator", func() any { return new(Initiator) }, true},
	{"modifiedProperty", func() any { return new(ModifiedProperty) }, true},
}

var betaModels = []csdlModel{
	{"provisioningObjectSummary", func() any { return new(ProvisioningObjectSummary) }, true},
	{"statusBase", func() any { return new(StatusDetails) }, true},
	{"statusDetails", func() any { return new(StatusDetails) }, true},
	{"provisioningStatusInfo", func() any { return new(ProvisioningStatusInfo) }, true},
	{"provisioningErrorInfo", func() any { return new(ProvisioningErrorInfo) }, true},
	{"provisioningStep", func() any { return new(ProvisioningLogStep) }, true},
	{"provisionedIdentity", func() any { return new(ProvisionedIdentity) }, true},
	{"provisioningSystem", func() any { return new(ProvisioningSystem) }, true},
	{"provisioningServicePrincipal", func() any { return new(ProvisioningServicePrincipal) }, true},
	{"initiator", func() any { return new(Initiator) }, true},
	{"modifiedProperty", func() any { return new(ModifiedProperty) }, true},
	{"attributeDefinition", func() any { return new(AttributeDefinition) }, true},
	{"attributeDefinitionMetadataEntry", func() any { return new(AttributeDefinitionMetadataEntry) }, true},
	{"referencedObject", func() any { return new(ReferencedObject) }, true},
	{"stringKeyStringValuePair", func() any { return new(StringKeyStringValuePair) }, true},
	{"synchronizationMetadataEntry", func() any { return new(SynchronizationMetadataEntry) }, true},
}

// The types of a slice that no model holds by themselves: the abstract
// entity, the open identity base type and the open detailsInfo (read
// into StringMap).
var csdlNotModelled = []string{"entity", "identity", "detailsInfo"}

func TestModelsRoundTripCSDLInstances(t *testing.T) {
	for _, tc := range []struct {
		version string
		models  []csdlModel
	}{{"v1.0", v1Models}, {"beta", betaModels}} {
		schema := readCSDL(t, tc.version)
		g := &csdlGen{t: t, schema: schema, inline: map[string][]string{
			"synchronizationSchema":   {"directories"},
			"synchronizationTemplate": {"schema"},
		}}
		// Every structured type of the slice has a model, and every model
		// a type in the slice: the slice and the table agree.
		for _, list := range [][]csdlType{schema.Complex, schema.Entities} {
			for _, typ := range list {
				if !slices.ContainsFunc(tc.models, func(m csdlModel) bool { return m.graph == typ.Name }) &&
					!slices.Contains(csdlNotModelled, typ.Name) {
					t.Errorf("%s: %s has no model in the test's table", tc.version, typ.Name)
				}
			}
		}
		for _, m := range tc.models {
			for _, v := range []variant{setValues, zeroValues, nullValues} {
				if v != setValues && !m.lossless {
					continue
				}
				t.Run(tc.version+"/"+m.graph+"/"+v.String(), func(t *testing.T) {
					g.t = t
					in, err := json.Marshal(g.instance(m.graph, v, map[string]int{}))
					if err != nil {
						t.Fatal(err)
					}
					model := m.model()
					if err := decodeModel(in, model); err != nil {
						t.Fatalf("decoding: %v\ninstance: %s", err, in)
					}
					if v == setValues {
						if path := extraIn(reflect.ValueOf(model), m.graph); path != "" {
							t.Errorf("%s is not a named field: it was kept in Extra", path)
						}
					}
					out, err := encodeModel(model)
					if err != nil {
						t.Fatal(err)
					}
					if !sameJSON(t, in, out) {
						t.Fatalf("decode → encode changed the instance\n got: %s\nwant: %s", out, in)
					}
				})
			}
		}
	}
}

// decodeModel decodes data into the model m as Graph's answers are
// decoded: with the model's UnmarshalJSON, or, for ModifiedProperty, which
// has none, as a provisioning log event decodes it.
func decodeModel(data []byte, m any) error {
	if d, ok := m.(decoder); ok {
		if _, own := m.(json.Unmarshaler); !own {
			return unmarshalModel(data, d)
		}
	}
	return json.Unmarshal(data, m)
}

// encodeModel is decodeModel's counterpart.
func encodeModel(m any) ([]byte, error) {
	if e, ok := reflect.ValueOf(m).Elem().Interface().(encoder); ok {
		if _, own := m.(json.Marshaler); !own {
			return marshalModel(e)
		}
	}
	return json.Marshal(m)
}

// extraIn returns the path of the first non-empty Extra field in v, "" if
// there is none.
func extraIn(v reflect.Value, path string) string {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return ""
		}
		return extraIn(v.Elem(), path)
	case reflect.Slice:
		for i := range v.Len() {
			if p := extraIn(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if f.Name == "Extra" {
				if keys := v.Field(i).MapKeys(); len(keys) > 0 {
					return fmt.Sprintf("%s.%s", path, keys[0])
				}
				continue
			}
			if p := extraIn(v.Field(i), path+"."+f.Name); p != "" {
				return p
			}
		}
	}
	return ""
}

// The generator fills what it claims to: an instance of a type with every
// property set names every property of the type (base types and inline
// navigation included), and the variants differ where they should.
func TestCSDLGenerator(t *testing.T) {
	schema := readCSDL(t, "v1.0")
	g := &csdlGen{t: t, schema: schema, inline: map[string][]string{"synchronizationSchema": {"directories"}}}
	set := g.instance("synchronizationSchema", setValues, map[string]int{})
	if len(set) != 4 || set["id"] == nil || len(set["directories"].([]any)) != 2 {
		t.Fatalf("schema instance %v", set)
	}
	ev := g.instance("provisioningObjectSummary", setValues, map[string]int{})
	if len(ev) != 17 || ev["servicePrincipal"].(map[string]any)["displayName"] == nil || ev["durationInMilliseconds"] == 0 {
		t.Fatalf("event instance %v", ev)
	}
	zero := g.instance("attributeDefinition", zeroValues, map[string]int{})
	if zero["anchor"] != false || zero["name"] != "" || len(zero["metadata"].([]any)) != 0 || len(zero) != 12 {
		t.Fatalf("zero instance %v", zero)
	}
	null := g.instance("provisioningObjectSummary", nullValues, map[string]int{})
	if null["durationInMilliseconds"] != nil || null["activityDateTime"] != "0001-01-01T00:00:00Z" || null["id"] != "" {
		t.Fatalf("null instance %v", null)
	}
	src := g.instance("attributeMappingSource", setValues, map[string]int{})
	params := src["parameters"].([]any)
	inner := params[0].(map[string]any)["value"].(map[string]any)["parameters"].([]any)
	if len(params) != 2 || len(inner) != 2 || inner[0].(map[string]any)["value"] != nil {
		t.Fatalf("recursion not ended at the second attributeMappingSource: %v", src)
	}
}

// Every member of Graph's synchronizationMetadata enumeration, v1.0's and
// beta's spelling alike, names exactly one of the metadata constants.
func TestSynchronizationMetadataMatchesCSDL(t *testing.T) {
	constants := []SynchronizationMetadata{
		MetadataGalleryApplicationIdentifier, MetadataGalleryApplicationKey, MetadataIsOAuthEnabled,
		MetadataIsSynchronizationAgentAssignmentRequired, MetadataIsSynchronizationAgentRequired,
		MetadataIsSynchronizationInPreview, MetadataOAuthSettings, MetadataSynchronizationLearnMoreIbizaFwLink,
		MetadataConfigurationFields,
	}
	for _, version := range []string{"v1.0", "beta"} {
		e := readCSDL(t, version).enum("synchronizationMetadata")
		if e == nil || len(e.Members) != len(constants) {
			t.Fatalf("%s: enumeration %+v", version, e)
		}
		exact := 0
		for _, m := range e.Members {
			n := 0
			for _, c := range constants {
				if SynchronizationMetadata(m.Name).Is(c) {
					n++
				}
				if string(c) == m.Name {
					exact++
				}
			}
			if n != 1 {
				t.Errorf("%s: %s names %d constants", version, m.Name, n)
			}
			tpl := SynchronizationTemplate{Metadata: []SynchronizationMetadataEntry{{Key: SynchronizationMetadata(m.Name), Value: "v"}}}
			found := slices.ContainsFunc(constants, func(c SynchronizationMetadata) bool { _, ok := tpl.MetadataValue(c); return ok })
			if !found {
				t.Errorf("%s: MetadataValue finds no constant for %s", version, m.Name)
			}
		}
		// v1.0 spells every member as the constants do; beta does not.
		if (exact == len(constants)) != (version == "v1.0") {
			t.Errorf("%s: %d members spelled as the constants", version, exact)
		}
	}
}
