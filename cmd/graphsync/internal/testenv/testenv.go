// Package testenv is for the example programs' tests.
package testenv

import (
	"os"
	"strings"
	"testing"
)

// Clear unsets every AZURE_* and GRAPHSYNC_* variable for the rest of the
// test (an empty one would still mean real Graph); they are restored
// afterwards.
func Clear(t testing.TB) {
	t.Helper()
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "AZURE_") || strings.HasPrefix(name, "GRAPHSYNC_") {
			t.Setenv(name, "") // registers the restore
			os.Unsetenv(name)
		}
	}
}
