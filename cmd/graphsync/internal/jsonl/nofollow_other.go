//go:build !unix

package jsonl

import (
	"io/fs"
	"os"
)

// oNoFollow is not available: refuseLink checks before opening instead
// (not atomic, but a link planted beforehand is refused).
const oNoFollow = 0

func refuseLink(path string) error {
	if st, err := os.Lstat(path); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		return linkError(path)
	}
	return nil
}
