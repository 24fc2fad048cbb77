package expression

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// A token is one part of a .NET date and time format: a specifier letter
// repeated n times, or literal text.
type token struct {
	spec    byte // 0 for literal text
	n       int
	literal string
}

// standardFormats are .NET's one-letter standard formats, in the
// invariant culture, as the custom formats they stand for.
var standardFormats = map[string]string{
	"d": "MM/dd/yyyy", "D": "dddd, dd MMMM yyyy",
	"f": "dddd, dd MMMM yyyy HH:mm", "F": "dddd, dd MMMM yyyy HH:mm:ss",
	"g": "MM/dd/yyyy HH:mm", "G": "MM/dd/yyyy HH:mm:ss",
	"m": "MMMM dd", "M": "MMMM dd",
	"o": "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK", "O": "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
	"r": "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'", "R": "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
	"s": "yyyy'-'MM'-'dd'T'HH':'mm':'ss", "t": "HH:mm", "T": "HH:mm:ss",
	"u": "yyyy'-'MM'-'dd HH':'mm':'ss'Z'", "y": "yyyy MMMM", "Y": "yyyy MMMM",
}

// netFormat splits a .NET date and time format into tokens. It knows the
// custom specifiers d, M, y, h, H, m, s, f, F, t, z and K, the separators
// : and /, literal text in single or double quotes, \ escaping one
// character and % before a lone specifier; every other character is
// literal, as in .NET (so the Z of "yyyyMMddHHmmss.fZ" is a plain Z). A
// format of one letter is .NET's standard format of that name.
func netFormat(f string) ([]token, error) {
	if f == "" {
		return nil, errors.New("the format is empty")
	}
	if len(f) == 1 {
		std, ok := standardFormats[f]
		if !ok {
			return nil, errors.New("no standard format is named " + strconv.Quote(f))
		}
		f = std
	}
	var ts []token
	// A run of literal text is gathered in one builder and becomes one
	// token when a specifier or the end of the format closes it: adding
	// to the token's string each time would copy the run at every
	// character, quadratic in its length.
	var run strings.Builder
	lit := func(s string) { run.WriteString(s) }
	flush := func() {
		if run.Len() > 0 {
			ts = append(ts, token{literal: run.String()})
			run.Reset()
		}
	}
	for i := 0; i < len(f); {
		c := f[i]
		switch c {
		case 'd', 'M', 'y', 'h', 'H', 'm', 's', 'f', 'F', 't', 'z', 'K':
			flush()
			j := i
			for j < len(f) && f[j] == c {
				j++
			}
			n := j - i
			if (c == 'f' || c == 'F') && n > 7 {
				return nil, errors.New("more than 7 " + string(c) + " in a row")
			}
			ts = append(ts, token{spec: c, n: n})
			i = j
		case '\'', '"':
			end := strings.IndexByte(f[i+1:], c)
			if end < 0 {
				return nil, errors.New("a quote is not closed")
			}
			lit(f[i+1 : i+1+end])
			i += end + 2
		case '\\':
			if i+1 >= len(f) {
				return nil, errors.New("the format ends in a backslash")
			}
			lit(f[i+1 : i+2])
			i += 2
		case '%':
			i++
		default:
			lit(f[i : i+1])
			i++
		}
	}
	flush()
	return ts, nil
}

var (
	monthNames = []string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
	dayNames = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

// parseNet reads s with the tokens of a format, as .NET's ParseExact
// would in the invariant culture. A date part the format lacks is taken
// from now; an offset converts the result to UTC.
func parseNet(s string, ts []token, now time.Time) (time.Time, error) {
	now = now.UTC()
	year, month, day := now.Year(), int(now.Month()), now.Day()
	hour, minute, sec, nanos := 0, 0, 0, 0
	ampm, offset := -1, 0
	twelve := false
	digits := func(lo, hi int) (int, error) {
		j := 0
		for j < len(s) && j < hi && isDigit(s[j]) {
			j++
		}
		if j < lo {
			return 0, errors.New("expected " + strconv.Itoa(lo) + " digits at " + strconv.Quote(cut(s)))
		}
		n, _ := strconv.Atoi(s[:j])
		s = s[j:]
		return n, nil
	}
	name := func(names []string, abbreviated bool) (int, error) {
		for i, nm := range names {
			if abbreviated {
				nm = nm[:3]
			}
			if len(s) >= len(nm) && strings.EqualFold(s[:len(nm)], nm) {
				s = s[len(nm):]
				return i, nil
			}
		}
		return 0, errors.New("expected a name at " + strconv.Quote(cut(s)))
	}
	for _, t := range ts {
		var err error
		switch t.spec {
		case 0:
			if !strings.HasPrefix(s, t.literal) {
				return time.Time{}, errors.New("expected " + strconv.Quote(t.literal) + " at " + strconv.Quote(cut(s)))
			}
			s = s[len(t.literal):]
		case 'y':
			switch {
			case t.n == 1:
				year, err = digits(1, 2)
			case t.n == 2:
				year, err = digits(2, 2)
			default:
				year, err = digits(max(t.n, 4), max(t.n, 4))
			}
			if err == nil && t.n <= 2 {
				year += map[bool]int{true: 2000, false: 1900}[year < 50]
			}
		case 'M':
			switch {
			case t.n <= 2:
				month, err = digits(t.n, 2)
			default:
				month, err = name(monthNames, t.n == 3)
				month++
			}
		case 'd':
			switch {
			case t.n <= 2:
				day, err = digits(t.n, 2)
			default:
				_, err = name(dayNames, t.n == 3)
			}
		case 'h', 'H':
			hour, err = digits(min(t.n, 2), 2)
			twelve = t.spec == 'h'
		case 'm':
			minute, err = digits(min(t.n, 2), 2)
		case 's':
			sec, err = digits(min(t.n, 2), 2)
		case 'f', 'F':
			lo := t.n
			if t.spec == 'F' {
				lo = 0
			}
			before := len(s)
			var f int
			f, err = digits(lo, t.n)
			for range t.n - (before - len(s)) {
				f *= 10
			}
			nanos = f * pow10(9-t.n)
		case 't':
			want := 2
			if t.n == 1 {
				want = 1
			}
			if len(s) < want {
				return time.Time{}, errors.New("expected AM or PM at " + strconv.Quote(cut(s)))
			}
			switch strings.ToUpper(s[:1]) {
			case "A":
				ampm = 0
			case "P":
				ampm = 1
			default:
				return time.Time{}, errors.New("expected AM or PM at " + strconv.Quote(cut(s)))
			}
			if want == 2 && !strings.EqualFold(s[1:2], "M") {
				return time.Time{}, errors.New("expected AM or PM at " + strconv.Quote(cut(s)))
			}
			s = s[want:]
		case 'z', 'K':
			if t.spec == 'K' && (s == "" || s[0] != '+' && s[0] != '-' && s[0] != 'Z') {
				break
			}
			if strings.HasPrefix(s, "Z") && t.spec == 'K' {
				s = s[1:]
				break
			}
			offset, err = parseNetOffset(&s, t.n, t.spec == 'K')
		}
		if err != nil {
			return time.Time{}, err
		}
	}
	if s != "" {
		return time.Time{}, errors.New("unexpected " + strconv.Quote(cut(s)) + " after the format's end")
	}
	if twelve || ampm >= 0 {
		if twelve && (hour < 1 || hour > 12) {
			return time.Time{}, errors.New("hour " + strconv.Itoa(hour) + " is not on a 12-hour clock")
		}
		if ampm >= 0 {
			hour = hour%12 + 12*ampm
		}
	}
	t, err := makeTime(year, month, day, hour, minute, sec, nanos, offset)
	if err != nil {
		return time.Time{}, errors.New("the date does not exist")
	}
	return t, nil
}

// parseNetOffset reads the offset of z (±h), zz (±hh), zzz or K (±hh:mm)
// from *s.
func parseNetOffset(s *string, n int, k bool) (int, error) {
	str := *s
	if str == "" || str[0] != '+' && str[0] != '-' {
		return 0, errors.New("expected an offset such as -08:00 at " + strconv.Quote(cut(str)))
	}
	sign := 1 - 2*btoi(str[0] == '-')
	str = str[1:]
	j := 0
	for j < len(str) && j < 2 && isDigit(str[j]) {
		j++
	}
	if j == 0 || (n >= 2 || k) && j < 2 {
		return 0, errors.New("expected an offset such as -08:00 at " + strconv.Quote(cut(*s)))
	}
	h, _ := strconv.Atoi(str[:j])
	str = str[j:]
	m := 0
	if n >= 3 || k {
		if len(str) < 3 || str[0] != ':' || !isDigit(str[1]) || !isDigit(str[2]) {
			return 0, errors.New("expected an offset such as -08:00 at " + strconv.Quote(cut(*s)))
		}
		m, _ = strconv.Atoi(str[1:3])
		str = str[3:]
	}
	if h > 14 || m > 59 {
		return 0, errors.New("the offset is out of range")
	}
	*s = str
	return sign * (h*3600 + m*60), nil
}

// formatNet writes t with the tokens of a format, in the invariant
// culture.
func formatNet(t time.Time, ts []token) string {
	var b strings.Builder
	pad := func(n, width int) {
		s := strconv.Itoa(n)
		for range width - len(s) {
			b.WriteByte('0')
		}
		b.WriteString(s)
	}
	for _, tk := range ts {
		switch tk.spec {
		case 0:
			b.WriteString(tk.literal)
		case 'y':
			switch tk.n {
			case 1:
				pad(t.Year()%100, 1)
			case 2:
				pad(t.Year()%100, 2)
			default:
				pad(t.Year(), tk.n)
			}
		case 'M':
			switch {
			case tk.n <= 2:
				pad(int(t.Month()), tk.n)
			case tk.n == 3:
				b.WriteString(monthNames[t.Month()-1][:3])
			default:
				b.WriteString(monthNames[t.Month()-1])
			}
		case 'd':
			switch {
			case tk.n <= 2:
				pad(t.Day(), tk.n)
			case tk.n == 3:
				b.WriteString(dayNames[t.Weekday()][:3])
			default:
				b.WriteString(dayNames[t.Weekday()])
			}
		case 'h':
			pad((t.Hour()+11)%12+1, min(tk.n, 2))
		case 'H':
			pad(t.Hour(), min(tk.n, 2))
		case 'm':
			pad(t.Minute(), min(tk.n, 2))
		case 's':
			pad(t.Second(), min(tk.n, 2))
		case 'f', 'F':
			frac := strconv.Itoa(t.Nanosecond()/pow10(9-tk.n) + pow10(tk.n))[1:]
			if tk.spec == 'F' {
				frac = strings.TrimRight(frac, "0")
			}
			b.WriteString(frac)
		case 't':
			ampm := "AM"
			if t.Hour() >= 12 {
				ampm = "PM"
			}
			b.WriteString(ampm[:min(tk.n, 2)])
		case 'z', 'K':
			_, off := t.Zone()
			if tk.spec == 'K' && off == 0 && t.Location() == time.UTC {
				b.WriteByte('Z')
				break
			}
			sign := byte('+')
			if off < 0 {
				sign, off = '-', -off
			}
			b.WriteByte(sign)
			switch {
			case tk.spec == 'z' && tk.n == 1:
				pad(off/3600, 1)
			case tk.spec == 'z' && tk.n == 2:
				pad(off/3600, 2)
			default:
				pad(off/3600, 2)
				b.WriteByte(':')
				pad(off%3600/60, 2)
			}
		}
	}
	return b.String()
}

func pow10(n int) int {
	p := 1
	for range n {
		p *= 10
	}
	return p
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// cut shortens s for a message.
func cut(s string) string {
	if len(s) > 20 {
		return s[:20] + "…"
	}
	return s
}
