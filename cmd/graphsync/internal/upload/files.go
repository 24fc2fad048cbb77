package upload

import (
	"os"
	"path/filepath"
	"slices"
)

// sameFile reports whether the paths a and b name the same file, however
// spelt: the same clean absolute path once the symbolic links of its
// directory are resolved (the file need not exist yet), or, for files
// that exist, the same file to the system (os.SameFile: a hard link, a
// link to it, a name that differs only in letter case on a file system
// that ignores it).
func sameFile(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if canonicalPath(a) == canonicalPath(b) {
		return true
	}
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}

// canonicalPath is p absolute and clean, with the symbolic links of its
// directory resolved where it exists.
func canonicalPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	dir, base := filepath.Split(abs)
	if d, err := filepath.EvalSymlinks(dir); err == nil {
		return filepath.Join(d, base)
	}
	return abs
}

// checkFiles refuses a run whose files overlap: the state, its journal
// (-journal, or -state's path and ".journal") and the journal without
// -state are written, and none of them may be the export (-csv) or the
// mapping (-map), nor the state its journal.
func (cfg *config) checkFiles() error {
	type file struct{ flag, path string }
	var written, read []file
	if cfg.statePath != "" {
		written = append(written, file{"-state", cfg.statePath})
		j := file{"-journal", cfg.journalPath}
		if j.path == "" {
			j = file{"the journal of -state", cfg.statePath + ".journal"}
		}
		written = append(written, j)
	} else if cfg.journalPath != "" {
		written = append(written, file{"-journal", cfg.journalPath})
	}
	if cfg.csvPath != "" && cfg.csvPath != "-" {
		read = append(read, file{"-csv", cfg.csvPath})
	}
	if cfg.mapPath != "" {
		read = append(read, file{"-map", cfg.mapPath})
	}
	for i, w := range written {
		for _, o := range append(slices.Clone(written[i+1:]), read...) {
			if sameFile(w.path, o.path) {
				return usagef("%s (%s) and %s (%s) are the same file; they must be two files", w.flag, w.path, o.flag, o.path)
			}
		}
	}
	return nil
}
