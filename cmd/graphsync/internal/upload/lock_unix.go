//go:build unix

package upload

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockState takes the lock of the state at path: an exclusive flock on
// the file path+".lock" (created 0600, never through a symbolic link, and
// left in place: removing it would let two runs lock two files). The
// system releases it when the process ends, however it ends, so a run
// killed with -9 leaves no stale lock. A run that finds it held is refused
// at once: two runs on one state would each send what the other sends,
// and the state written last would lose the other's outcomes.
func lockState(path string) (unlock func(), err error) {
	name := path + ".lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, fmt.Errorf("the lock of %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another graphsync upload is running with the state %s (it holds %s); "+
				"run one at a time: two runs would each send what the other sends", path, name)
		}
		return nil, fmt.Errorf("the lock of %s: %s: %w", path, name, err)
	}
	return func() { f.Close() }, nil
}
