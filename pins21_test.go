package graphsync_test

// Tests that pin promises the mutation run of issue #21 (root package,
// stronger mutators) found unpinned: each fails if the behaviour it names
// is changed.

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// A nextLink that is not an absolute URL (relative, or not a URL at all)
// is unusable: the walk ends after the page that carried it, with an
// error that says so, instead of resolving it or sending it anywhere.
func TestNextLinkNotAbsoluteIsUnusable(t *testing.T) {
	for _, next := range []string{"/v1.0/servicePrincipals/sp/synchronization/jobs?$skiptoken=2", "http://[::1", "%zz"} {
		var n atomic.Int32
		c := inProcessClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			fmt.Fprintf(w, `{"value":[],"@odata.nextLink":%q}`, next)
		}), nil)
		_, err := c.ListJobs(ctx, "sp")
		if err == nil || !strings.Contains(err.Error(), "page 1 has an unusable @odata.nextLink") || n.Load() != 1 {
			t.Errorf("nextLink %q: %d requests, err = %v", next, n.Load(), err)
		}
	}
}
