package models

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ResetScope is the set of things a job restart resets (Graph
// synchronizationJobRestartScope), a set of flags written on the wire as a
// comma-separated list such as "Watermark, Escrows".
type ResetScope uint

// Restart scope flags. Full is the four state flags together; ForceDeletes
// also lets the job process deletions that would otherwise trip the
// accidental-deletion threshold.
const (
	ResetNone               ResetScope = 0
	ResetConnectorDataStore ResetScope = 1 << 0
	ResetEscrows            ResetScope = 1 << 1
	ResetWatermark          ResetScope = 1 << 2
	ResetQuarantineState    ResetScope = 1 << 3
	ResetFull               ResetScope = ResetConnectorDataStore | ResetEscrows | ResetWatermark | ResetQuarantineState
	ResetForceDeletes       ResetScope = 1 << 5
)

// The order in which flags are written, matching Graph's documentation
// example "Watermark, Escrows, QuarantineState".
var resetScopeNames = []struct {
	flag ResetScope
	name string
}{
	{ResetWatermark, "Watermark"},
	{ResetEscrows, "Escrows"},
	{ResetQuarantineState, "QuarantineState"},
	{ResetConnectorDataStore, "ConnectorDataStore"},
	{ResetForceDeletes, "ForceDeletes"},
}

// String returns the wire form: "None", "Full", or the flags joined by ", "
// (Full is written as "Full", plus ", ForceDeletes" when that is set too).
func (s ResetScope) String() string {
	if s == ResetNone {
		return "None"
	}
	var parts []string
	rest := s
	if s&ResetFull == ResetFull {
		parts = append(parts, "Full")
		rest &^= ResetFull
	}
	for _, f := range resetScopeNames {
		if rest&f.flag != 0 {
			parts = append(parts, f.name)
			rest &^= f.flag
		}
	}
	if rest != 0 {
		parts = append(parts, fmt.Sprintf("0x%x", uint(rest)))
	}
	return strings.Join(parts, ", ")
}

// Valid reports whether s holds only documented flags.
func (s ResetScope) Valid() bool {
	return s&^(ResetFull|ResetForceDeletes) == 0
}

// ParseResetScope parses the wire form ("Watermark, Escrows"); names are
// matched without regard to case.
func ParseResetScope(text string) (ResetScope, error) {
	var s ResetScope
	for _, part := range strings.Split(text, ",") {
		name := strings.TrimSpace(part)
		switch {
		case strings.EqualFold(name, "None"):
		case strings.EqualFold(name, "Full"):
			s |= ResetFull
		default:
			found := false
			for _, f := range resetScopeNames {
				if strings.EqualFold(name, f.name) {
					s |= f.flag
					found = true
					break
				}
			}
			if !found {
				return 0, fmt.Errorf("models: unknown reset scope %q", name)
			}
		}
	}
	return s, nil
}

// MarshalJSON writes the wire form as a JSON string.
func (s ResetScope) MarshalJSON() ([]byte, error) {
	if !s.Valid() {
		return nil, fmt.Errorf("models: reset scope has undocumented flags %s", s)
	}
	return json.Marshal(s.String())
}

// UnmarshalJSON reads the wire form.
func (s *ResetScope) UnmarshalJSON(b []byte) error {
	var text string
	if err := json.Unmarshal(b, &text); err != nil {
		return err
	}
	v, err := ParseResetScope(text)
	if err != nil {
		return err
	}
	*s = v
	return nil
}
