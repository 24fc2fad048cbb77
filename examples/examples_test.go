// Package examples_test runs every example program as a reader would, with
// go run and nothing configured: each must finish offline, against the
// fake Graph, with exit status 0 and its usual output.
package examples_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestExamplesRunOffline(t *testing.T) {
	for dir, want := range map[string]string{
		"./quickstart": "paused   schedule Paused, status Paused",
		"./provision":  "u-01: Success (action Create)",
		"./bulk":       "12 request(s) in",
		"./inbound":    "map[create success:75]",
	} {
		t.Run(dir, func(t *testing.T) {
			cmd := exec.Command("go", "run", dir)
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "GOCACHE=" + goEnv(t, "GOCACHE"),
				"GOMODCACHE=" + goEnv(t, "GOMODCACHE"), "GOFLAGS=" + os.Getenv("GOFLAGS"), "GOPROXY=" + goEnv(t, "GOPROXY")}
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(out), want) {
				t.Fatalf("go run %s: %v\n%s", dir, err, out)
			}
		})
	}
}

func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}
