package jobs

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestPrune(t *testing.T) {
	t.Parallel()
	db := openDB(t, t.TempDir())
	q := newQueue(t, db, testOptions(t))
	now := time.Now().UTC()
	old, recent := now.Add(-10*24*time.Hour), now.Add(-time.Hour)
	rows := []struct {
		prefix    string
		n         int
		received  time.Time
		processed bool
	}{
		{"old-done", 1200, old, true}, // more than one delete batch
		{"old-pending", 3, old, false},
		{"new-done", 5, recent, true},
	}
	tx, err := db.SQL().Begin()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		for i := range r.n {
			var processed any
			if r.processed {
				processed = r.received
			}
			if _, err := tx.Exec(`INSERT INTO deliveries (id, event, payload, received_at, processed_at, outcome) VALUES (?, 'push', x'', ?, ?, 'completed')`,
				fmt.Sprint(r.prefix, i), r.received, processed); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	n, err := q.prune(context.Background(), now.Add(-DefaultDeliveryRetention))
	if err != nil || n != 1200 {
		t.Fatalf("prune = %d, %v; want 1200", n, err)
	}
	for _, r := range rows {
		want := r.n
		if r.prefix == "old-done" {
			want = 0
		}
		if got := count(t, db, `SELECT COUNT(*) FROM deliveries WHERE id LIKE ?`, r.prefix+"%"); got != want {
			t.Errorf("%s: %d left, want %d", r.prefix, got, want)
		}
	}
}
