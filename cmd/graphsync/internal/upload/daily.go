package upload

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/hrcsv"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/report"
	"github.com/graphsync/graphsync/models"
)

// plan is what a run with -state does with today's export: the records
// to send (new, changed, leavers), those to follow (sent by a killed run,
// unchanged since), those to send once what a killed run sent of them
// has an outcome (supersede), and the counts.
//
// A record a killed run sent (its pending line) is an upload still in
// Graph's pipeline, or one already done: its event may come after this
// run's preflight, and nothing in it says which content it is of. So a
// record whose pending content differs from today's is not sent at once,
// where that event would be taken for the new content's outcome: the run
// first follows the killed run's content to its outcome (which the state
// takes, if accepted), then sends today's. A pending record that today's
// export neither holds nor sends as a leaver is followed all the same
// (settle), so that the state learns what Entra did with it.
type plan struct {
	send, follow, supersede []record
	// settle are the pending lines of the externalIds not in supersede
	// or follow: their content is followed, nothing is sent.
	settle []entry
	// pending are the journal's pending lines (see state.replay).
	pending map[string]entry
	leaver  map[string]bool // externalIds sent as leavers

	exported, created, changed, unchanged int
	leavers, ignoredLeavers               int
	// deactivated counts the changed records the export now marks
	// active=false whose accepted record the state holds as active:
	// people disabled as leavers are, though still in the export.
	deactivated  int
	stateRecords int
	// cutAt is the line of the export's last record when the export
	// does not end with a line break (cut short?), or 0.
	cutAt int
}

// runDaily is a run with -state.
func (p *program) runDaily(ctx context.Context, stdin io.Reader) (int, error) {
	cfg := p.cfg
	demoMode := cfg.IsDemo()
	// The demo's job is new in every run: its state is not checked.
	sp, job := cfg.ServicePrincipalID, cfg.JobID
	if demoMode {
		sp, job = "", ""
	}
	unlock, err := lockState(cfg.statePath)
	if err != nil {
		return exitUsage, usagef("state: %v", err)
	}
	defer unlock()
	st, err := loadState(cfg.statePath, sp, job, p.warn)
	if err != nil {
		return exitUsage, usagef("state: %v", err)
	}
	journalPath := cfg.journalPath
	if journalPath == "" {
		journalPath = cfg.statePath + ".journal"
	}
	pending, torn, err := st.replay(journalPath, p.warn)
	if err != nil {
		return exitUsage, usagef("state: %v", err)
	}
	if torn > 0 {
		p.stderr.Printf("state: ignored %d unreadable line(s) of %s (a write cut short)", torn, journalPath)
	}
	if st.restarted {
		p.stderr.Printf("state: %s is not the journal the state was written with (shorter, or other first lines: removed and written anew, or replaced): read it from the start", journalPath)
	}
	if st.absorbing > 0 || len(pending) > 0 {
		p.stderr.Printf("state: %s holds %d outcome(s) the state %s did not (a run that stopped early): taken in; %d record(s) it sent have no outcome there yet",
			journalPath, st.absorbing, cfg.statePath, len(pending))
	}
	name, in, done, err := p.openInput(stdin, demoMode)
	if err != nil {
		return exitUsage, err
	}
	pl, err := p.delta(name, in, st, pending)
	done()
	if err != nil {
		return exitUsage, err
	}
	if err := p.brake(pl); err != nil {
		return exitUsage, err
	}
	leaverWord := "sent with active=false"
	if cfg.leavers == "ignore" {
		leaverWord = "ignored (-leavers ignore)"
	}
	p.stderr.Printf("%s: %d record(s): %d new, %d changed, %d unchanged; %d leaver(s) (in the state %s, not in the export) %s.",
		name, pl.exported, pl.created, pl.changed, pl.unchanged, pl.leavers+pl.ignoredLeavers, cfg.statePath, leaverWord)
	if pl.deactivated > 0 {
		p.stderr.Printf("%d of the changed record(s) mark people active=false whom the state holds as active: they are disabled, and count with the leavers against -max-leavers.", pl.deactivated)
	}
	if len(pl.send)+len(pl.follow)+len(pl.supersede)+len(pl.settle) == 0 {
		// Nothing to send; the state still takes in what the journal
		// held.
		p.stderr.Println("Nothing to send.")
		st.sp, st.job = cfg.ServicePrincipalID, cfg.JobID
		sum := summarize(nil, 0, pl)
		if err := st.save(st.journalPos); err != nil {
			p.stderr.Println("inbound: state:", err)
			sum.StateError = err.Error()
		}
		if cfg.JSON {
			p.stdout.JSON(dailyReport{Summary: sum, Records: []entry{}})
		} else {
			printSummary(p.stdout, sum)
		}
		if sum.StateError != "" {
			return exitFailed, nil
		}
		return exitOK, nil
	}
	e, err := p.inv.Connect(nil)
	if err != nil {
		return exitUsage, err
	}
	defer e.Close()
	p.inv.DemoNotice(e)
	st.sp, st.job = e.ServicePrincipalID, e.JobID
	f := &follower{program: p, cfg: cfg, client: e.Client, sp: e.ServicePrincipalID, job: e.JobID,
		journalPath: journalPath, st: st, daily: pl}
	return f.run(ctx, pl.send, pl.follow)
}

// delta reads the export against the state: it counts the unchanged
// records and keeps only the new and changed ones (to send, or to follow
// when a killed run sent the same content), then the leavers. It holds
// no copy of an unchanged record: the export's line of each is marked in
// the state's slot.
func (p *program) delta(name string, in io.Reader, st *state, pending map[string]entry) (*plan, error) {
	pl := &plan{pending: pending, leaver: map[string]bool{}, stateRecords: len(st.records)}
	r, err := hrcsv.NewReader(name, in, p.mapping)
	if err != nil && !(errors.Is(err, hrcsv.ErrNoRecords) && p.cfg.force) {
		return nil, err
	}
	lastLine := 0               // of the last record read
	fresh := map[string]int{}   // new externalIds, by line
	queued := map[string]bool{} // externalIds with a pending line, queued
	queue := func(rec record, sum fingerprint) {
		pe, ok := pending[rec.User.ExternalID]
		switch {
		case !ok:
			pl.send = append(pl.send, rec)
			return
		case pe.Record == formatFingerprint(sum):
			pl.follow = append(pl.follow, rec)
		default:
			pl.supersede = append(pl.supersede, rec)
		}
		queued[rec.User.ExternalID] = true
	}
	for r != nil {
		rec, err := r.Next()
		if err == io.EOF {
			if !r.EndsWithLineBreak() {
				pl.cutAt = lastLine
			}
			break
		}
		if err != nil {
			return nil, err
		}
		pl.exported++
		lastLine = rec.Line
		id := rec.User.ExternalID
		sum, ok := rec.Sum()
		if !ok {
			return nil, fmt.Errorf("%s line %d: the record cannot be encoded as JSON", name, rec.Line)
		}
		if s, known := st.records[id]; known {
			if s.line != 0 {
				return nil, hrcsv.DuplicateError(name, rec, int(s.line))
			}
			s.line = int32(rec.Line)
			st.records[id] = s
			if pe, ok := pending[id]; s.fp == sum && (!ok || pe.Record == formatFingerprint(sum)) {
				pl.unchanged++
				continue
			}
			// Changed, or what the state holds but not what a killed
			// run sent: that may reach Entra, and today's is sent after.
			pl.changed++
			if !s.inactive && inactive(rec.User, false) {
				pl.deactivated++
			}
		} else {
			if prev, dup := fresh[id]; dup {
				return nil, hrcsv.DuplicateError(name, rec, prev)
			}
			fresh[strings.Clone(id)] = rec.Line
			pl.created++
		}
		queue(rec, sum)
	}
	var gone []string
	for id, s := range st.records {
		if s.line == 0 {
			gone = append(gone, id)
		}
	}
	slices.Sort(gone)
	if p.cfg.leavers == "ignore" {
		pl.ignoredLeavers = len(gone)
	} else {
		inactive := false
		for _, id := range gone {
			rec := record{User: models.SCIMUser{ExternalID: id, Active: &inactive}}
			sum, _ := rec.Sum()
			pl.leaver[id] = true
			pl.leavers++
			queue(rec, sum)
		}
	}
	for id, pe := range pending {
		s, known := st.records[id]
		_, isNew := fresh[id]
		if !queued[id] && !isNew && (!known || s.line == 0) {
			pl.settle = append(pl.settle, pe)
		}
	}
	slices.SortFunc(pl.settle, func(a, b entry) int { return strings.Compare(a.ExternalID, b.ExternalID) })
	return pl, nil
}

// inactive reports whether u, the record of a person in the export (not
// a leaver's), says active=false.
func inactive(u models.SCIMUser, leaver bool) bool {
	return !leaver && u.Active != nil && !*u.Active
}

// parseMaxLeavers reads -max-leavers: a count ("25") or a percentage of
// the state ("5%").
func parseMaxLeavers(s string) (n int, percent bool, err error) {
	v, percent := strings.CutSuffix(strings.TrimSpace(s), "%")
	f, err := strconv.ParseFloat(v, 64)
	switch {
	case err != nil || !(f >= 0) || (percent && f > 100): // !(f >= 0): NaN too
		return 0, false, usagef("-max-leavers %q: want a count such as 25, or a percentage of the state such as 5%%", s)
	case !percent && (f > math.MaxInt32 || f != math.Trunc(f)):
		return 0, false, usagef("-max-leavers %q: a count is a whole number", s)
	}
	if percent {
		return int(f * 100), true, nil // hundredths of a percent
	}
	return int(f), false, nil
}

// brake refuses a run whose export looks wrong, before anything is sent:
// more people disabled than -max-leavers (leavers, and people the export
// now marks active=false whom the state holds as active), an empty export, one of less than half
// the state's records, or one that does not end with a line break (cut
// short: read while still written, a transfer that failed; its last
// record may be cut, the people after it missing, and some leavers fewer
// than -max-leavers would be disabled for it); -force runs anyway.
func (p *program) brake(pl *plan) error {
	n, percent, _ := parseMaxLeavers(p.cfg.maxLeavers)
	limit, limitText := n, p.cfg.maxLeavers
	if percent {
		limit = pl.stateRecords * n / 10000
		limitText = fmt.Sprintf("%s (%d of the state's %d record(s))", p.cfg.maxLeavers, limit, pl.stateRecords)
	}
	var why []string
	switch {
	case pl.exported == 0:
		why = append(why, fmt.Sprintf("the export has no record, and the state %d", pl.stateRecords))
	case pl.stateRecords > 0 && pl.exported*2 < pl.stateRecords:
		why = append(why, fmt.Sprintf("the export has %d record(s), less than half of the state's %d", pl.exported, pl.stateRecords))
	}
	if pl.cutAt > 0 {
		why = append(why, fmt.Sprintf("the export does not end with a line break, as a file cut short does (read while still written, or a transfer that failed): "+
			"its last record (line %d) may be cut and the people after it missing", pl.cutAt))
	}
	switch {
	case pl.leavers+pl.deactivated > limit && pl.deactivated == 0:
		why = append(why, fmt.Sprintf("%d leaver(s) (in the state, not in the export) would be disabled, more than -max-leavers %s", pl.leavers, limitText))
	case pl.leavers+pl.deactivated > limit:
		why = append(why, fmt.Sprintf("%d people would be disabled, more than -max-leavers %s: %d leaver(s) (in the state, not in the export) "+
			"and %d the export now marks active=false (active in the state)", pl.leavers+pl.deactivated, limitText, pl.leavers, pl.deactivated))
	}
	if len(why) == 0 {
		return nil
	}
	if p.cfg.force {
		p.stderr.Printf("brake: %s; going on (-force).", strings.Join(why, "; "))
		return nil
	}
	return &cli.UsageError{Msg: fmt.Sprintf("brake: %s; nothing was sent. Check the export; if it is right, run again with -force (or a higher -max-leavers)", strings.Join(why, "; "))}
}

// saveState takes the run's accepted outcomes into the state and writes
// it, with how much of the journal it now holds: all of it, unless a
// record has no final outcome (an interrupted run, a record followed in
// vain): then as much as it held before this run, so that the next run
// reads the pending lines again (taking in an accepted outcome twice
// changes nothing).
func (f *follower) saveState(rows []entry) error {
	unresolved := false
	for _, e := range rows {
		unresolved = unresolved || !e.final()
		if !e.accepted() {
			continue
		}
		if fp, ok := parseFingerprint(e.Record); ok {
			f.st.accept(e.ExternalID, fp, e.Leaver, e.Inactive)
		}
	}
	if unresolved {
		return f.st.save(f.st.from)
	}
	pos := f.st.journalPos
	if f.jr != nil {
		var err error
		if pos, err = f.jr.w.Position(); err != nil {
			return err
		}
		if f.writeErr != nil {
			// Outcomes the journal lacks would be taken in twice, or its
			// size be wrong: keep what it holds for the next run.
			return fmt.Errorf("not written, the journal failed: %w", f.writeErr)
		}
	}
	return f.st.save(pos)
}

// summary is the end report of a run: how many records had each outcome.
type summary struct {
	Created        int    `json:"created"`
	Updated        int    `json:"updated"`
	Disabled       int    `json:"disabled"`
	Skipped        int    `json:"skipped"`
	Unchanged      int    `json:"unchanged"`
	Failed         int    `json:"failed"`
	Retried        int    `json:"retried"`
	WithoutOutcome int    `json:"withoutOutcome"`
	Leavers        int    `json:"leavers"`
	LeaversIgnored int    `json:"leaversIgnored,omitempty"`
	Exported       int    `json:"exported"`
	StateError     string `json:"stateError,omitempty"`
}

// dailyReport is -json with -state.
type dailyReport struct {
	Summary summary `json:"summary"`
	Records []entry `json:"records"`
}

func summarize(rows []entry, retried int, pl *plan) summary {
	s := summary{Retried: retried}
	if pl != nil {
		s.Unchanged, s.Leavers, s.LeaversIgnored, s.Exported = pl.unchanged, pl.leavers, pl.ignoredLeavers, pl.exported
	}
	for _, e := range rows {
		switch {
		case !e.final():
			s.WithoutOutcome++
		case !e.succeeded():
			s.Failed++
		case strings.EqualFold(e.Status, "skipped"):
			s.Skipped++
		case strings.EqualFold(e.Action, string(models.LogActionCreate)):
			s.Created++
		case strings.EqualFold(e.Action, string(models.LogActionDisable)):
			s.Disabled++
		default:
			s.Updated++
		}
	}
	return s
}

// line is the summary in words, for stderr.
func (s summary) line() string {
	return fmt.Sprintf("created %d, updated %d, disabled %d, skipped %d, unchanged %d, failed %d, retried %d, without an outcome %d",
		s.Created, s.Updated, s.Disabled, s.Skipped, s.Unchanged, s.Failed, s.Retried, s.WithoutOutcome)
}

// printSummary prints the end report as a table of one row.
func printSummary(w *report.Writer, s summary) {
	tw := w.Table("CREATED", "UPDATED", "DISABLED", "SKIPPED", "UNCHANGED", "FAILED", "RETRIED", "WITHOUT OUTCOME")
	tw.Row(s.Created, s.Updated, s.Disabled, s.Skipped, s.Unchanged, s.Failed, s.Retried, s.WithoutOutcome)
	tw.Flush()
}
