package graphtest

import "testing"

func TestEdmDuration(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"PT40M", "PT40M"},
		{"PT30S", "PT30S"},
		{"P1D", "P1D"},
		{"PT60M", "PT1H"},
		{"PT24H", "P1D"},
		{"P1DT0H", "P1D"},
		{"P0D", "PT0S"},
		{"PT0S", "PT0S"},
		{"-PT0S", "PT0S"},
		{"PT1.5S", "PT1.5S"},
		{"PT0.123456789S", "PT0.1234567S"}, // .NET keeps 100 ns
		{"PT90061S", "P1DT1H1M1S"},
		{"P14D", "P14D"},
		{"-PT1M12.6316819S", "-PT1M12.6316819S"},
		{"P10675199DT2H48M5.4775807S", "P10675199DT2H48M5.4775807S"},   // TimeSpan.MaxValue
		{"-P10675199DT2H48M5.4775808S", "-P10675199DT2H48M5.4775808S"}, // TimeSpan.MinValue
	} {
		got, err := edmDuration(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("edmDuration(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{
		"", "P", "PT", "P1DT", "1D", "+P1D", "p1d", "P1d",
		"P2W", "P1M", "P1Y", "P1Y2M3D", "P1W2D", // weeks, months, years: not Edm.Duration
		"PT1H1H", "PT1M1H", "P1DT1D", "PT1.5M", "PT.5S", "PT1.S", "P1.5D", "PT1,5S",
		"P10675199DT2H48M5.4775808S", "P10675200D", "PT2147483648S", // past TimeSpan or int32
		"P99999999999999999999D", " PT1M", "PT1M ",
	} {
		if got, err := edmDuration(in); err == nil {
			t.Errorf("edmDuration(%q) = %q, want an error", in, got)
		}
	}
}
