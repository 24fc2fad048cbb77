package expression

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/graphsync/graphsync/internal/printable"
)

// usLayout is how the page's date functions write a date and time: its
// .NET format "M/d/yyyy h:mm:ss tt", always in UTC.
const usLayout = "1/2/2006 3:04:05 PM"

func formatUS(t time.Time) string { return t.UTC().Format(usLayout) }

var (
	isoDate = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})` +
		`(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?` +
		`\s*(Z|[+-]\d{2}(?::?\d{2})?)?$`)
	usDate = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})` +
		`(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp][Mm]))?)?` +
		`\s*(Z|[+-]\d{2}(?::?\d{2})?)?$`)
)

var errDate = errors.New("not a date")

// parseDate reads a date and time as CDate does, in the forms the page's
// examples use: ISO 8601 (2009-06-15T01:45:30-07:00, 2021-08-24, a date
// with an offset and no time as Workday writes it, 2020-03-16-07:00, a
// space for the T), and the page's own output form (8/25/2021 5:41:18 PM).
// A time without an offset is taken as UTC.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var year, month, day, hour, minute, sec, nanos int
	var zone string
	if m := isoDate.FindStringSubmatch(s); m != nil {
		year, month, day = atoi(m[1]), atoi(m[2]), atoi(m[3])
		hour, minute, sec = atoi(m[4]), atoi(m[5]), atoi(m[6])
		if m[7] != "" {
			nanos = atoi((m[7] + "000000000")[:9])
		}
		zone = m[8]
	} else if m := usDate.FindStringSubmatch(s); m != nil {
		month, day, year = atoi(m[1]), atoi(m[2]), atoi(m[3])
		hour, minute, sec = atoi(m[4]), atoi(m[5]), atoi(m[6])
		if ampm := strings.ToUpper(m[7]); ampm != "" {
			if hour < 1 || hour > 12 {
				return time.Time{}, errDate
			}
			hour %= 12
			if ampm == "PM" {
				hour += 12
			}
		}
		zone = m[8]
	} else {
		return time.Time{}, errDate
	}
	offset, ok := parseOffset(zone)
	if !ok {
		return time.Time{}, errDate
	}
	return makeTime(year, month, day, hour, minute, sec, nanos, offset)
}

// parseOffset reads Z, ±hh, ±hhmm or ±hh:mm as seconds east of UTC; ""
// is UTC.
func parseOffset(z string) (int, bool) {
	if z == "" || z == "Z" {
		return 0, true
	}
	sign := 1
	if z[0] == '-' {
		sign = -1
	}
	digits := strings.ReplaceAll(z[1:], ":", "")
	h, m := atoi(digits[:2]), 0
	if len(digits) == 4 {
		m = atoi(digits[2:])
	}
	if h > 14 || m > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60), true
}

// makeTime builds the UTC time of a date and time at offset seconds east
// of UTC, refusing components out of range (time.Date would roll them
// over) and years outside 1 to 9999, .NET's range.
func makeTime(year, month, day, hour, minute, sec, nanos, offset int) (time.Time, error) {
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nanos, time.UTC)
	if t.Year() != year || int(t.Month()) != month || t.Day() != day || t.Hour() != hour ||
		t.Minute() != minute || t.Second() != sec || year < 1 || year > 9999 {
		return time.Time{}, errDate
	}
	return t.Add(-time.Duration(offset) * time.Second), nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// date evaluates argument i as a date (see parseDate); ok is false when
// it is null.
func (c *callCtx) date(i int) (t time.Time, ok bool, err error) {
	s, ok, err := c.text(i)
	if err != nil || !ok {
		return time.Time{}, false, err
	}
	t, err = parseDate(s)
	if err != nil {
		return time.Time{}, false, c.fail(c.name(i) + " " + printable.Quote(s, 60) + " is not a date this evaluator reads " +
			"(ISO 8601, or M/d/yyyy h:mm:ss tt)")
	}
	return t, true, nil
}

// CDate: page "CDate": the date in UTC, written M/d/yyyy h:mm:ss tt.
func evalCDate(c *callCtx) (Value, error) {
	t, ok, err := c.date(0)
	if err != nil || !ok {
		return Null(), err
	}
	return Single(formatUS(t)), nil
}

// Now: page "Now": EvalOptions.Now in UTC, written M/d/yyyy h:mm:ss tt.
func evalNow(c *callCtx) (Value, error) { return Single(formatUS(c.e.now())), nil }

// DateAdd: page "DateAdd": the intervals yyyy, m, d, ww, h, n and s; a
// month or year added to the 31st (or 29 February) ends on the last day of
// the month, as .NET's AddMonths does.
func evalDateAdd(c *callCtx) (Value, error) {
	interval, err := c.textOr(0, "")
	if err != nil {
		return Value{}, err
	}
	n, nok, err := c.integer(1)
	if err != nil {
		return Value{}, err
	}
	t, ok, err := c.date(2)
	if err != nil || !ok || !nok {
		return Null(), err
	}
	const maxUnits = 1 << 40 // far past 9999 years in seconds; keeps the arithmetic exact
	if n > maxUnits || n < -maxUnits {
		return Value{}, c.fail("value " + strconv.FormatInt(n, 10) + " is out of range")
	}
	unit := map[string]int64{"d": 86400, "ww": 7 * 86400, "h": 3600, "n": 60, "s": 1}[interval]
	var r time.Time
	inRange := true
	switch interval {
	case "yyyy":
		r, inRange = addMonths(t, n*12)
	case "m":
		r, inRange = addMonths(t, n)
	case "d", "ww", "h", "n", "s":
		r = time.Unix(t.Unix()+n*unit, int64(t.Nanosecond())).UTC()
	default:
		return Value{}, c.fail("interval " + printable.Quote(interval, 20) + " is none of yyyy, m, d, ww, h, n, s")
	}
	if !inRange || r.Year() < 1 || r.Year() > 9999 {
		return Value{}, c.fail("the date falls outside the years 1 to 9999")
	}
	return Single(formatUS(r)), nil
}

// addMonths adds n months as .NET does: the day kept, or the month's last
// day when the month is shorter.
func addMonths(t time.Time, n int64) (time.Time, bool) {
	total := int64(t.Year())*12 + int64(t.Month()-1) + n
	if total < 12 || total >= 10000*12 {
		return time.Time{}, false
	}
	y, m := int(total/12), time.Month(total%12+1)
	last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Date(y, m, min(t.Day(), last), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC), true
}

// DateDiff: page "DateDiff": date2 minus date1 in whole intervals, as
// the page's table counts them: d, h, n and s the elapsed time truncated
// toward zero; m and yyyy the calendar months and years between
// (boundaries crossed); ww the weeks between the Sundays that start the
// two dates' weeks (which is how the table's -493 comes about).
func evalDateDiff(c *callCtx) (Value, error) {
	interval, err := c.textOr(0, "")
	if err != nil {
		return Value{}, err
	}
	t1, ok1, err := c.date(1)
	if err != nil {
		return Value{}, err
	}
	t2, ok2, err := c.date(2)
	if err != nil || !ok1 || !ok2 {
		return Null(), err
	}
	secs, nanos := t2.Unix()-t1.Unix(), t2.Nanosecond()-t1.Nanosecond()
	if secs > 0 && nanos < 0 {
		secs--
	} else if secs < 0 && nanos > 0 {
		secs++
	}
	var r int64
	switch interval {
	case "d":
		r = secs / 86400
	case "h":
		r = secs / 3600
	case "n":
		r = secs / 60
	case "s":
		r = secs
	case "m":
		r = int64(t2.Year()-t1.Year())*12 + int64(t2.Month()-t1.Month())
	case "yyyy":
		r = int64(t2.Year() - t1.Year())
	case "ww":
		w1 := t1.Truncate(24*time.Hour).AddDate(0, 0, -int(t1.Weekday()))
		w2 := t2.Truncate(24*time.Hour).AddDate(0, 0, -int(t2.Weekday()))
		r = (w2.Unix() - w1.Unix()) / (7 * 86400)
	default:
		return Value{}, c.fail("interval " + printable.Quote(interval, 20) + " is none of yyyy, m, d, ww, h, n, s")
	}
	return Single(strconv.FormatInt(r, 10)), nil
}

// fileTimeEpoch is 1601-01-01 UTC in Unix seconds: Active Directory's
// dates count 100-nanosecond ticks from it.
const fileTimeEpoch = -11644473600

// DateFromNum: page "DateFromNum": an Active Directory date (ticks of 100
// ns since 1601) as a date, written M/d/yyyy h:mm:ss tt.
func evalDateFromNum(c *callCtx) (Value, error) {
	ticks, ok, err := c.integer(0)
	if err != nil || !ok {
		return Null(), err
	}
	if ticks < 0 {
		return Value{}, c.fail("value " + strconv.FormatInt(ticks, 10) + " is negative")
	}
	t := time.Unix(fileTimeEpoch+ticks/10_000_000, ticks%10_000_000*100).UTC()
	if t.Year() > 9999 {
		return Value{}, c.fail("value " + strconv.FormatInt(ticks, 10) + " falls after the year 9999")
	}
	return Single(formatUS(t)), nil
}

// NumFromDate: page "NumFromDate": a date (see parseDate) as an Active
// Directory date: ticks of 100 ns since 1601-01-01 UTC.
func evalNumFromDate(c *callCtx) (Value, error) {
	t, ok, err := c.date(0)
	if err != nil || !ok {
		return Null(), err
	}
	if t.Year() < 1601 {
		return Value{}, c.fail("dates before 1601 have no Active Directory form")
	}
	ticks := (t.Unix()-fileTimeEpoch)*10_000_000 + int64(t.Nanosecond()/100)
	return Single(strconv.FormatInt(ticks, 10)), nil
}

// FormatDateTime: page "FormatDateTime": source read with the .NET custom
// format inputFormat, written with outputFormat (see netFormat for the
// specifiers). A source with an offset is converted to UTC. dateTimeStyles
// may name .NET DateTimeStyles; blanks around the source are always
// allowed and the others change nothing offline.
func evalFormatDateTime(c *callCtx) (Value, error) {
	styles, err := c.textOr(1, "")
	if err != nil {
		return Value{}, err
	}
	for st := range strings.SplitSeq(styles, ",") {
		if st = strings.TrimSpace(st); st != "" && !dateTimeStyles[strings.TrimPrefix(st, "DateTimeStyles.")] {
			return Value{}, c.fail("dateTimeStyles " + printable.Quote(st, 40) + " is no .NET DateTimeStyles name")
		}
	}
	in, err := c.textOr(2, "")
	if err != nil {
		return Value{}, err
	}
	out, err := c.textOr(3, "")
	if err != nil {
		return Value{}, err
	}
	s, ok, err := c.text(0)
	if err != nil || !ok {
		return Null(), err
	}
	inTokens, err := netFormat(in)
	if err != nil {
		return Value{}, c.fail("inputFormat " + printable.Quote(in, 40) + ": " + err.Error())
	}
	outTokens, err := netFormat(out)
	if err != nil {
		return Value{}, c.fail("outputFormat " + printable.Quote(out, 40) + ": " + err.Error())
	}
	t, err := parseNet(strings.TrimSpace(s), inTokens, c.e.now())
	if err != nil {
		return Value{}, c.fail("source " + printable.Quote(s, 60) + " does not match inputFormat " +
			printable.Quote(in, 40) + ": " + err.Error())
	}
	return Single(formatNet(t, outTokens)), nil
}

var dateTimeStyles = map[string]bool{
	"None": true, "AllowLeadingWhite": true, "AllowTrailingWhite": true, "AllowInnerWhite": true,
	"AllowWhiteSpaces": true, "NoCurrentDateDefault": true, "AdjustToUniversal": true,
	"AssumeLocal": true, "AssumeUniversal": true, "RoundtripKind": true,
}
