package main

import (
	"testing"
	"time"

	"github.com/graphsync/graphsync/models"
)

// -follow reads from followLag before the newest event seen, and forgets
// the events before that: what a long follow keeps stays bounded.
func TestFollowFromBoundsWhatIsKept(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	q := models.ProvisioningLogQuery{After: t0.Add(-time.Minute)}
	seen := map[string]time.Time{}
	for i := range 300 {
		seen[string(rune('a'+i%26))+string(rune('0'+i/26))] = t0.Add(time.Duration(i) * time.Minute)
	}
	followFrom(&q, seen)
	newest := t0.Add(299 * time.Minute)
	if want := newest.Add(-followLag); !q.After.Equal(want) {
		t.Fatalf("After = %v, want %v", q.After, want)
	}
	if len(seen) != int(followLag/time.Minute) {
		t.Fatalf("%d events kept, want the %d of the last hour", len(seen), int(followLag/time.Minute))
	}
	// Nothing new: the start stays where it is.
	before := q.After
	followFrom(&q, map[string]time.Time{})
	if !q.After.Equal(before) {
		t.Fatalf("After moved to %v without events", q.After)
	}
}
