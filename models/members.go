package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// jsonMembers returns the lower-cased JSON member names the fields of the
// struct type T are encoded under. encoding/json matches member names to
// fields without regard to case, so lookups lower-case the name too.
func jsonMembers[T any]() map[string]bool {
	t := reflect.TypeFor[T]()
	m := make(map[string]bool, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		m[strings.ToLower(name)] = true
	}
	return m
}

// decodeKeeping decodes b into v (a pointer to a struct whose JSON
// members are known) and puts every member of b that v does not model
// into *extra, as received. A JSON null leaves v and *extra unchanged.
func decodeKeeping(b []byte, v any, known map[string]bool, extra *map[string]json.RawMessage) error {
	if err := json.Unmarshal(b, v); err != nil {
		return err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(b, &members); err != nil {
		return err
	}
	for k, raw := range members {
		if known[strings.ToLower(k)] {
			continue
		}
		if *extra == nil {
			*extra = make(map[string]json.RawMessage)
		}
		(*extra)[k] = raw
	}
	return nil
}

// encodeKeeping encodes v (a struct) and appends the members of extra
// that v does not model, in key order, so that a decoded value is
// written back with every member it was read with.
func encodeKeeping(v any, known map[string]bool, extra map[string]json.RawMessage) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if !known[strings.ToLower(k)] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out bytes.Buffer
	out.Write(b[:len(b)-1]) // without the closing brace
	for _, k := range keys {
		raw := extra[k]
		if !json.Valid(raw) {
			return nil, fmt.Errorf("models: Extra[%q] is not valid JSON", k)
		}
		if out.Len() > 1 {
			out.WriteByte(',')
		}
		kb, _ := json.Marshal(k) // a string always encodes
		out.Write(kb)
		out.WriteByte(':')
		out.Write(raw)
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}
