package graphtest

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// Tick arithmetic of .NET's TimeSpan, which holds Graph's durations.
const (
	ticksPerSecond = 10_000_000
	ticksPerMinute = 60 * ticksPerSecond
	ticksPerHour   = 60 * ticksPerMinute
	ticksPerDay    = 24 * ticksPerHour
)

// edmDuration parses an OData Edm.Duration and returns it in the canonical
// form .NET writes (XmlConvert.ToString of a TimeSpan: "PT60M" becomes
// "PT1H", zero is "PT0S"). The grammar is XML Schema's dayTimeDuration:
//
//	[-]P[nD][T[nH][nM][n[.f]S]]
//
// with at least one component, and at least one after a T. Weeks, months
// and years are not part of it. Each number must fit an int32 and the
// whole a TimeSpan (at most P10675199DT2H48M5.4775807S); fractions of a
// second beyond 100 ns are truncated, as .NET does.
func edmDuration(s string) (string, error) {
	rest := s
	neg := strings.HasPrefix(rest, "-")
	if neg {
		rest = rest[1:]
	}
	if !strings.HasPrefix(rest, "P") {
		return "", errors.New("missing P")
	}
	rest = rest[1:]
	var ticks uint64
	components := 0
	// take reads digits followed by unit, if rest starts with them.
	take := func(unit byte, perUnit uint64, fraction bool) error {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		j := i
		if fraction && j < len(rest) && rest[j] == '.' {
			j++
			for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
				j++
			}
			if j == i+1 {
				return errors.New("empty fraction")
			}
		}
		if i == 0 || j >= len(rest) || rest[j] != unit {
			return nil // not this component
		}
		n, err := strconv.ParseUint(rest[:i], 10, 64)
		if err != nil || n > math.MaxInt32 {
			return errors.New("number too large")
		}
		frac := rest[i:j]
		rest = rest[j+1:]
		components++
		if n > math.MaxUint64/perUnit || ticks > math.MaxUint64-n*perUnit {
			return errors.New("too large for a TimeSpan")
		}
		ticks += n * perUnit
		if len(frac) > 1 {
			digits := (frac[1:] + "0000000")[:7]
			f, _ := strconv.ParseUint(digits, 10, 64)
			ticks += f
		}
		return nil
	}
	if err := take('D', ticksPerDay, false); err != nil {
		return "", err
	}
	if strings.HasPrefix(rest, "T") {
		rest = rest[1:]
		before := components
		for _, c := range []struct {
			unit     byte
			perUnit  uint64
			fraction bool
		}{{'H', ticksPerHour, false}, {'M', ticksPerMinute, false}, {'S', ticksPerSecond, true}} {
			if err := take(c.unit, c.perUnit, c.fraction); err != nil {
				return "", err
			}
		}
		if components == before {
			return "", errors.New("no hours, minutes or seconds after T")
		}
	}
	if rest != "" {
		return "", errors.New("unexpected " + strconv.Quote(rest))
	}
	if components == 0 {
		return "", errors.New("no components")
	}
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	if ticks > limit {
		return "", errors.New("too large for a TimeSpan")
	}
	return formatTicks(neg && ticks != 0, ticks), nil
}

// formatTicks writes a TimeSpan of ticks (its magnitude) as .NET's
// XmlConvert.ToString does.
func formatTicks(neg bool, ticks uint64) string {
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteByte('P')
	if d := ticks / ticksPerDay; d > 0 {
		b.WriteString(strconv.FormatUint(d, 10) + "D")
	}
	ticks %= ticksPerDay
	if ticks == 0 {
		if b.Len() == len("P") { // zero (never negative)
			return "PT0S"
		}
		return b.String()
	}
	b.WriteByte('T')
	if h := ticks / ticksPerHour; h > 0 {
		b.WriteString(strconv.FormatUint(h, 10) + "H")
	}
	ticks %= ticksPerHour
	if m := ticks / ticksPerMinute; m > 0 {
		b.WriteString(strconv.FormatUint(m, 10) + "M")
	}
	ticks %= ticksPerMinute
	if ticks > 0 {
		b.WriteString(strconv.FormatUint(ticks/ticksPerSecond, 10))
		if f := ticks % ticksPerSecond; f > 0 {
			b.WriteString("." + strings.TrimRight(strconv.FormatUint(f+ticksPerSecond, 10)[1:], "0"))
		}
		b.WriteByte('S')
	}
	return b.String()
}
