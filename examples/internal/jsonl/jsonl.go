// Package jsonl is the example programs' journal file: JSON lines, each
// written whole and synced before Write returns, read back line by line
// whatever their length.
//
// A journal is a file, but operators read it on a terminal too (tail -f,
// grep): every rune in its strings that a terminal could interpret is
// written as a \u escape (internal/printable's JSON), as in the programs'
// -json output. The values read back are exactly those written.
package jsonl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/graphsync/graphsync/internal/printable"
)

// Writer appends JSON lines to a file. It is safe for concurrent use.
type Writer struct {
	mu sync.Mutex
	f  *os.File
}

// Open opens path for appending, creating it if need be. A torn last
// line left by a killed writer is ended first, so that it cannot glue onto
// the next line.
func Open(path string) (*Writer, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
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
// has no lines. Lines have no length limit.
func Read(path string, each func(n int, line []byte) error) error {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
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
