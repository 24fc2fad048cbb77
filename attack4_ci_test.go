package graphsync_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Attack (issue #21 items 13/14, "a failing Redis setup fails CI"): when
// redis-server is missing and cannot be installed (apt-get fails, or
// there is no apt-get), .ci/run says so, does not set
// REDISLIMIT_REQUIRE_SERVER, and the Redis limiter's tests skip: CI
// passes without having run them. Here every go command of the script is
// a stub that succeeds (as go test does when those tests skip), and
// apt-get a stub that fails; the script must still fail.
func TestAttack4CIFailsWhenRedisCannotBeSetUp(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	dirname, err := exec.LookPath("dirname")
	if err != nil {
		t.Skip("no dirname")
	}
	for _, withAptGet := range []bool{true, false} {
		bin := t.TempDir()
		log := filepath.Join(t.TempDir(), "go.log")
		stub := func(name, script string) {
			if err := os.WriteFile(filepath.Join(bin, name), []byte("#!"+bash+"\n"+script), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		stub("go", `echo "go $* REDISLIMIT_REQUIRE_SERVER=${REDISLIMIT_REQUIRE_SERVER:-}" >> `+log+"\nexit 0\n")
		if withAptGet {
			stub("apt-get", "echo 'E: Unable to locate package redis-server' >&2\nexit 100\n")
		}
		if err := os.Symlink(dirname, filepath.Join(bin, "dirname")); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bash, ".ci/run")
		cmd.Env = []string{"PATH=" + bin, "HOME=" + t.TempDir()}
		out, err := cmd.CombinedOutput()
		ran, _ := os.ReadFile(log)
		if err == nil {
			t.Errorf("apt-get present: %v; .ci/run succeeded although redis-server could not be set up and the Redis tests did not run\n%s\ngo commands:\n%s",
				withAptGet, out, strings.TrimSpace(string(ran)))
		}
	}
}
