package provision

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/csvin"
	"github.com/graphsync/graphsync/internal/printable"
	"github.com/graphsync/graphsync/models"
)

// subject is one input subject: a -subject flag or a CSV line.
type subject struct {
	// source is where the subject was read: "-subject" or the CSV's name.
	source string
	// line is the position in source: the CSV's physical line number, or
	// the -subject flag's position (1-based).
	line int
	// seq is the position in the whole input (flags first, then the CSV).
	seq int
	// rule is the ruleId; empty means the run's rule (-rule, or the one
	// the job's schema gives for the subject's type).
	rule string
	sub  models.Subject
}

// key identifies a subject for duplicate and resume checks: the same
// object of the same type under the same rule with the same members.
func (s subject) key() string {
	var b strings.Builder
	b.WriteString(s.rule)
	b.WriteByte('|')
	b.WriteString(strings.ToLower(s.sub.ObjectTypeName))
	b.WriteByte('|')
	b.WriteString(strings.ToLower(s.sub.ObjectID))
	if l := s.sub.Links; l != nil {
		for _, m := range l.Members {
			b.WriteByte('|')
			b.WriteString(strings.ToLower(m.ObjectID))
		}
	}
	return b.String()
}

func (s subject) members() []string {
	if s.sub.Links == nil {
		return nil
	}
	out := make([]string, len(s.sub.Links.Members))
	for i, m := range s.sub.Links.Members {
		out[i] = m.ObjectID
	}
	return out
}

// parseSubjectFlag reads TYPE:ID or TYPE:ID=MEMBER;MEMBER.
func parseSubjectFlag(s string) (models.Subject, error) {
	if err := csvin.CheckText(s); err != nil {
		return models.Subject{}, fmt.Errorf("subject %s: %w", printable.Quote(s, 200), err)
	}
	typ, rest, ok := strings.Cut(s, ":")
	if !ok || strings.TrimSpace(typ) == "" || strings.TrimSpace(rest) == "" {
		return models.Subject{}, fmt.Errorf("subject %q: want TYPE:ID or Group:ID=MEMBER;MEMBER", s)
	}
	id, members, _ := strings.Cut(rest, "=")
	sub := subjectWith(id, typ, members)
	if sub.ObjectID == "" {
		return models.Subject{}, fmt.Errorf("subject %q: the ID is empty", s)
	}
	return sub, nil
}

func subjectWith(id, typ, members string) models.Subject {
	sub := models.Subject{ObjectID: strings.TrimSpace(id), ObjectTypeName: strings.TrimSpace(typ)}
	for _, m := range strings.Split(members, ";") {
		if m = strings.TrimSpace(m); m != "" {
			if sub.Links == nil {
				sub.Links = &models.LinkedObjects{}
			}
			sub.Links.Members = append(sub.Links.Members, models.User(m))
		}
	}
	return sub
}

// errNoSubjects is returned for an input with no subject in it.
var errNoSubjects = errors.New("no subjects")

// readCSV reads subjects from CSV: ruleId,objectId,objectTypeName and an
// optional fourth column of member IDs separated by ';'. A byte-order
// mark is dropped; a first line whose first column is "ruleId" is a
// header; lines starting with '#' are comments. Errors and subjects carry
// the physical line number (blank lines counted). An input without a
// subject is an error (errNoSubjects).
func readCSV(name string, in io.Reader) ([]subject, error) {
	r := csvin.New(name, in)
	var out []subject
	for first := true; ; first = false {
		rec, line, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if first && strings.EqualFold(strings.TrimSpace(rec[0]), "ruleId") {
			continue
		}
		if len(rec) < 3 || len(rec) > 4 {
			return nil, fmt.Errorf("%s line %d: want ruleId,objectId,objectTypeName[,members separated by ;], got %d columns", name, line, len(rec))
		}
		members := ""
		if len(rec) == 4 {
			members = rec[3]
		}
		sub := subjectWith(rec[1], rec[2], members)
		if sub.ObjectID == "" || sub.ObjectTypeName == "" {
			return nil, fmt.Errorf("%s line %d: objectId and objectTypeName are required", name, line)
		}
		out = append(out, subject{source: name, line: line, rule: strings.TrimSpace(rec[0]), sub: sub})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w (an empty or header-only CSV)", name, errNoSubjects)
	}
	return out, nil
}
