package graphsync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"net/url"
	"strings"

	abs "github.com/microsoft/kiota-abstractions-go"
)

// list fetches a collection and every page after it. Every page must be
// an object with a value array; a nextLink is followed only to the
// Client's own scheme, host and port.
func list[T any](ctx context.Context, c *Client, r *request) ([]T, error) {
	var all []T
	err := eachPage(ctx, c, r, func(page []T) bool {
		all = append(all, page...)
		return true
	})
	if err != nil {
		return nil, err
	}
	if all == nil {
		all = []T{}
	}
	return all, nil
}

// eachPage fetches a collection page by page, calling fn with each page's
// items until fn returns false or the last page has been seen. Every page
// must be an object with a value array of at most r.pageSize items
// (maxPageItems when 0), refused before more are decoded, so that one
// page, whatever the server sends, costs the memory of that many items;
// a nextLink is followed only to the Client's own scheme, host and port,
// and the walk ends with an error at the first link it has already
// followed (a loop) or after maxPages pages. The pages are one call for
// telemetry. It returns nil when fn stopped the walk.
func eachPage[T any](ctx context.Context, c *Client, r *request, fn func([]T) bool) (err error) {
	ctx, r.call = c.obs.begin(ctx, r.op)
	defer func() { r.call.end(err) }()
	limit := r.pageSize
	if limit <= 0 {
		limit = maxPageItems
	}
	seen := newLinkSet()
	if u, err := c.requestURL(r); err == nil {
		seen.add(u)
	}
	for page := 1; ; page++ {
		resp, err := c.do(ctx, r)
		if err != nil {
			return err
		}
		items, next, err := decodePage[T](resp.body, limit)
		if err != nil {
			// The error may quote the page: cleaned, secrets taken out.
			return resp.fail(fmt.Sprintf("graphsync: page %d %v", page, err), err)
		}
		if !fn(items) || next == "" {
			return nil
		}
		u, err := url.Parse(next)
		if err != nil || !u.IsAbs() {
			return fmt.Errorf("graphsync: page %d has an unusable @odata.nextLink", page)
		}
		if err := c.origin.check(u); err != nil {
			return fmt.Errorf("graphsync: not following page %d's @odata.nextLink: %w", page, err)
		}
		if !seen.add(u) {
			return fmt.Errorf("graphsync: page %d's @odata.nextLink leads to a page already read (a loop); stopping", page)
		}
		if page >= maxPages {
			return fmt.Errorf("graphsync: more than %d pages; stopping", maxPages)
		}
		r = &request{op: r.op, method: abs.GET, rawURL: next, call: r.call}
	}
}

// maxPageItems bounds the items of a page when the call asked for no page
// size: the largest page Graph documents for the synchronization API and
// the provisioning logs ($top up to 1000).
const maxPageItems = 1000

// linkSet remembers the pages of a walk by a hash of their URL: a server
// cannot make it hold its long links, nor (the seed is random) make two
// links collide.
type linkSet struct {
	seed maphash.Seed
	seen map[uint64]struct{}
}

func newLinkSet() linkSet { return linkSet{seed: maphash.MakeSeed(), seen: map[uint64]struct{}{}} }

// add reports whether u was new. The fragment is not part of it: it is
// never sent, so a link that differs only there is the same page.
func (s linkSet) add(u *url.URL) bool {
	v := *u
	v.Fragment, v.RawFragment = "", ""
	h := maphash.String(s.seed, v.String())
	if _, ok := s.seen[h]; ok {
		return false
	}
	s.seen[h] = struct{}{}
	return true
}

// decodePage reads a page of a collection: its value array, decoding the
// items one at a time and refusing the page as soon as it holds more than
// limit, and its @odata.nextLink. The error says what is wrong with the
// page, after "page N".
func decodePage[T any](body []byte, limit int) (items []T, next string, err error) {
	if isNoValue(body) {
		return nil, "", errors.New("is empty or null")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	bad := func(err error) ([]T, string, error) { return nil, "", fmt.Errorf("cannot be decoded: %w", err) }
	if tok, err := dec.Token(); err != nil {
		return bad(err)
	} else if tok != json.Delim('{') {
		return bad(fmt.Errorf("%T instead of an object", tok))
	}
	sawValue := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return bad(err)
		}
		switch key, _ := tok.(string); {
		case strings.EqualFold(key, "value"):
			if tok, err := dec.Token(); err != nil {
				return bad(err)
			} else if tok != json.Delim('[') {
				return nil, "", errors.New("has no value array")
			}
			sawValue = true
			for dec.More() {
				if len(items) == limit {
					return nil, "", fmt.Errorf("holds more than %d items, more than a page can (refused unread)", limit)
				}
				var v T
				if err := dec.Decode(&v); err != nil {
					return bad(err)
				}
				items = append(items, v)
			}
			if _, err := dec.Token(); err != nil { // ]
				return bad(err)
			}
		case strings.EqualFold(key, "@odata.nextLink"):
			var link *string
			if err := dec.Decode(&link); err != nil {
				return bad(err)
			}
			if link != nil {
				next = *link
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return bad(err)
			}
		}
	}
	if _, err := dec.Token(); err != nil { // }
		return bad(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return bad(errors.New("data after the object"))
	}
	if !sawValue {
		return nil, "", errors.New("has no value array")
	}
	if items == nil {
		items = []T{}
	}
	return items, next, nil
}

const maxPages = 10000
