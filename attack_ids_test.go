package graphsync_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// ATTACK: hostile IDs stay one path segment, as sent and as a server
// decodes them.
func TestAttackHostileIDs(t *testing.T) {
	c, ts, _ := setup(t, nil)
	var raw []string
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		raw = append(raw, r.RequestURI)
		io.WriteString(w, `{"id":"x"}`)
	})
	for _, id := range []string{"../x", "a/b?c", "%2e%2e", "..%2f..", "a#b", "a;b", "a\\..\\b", " ", "...", "ä/../", "a%00b", "\u2215..", "a?$select=id&x"} {
		raw = nil
		if _, err := c.GetJob(ctx, id, "j"); err != nil {
			t.Errorf("%q: %v", id, err)
			continue
		}
		if len(raw) != 1 {
			t.Errorf("%q: %d requests", id, len(raw))
			continue
		}
		u, err := url.ParseRequestURI(raw[0])
		if err != nil {
			t.Errorf("%q: %v", id, err)
			continue
		}
		segs := strings.Split(u.EscapedPath(), "/")
		if u.RawQuery != "" || len(segs) != 7 {
			t.Errorf("%q sent as %s", id, raw[0])
			continue
		}
		if got, _ := url.PathUnescape(segs[3]); got != id {
			t.Errorf("%q arrived as %q (%s)", id, got, raw[0])
		}
	}
}
