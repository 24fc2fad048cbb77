package upload

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/jsonl"
)

// stateFormat names the format of a state file, in its first line.
const stateFormat = "graphsync-inbound-state/1"

// fingerprint is a record's SHA-256 (hrcsv.Record.Sum).
type fingerprint = [sha256.Size]byte

// slot is what the state keeps of one externalId: the fingerprint of the
// record Entra last accepted, whether that record said active=false and,
// while a run reads the export, the export's line of the record (0: not
// in the export, so far).
type slot struct {
	fp       fingerprint
	line     int32
	inactive bool
}

// state is -state: for each externalId, the fingerprint of the record
// Entra last accepted (success or skipped in the provisioning logs), and
// how much of its journal it has absorbed: a byte count, and a digest of
// the journal's first bytes that tells the journal from one written anew
// in its place (jsonl.Position). It is written only from outcomes,
// atomically (jsonl.Replace), and names its service principal and job.
//
// The file is JSON lines: a header, then one line per externalId in
// order:
//
//	{"format":"graphsync-inbound-state/1","servicePrincipalId":"…","jobId":"…","written":"…",
//	 "journal":"/path/hr.state.journal","journalSize":123456,"journalHead":"sha256:…","records":2}
//	{"externalId":"E1001","record":"sha256:5e1f…"}
//	{"externalId":"E1002","record":"sha256:09ab…","inactive":true}
//
// inactive marks a record Entra accepted with active=false; a state
// written before it existed marks none, and its people count as active.
type state struct {
	path                string
	sp, job             string
	journal             string
	journalPos          jsonl.Position
	records             map[string]slot
	written             time.Time
	existed, restarted  bool
	replayed, absorbing int // journal lines read, and outcomes among them
	// from is where replay started reading the journal: a run that
	// leaves records without an outcome saves the state with it, so
	// that the next run reads their pending lines again.
	from jsonl.Position
}

type stateHeader struct {
	Format             string    `json:"format"`
	ServicePrincipalID string    `json:"servicePrincipalId"`
	JobID              string    `json:"jobId"`
	Written            time.Time `json:"written"`
	Journal            string    `json:"journal"`
	JournalSize        int64     `json:"journalSize"`
	// JournalHead is jsonl.Position's Head; a state written before it
	// existed has none, and its journal is checked by length only.
	JournalHead string `json:"journalHead,omitempty"`
	Records     int    `json:"records"`
}

type stateLine struct {
	ExternalID string `json:"externalId"`
	Record     string `json:"record"`
	Inactive   bool   `json:"inactive,omitempty"`
}

func formatFingerprint(fp fingerprint) string { return "sha256:" + hex.EncodeToString(fp[:]) }

func parseFingerprint(s string) (fp fingerprint, ok bool) {
	h, found := strings.CutPrefix(s, "sha256:")
	if !found || hex.DecodedLen(len(h)) != len(fp) {
		return fp, false
	}
	_, err := hex.Decode(fp[:], []byte(h))
	return fp, err == nil
}

// loadState reads the state at path; a missing file is an empty state.
// When job is not empty, a state of another service principal or job is
// refused, naming both (the demo's job is new in every run and passes
// ""). A file that is not a whole state (a header, then as many records
// as it says) is refused too: it was not written by this program.
func loadState(path, sp, job string, warn func(string)) (*state, error) {
	st := &state{path: path, sp: sp, job: job, records: map[string]slot{}}
	var h stateHeader
	n := 0
	err := jsonl.Read(path, warn, func(line int, b []byte) error {
		if line == 1 {
			if err := json.Unmarshal(b, &h); err != nil || h.Format != stateFormat {
				return fmt.Errorf("%s is not a state file of graphsync upload (%s); give another -state", path, stateFormat)
			}
			if job != "" && (h.JobID != job || h.ServicePrincipalID != sp) {
				return fmt.Errorf("%s is the state of job %s (service principal %s), not of this run's job %s (service principal %s); "+
					"each job has its own state", path, orNone(h.JobID), orNone(h.ServicePrincipalID), job, sp)
			}
			st.existed = true
			return nil
		}
		var l stateLine
		fp, ok := fingerprint{}, false
		if json.Unmarshal(b, &l) == nil && l.ExternalID != "" {
			fp, ok = parseFingerprint(l.Record)
		}
		if !ok {
			return fmt.Errorf("%s line %d is not a record of a state (externalId and record); the file was changed by hand or is damaged", path, line)
		}
		if _, dup := st.records[l.ExternalID]; dup {
			return fmt.Errorf("%s line %d: externalId %q is there twice; the file was changed by hand or is damaged", path, line, l.ExternalID)
		}
		st.records[l.ExternalID] = slot{fp: fp, inactive: l.Inactive}
		n++
		return nil
	})
	if err != nil {
		return nil, err
	}
	if st.existed && n != h.Records {
		return nil, fmt.Errorf("%s has %d record(s) where its header says %d; the file was changed by hand or is damaged", path, n, h.Records)
	}
	st.journal, st.journalPos, st.written = h.Journal, jsonl.Position{Offset: h.JournalSize, Head: h.JournalHead}, h.Written
	return st, nil
}

// replay absorbs the lines journal holds past what the state absorbed
// when it was written (all of them for another journal: another file
// than the one the state names, or a file at the same path that is
// shorter or starts with other bytes, one removed and written anew): a
// record's accepted outcome sets its fingerprint (a leaver's removes
// it), in the order written. It returns, for each record whose last line
// there is pending (sent, or being sent, by a run that did not see its
// outcome), that line: the run follows it in the logs rather than
// sending it again.
//
// journal may be another file than the one the state was written with
// (-journal given or dropped, the state renamed with its journal left
// under the old name) only when that one holds nothing past what the
// state absorbed: otherwise the lines of a run that stopped early (its
// pending records, its outcomes) would never be read, and those records
// would be sent again while its upload may still be in Graph's pipeline.
// That is an error naming the journal to give.
func (st *state) replay(journal string, warn func(string)) (map[string]entry, int, error) {
	abs, err := filepath.Abs(journal)
	if err != nil {
		return nil, 0, err
	}
	from := st.journalPos
	if !sameFile(st.journal, abs) {
		if err := st.leftBehind(abs, warn); err != nil {
			return nil, 0, err
		}
		from = jsonl.Position{}
	}
	pending := map[string]entry{}
	torn := 0
	start, end, err := jsonl.Resume(journal, from, warn, func(n int, b []byte) error {
		var l journalLine
		if json.Unmarshal(b, &l) != nil || l.State == "" || l.ExternalID == "" {
			torn++
			return nil
		}
		if st.job != "" && (l.JobID != st.job || l.ServicePrincipalID != st.sp) {
			return fmt.Errorf("%s (line %d of those after byte %d) is of job %s (service principal %s), not of this run's job %s (service principal %s); "+
				"give the journal of this job", journal, n, from.Offset, orNone(l.JobID), orNone(l.ServicePrincipalID), st.job, st.sp)
		}
		st.replayed++
		fp, ok := parseFingerprint(l.Record)
		switch {
		case l.State == statePending && ok:
			pending[l.ExternalID] = l.entry
		case l.State == stateOutcome && ok && l.accepted():
			delete(pending, l.ExternalID)
			st.accept(l.ExternalID, fp, l.Leaver, l.Inactive)
			st.absorbing++
		default:
			delete(pending, l.ExternalID)
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	st.journal, st.journalPos, st.from = abs, end, start
	st.restarted = from.Offset > 0 && start.Offset == 0
	return pending, torn, nil
}

// leftBehind refuses to leave the journal the state was written with for
// journal while it holds lines past what the state absorbed.
func (st *state) leftBehind(journal string, warn func(string)) error {
	if st.journal == "" {
		return nil
	}
	n := 0
	if _, _, err := jsonl.Resume(st.journal, st.journalPos, warn, func(int, []byte) error { n++; return nil }); err != nil {
		return fmt.Errorf("%s was written with the journal %s, which cannot be read to check that it holds nothing more: %w", st.path, st.journal, err)
	}
	if n == 0 {
		return nil
	}
	return fmt.Errorf("%s was written with the journal %s, which holds %d line(s) past what the state took in (a run that stopped early: "+
		"records it sent, maybe still in Graph's pipeline, and their outcomes), but this run's journal is %s; "+
		"give -journal %s, or those records would be sent again", st.path, st.journal, n, journal, st.journal)
}

// accept records that Entra accepted the record of externalID with
// fingerprint fp, which said active=false when inactive: a leaver leaves
// the state.
func (st *state) accept(externalID string, fp fingerprint, leaver, inactive bool) {
	if leaver {
		delete(st.records, externalID)
		return
	}
	s := st.records[externalID]
	s.fp, s.inactive = fp, inactive
	st.records[strings.Clone(externalID)] = s
}

// save writes the state, atomically, with pos: how much of the journal it
// now holds.
func (st *state) save(pos jsonl.Position) error {
	if st.path == "" {
		return errors.New("no state file")
	}
	if sameFile(st.path, st.journal) {
		// checkFiles refused the paths; a file system that ignores
		// letter case can still make them one once the journal exists.
		return fmt.Errorf("%s is its journal %s: not written over it; give -journal another file", st.path, st.journal)
	}
	st.journalPos = pos
	ids := make([]string, 0, len(st.records))
	for id := range st.records {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	st.written = time.Now().UTC()
	return jsonl.Replace(st.path, func(line func(any) error) error {
		if err := line(stateHeader{Format: stateFormat, ServicePrincipalID: st.sp, JobID: st.job, Written: st.written,
			Journal: st.journal, JournalSize: pos.Offset, JournalHead: pos.Head, Records: len(ids)}); err != nil {
			return err
		}
		for _, id := range ids {
			s := st.records[id]
			if err := line(stateLine{ExternalID: id, Record: formatFingerprint(s.fp), Inactive: s.inactive}); err != nil {
				return err
			}
		}
		return nil
	})
}
