package expression

import (
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/graphsync/graphsync/internal/printable"
)

// implementations evaluates each function of the table. Each reads its
// arguments through the callCtx, so that only the arguments it needs are
// evaluated (IIF's other branch, Switch's other values, Coalesce's sources
// after the first not null, SelectUniqueValue's later rules).
var implementations map[string]func(c *callCtx) (Value, error)

func init() {
	implementations = map[string]func(c *callCtx) (Value, error){
		"Append":                    evalAppend,
		"AppRoleAssignments":        evalAppRoleAssignments,
		"AppRoleAssignmentsComplex": evalAppRoleAssignments,
		"BitAnd":                    evalBitAnd,
		"CBool":                     evalCBool,
		"CDate":                     evalCDate,
		"Coalesce":                  evalCoalesce,
		"ConvertToBase64":           evalConvertToBase64,
		"ConvertToUTF8Hex":          evalConvertToUTF8Hex,
		"Count":                     evalCount,
		"CStr":                      evalCStr,
		"DateAdd":                   evalDateAdd,
		"DateDiff":                  evalDateDiff,
		"DateFromNum":               evalDateFromNum,
		"DefaultDomain":             evalDefaultDomain,
		"FormatDateTime":            evalFormatDateTime,
		"Guid":                      evalGuid,
		"IgnoreFlowIfNullOrEmpty":   evalIgnoreFlowIfNullOrEmpty,
		"IIF":                       evalIIF,
		"InStr":                     evalInStr,
		"IsNothing":                 evalIsNull,
		"IsNull":                    evalIsNull,
		"IsNullOrEmpty":             evalIsNullOrEmpty,
		"IsPresent":                 evalIsPresent,
		"IsString":                  evalIsString,
		"Item":                      evalItem,
		"Join":                      evalJoin,
		"Left":                      evalLeft,
		"Mid":                       evalMid,
		"NormalizeDiacritics":       evalNormalizeDiacritics,
		"Not":                       evalNot,
		"Now":                       evalNow,
		"NumFromDate":               evalNumFromDate,
		"PCase":                     evalPCase,
		"Prepend":                   evalPrepend,
		"RandomString":              evalRandomString,
		"Redact":                    evalRedact,
		"RemoveDuplicates":          evalRemoveDuplicates,
		"Replace":                   evalReplace,
		"SelectUniqueValue":         evalSelectUniqueValue,
		"SingleAppRoleAssignment":   evalSingleAppRoleAssignment,
		"Split":                     evalSplit,
		"StripSpaces":               evalStripSpaces,
		"Switch":                    evalSwitch,
		"ToLower":                   evalToLower,
		"ToUpper":                   evalToUpper,
		"Word":                      evalWord,
	}
}

// stringFunc evaluates a function of one string (argument 0): null gives
// null, otherwise f's result.
func stringFunc(c *callCtx, f func(string) (string, error)) (Value, error) {
	s, ok, err := c.text(0)
	if err != nil || !ok {
		return Null(), err
	}
	r, err := f(s)
	if err != nil {
		return Value{}, err
	}
	return Single(r), nil
}

// Append: page "Append". Null source gives null; a null suffix appends
// nothing.
func evalAppend(c *callCtx) (Value, error) {
	suffix, err := c.textOr(1, "")
	if err != nil {
		return Value{}, err
	}
	return stringFunc(c, func(s string) (string, error) { return s + suffix, nil })
}

// Prepend (Graph's list only): the prefix, then the source.
func evalPrepend(c *callCtx) (Value, error) {
	prefix, err := c.textOr(0, "")
	if err != nil {
		return Value{}, err
	}
	s, ok, err := c.text(1)
	if err != nil || !ok {
		return Null(), err
	}
	return Single(prefix + s), nil
}

// AppRoleAssignmentsComplex (and Graph's AppRoleAssignments): offline the
// input holds the user's app role assignments as strings, as
// parseExpression's testInputObject does; the value is all of them,
// multi-valued. Graph sends each as a complex role object to the app.
func evalAppRoleAssignments(c *callCtx) (Value, error) {
	v, err := c.arg(0)
	if err != nil || v.IsNull() {
		return Null(), err
	}
	return Multi(v.items...), nil
}

// SingleAppRoleAssignment: page "SingleAppRoleAssignment". The page
// supports one assignment; with several, the first is returned.
func evalSingleAppRoleAssignment(c *callCtx) (Value, error) {
	v, err := c.arg(0)
	if err != nil || len(v.items) == 0 {
		return Null(), err
	}
	return Single(v.items[0]), nil
}

// BitAnd: page "BitAnd", on whole numbers, decimal or &H hexadecimal.
func evalBitAnd(c *callCtx) (Value, error) {
	a, ok1, err := c.integer(0)
	if err != nil {
		return Value{}, err
	}
	b, ok2, err := c.integer(1)
	if err != nil || !ok1 || !ok2 {
		return Null(), err
	}
	return Single(strconv.FormatInt(a&b, 10)), nil
}

// CBool: page "CBool": True for True (any case) or a number not zero,
// False for False or zero; null is False.
func evalCBool(c *callCtx) (Value, error) {
	s, ok, err := c.text(0)
	if err != nil || !ok {
		return Single(boolText(false)), err
	}
	b, ok := parseBool(s)
	if !ok {
		return Value{}, c.fail(printable.Quote(s, 40) + " is neither True, False nor a number")
	}
	return Single(boolText(b)), nil
}

// Coalesce: page "Coalesce": the first source that is not null (the
// page's defaultValue is the last source: the same rule picks it).
func evalCoalesce(c *callCtx) (Value, error) {
	for i := range c.n.Args {
		v, err := c.arg(i)
		if err != nil || !v.IsNull() {
			return v, err
		}
	}
	return Null(), nil
}

// ConvertToBase64: page "ConvertToBase64": the string's UTF-16
// little-endian code units (.NET's Unicode encoding), in base 64.
func evalConvertToBase64(c *callCtx) (Value, error) {
	return stringFunc(c, func(s string) (string, error) {
		units := utf16.Encode([]rune(s))
		b := make([]byte, 0, 2*len(units))
		for _, u := range units {
			b = append(b, byte(u), byte(u>>8))
		}
		return base64.StdEncoding.EncodeToString(b), nil
	})
}

// ConvertToUTF8Hex: page "ConvertToUTF8Hex": the UTF-8 bytes in
// upper-case hexadecimal.
func evalConvertToUTF8Hex(c *callCtx) (Value, error) {
	return stringFunc(c, func(s string) (string, error) { return strings.ToUpper(hex.EncodeToString([]byte(s))), nil })
}

// Count: page "Count": the number of items; a single value is 1, null 0.
func evalCount(c *callCtx) (Value, error) {
	v, err := c.arg(0)
	if err != nil {
		return Value{}, err
	}
	return Single(strconv.Itoa(len(v.items))), nil
}

// CStr: page "CStr": values are strings already.
func evalCStr(c *callCtx) (Value, error) {
	return stringFunc(c, func(s string) (string, error) { return s, nil })
}

// Redact: page "Redact": the value is unchanged; Graph writes "[Redact]"
// in its provisioning logs in its place, which does not arise offline.
func evalRedact(c *callCtx) (Value, error) { return c.arg(0) }

// DefaultDomain (Graph's list only): the tenant's default domain, from
// EvalOptions.
func evalDefaultDomain(c *callCtx) (Value, error) {
	if c.e.opts.DefaultDomain == "" {
		return Value{}, c.fail("the tenant's default domain is not known offline: set EvalOptions.DefaultDomain")
	}
	return Single(c.e.opts.DefaultDomain), nil
}

// IgnoreFlowIfNullOrEmpty: page "IgnoreFlowIfNullOrEmpty": null, the
// empty string or no items leave the attribute out of the flow.
func evalIgnoreFlowIfNullOrEmpty(c *callCtx) (Value, error) {
	v, err := c.arg(0)
	if err != nil {
		return Value{}, err
	}
	if nullOrEmpty(v) {
		return ignored(), nil
	}
	return v, nil
}

func nullOrEmpty(v Value) bool {
	return len(v.items) == 0 || len(v.items) == 1 && v.items[0] == ""
}

// IIF: page "IIF". As its known limitations say, the condition check
// fails when an attribute it reads is null or empty: that is an error
// here, naming the attribute and the page's workaround (Switch).
func evalIIF(c *callCtx) (Value, error) {
	var bad *Node
	walk(c.n.Args[0], func(n Node) {
		if n.Kind == Attribute && bad == nil && nullOrEmpty(c.e.in[n.Name]) {
			bad = &n
		}
	})
	if bad != nil {
		return Value{}, &EvalError{Pos: bad.Pos, Func: "IIF", Msg: "the condition reads " +
			printable.Quote("["+bad.Name+"]", 60) + ", which is null or empty, and IIF's condition check then fails " +
			"(the reference page's known limitation; it suggests Switch)"}
	}
	s, _, err := c.text(0)
	if err != nil {
		return Value{}, err
	}
	b, ok := parseBool(s)
	if !ok {
		return Value{}, c.fail("the condition is " + printable.Quote(s, 40) + ", neither True nor False")
	}
	if b {
		return c.arg(1)
	}
	return c.arg(2)
}

// InStr: page "InStr": the position, from 1 and in characters, of value2
// in value1 from start (1 by default); 0 when absent. compareType
// vbTextCompare (or 1) ignores case; vbBinaryCompare (or 0, the default)
// does not. Null value1 gives null.
func evalInStr(c *callCtx) (Value, error) {
	hay, ok, err := c.text(0)
	if err != nil || !ok {
		return Null(), err
	}
	needle, err := c.textOr(1, "")
	if err != nil {
		return Value{}, err
	}
	start := int64(1)
	if n, ok, err := c.integer(2); err != nil {
		return Value{}, err
	} else if ok {
		start = n
	}
	if start < 1 {
		return Value{}, c.fail("start " + strconv.FormatInt(start, 10) + " is below 1")
	}
	fold := false
	if t, ok, err := c.text(3); err != nil {
		return Value{}, err
	} else if ok {
		switch strings.TrimSpace(t) {
		case "vbBinaryCompare", "0":
		case "vbTextCompare", "1":
			fold = true
		default:
			return Value{}, c.fail("compareType " + printable.Quote(t, 40) + " is neither vbBinaryCompare nor vbTextCompare")
		}
	}
	runes := []rune(hay)
	if start > int64(len(runes))+1 {
		return Single("0"), nil
	}
	rest := string(runes[start-1:])
	if fold {
		// Folded once, each rune to one rune, the two are searched as
		// they are: rune counts are kept, and the search is
		// strings.Index's, not a comparison at every position.
		rest, needle = foldRunes(rest), foldRunes(needle)
	}
	i := strings.Index(rest, needle)
	if i < 0 {
		return Single("0"), nil
	}
	return Single(strconv.FormatInt(start+int64(utf8.RuneCountInString(rest[:i])), 10)), nil
}

// foldRunes maps each rune of s to foldRune of it, so that two strings
// are equal under strings.EqualFold exactly when their foldRunes are
// equal; an invalid byte reads as U+FFFD, as range and []rune read it.
func foldRunes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// foldRune returns the smallest rune of r's simple case-folding orbit:
// two runes are equal under strings.EqualFold exactly when their
// foldRune is the same.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' {
			r -= 'a' - 'A'
		}
		return r
	}
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	return least
}

// IsNull: page "IsNull": True when null (an attribute the object lacks).
// Graph's IsNothing is read the same way.
func evalIsNull(c *callCtx) (Value, error) {
	v, err := c.arg(0)
	return Single(boolText(v.IsNull())), err
}

// IsNullOrEmpty: page "IsNullorEmpty": True when null, the empty string,
// or no items.
func evalIsNullOrEmpty(c *callCtx) (Value, error) {
	v, err := c.arg(0)
	return Single(boolText(nullOrEmpty(v))), err
}

// IsPresent: page "IsPresent": the inverse of IsNullOrEmpty.
func evalIsPresent(c *callCtx) (Value, error) {
	v, err := c.arg(0)
	return Single(boolText(!nullOrEmpty(v))), err
}

// IsString: page "IsString": True for a single string (not null, not
// multi-valued).
func evalIsString(c *callCtx) (Value, error) {
	v, err := c.arg(0)
	return Single(boolText(v.kind == singleValue)), err
}

// Item: page "Item": item index, counted from 1 as the page's example
// does ("Index 0 shouldn't be used": it is an error); past the last item
// gives null.
func evalItem(c *callCtx) (Value, error) {
	v, err := c.arg(0)
	if err != nil {
		return Value{}, err
	}
	i, ok, err := c.integer(1)
	if err != nil || !ok || v.IsNull() {
		return Null(), err
	}
	if i < 1 {
		return Value{}, c.fail("index " + strconv.FormatInt(i, 10) + ": the first item is 1")
	}
	if i > int64(len(v.items)) {
		return Null(), nil
	}
	return Single(v.items[i-1]), nil
}

// Join: page "Join" and the page's example "Add a comma between last
// name and first name": the sources' strings, every item of a
// multi-valued one, empty and null ones left out, separated by separator.
func evalJoin(c *callCtx) (Value, error) {
	sep, err := c.textOr(0, "")
	if err != nil {
		return Value{}, err
	}
	var b strings.Builder
	first := true
	for i := 1; i < len(c.n.Args); i++ {
		v, err := c.arg(i)
		if err != nil {
			return Value{}, err
		}
		for _, s := range v.items {
			if s == "" {
				continue
			}
			if !first {
				b.WriteString(sep)
			}
			first = false
			b.WriteString(s)
			if b.Len() > c.e.max {
				return Value{}, c.e.tooLarge(c.n, c.f.Name)
			}
		}
	}
	if first {
		return Single(""), nil
	}
	return Single(b.String()), nil
}

// Left: page "Left", in characters: NumChars 0 gives "", below 0 the
// whole string, null String "".
func evalLeft(c *callCtx) (Value, error) {
	s, ok, err := c.text(0)
	if err != nil {
		return Value{}, err
	}
	n, nok, err := c.integer(1)
	if err != nil {
		return Value{}, err
	}
	if !ok {
		return Single(""), nil
	}
	if !nok || n < 0 {
		return Single(s), nil
	}
	r := []rune(s)
	if n >= int64(len(r)) {
		return Single(s), nil
	}
	return Single(string(r[:n])), nil
}

// Mid: page "Mid", in characters: start from 1; a length past the end
// stops at the end; a start past the end gives "". A start below 1 or a
// negative length is an error.
func evalMid(c *callCtx) (Value, error) {
	s, ok, err := c.text(0)
	if err != nil {
		return Value{}, err
	}
	start, sok, err := c.integer(1)
	if err != nil {
		return Value{}, err
	}
	length, lok, err := c.integer(2)
	if err != nil || !ok {
		return Null(), err
	}
	if !sok || !lok {
		return Value{}, c.fail("start and length must be numbers, not null")
	}
	if start < 1 {
		return Value{}, c.fail("start " + strconv.FormatInt(start, 10) + ": the first character is 1")
	}
	if length < 0 {
		return Value{}, c.fail("length " + strconv.FormatInt(length, 10) + " is negative")
	}
	r := []rune(s)
	if start > int64(len(r)) {
		return Single(""), nil
	}
	// start-1+length could wrap past the largest int64: compare length
	// with what is left instead.
	rest := r[start-1:]
	if length < int64(len(rest)) {
		rest = rest[:length]
	}
	return Single(string(rest)), nil
}

// Not: page "Not": False for True (any case), True otherwise, null
// included.
func evalNot(c *callCtx) (Value, error) {
	s, _, err := c.text(0)
	if err != nil {
		return Value{}, err
	}
	return Single(boolText(!strings.EqualFold(strings.TrimSpace(s), "True"))), nil
}

// PCase: page "PCase": the first letter of each word upper case, every
// other letter lower case (the page's examples lower even words that
// .NET's ToTitleCase would keep as acronyms). Words are separated by the
// characters of wordSeparators, or, without it, by the Unicode categories
// the page lists.
func evalPCase(c *callCtx) (Value, error) {
	seps, hasSeps, err := c.text(1)
	if err != nil {
		return Value{}, err
	}
	isSep := defaultWordSeparator
	if hasSeps {
		isSep = func(r rune) bool { return strings.ContainsRune(seps, r) }
	}
	return stringFunc(c, func(s string) (string, error) {
		var b strings.Builder
		start := true
		for _, r := range s {
			switch {
			case isSep(r):
				b.WriteRune(r)
				start = true
			case start:
				b.WriteRune(unicode.ToUpper(r))
				start = false
			default:
				b.WriteRune(unicode.ToLower(r))
			}
		}
		return b.String(), nil
	})
}

// defaultWordSeparator: PCase's separators without wordSeparators, the
// categories the page lists: spaces (and line and paragraph separators),
// controls, format characters, and every punctuation and symbol category.
func defaultWordSeparator(r rune) bool {
	return unicode.In(r, unicode.Z, unicode.Cc, unicode.Cf, unicode.P, unicode.S)
}

// RemoveDuplicates: page "RemoveDuplicates": each item once, first
// occurrences in order, compared exactly.
func evalRemoveDuplicates(c *callCtx) (Value, error) {
	v, err := c.arg(0)
	if err != nil || v.kind != multiValue {
		return v, err
	}
	seen := make(map[string]bool, len(v.items))
	var out []string
	for _, s := range v.items {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return Multi(out...), nil
}

// SelectUniqueValue: page "SelectUniqueValue": the first rule's value
// that EvalOptions.IsUnique accepts; rules giving null or "" are skipped.
// When none is free the entry is escrowed: an error.
func evalSelectUniqueValue(c *callCtx) (Value, error) {
	var tried []string
	for i := range c.n.Args {
		s, ok, err := c.text(i)
		if err != nil {
			return Value{}, err
		}
		if !ok || s == "" {
			continue
		}
		if c.e.opts.IsUnique == nil || c.e.opts.IsUnique(s) {
			return Single(s), nil
		}
		tried = append(tried, printable.Quote(s, 60))
	}
	return Value{}, c.fail("no rule gave a value free in the target (tried " + strings.Join(tried, ", ") +
		"): the entry is escrowed")
}

// Split: page "Split": the source cut at each delimiter, multi-valued.
// Blanks around each item are trimmed, as the page's example shows
// ("PermissionSetOne, PermissionSetTwo" gives "PermissionSetTwo"); an
// empty delimiter leaves the source whole.
func evalSplit(c *callCtx) (Value, error) {
	delim, err := c.textOr(1, "")
	if err != nil {
		return Value{}, err
	}
	s, ok, err := c.text(0)
	if err != nil || !ok {
		return Null(), err
	}
	parts := []string{s}
	if delim != "" {
		parts = strings.Split(s, delim)
	}
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return Multi(parts...), nil
}

// StripSpaces: page "StripSpaces": every " " removed.
func evalStripSpaces(c *callCtx) (Value, error) {
	return stringFunc(c, func(s string) (string, error) { return strings.ReplaceAll(s, " ", ""), nil })
}

// Switch: page "Switch": the value after the first key equal to the
// source (exactly, with regard to case), else defaultValue (null when
// omitted). A null source matches the key "", as the page's caution and
// IIF's workaround use it.
func evalSwitch(c *callCtx) (Value, error) {
	src, err := c.textOr(0, "")
	if err != nil {
		return Value{}, err
	}
	for i := 2; i+1 < len(c.n.Args); i += 2 {
		key, err := c.textOr(i, "")
		if err != nil {
			return Value{}, err
		}
		if key == src {
			return c.arg(i + 1)
		}
	}
	return c.arg(1)
}

// ToLower: page "ToLower": invariant rules, or Turkish and Azeri ones for
// a culture tr… or az… (dotted and dotless i).
func evalToLower(c *callCtx) (Value, error) { return changeCase(c, true) }

// ToUpper: page "ToUpper", as ToLower.
func evalToUpper(c *callCtx) (Value, error) { return changeCase(c, false) }

func changeCase(c *callCtx, lower bool) (Value, error) {
	culture, err := c.textOr(1, "")
	if err != nil {
		return Value{}, err
	}
	lang := strings.ToLower(strings.TrimSpace(culture))
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	f := unicode.ToUpper
	switch turkish := lang == "tr" || lang == "az"; {
	case turkish && lower:
		f = unicode.TurkishCase.ToLower
	case turkish:
		f = unicode.TurkishCase.ToUpper
	case lower:
		f = unicode.ToLower
	}
	return stringFunc(c, func(s string) (string, error) { return strings.Map(f, s), nil })
}

// Word: page "Word": word WordNumber (from 1) of String, words being the
// runs of characters between any of delimiters (empty runs are no
// words). "" when String is null, WordNumber is below 1 or past the last
// word.
func evalWord(c *callCtx) (Value, error) {
	s, ok, err := c.text(0)
	if err != nil {
		return Value{}, err
	}
	n, nok, err := c.integer(1)
	if err != nil {
		return Value{}, err
	}
	delims, err := c.textOr(2, "")
	if err != nil {
		return Value{}, err
	}
	if !ok || !nok || n < 1 {
		return Single(""), nil
	}
	words := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(delims, r) })
	if n > int64(len(words)) {
		return Single(""), nil
	}
	return Single(words[n-1]), nil
}

// NormalizeDiacritics: page "NormalizeDiacritics": each letter of the
// page's table replaced by its normalized letters, and combining
// diacritical marks (U+0300 to U+036F) dropped, which covers the table's
// letters written with them.
func evalNormalizeDiacritics(c *callCtx) (Value, error) {
	return stringFunc(c, func(s string) (string, error) {
		var b strings.Builder
		for _, r := range s {
			switch {
			case r >= 0x300 && r <= 0x36f:
			case diacritics[r] != "":
				b.WriteString(diacritics[r])
			default:
				b.WriteRune(r)
			}
		}
		return b.String(), nil
	})
}

// diacritics maps each precomposed letter of the page's table (and œ,
// whose macron form the table lists) to its normalized letters.
var diacritics = func() map[rune]string {
	table := []struct{ to, from string }{
		{"a", "äàâãåáąăāǟǡ"}, {"A", "ÄÀÂÃÅÁĄĂĀǞǠ"},
		{"ae", "æǣ"}, {"AE", "ÆǢ"},
		{"c", "çčć"}, {"C", "ÇČĆ"},
		{"d", "ďḏ"}, {"D", "ĎḎ"},
		{"e", "ëèéêęěėēḗḕ"}, {"E", "ËÈÉÊĘĚĖĒḖḔ"},
		{"g", "ğḡ"}, {"G", "ĞḠ"},
		{"i", "ïîìíıī"}, {"I", "ÏÎÌÍİĪ"},
		{"l", "ľłḹḻ"}, {"L", "ŁĽḸḺ"},
		{"n", "ñńňṉ"}, {"N", "ÑŃŇṈ"},
		{"o", "öòőõôóōṓṑȫǭȭȱ"}, {"O", "ÖÒŐÕÔÓŌṒṐȪǬȬȰ"},
		{"oe", "øœ"}, {"OE", "ØŒ"},
		{"r", "řṟṝ"}, {"R", "ŘṞṜ"},
		{"ss", "ß"},
		{"s", "šśșş"}, {"S", "ŠŚȘŞ"},
		{"t", "ťțṯ"}, {"T", "ŤȚṮ"},
		{"u", "üùûúůűūǖṻṳ"}, {"U", "ÜÙÛÚŮŰŪǕṺṲ"},
		{"y", "ÿýȳ"}, {"Y", "ŸÝȲ"},
		{"z", "źžżẕ"}, {"Z", "ŹŽŻẔ"},
	}
	m := make(map[rune]string)
	for _, t := range table {
		for _, r := range t.from {
			m[r] = t.to
		}
	}
	return m
}()
