// Package jsonl is the example programs' journal file: JSON lines, each
// written whole and synced before Write returns, read back line by line
// whatever their length.
//
// A journal is a file, but operators read it on a terminal too (tail -f,
// grep): every rune in its strings that a terminal could interpret is
// written as a \u escape (internal/printable's JSON), as in the programs'
// -json output. The values read back are exactly those written.
//
// A journal is opened only as the file itself, never through a symbolic
// link at its path (O_NOFOLLOW where the system has it), for writing and
// for reading: a link planted there would have the program append to, or
// resume from, a file of someone else's choosing. A new journal is created
// 0600; one that its group or others may read is warned of, since it
// holds the tenant's object IDs and Graph's messages.
package jsonl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"

	"github.com/graphsync/graphsync/internal/printable"
)

// Writer appends JSON lines to a file. It is safe for concurrent use.
type Writer struct {
	mu sync.Mutex
	f  *os.File
}

// Open opens path for appending, creating it (0600) if need be. A torn
// last line left by a killed writer is ended first, so that it cannot glue
// onto the next line. A path that is a symbolic link is refused, with an
// error naming it. When the file's group or others may read it, warn (if
// not nil) is called with a sentence saying so.
func Open(path string, warn func(string)) (*Writer, error) {
	f, err := openFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600, warn)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
			if _, err := f.Write([]byte("\n")); err != nil {
				f.Close()
				return nil, err
			}
		}
	}
	return &Writer{f: f}, nil
}

// Write appends v as one JSON line, in one write, and syncs the file: the
// line is either whole on disk when Write returns, or the error says why
// not. A process killed during the write leaves at most a torn last line.
func (w *Writer) Write(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b = printable.JSON(b)
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, err := w.f.Write(append(b, '\n')); err != nil {
		return err
	}
	return w.f.Sync()
}

// Close closes the file.
func (w *Writer) Close() error { return w.f.Close() }

// Read calls each with every line of path that is not blank, with its
// line number, and stops at the first error each returns. A missing file
// has no lines. Lines have no length limit. A path that is a symbolic
// link (even a dangling one) is refused, and warn is called as by Open.
func Read(path string, warn func(string), each func(n int, line []byte) error) error {
	f, err := openFile(path, os.O_RDONLY, 0, warn)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	for n := 1; ; n++ {
		b, err := br.ReadBytes('\n')
		if err != nil && err != io.EOF {
			return fmt.Errorf("%s: %w", path, err)
		}
		if len(bytes.TrimSpace(b)) > 0 {
			if err := each(n, b); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

// openFile opens path without following a symbolic link at its last
// element, and warns when its group or others may read it.
func openFile(path string, flag int, perm os.FileMode, warn func(string)) (*os.File, error) {
	if err := refuseLink(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, flag|oNoFollow, perm)
	if err != nil {
		if st, lerr := os.Lstat(path); lerr == nil && st.Mode()&fs.ModeSymlink != 0 {
			return nil, linkError(path)
		}
		return nil, err
	}
	if st, err := f.Stat(); err == nil && st.Mode().Perm()&0o044 != 0 && warn != nil {
		warn(fmt.Sprintf("warning: the journal %s may be read by its group or others (mode %04o); "+
			"it holds the tenant's object IDs and Graph's messages: chmod 600 %s", path, st.Mode().Perm(), path))
	}
	return f, nil
}

func linkError(path string) error {
	return fmt.Errorf("%s is a symbolic link: a journal is opened only as the file itself, never through a link; give the file's own path", path)
}
