package graphtest

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// exprValue is the value of an expression: nil is null (an attribute
// the test object does not have); a single-valued result holds one
// string, a multivalued attribute several.
type exprValue []string

// first returns the first value, and whether there is one.
func (v exprValue) first() (string, bool) {
	if len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// evaluator evaluates a parsed expression against a test object's
// attribute values, for parseExpression. exprEvaluator is the one
// graphtest uses: basicEvaluator, which evaluates the functions of its
// table; a fuller evaluator takes its place here.
type evaluator interface {
	evaluate(n *exprNode, input map[string]exprValue) (exprValue, error)
}

var exprEvaluator evaluator = basicEvaluator{functions: basicFunctions}

// errNotEvaluated is the evaluation error of a function basicEvaluator
// has no entry for, or a form of one it does not evaluate.
var errNotEvaluated = errors.New("graphtest does not evaluate")

// basicEvaluator evaluates attributes, constants, comparisons and the
// functions in its table. Arguments are evaluated first; an empty one is
// null.
type basicEvaluator struct {
	functions map[string]func(args []exprValue) (exprValue, error)
}

func (e basicEvaluator) evaluate(n *exprNode, input map[string]exprValue) (exprValue, error) {
	switch n.kind {
	case kindAttribute:
		if v, ok := input[n.name]; ok {
			return v, nil
		}
		for k, v := range input {
			if strings.EqualFold(k, n.name) {
				return v, nil
			}
		}
		return nil, nil
	case kindConstant:
		return exprValue{n.name}, nil
	}
	args := make([]exprValue, len(n.args))
	for i, a := range n.args {
		if a == nil {
			continue
		}
		v, err := e.evaluate(a, input)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	if cmp, ok := comparisonOf(n.name); ok {
		return boolValue(cmp(args[0], args[1])), nil
	}
	f, ok := e.functions[n.name]
	if !ok {
		return nil, fmt.Errorf("%w the function '%s'; it parses it only", errNotEvaluated, n.name)
	}
	v, err := f(args)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", n.name, err)
	}
	return v, nil
}

func boolValue(b bool) exprValue {
	if b {
		return exprValue{"True"}
	}
	return exprValue{"False"}
}

func isTrue(v exprValue) bool {
	s, _ := v.first()
	return strings.EqualFold(s, "True")
}

// comparisonOf returns the comparison an operator names: = and <> compare
// text; <, >, <= and >= numbers when both sides are, else text. A null
// side makes every comparison false, as the reference says of IIF.
func comparisonOf(op string) (func(a, b exprValue) bool, bool) {
	order := func(a, b exprValue) (int, bool) {
		x, okx := a.first()
		y, oky := b.first()
		if !okx || !oky {
			return 0, false
		}
		fx, errx := strconv.ParseFloat(x, 64)
		fy, erry := strconv.ParseFloat(y, 64)
		if errx == nil && erry == nil && op != "=" && op != "<>" {
			switch {
			case fx < fy:
				return -1, true
			case fx > fy:
				return 1, true
			}
			return 0, true
		}
		return strings.Compare(x, y), true
	}
	tests := map[string]func(int) bool{
		"=": func(c int) bool { return c == 0 }, "<>": func(c int) bool { return c != 0 },
		"<": func(c int) bool { return c < 0 }, ">": func(c int) bool { return c > 0 },
		"<=": func(c int) bool { return c <= 0 }, ">=": func(c int) bool { return c >= 0 },
	}
	test, ok := tests[op]
	if !ok {
		return nil, false
	}
	return func(a, b exprValue) bool {
		c, ok := order(a, b)
		return ok && test(c)
	}, true
}

// arg returns argument i (null when absent).
func arg(args []exprValue, i int) exprValue {
	if i < len(args) {
		return args[i]
	}
	return nil
}

// intArg reads argument i as an integer.
func intArg(args []exprValue, i int, name string) (int, error) {
	s, ok := arg(args, i).first()
	if !ok {
		return 0, fmt.Errorf("%s is null", name)
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%s %q is not an integer", name, s)
	}
	return n, nil
}

// onSource applies f to the first value of argument 0; a null source
// gives null.
func onSource(f func(s string, args []exprValue) (exprValue, error)) func([]exprValue) (exprValue, error) {
	return func(args []exprValue) (exprValue, error) {
		s, ok := arg(args, 0).first()
		if !ok {
			return nil, nil
		}
		return f(s, args)
	}
}

func one(s string) exprValue { return exprValue{s} }

// basicFunctions are the functions basicEvaluator evaluates, as the
// expression reference describes them, by position of their arguments.
var basicFunctions = map[string]func(args []exprValue) (exprValue, error){
	"Append": onSource(func(s string, args []exprValue) (exprValue, error) {
		suffix, _ := arg(args, 1).first()
		return one(s + suffix), nil
	}),
	"Prepend": func(args []exprValue) (exprValue, error) {
		s, ok := arg(args, 1).first()
		if !ok {
			return nil, nil
		}
		prefix, _ := arg(args, 0).first()
		return one(prefix + s), nil
	},
	// Join joins every value of its sources that is not empty.
	"Join": func(args []exprValue) (exprValue, error) {
		sep, _ := arg(args, 0).first()
		var parts []string
		for _, a := range args[min(1, len(args)):] {
			for _, s := range a {
				if s != "" {
					parts = append(parts, s)
				}
			}
		}
		return one(strings.Join(parts, sep)), nil
	},
	// Replace evaluates three of its forms: find and replacement, find
	// and template, and a regular expression with a replacement.
	"Replace": onSource(func(s string, args []exprValue) (exprValue, error) {
		find, hasFind := arg(args, 1).first()
		pattern, hasPattern := arg(args, 2).first()
		_, hasGroup := arg(args, 3).first()
		replacement, hasReplacement := arg(args, 4).first()
		_, hasReplacementAttr := arg(args, 5).first()
		template, hasTemplate := arg(args, 6).first()
		switch {
		case hasGroup || hasReplacementAttr:
		case hasFind && hasTemplate && !hasPattern:
			return one(strings.ReplaceAll(template, find, s)), nil
		case hasFind && hasReplacement && !hasPattern:
			return one(strings.ReplaceAll(s, find, replacement)), nil
		case hasPattern && hasReplacement && !hasFind:
			re, err := regexp.Compile(pattern)
			if err != nil {
				return nil, fmt.Errorf("the regular expression: %v", err)
			}
			return one(re.ReplaceAllString(s, replacement)), nil
		}
		return nil, fmt.Errorf("%w this form of Replace", errNotEvaluated)
	}),
	"ToLower": onSource(func(s string, _ []exprValue) (exprValue, error) { return one(strings.ToLower(s)), nil }),
	"ToUpper": onSource(func(s string, _ []exprValue) (exprValue, error) { return one(strings.ToUpper(s)), nil }),
	// Not returns False for True, and True for anything else.
	"Not": func(args []exprValue) (exprValue, error) { return boolValue(!isTrue(arg(args, 0))), nil },
	"Mid": onSource(func(s string, args []exprValue) (exprValue, error) {
		start, err := intArg(args, 1, "start")
		if err != nil {
			return nil, err
		}
		length, err := intArg(args, 2, "length")
		if err != nil {
			return nil, err
		}
		r := []rune(s)
		if start < 1 || length < 0 {
			return nil, fmt.Errorf("start %d and length %d are out of range", start, length)
		}
		from := min(start-1, len(r))
		return one(string(r[from:min(from+length, len(r))])), nil
	}),
	"Left": func(args []exprValue) (exprValue, error) {
		s, _ := arg(args, 0).first()
		n, err := intArg(args, 1, "NumChars")
		if err != nil {
			return nil, err
		}
		r := []rune(s)
		if n < 0 || n > len(r) {
			return one(s), nil
		}
		return one(string(r[:n])), nil
	},
	"StripSpaces": onSource(func(s string, _ []exprValue) (exprValue, error) {
		return one(strings.ReplaceAll(s, " ", "")), nil
	}),
	// Coalesce returns its first argument that is not null.
	"Coalesce": func(args []exprValue) (exprValue, error) {
		for _, a := range args {
			if a != nil {
				return a, nil
			}
		}
		return nil, nil
	},
	// Switch compares its source (null as "") with each key, with regard
	// to case, and returns the key's value, or the default.
	"Switch": func(args []exprValue) (exprValue, error) {
		s, _ := arg(args, 0).first()
		if len(args) > 2 && len(args)%2 != 0 {
			return nil, fmt.Errorf("keys and values must come in pairs")
		}
		for i := 2; i+1 < len(args); i += 2 {
			if k, _ := args[i].first(); k == s {
				return args[i+1], nil
			}
		}
		return arg(args, 1), nil
	},
	"IIF": func(args []exprValue) (exprValue, error) {
		if isTrue(arg(args, 0)) {
			return arg(args, 1), nil
		}
		return arg(args, 2), nil
	},
	"IsNull": func(args []exprValue) (exprValue, error) { return boolValue(arg(args, 0) == nil), nil },
	"IsNullOrEmpty": func(args []exprValue) (exprValue, error) {
		s, ok := arg(args, 0).first()
		return boolValue(!ok || s == ""), nil
	},
	"IsPresent": func(args []exprValue) (exprValue, error) {
		s, ok := arg(args, 0).first()
		return boolValue(ok && s != ""), nil
	},
	"Split": onSource(func(s string, args []exprValue) (exprValue, error) {
		sep, ok := arg(args, 1).first()
		if !ok || sep == "" {
			return one(s), nil
		}
		return strings.Split(s, sep), nil
	}),
}
