package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// wire remembers how an object looked when it was decoded, so that
// encoding it again writes what Graph sent: members that were null are
// written as null, members that were absent stay absent, and members that
// were present are written even when their value is the zero value. The
// objects of a synchronization schema need this because a PUT of the
// schema replaces it whole.
//
// A value built in Go has no wire state: its zero fields are not written
// (encodeObject), or, for the read models whose values built in Go stand
// for whole Graph answers, every field is (encodeEvery).
type wire struct {
	null    bool   // the object itself was JSON null
	decoded bool   // set by decodeEvery: the value was read from JSON
	present uint64 // bit i: member i of the type's field table was present and not null
	nulls   uint64 // bit i: member i was null
}

// decoder and encoder are implemented by the types that keep their wire
// shape (decoder by their pointers). A JSON document is parsed once
// (unmarshalModel) into a tree of map[string]any, []any, string,
// json.Number, bool and nil, which decodeFrom walks; a value is written
// into one buffer (marshalModel) by encodeTo. Going through encoding/json
// at every level instead would scan each subtree again for every level
// above it.
type (
	decoder interface{ decodeFrom(node any) error }
	encoder interface{ encodeTo(b *bytes.Buffer) error }
)

func unmarshalModel(data []byte, m decoder) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber() // numbers in unknown members keep every digit
	var node any
	if err := d.Decode(&node); err != nil {
		return err
	}
	if _, err := d.Token(); err != io.EOF {
		return errors.New("invalid character after top-level value")
	}
	return m.decodeFrom(node)
}

func marshalModel(m encoder) ([]byte, error) {
	var b bytes.Buffer
	if err := m.encodeTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// field is one named member of a model type.
type field struct {
	name      string // the JSON member name, matched exactly
	index     int    // the struct field index
	omitEmpty bool   // tagged omitempty: encodeEvery leaves it out when zero
}

var fieldTables sync.Map // reflect.Type → []field

// fieldsOf returns the members a struct type names with json tags, in
// field order. Fields without a tag, or tagged "-", are not members.
func fieldsOf(t reflect.Type) []field {
	if v, ok := fieldTables.Load(t); ok {
		return v.([]field)
	}
	var fs []field
	for i := range t.NumField() {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("json")
		if !ok || tag == "-" || !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		fs = append(fs, field{name: name, index: i, omitEmpty: slices.Contains(strings.Split(opts, ","), "omitempty")})
	}
	if len(fs) > 64 {
		panic("models: " + t.String() + " has more than 64 members")
	}
	v, _ := fieldTables.LoadOrStore(t, fs)
	return v.([]field)
}

func fieldIndex(fs []field, name string) int {
	return slices.IndexFunc(fs, func(f field) bool { return f.name == name })
}

// decodeObject decodes the parsed JSON object node into the struct *v:
// each member whose name is exactly one of the type's (no case folding,
// unlike encoding/json) into its field, every other member into *extra,
// and the shape into *w. It replaces *v entirely.
func decodeObject[T any](node any, v *T, extra *map[string]json.RawMessage, w *wire) error {
	var zero T
	*v = zero
	if node == nil {
		w.null = true
		return nil
	}
	members, ok := node.(map[string]any)
	if !ok {
		return fmt.Errorf("%s is not an object", describe(node))
	}
	rv := reflect.ValueOf(v).Elem()
	fs := fieldsOf(rv.Type())
	var state wire
	for name, m := range members {
		i := fieldIndex(fs, name)
		if i < 0 {
			raw, err := json.Marshal(m)
			if err != nil {
				return inMember(name, err)
			}
			if *extra == nil {
				*extra = make(map[string]json.RawMessage)
			}
			(*extra)[name] = raw
			continue
		}
		if m == nil {
			state.nulls |= 1 << i
			continue
		}
		state.present |= 1 << i
		if err := decodeValue(m, rv.Field(fs[i].index)); err != nil {
			return inMember(name, err)
		}
	}
	if state.present != 0 || state.nulls != 0 {
		*w = state
	}
	return nil
}

// decodeValue stores the parsed JSON value node in dst, a field or
// element of a model type.
func decodeValue(node any, dst reflect.Value) error {
	if d, ok := dst.Addr().Interface().(decoder); ok {
		return d.decodeFrom(node)
	}
	if dst.Type() == timeType {
		text, ok := node.(string)
		if !ok {
			return fmt.Errorf("%s is not a string", describe(node))
		}
		t, err := time.Parse(time.RFC3339Nano, text)
		if err != nil {
			return fmt.Errorf("%q is not an RFC 3339 timestamp", text)
		}
		dst.Set(reflect.ValueOf(t))
		return nil
	}
	switch dst.Kind() {
	case reflect.Map:
		return decodeStringMap(node, dst)
	case reflect.Pointer:
		if node == nil {
			dst.SetZero()
			return nil
		}
		p := reflect.New(dst.Type().Elem())
		if err := decodeValue(node, p.Elem()); err != nil {
			return err
		}
		dst.Set(p)
		return nil
	case reflect.Slice:
		elems, ok := node.([]any)
		if !ok {
			return fmt.Errorf("%s is not an array", describe(node))
		}
		out := reflect.MakeSlice(dst.Type(), len(elems), len(elems))
		for i, e := range elems {
			if e == nil && dst.Type().Elem().Kind() == reflect.String {
				// Graph's string collections hold no nulls, and one
				// could not be written back.
				return inElement(i, errors.New("null in a collection of strings"))
			}
			if err := decodeValue(e, out.Index(i)); err != nil {
				return inElement(i, err)
			}
		}
		dst.Set(out)
		return nil
	case reflect.String:
		s, ok := node.(string)
		if !ok {
			return fmt.Errorf("%s is not a string", describe(node))
		}
		dst.SetString(s)
		return nil
	case reflect.Bool:
		b, ok := node.(bool)
		if !ok {
			return fmt.Errorf("%s is not a boolean", describe(node))
		}
		dst.SetBool(b)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := node.(json.Number)
		if !ok {
			return fmt.Errorf("%s is not a number", describe(node))
		}
		i, err := strconv.ParseInt(string(n), 10, dst.Type().Bits())
		if err != nil {
			return fmt.Errorf("%s is not an integer of %d bits", n, dst.Type().Bits())
		}
		dst.SetInt(i)
		return nil
	}
	panic("models: no decoding for " + dst.Type().String())
}

var timeType = reflect.TypeFor[time.Time]()

// decodeStringMap stores the parsed JSON object node in dst, a map of
// strings such as StringMap, as StringMap.UnmarshalJSON does: a string as
// itself, null as "", any other value as its JSON text.
func decodeStringMap(node any, dst reflect.Value) error {
	if dst.Type().Key().Kind() != reflect.String || dst.Type().Elem().Kind() != reflect.String {
		panic("models: no decoding for " + dst.Type().String())
	}
	members, ok := node.(map[string]any)
	if !ok {
		return fmt.Errorf("%s is not an object", describe(node))
	}
	m := reflect.MakeMapWithSize(dst.Type(), len(members))
	for k, v := range members {
		var s string
		switch v := v.(type) {
		case string:
			s = v
		case nil:
		default:
			raw, err := json.Marshal(v)
			if err != nil {
				return inMember(k, err)
			}
			s = string(raw)
		}
		m.SetMapIndex(reflect.ValueOf(k).Convert(dst.Type().Key()), reflect.ValueOf(s).Convert(dst.Type().Elem()))
	}
	dst.Set(m)
	return nil
}

// pathError is a decoding error with the path of the member it concerns,
// such as "synchronizationRules[0].objectMappings[1].enabled".
type pathError struct {
	path string
	err  error
}

func (e *pathError) Error() string { return e.path + ": " + e.err.Error() }
func (e *pathError) Unwrap() error { return e.err }

func inMember(name string, err error) error {
	if pe, ok := err.(*pathError); ok {
		if pe.path[0] == '[' {
			return &pathError{name + pe.path, pe.err}
		}
		return &pathError{name + "." + pe.path, pe.err}
	}
	return &pathError{name, err}
}

func inElement(i int, err error) error {
	p := "[" + strconv.Itoa(i) + "]"
	if pe, ok := err.(*pathError); ok {
		if pe.path[0] == '[' {
			return &pathError{p + pe.path, pe.err}
		}
		return &pathError{p + "." + pe.path, pe.err}
	}
	return &pathError{p, err}
}

// describe names the JSON type of a parsed value, for errors.
func describe(node any) string {
	switch node.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("%T", node)
}

// encodeObject writes the struct *v with the shape w it was decoded with
// (see wire) and the members in extra, which are written as they are
// unless a field of the type has the same name. Named members come first,
// in field order, then extra ones sorted by name.
func encodeObject[T any](b *bytes.Buffer, v *T, extra map[string]json.RawMessage, w wire) error {
	rv := reflect.ValueOf(v).Elem()
	fs := fieldsOf(rv.Type())
	if w.null && len(extra) == 0 && !slices.ContainsFunc(fs, func(f field) bool { return !rv.Field(f.index).IsZero() }) {
		b.WriteString("null")
		return nil
	}
	b.WriteByte('{')
	first := true
	key := func(name string) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeString(b, name)
		b.WriteByte(':')
	}
	for i, f := range fs {
		fv := rv.Field(f.index)
		switch {
		case !fv.IsZero() || w.present&(1<<i) != 0:
			key(f.name)
			if err := encodeValue(b, fv); err != nil {
				return fmt.Errorf("%s: %w", f.name, err)
			}
		case w.nulls&(1<<i) != 0:
			key(f.name)
			b.WriteString("null")
		}
	}
	names := make([]string, 0, len(extra))
	for name := range extra {
		if fieldIndex(fs, name) < 0 {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		raw := extra[name]
		if !json.Valid(raw) {
			return fmt.Errorf("%s: the value in Extra is not valid JSON", name)
		}
		key(name)
		b.Write(raw)
	}
	b.WriteByte('}')
	return nil
}

// decodeEvery is decodeObject for the types encoded with encodeEvery: it
// also marks the value as decoded, so that it is written back as received.
func decodeEvery[T any](node any, v *T, extra *map[string]json.RawMessage, w *wire) error {
	if err := decodeObject(node, v, extra, w); err != nil {
		return err
	}
	w.decoded = true
	return nil
}

// encodeEvery writes the struct *v as encodeObject does when it was
// decoded (see decodeEvery). A value built in Go is written with every
// member, zero values included and nil pointers, slices and maps as null,
// the way Graph writes a whole object, except the members tagged
// omitempty, which are written only when set; the members in extra follow.
func encodeEvery[T any](b *bytes.Buffer, v *T, extra map[string]json.RawMessage, w wire) error {
	if w.decoded {
		return encodeObject(b, v, extra, w)
	}
	var every wire
	for i, f := range fieldsOf(reflect.TypeFor[T]()) {
		if !f.omitEmpty {
			every.present |= 1 << i
		}
	}
	return encodeObject(b, v, extra, every)
}

// encodeValue writes v, a field or element of a model type.
func encodeValue(b *bytes.Buffer, v reflect.Value) error {
	if v.Kind() != reflect.Pointer {
		if e, ok := v.Interface().(encoder); ok {
			return e.encodeTo(b)
		}
	}
	if v.Type() == timeType {
		text, err := v.Interface().(time.Time).MarshalJSON()
		if err != nil {
			return err
		}
		b.Write(text)
		return nil
	}
	switch v.Kind() {
	case reflect.Map:
		if v.IsNil() {
			b.WriteString("null")
			return nil
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(x, y reflect.Value) int { return strings.Compare(x.String(), y.String()) })
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k.String())
			b.WriteByte(':')
			writeString(b, v.MapIndex(k).String())
		}
		b.WriteByte('}')
		return nil
	case reflect.Pointer, reflect.Slice:
		if v.IsNil() {
			b.WriteString("null")
			return nil
		}
		if v.Kind() == reflect.Pointer {
			return encodeValue(b, v.Elem())
		}
		b.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := encodeValue(b, v.Index(i)); err != nil {
				return fmt.Errorf("element %d: %w", i, err)
			}
		}
		b.WriteByte(']')
		return nil
	case reflect.String:
		writeString(b, v.String())
		return nil
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
		return nil
	}
	panic("models: no encoding for " + v.Type().String())
}

// writeString writes s as a JSON string, as encoding/json does.
func writeString(b *bytes.Buffer, s string) {
	q, _ := json.Marshal(s) // a string always encodes
	b.Write(q)
}
