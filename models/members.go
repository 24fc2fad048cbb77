package models

import (
	"reflect"
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
