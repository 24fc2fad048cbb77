// Package jsonl is the example programs' journal file: JSON lines, each
// written whole and synced before Write returns, read back line by line
// whatever their length. Replace writes a file of JSON lines anew,
// atomically (graphsync upload's state).
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
	"path/filepath"
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

// WriteAll appends each of vs as a JSON line, all in one write, and
// syncs the file once: for a batch (a request's 50 records) that needs
// no fsync per line. A process killed during the write leaves the lines
// before a torn last one.
func (w *Writer) WriteAll(vs ...any) error {
	if len(vs) == 0 {
		return nil
	}
	var buf []byte
	for _, v := range vs {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		buf = append(append(buf, printable.JSON(b)...), '\n')
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, err := w.f.Write(buf); err != nil {
		return err
	}
	return w.f.Sync()
}

// Size returns the file's size: where the next line starts.
func (w *Writer) Size() (int64, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	st, err := w.f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// Close closes the file.
func (w *Writer) Close() error { return w.f.Close() }

// Read calls each with every line of path that is not blank, with its
// line number, and stops at the first error each returns. A missing file
// has no lines. Lines have no length limit. A path that is a symbolic
// link (even a dangling one) is refused, and warn is called as by Open.
func Read(path string, warn func(string), each func(n int, line []byte) error) error {
	_, _, err := ReadFrom(path, 0, warn, each)
	return err
}

// ReadFrom is Read from byte offset on (the size of the file when it was
// last read whole, for example), with line numbers counted from there. It
// returns the offset where reading ended (the file's size: a torn last
// line is passed to each like any other) and whether it read from the
// start instead, because the file is shorter than offset (it was
// replaced or truncated since). A missing file has no lines and size 0.
func ReadFrom(path string, offset int64, warn func(string), each func(n int, line []byte) error) (end int64, restarted bool, err error) {
	f, err := openFile(path, os.O_RDONLY, 0, warn)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, offset > 0, nil
	}
	if err != nil {
		return 0, false, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() < offset {
		offset, restarted = 0, true
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return 0, false, fmt.Errorf("%s: %w", path, err)
	}
	end = offset
	br := bufio.NewReader(f)
	for n := 1; ; n++ {
		b, err := br.ReadBytes('\n')
		if err != nil && err != io.EOF {
			return 0, false, fmt.Errorf("%s: %w", path, err)
		}
		end += int64(len(b))
		if len(bytes.TrimSpace(b)) > 0 {
			if err := each(n, b); err != nil {
				return 0, false, err
			}
		}
		if err == io.EOF {
			return end, restarted, nil
		}
	}
}

// Replace writes the file at path anew with the lines write writes,
// atomically: into a new file beside it (0600), synced, then renamed over
// path, and the directory synced. A crash leaves either the old file or
// the new one, whole, never a mix or a torn one (at worst an orphan
// temporary file beside it, named .NAME.tmp-*). A path that is a
// symbolic link is refused.
func Replace(path string, write func(line func(v any) error) error) error {
	if st, err := os.Lstat(path); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		return linkError(path)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename, there is nothing there
	bw := bufio.NewWriterSize(f, 1<<16)
	line := func(v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if _, err := bw.Write(printable.JSON(b)); err != nil {
			return err
		}
		return bw.WriteByte('\n')
	}
	err = write(line)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // the rename itself on disk, where the system allows
		d.Close()
	}
	return nil
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
	if st, err := f.Stat(); err == nil && st.Mode().Perm()&0o066 != 0 && warn != nil {
		warn(fmt.Sprintf("warning: %s may be read or written by its group or others (mode %04o); "+
			"it holds the tenant's object IDs and Graph's messages, and decides what a resumed run sends again: chmod 600 %s",
			path, st.Mode().Perm(), path))
	}
	return f, nil
}

func linkError(path string) error {
	return fmt.Errorf("%s is a symbolic link: a journal or state file is opened only as the file itself, never through a link; give the file's own path", path)
}
