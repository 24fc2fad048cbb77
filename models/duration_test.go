package models

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func TestDurationDecodes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"PT40M", 40 * time.Minute},
		{"PT30S", 30 * time.Second},
		{"P1D", 24 * time.Hour},
		{"P1W", 7 * 24 * time.Hour},
		{"P1DT2H3M4.5S", 26*time.Hour + 3*time.Minute + 4500*time.Millisecond},
		{"PT0.0000001S", 100 * time.Nanosecond},
		{"PT1.1234567891S", time.Second + 123456789}, // beyond ns: truncated
		{"-PT5M", -5 * time.Minute},
		{"PT0S", 0},
		{"P106751DT23H47M16.854775807S", math.MaxInt64},
		{"-P106751DT23H47M16.854775808S", math.MinInt64},
	} {
		var d Duration
		if err := json.Unmarshal([]byte(`"`+tc.in+`"`), &d); err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		got, err := d.Duration()
		if err != nil || got != tc.want {
			t.Errorf("%s: Duration() = %v, %v; want %v", tc.in, got, err, tc.want)
		}
		out, _ := json.Marshal(d)
		if string(out) != `"`+tc.in+`"` {
			t.Errorf("%s re-encoded as %s", tc.in, out)
		}
	}
}

func TestMaxDurationRoundTripsAndReportsOverflow(t *testing.T) {
	var d Duration
	if err := json.Unmarshal([]byte(`"P10675199DT2H48M5.4775807S"`), &d); err != nil {
		t.Fatal(err)
	}
	if !d.IsMax() {
		t.Fatal("IsMax false")
	}
	got, err := d.Duration()
	if !errors.Is(err, ErrDurationOverflow) || got != 0 {
		t.Fatalf("Duration() = %v, %v; want 0, ErrDurationOverflow", got, err)
	}
	out, _ := json.Marshal(struct {
		I Duration `json:"interval"`
	}{d})
	if string(out) != `{"interval":"P10675199DT2H48M5.4775807S"}` {
		t.Fatalf("re-encoded as %s", out)
	}
	for _, big := range []string{"P106752D", "PT9223372037S", "P99999999999999999999D"} {
		var d Duration
		err := json.Unmarshal([]byte(`"`+big+`"`), &d)
		if big == "P99999999999999999999D" {
			if err == nil {
				t.Errorf("%s: a number beyond uint64 decoded", big)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", big, err)
		}
		if _, err := d.Duration(); !errors.Is(err, ErrDurationOverflow) {
			t.Errorf("%s: err = %v, want overflow", big, err)
		}
	}
}

func TestDurationRejectsBadSyntax(t *testing.T) {
	for _, in := range []string{"40M", "P", "PT", "P1H", "PT1D", "P1.5D", "PT1.S", "P1D1D", "PT1S2M", "P-1D", "PTS", "1 day", "PT1S ", "P1DT", "PT1.5", "PT1,25"} {
		var d Duration
		if err := json.Unmarshal([]byte(`"`+in+`"`), &d); err == nil {
			t.Errorf("%q decoded", in)
		}
	}
	var d Duration
	if err := json.Unmarshal([]byte(`40`), &d); err == nil {
		t.Error("a number decoded")
	}
	if err := json.Unmarshal([]byte(`null`), &d); err != nil || d != "" {
		t.Errorf("null: %v %q", err, d)
	}
	if _, err := Duration("P1Y").Duration(); err == nil {
		t.Error("years converted")
	}
}

func TestNewDuration(t *testing.T) {
	for _, tc := range []struct {
		in   time.Duration
		want Duration
	}{
		{40 * time.Minute, "PT40M"},
		{30 * time.Second, "PT30S"},
		{24 * time.Hour, "P1D"},
		{26*time.Hour + 1500*time.Millisecond, "P1DT2H1.5S"},
		{0, "PT0S"},
		{-90 * time.Second, "-PT1M30S"},
		{math.MinInt64, "-P106751DT23H47M16.854775808S"},
	} {
		got := NewDuration(tc.in)
		if got != tc.want {
			t.Errorf("NewDuration(%v) = %s, want %s", tc.in, got, tc.want)
		}
		back, err := got.Duration()
		if err != nil || back != tc.in {
			t.Errorf("%s back to %v, %v", got, back, err)
		}
	}
}

func FuzzDuration(f *testing.F) {
	for _, s := range []string{"PT40M", "P10675199DT2H48M5.4775807S", "-P1DT1S", "P1W"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := Duration(s)
		if d.Validate() != nil {
			return
		}
		v, err := d.Duration()
		if err != nil {
			return
		}
		// Whatever parses and fits converts back to the same length.
		if back, err := NewDuration(v).Duration(); err != nil || back != v {
			t.Fatalf("%q -> %v -> %s -> %v, %v", s, v, NewDuration(v), back, err)
		}
	})
}

func TestResetScope(t *testing.T) {
	for _, tc := range []struct {
		s    ResetScope
		want string
	}{
		{ResetNone, "None"},
		{ResetWatermark | ResetEscrows, "Watermark, Escrows"},
		{ResetWatermark | ResetEscrows | ResetQuarantineState, "Watermark, Escrows, QuarantineState"},
		{ResetFull, "Full"},
		{ResetFull | ResetForceDeletes, "Full, ForceDeletes"},
		{ResetConnectorDataStore, "ConnectorDataStore"},
	} {
		b, err := json.Marshal(tc.s)
		if err != nil || string(b) != `"`+tc.want+`"` {
			t.Errorf("%d: %s, %v; want %q", tc.s, b, err, tc.want)
		}
		var back ResetScope
		if err := json.Unmarshal(b, &back); err != nil || back != tc.s {
			t.Errorf("%s back to %d, %v", b, back, err)
		}
	}
	if s, err := ParseResetScope("escrows,WATERMARK"); err != nil || s != ResetEscrows|ResetWatermark {
		t.Errorf("ParseResetScope = %v, %v", s, err)
	}
	// Names add up in any order: Full after ForceDeletes keeps it.
	if s, err := ParseResetScope("ForceDeletes, Full"); err != nil || s != ResetFull|ResetForceDeletes {
		t.Errorf("ParseResetScope(ForceDeletes, Full) = %v, %v", s, err)
	}
	if _, err := ParseResetScope("Everything"); err == nil {
		t.Error("unknown name parsed")
	}
	if _, err := json.Marshal(ResetScope(1 << 9)); err == nil {
		t.Error("undocumented flag encoded")
	}
}

func TestValidateIsEdmDuration(t *testing.T) {
	for d, ok := range map[Duration]bool{
		"": true, "PT40M": true, "P1D": true, "P14DT2H": true, "PT30.5S": true, MaxDuration: true, "-PT1S": true,
		"P2W": false, "P1M": false, "P1Y": false, "P0Y": false, "P0W1D": false, "P1Y2M3DT4H": false, "PT": false, "5m": false,
	} {
		if err := d.Validate(); (err == nil) != ok {
			t.Errorf("Validate(%q) = %v, want ok %v", d, err, ok)
		}
	}
}

// Pinned by the mutation run (#17 item 9): overflow, a unit without its
// number, and years and months (valid text, no fixed length).
func TestDurationEdges(t *testing.T) {
	for d, want := range map[Duration]string{
		"P300000D":            "overflow", // 300,000 days > 292 years
		"P106751D":            "",         // just fits
		"P106752D":            "overflow",
		"-P106751DT23H47M16S": "",
		"PT9223372037S":       "overflow",
		"PT5":                 "syntax",
		"P5":                  "syntax",
		"P1Y":                 "no fixed length",
		"P2M":                 "no fixed length",
		"P0Y0M1D":             "",
		"P1W":                 "",
	} {
		_, err := d.Duration()
		switch want {
		case "":
			if err != nil {
				t.Errorf("%s: %v", d, err)
			}
		case "overflow":
			if !errors.Is(err, ErrDurationOverflow) {
				t.Errorf("%s: err = %v, want ErrDurationOverflow", d, err)
			}
		default:
			if err == nil || errors.Is(err, ErrDurationOverflow) || (want == "no fixed length" && !strings.Contains(err.Error(), want)) {
				t.Errorf("%s: err = %v, want a %s error", d, err, want)
			}
		}
	}
	if got, _ := Duration("P1W").Duration(); got != 7*24*time.Hour {
		t.Errorf("P1W = %v", got)
	}
}
