package expression

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/graphsync/graphsync/internal/printable"
)

// Replace's arguments, by position (Graph's parameter names).
const (
	rSource = iota
	rFind
	rRegex
	rGroup
	rReplacement
	rReplacementProperty
	rTemplate
)

// Replace: page "Replace", in the five combinations the page documents,
// chosen by which arguments are given (present and not omitted):
//
//	Find, Replacement                    every Find in source becomes Replacement
//	Find, Template                       every Find in Template becomes source
//	RegularExpression, Replacement       every match becomes Replacement, in which
//	                                     $1, ${name}, $& and $$ stand for groups
//	RegularExpression, group, Replacement  every match's group becomes Replacement
//	RegularExpression, group, ReplacementPropertyName
//	                                     source if it has a value, else the group of
//	                                     the first match in that attribute's value
//
// Any other combination is an error, as is an empty Find. The pattern is
// Go's RE2 syntax, which reads the page's patterns ((?<name>…), \d, \s)
// as .NET does but lacks .NET's lookarounds and backreferences: a pattern
// using them is an error. ReplacementPropertyName is an attribute
// reference, as in the page's example ([mobile]), or a string naming the
// attribute. Replacing never builds a value over EvalOptions.MaxValueBytes.
func evalReplace(c *callCtx) (Value, error) {
	var has [rTemplate + 1]bool
	for i := range has {
		has[i] = c.given(i)
	}
	switch {
	case has[rFind] && has[rReplacement] && !has[rRegex] && !has[rGroup] && !has[rReplacementProperty] && !has[rTemplate]:
		return c.replaceText(false)
	case has[rFind] && has[rTemplate] && !has[rRegex] && !has[rGroup] && !has[rReplacement] && !has[rReplacementProperty]:
		return c.replaceText(true)
	case has[rRegex] && has[rReplacement] && !has[rFind] && !has[rReplacementProperty] && !has[rTemplate]:
		return c.replaceRegex(has[rGroup])
	case has[rRegex] && has[rGroup] && has[rReplacementProperty] && !has[rFind] && !has[rReplacement] && !has[rTemplate]:
		return c.replaceFromProperty()
	}
	var given []string
	for i, ok := range has[1:] {
		if ok {
			given = append(given, c.name(i+1))
		}
	}
	return Value{}, c.fail("the arguments given (source, " + strings.Join(given, ", ") + ") are none of the page's " +
		"combinations: Find and Replacement; Find and Template; RegularExpression and Replacement, with or without " +
		"RegularExpressionGroupName; RegularExpression, RegularExpressionGroupName and ReplacementPropertyName")
}

// replaceText replaces Find in source by Replacement, or Find in Template
// by source.
func (c *callCtx) replaceText(template bool) (Value, error) {
	find, err := c.textOr(rFind, "")
	if err != nil {
		return Value{}, err
	}
	if find == "" {
		return Value{}, c.fail("Find is empty")
	}
	other := rReplacement
	if template {
		other = rTemplate
	}
	with, err := c.textOr(other, "")
	if err != nil {
		return Value{}, err
	}
	src, ok, err := c.text(rSource)
	if err != nil || !ok {
		return Null(), err
	}
	in, repl := src, with
	if template {
		in, repl = with, src
	}
	size := len(in) + strings.Count(in, find)*(len(repl)-len(find))
	if size > c.e.max {
		return Value{}, c.e.tooLarge(c.n, c.f.Name)
	}
	return Single(strings.ReplaceAll(in, find, repl)), nil
}

// regex compiles argument rRegex.
func (c *callCtx) regex() (*regexp.Regexp, error) {
	pattern, err := c.textOr(rRegex, "")
	if err != nil {
		return nil, err
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, c.fail("RegularExpression " + printable.Quote(pattern, 60) +
			" is not one Go's RE2 syntax reads (lookarounds and backreferences are .NET's only): " + err.Error())
	}
	return re, nil
}

// replaceRegex replaces every match, or every match's named group, in
// source by Replacement.
func (c *callCtx) replaceRegex(group bool) (Value, error) {
	re, err := c.regex()
	if err != nil {
		return Value{}, err
	}
	repl, err := c.textOr(rReplacement, "")
	if err != nil {
		return Value{}, err
	}
	g := -1
	if group {
		name, err := c.textOr(rGroup, "")
		if err != nil {
			return Value{}, err
		}
		if g = re.SubexpIndex(name); g < 0 {
			return Value{}, c.fail("RegularExpressionGroupName " + printable.Quote(name, 40) + " names no group of the pattern")
		}
	}
	src, ok, err := c.text(rSource)
	if err != nil || !ok {
		return Null(), err
	}
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringSubmatchIndex(src, -1) {
		from, to := m[0], m[1]
		if g >= 0 {
			if from, to = m[2*g], m[2*g+1]; from < 0 {
				continue // the group took no part in this match
			}
			b.WriteString(src[last:from])
			b.WriteString(repl)
		} else {
			b.WriteString(src[last:from])
			expand(&b, repl, src, m, re)
		}
		last = to
		if b.Len() > c.e.max {
			return Value{}, c.e.tooLarge(c.n, c.f.Name)
		}
	}
	b.WriteString(src[last:])
	return Single(b.String()), nil
}

// expand writes a .NET replacement pattern for match m of src: $n and
// ${name} (or ${n}) stand for a group, $& for the match, $$ for $; any
// other $ is literal, as in .NET.
func expand(b *strings.Builder, repl, src string, m []int, re *regexp.Regexp) {
	group := func(i int) {
		if i >= 0 && 2*i+1 < len(m) && m[2*i] >= 0 {
			b.WriteString(src[m[2*i]:m[2*i+1]])
		}
	}
	for i := 0; i < len(repl); i++ {
		if repl[i] != '$' || i+1 == len(repl) {
			b.WriteByte(repl[i])
			continue
		}
		switch next := repl[i+1]; {
		case next == '$':
			b.WriteByte('$')
			i++
		case next == '&':
			group(0)
			i++
		case isDigit(next):
			j := i + 1
			for j < len(repl) && isDigit(repl[j]) && j-i <= 2 {
				j++
			}
			n, _ := strconv.Atoi(repl[i+1 : j])
			if n > re.NumSubexp() {
				b.WriteByte('$')
				continue
			}
			group(n)
			i = j - 1
		case next == '{':
			end := strings.IndexByte(repl[i+2:], '}')
			if end < 0 {
				b.WriteByte('$')
				continue
			}
			name := repl[i+2 : i+2+end]
			k := re.SubexpIndex(name)
			if n, err := strconv.Atoi(name); err == nil && n <= re.NumSubexp() {
				k = n
			}
			if k < 0 {
				b.WriteByte('$')
				continue
			}
			group(k)
			i += 2 + end
		default:
			b.WriteByte('$')
		}
	}
}

// replaceFromProperty returns source if it has a value, else the named
// group of the pattern's first match in the replacement attribute's
// value (null when nothing matches).
func (c *callCtx) replaceFromProperty() (Value, error) {
	src, ok, err := c.text(rSource)
	if err != nil {
		return Value{}, err
	}
	if ok && src != "" {
		return Single(src), nil
	}
	re, err := c.regex()
	if err != nil {
		return Value{}, err
	}
	name, err := c.textOr(rGroup, "")
	if err != nil {
		return Value{}, err
	}
	g := re.SubexpIndex(name)
	if g < 0 {
		return Value{}, c.fail("RegularExpressionGroupName " + printable.Quote(name, 40) + " names no group of the pattern")
	}
	var other string
	if a := c.n.Args[rReplacementProperty]; a.Kind == String {
		v := c.e.in[a.Value]
		if len(v.items) == 0 {
			return Null(), nil
		}
		other = v.items[0]
	} else if other, ok, err = c.text(rReplacementProperty); err != nil || !ok {
		return Null(), err
	}
	m := re.FindStringSubmatchIndex(other)
	if m == nil || m[2*g] < 0 {
		return Null(), nil
	}
	return Single(other[m[2*g]:m[2*g+1]]), nil
}
