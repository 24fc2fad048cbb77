package models

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Duration is an ISO 8601 duration exactly as Graph writes it, for example
// "PT40M", "P1D" or "P10675199DT2H48M5.4775807S".
//
// It keeps the text it was decoded from, so a job read from Graph and written
// back sends the same characters, even for values that do not fit a
// time.Duration. The largest such value, .NET's TimeSpan.MaxValue
// (MaxDuration), is what Graph uses for "no interval": about 29,000 years,
// a hundred times more than time.Duration can hold.
//
// Decoding JSON validates the syntax; Duration reports whether the value
// fits a time.Duration.
type Duration string

// MaxDuration is .NET TimeSpan.MaxValue, Graph's "never" interval.
const MaxDuration Duration = "P10675199DT2H48M5.4775807S"

// ErrDurationOverflow is returned by Duration.Duration when the value is too
// large for a time.Duration.
var ErrDurationOverflow = errors.New("models: ISO 8601 duration does not fit time.Duration")

// NewDuration formats d as an ISO 8601 duration of days, hours, minutes and
// seconds, the form Graph writes ("PT40M", "P1D", "PT1.5S").
func NewDuration(d time.Duration) Duration {
	if d == 0 {
		return "PT0S"
	}
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
	}
	u := uint64(d)
	if d < 0 {
		u = uint64(-(d + 1)) + 1 // safe for math.MinInt64
	}
	const (
		sec  = uint64(time.Second)
		min  = 60 * sec
		hour = 60 * min
		day  = 24 * hour
	)
	b.WriteByte('P')
	if days := u / day; days > 0 {
		b.WriteString(strconv.FormatUint(days, 10))
		b.WriteByte('D')
	}
	u %= day
	if u == 0 {
		return Duration(b.String())
	}
	b.WriteByte('T')
	if h := u / hour; h > 0 {
		b.WriteString(strconv.FormatUint(h, 10))
		b.WriteByte('H')
	}
	u %= hour
	if m := u / min; m > 0 {
		b.WriteString(strconv.FormatUint(m, 10))
		b.WriteByte('M')
	}
	u %= min
	if u > 0 {
		b.WriteString(strconv.FormatUint(u/sec, 10))
		if frac := u % sec; frac > 0 {
			f := fmt.Sprintf("%09d", frac)
			b.WriteByte('.')
			b.WriteString(strings.TrimRight(f, "0"))
		}
		b.WriteByte('S')
	}
	return Duration(b.String())
}

// String returns the ISO 8601 text.
func (d Duration) String() string { return string(d) }

// IsMax reports whether d is TimeSpan.MaxValue, Graph's "never".
func (d Duration) IsMax() bool { return d == MaxDuration }

// Duration converts d to a time.Duration. It returns ErrDurationOverflow
// (wrapped) when the value is larger than time.Duration can hold, as
// MaxDuration is, and a syntax error for text that is not an ISO 8601
// duration. Years and months have no fixed length and are refused unless
// zero. The empty Duration converts to 0.
func (d Duration) Duration() (time.Duration, error) {
	if d == "" {
		return 0, nil
	}
	p, err := parseISODuration(string(d))
	if err != nil {
		return 0, err
	}
	if p.years != 0 || p.months != 0 {
		return 0, fmt.Errorf("models: duration %q has years or months, which have no fixed length", string(d))
	}
	// Sum in nanoseconds with overflow checks.
	total := uint64(0)
	add := func(n, unit uint64) bool {
		if n != 0 && unit > math.MaxUint64/n {
			return false
		}
		v := n * unit
		if total > math.MaxUint64-v {
			return false
		}
		total += v
		return true
	}
	ok := add(p.weeks, 7*24*uint64(time.Hour)) &&
		add(p.days, 24*uint64(time.Hour)) &&
		add(p.hours, uint64(time.Hour)) &&
		add(p.minutes, uint64(time.Minute)) &&
		add(p.seconds, uint64(time.Second)) &&
		add(p.nanos, 1)
	limit := uint64(math.MaxInt64)
	if p.negative {
		limit++
	}
	if !ok || total > limit {
		return 0, fmt.Errorf("%w: %q", ErrDurationOverflow, string(d))
	}
	if p.negative {
		return -time.Duration(total-1) - 1, nil
	}
	return time.Duration(total), nil
}

// Validate reports whether d is a duration Graph takes: an OData
// Edm.Duration, [-]P[nD][T[nH][nM][n[.f]S]]. ISO 8601's years, months
// and weeks are refused (Graph answers 400 to them); write 14 days as
// "P14D", or use NewDuration.
func (d Duration) Validate() error {
	if d == "" {
		return nil
	}
	v, err := parseISODuration(string(d))
	if err != nil {
		return err
	}
	if v.years != 0 || v.months != 0 || v.weeks != 0 || strings.ContainsAny(strings.SplitN(string(d), "T", 2)[0], "YWM") {
		return fmt.Errorf("models: duration %q uses years, months or weeks, which Graph's Edm.Duration does not take", string(d))
	}
	return nil
}

// UnmarshalJSON accepts a JSON string holding an ISO 8601 duration, or null
// (the empty Duration). The text is kept as sent.
func (d *Duration) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = ""
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("models: duration must be a JSON string: %w", err)
	}
	if s != "" {
		if _, err := parseISODuration(s); err != nil {
			return err
		}
	}
	*d = Duration(s)
	return nil
}

type isoDuration struct {
	negative                                   bool
	years, months, weeks, days, hours, minutes uint64
	seconds, nanos                             uint64
}

// parseISODuration parses [-]PnYnMnWnDTnHnMn[.f]S. Each number may be as
// large as uint64 holds; only the seconds may have a fraction (up to 9
// digits are kept, more are truncated: .NET writes 7).
func parseISODuration(s string) (isoDuration, error) {
	var p isoDuration
	bad := func(why string) (isoDuration, error) {
		return isoDuration{}, fmt.Errorf("models: invalid ISO 8601 duration %q: %s", s, why)
	}
	rest := s
	if strings.HasPrefix(rest, "-") {
		p.negative = true
		rest = rest[1:]
	}
	if !strings.HasPrefix(rest, "P") {
		return bad("missing P")
	}
	rest = rest[1:]
	if rest == "" {
		return bad("no components")
	}
	inTime := false
	seen := 0
	order := "YMWDTHMS"
	last := -1
	for rest != "" {
		if rest[0] == 'T' {
			if inTime {
				return bad("T twice")
			}
			inTime = true
			rest = rest[1:]
			if rest == "" {
				return bad("T without time components")
			}
			continue
		}
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 {
			return bad("expected a number")
		}
		intPart := rest[:i]
		frac := ""
		if i < len(rest) && (rest[i] == '.' || rest[i] == ',') {
			j := i + 1
			for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
				j++
			}
			frac = rest[i+1 : j]
			if frac == "" {
				return bad("empty fraction")
			}
			i = j
		}
		if i >= len(rest) {
			return bad("number without a unit")
		}
		unit := rest[i]
		rest = rest[i+1:]
		n, err := strconv.ParseUint(intPart, 10, 64)
		if err != nil {
			return bad("number too large")
		}
		var pos int
		switch {
		case !inTime && unit == 'Y':
			pos, p.years = 0, n
		case !inTime && unit == 'M':
			pos, p.months = 1, n
		case !inTime && unit == 'W':
			pos, p.weeks = 2, n
		case !inTime && unit == 'D':
			pos, p.days = 3, n
		case inTime && unit == 'H':
			pos, p.hours = 5, n
		case inTime && unit == 'M':
			pos, p.minutes = 6, n
		case inTime && unit == 'S':
			pos, p.seconds = 7, n
		default:
			return bad(fmt.Sprintf("unexpected unit %q", unit))
		}
		if pos <= last {
			return bad("units out of order or repeated")
		}
		last = pos
		if frac != "" {
			if order[pos] != 'S' {
				return bad("only seconds may have a fraction")
			}
			if len(frac) > 9 {
				frac = frac[:9]
			}
			frac += strings.Repeat("0", 9-len(frac))
			p.nanos, _ = strconv.ParseUint(frac, 10, 64)
		}
		seen++
	}
	if seen == 0 {
		return bad("no components")
	}
	return p, nil
}
