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
	"crypto/sha256"
	"encoding/hex"
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

// Position returns the file's Position at its end: its size, and the
// digest of its first bytes.
func (w *Writer) Position() (Position, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	st, err := w.f.Stat()
	if err != nil {
		return Position{}, err
	}
	head, err := headOf(w.f, st.Size())
	if err != nil {
		return Position{}, err
	}
	return Position{Offset: st.Size(), Head: head}, nil
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
// Resume also tells a file written anew past offset from the old one.
func ReadFrom(path string, offset int64, warn func(string), each func(n int, line []byte) error) (end int64, restarted bool, err error) {
	start, endPos, err := Resume(path, Position{Offset: offset}, warn, each)
	return endPos.Offset, offset > 0 && start.Offset == 0, err
}

// headSize is how many of a file's first bytes a Position's Head digests.
const headSize = 4096

// A Position is how far a reader got in an append-only file, and in which
// file: Offset, and Head, "sha256:" and the hex SHA-256 of the file's
// first min(Offset, 4096) bytes ("" at Offset 0). An append-only file
// never changes the bytes it holds, so a file shorter than Offset, or
// whose first bytes are not those Head digests, is another file: one
// removed (log clean-up, rotation) and written anew, truncated, or
// replaced. A journal's first line holds a time to the nanosecond, so a
// new journal's first bytes differ from the old one's.
type Position struct {
	Offset int64
	Head   string
}

// Resume is Read from pos on, with line numbers counted from there, when
// the file at path is still the one pos is of; otherwise (shorter than
// pos.Offset, or other first bytes than pos.Head digests) it reads from
// the start. A pos.Head of "" (a position recorded without one) checks
// the length only. It returns where it started reading (pos, or the
// start: Offset 0) and where reading ended (the file's size: a torn last
// line is passed to each like any other), each with the Head of the file
// read. A missing file has no lines, and both positions are 0.
func Resume(path string, pos Position, warn func(string), each func(n int, line []byte) error) (start, end Position, err error) {
	f, err := openFile(path, os.O_RDONLY, 0, warn)
	if errors.Is(err, fs.ErrNotExist) {
		return Position{}, Position{}, nil
	}
	if err != nil {
		return Position{}, Position{}, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() >= pos.Offset && pos.Offset > 0 {
		head, err := headOf(f, pos.Offset)
		if err != nil {
			return Position{}, Position{}, fmt.Errorf("%s: %w", path, err)
		}
		if pos.Head == "" || pos.Head == head {
			start = Position{Offset: pos.Offset, Head: head}
		}
	}
	if _, err := f.Seek(start.Offset, io.SeekStart); err != nil {
		return Position{}, Position{}, fmt.Errorf("%s: %w", path, err)
	}
	end.Offset = start.Offset
	br := bufio.NewReader(f)
	for n := 1; ; n++ {
		b, err := br.ReadBytes('\n')
		if err != nil && err != io.EOF {
			return Position{}, Position{}, fmt.Errorf("%s: %w", path, err)
		}
		end.Offset += int64(len(b))
		if len(bytes.TrimSpace(b)) > 0 {
			if err := each(n, b); err != nil {
				return Position{}, Position{}, err
			}
		}
		if err == io.EOF {
			break
		}
	}
	if end.Head, err = headOf(f, end.Offset); err != nil {
		return Position{}, Position{}, fmt.Errorf("%s: %w", path, err)
	}
	return start, end, nil
}

// headOf is the Head of a Position at offset in f.
func headOf(f *os.File, offset int64) (string, error) {
	if offset == 0 {
		return "", nil
	}
	b := make([]byte, min(offset, headSize))
	if _, err := f.ReadAt(b, 0); err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
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
