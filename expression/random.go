package expression

import (
	"encoding/binary"
	"encoding/hex"
	"io"
	"strconv"
	"strings"
)

// Guid: page "Guid": a random (version 4) GUID, lower case, as
// 00aa00aa-bb11-cc22-dd33-44ee44ee44ee; the bytes come from
// EvalOptions.Rand.
func evalGuid(c *callCtx) (Value, error) {
	var b [16]byte
	if _, err := io.ReadFull(c.e.rand(), b[:]); err != nil {
		return Value{}, &EvalError{Pos: c.n.Pos, Func: c.f.Name, Msg: "reading random bytes: " + err.Error(), Err: err}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return Single(h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]), nil
}

// The character classes of RandomString: those of Windows' password
// complexity rules, which the page points to (its special characters are
// the ASCII ones).
const (
	randomDigits  = "0123456789"
	randomSpecial = "~!@#$%^&*_-+=`|\\(){}[]:;\"'<>,.?/"
	randomUpper   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	randomLower   = "abcdefghijklmnopqrstuvwxyz"
)

// maxRandomLength is the page's "256 characters max".
const maxRandomLength = 256

// RandomString: page "RandomString": Length characters, at least the
// minimum of each class (numbers, special characters, capitals, lower
// case), the rest from all classes, in random order, none of
// CharactersToAvoid. A Length over 256, a negative number, minimums adding
// up to more than Length, or a class needed but wholly avoided is an
// error.
func evalRandomString(c *callCtx) (Value, error) {
	var n [5]int64
	for i := range n {
		v, ok, err := c.integer(i)
		if err != nil {
			return Value{}, err
		}
		if !ok || v < 0 {
			return Value{}, c.fail(c.name(i) + " must be a number, 0 or more")
		}
		n[i] = v
	}
	avoid, err := c.textOr(5, "")
	if err != nil {
		return Value{}, err
	}
	length := n[0]
	if length > maxRandomLength {
		return Value{}, c.fail("Length " + strconv.FormatInt(length, 10) + " is over " + strconv.Itoa(maxRandomLength))
	}
	// Each minimum is at most Length (at most 256) before they are added,
	// so that the sum cannot wrap around to a small number.
	sum := int64(0)
	for i := 1; i < len(n); i++ {
		if n[i] > length {
			return Value{}, c.fail("the minimums add up to more than Length " + strconv.FormatInt(length, 10) +
				": " + c.name(i) + " alone is " + strconv.FormatInt(n[i], 10))
		}
		sum += n[i]
	}
	if sum > length {
		return Value{}, c.fail("the minimums add up to more than Length " + strconv.FormatInt(length, 10) +
			": to " + strconv.FormatInt(sum, 10))
	}
	keep := func(set string) string {
		return strings.Map(func(r rune) rune {
			if strings.ContainsRune(avoid, r) {
				return -1
			}
			return r
		}, set)
	}
	classes := [4]string{keep(randomDigits), keep(randomSpecial), keep(randomUpper), keep(randomLower)}
	all := strings.Join(classes[:], "")
	out := make([]byte, 0, length)
	r := c.e.rand()
	for i, set := range classes {
		if n[i+1] > 0 && set == "" {
			return Value{}, c.fail(c.name(i+1) + " asks for characters that CharactersToAvoid excludes")
		}
		for range n[i+1] {
			k, err := randIntn(r, len(set))
			if err != nil {
				return Value{}, c.randFail(err)
			}
			out = append(out, set[k])
		}
	}
	for int64(len(out)) < length {
		if all == "" {
			return Value{}, c.fail("CharactersToAvoid excludes every character")
		}
		k, err := randIntn(r, len(all))
		if err != nil {
			return Value{}, c.randFail(err)
		}
		out = append(out, all[k])
	}
	for i := len(out) - 1; i > 0; i-- {
		j, err := randIntn(r, i+1)
		if err != nil {
			return Value{}, c.randFail(err)
		}
		out[i], out[j] = out[j], out[i]
	}
	return Single(string(out)), nil
}

func (c *callCtx) randFail(err error) error {
	return &EvalError{Pos: c.n.Pos, Func: c.f.Name, Msg: "reading random bytes: " + err.Error(), Err: err}
}

// randIntn returns a uniform number in [0, n) read from r, n > 0.
func randIntn(r io.Reader, n int) (int, error) {
	limit := ^uint64(0) - ^uint64(0)%uint64(n)
	var b [8]byte
	for {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 0, err
		}
		if v := binary.LittleEndian.Uint64(b[:]); v < limit {
			return int(v % uint64(n)), nil
		}
	}
}
