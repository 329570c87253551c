package store

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/sidenote-app/sidenote/app/interview"
)

// TestConcurrentWriterAndReaders runs a live interview's writes (notes and
// segments) while readers search, load the timeline and list, and while a
// second Store on the same file (the CLI beside the app) writes too. No
// operation may fail (busy_timeout and WAL absorb the contention), and
// every write must be there at the end.
func TestConcurrentWriterAndReaders(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	iv := mustInterview(t, s, "busy")
	other, err := Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	const writes = 150
	var done atomic.Bool
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	report := func(err error) {
		if err != nil {
			select {
			case errs <- err:
			default:
			}
		}
	}
	wg.Go(func() {
		defer done.Store(true)
		for i := range writes {
			n := interview.Note{InterviewID: iv.ID, AtMs: int64(i), Text: fmt.Sprintf("note %d concurrency", i)}
			report(s.AddNote(ctx, &n))
			report(s.AppendSegments(ctx, []interview.Segment{{InterviewID: iv.ID, Source: interview.SourceThem,
				StartMs: int64(i), EndMs: int64(i) + 1, Text: fmt.Sprintf("segment %d concurrency", i)}}))
		}
	})
	wg.Go(func() {
		for i := range writes / 3 {
			p := interview.TalkingPoint{InterviewID: iv.ID, Text: fmt.Sprintf("point %d", i)}
			report(other.AddPoint(ctx, &p))
		}
	})
	for r := range 3 {
		wg.Go(func() {
			for !done.Load() {
				switch r {
				case 0:
					_, err := s.Search(ctx, "concurrency", SearchOptions{Limit: 10})
					report(err)
				case 1:
					b, err := s.Load(ctx, iv.ID)
					report(err)
					if err == nil {
						// One snapshot: every note's segment partner is
						// written after it, so never more segments than notes.
						if len(b.Segments) > len(b.Notes) {
							report(fmt.Errorf("torn read: %d segments, %d notes", len(b.Segments), len(b.Notes)))
						}
					}
				case 2:
					_, err := other.ListInterviews(ctx, ListOptions{})
					report(err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	b, err := s.Load(ctx, iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Notes) != writes || len(b.Segments) != writes || len(b.Points) != writes/3 {
		t.Errorf("after concurrent writes: %d notes, %d segments, %d points; want %d, %d, %d",
			len(b.Notes), len(b.Segments), len(b.Points), writes, writes, writes/3)
	}
	hits, err := s.Search(ctx, "concurrency", SearchOptions{Limit: 1000})
	if err != nil || len(hits) != 2*writes {
		t.Errorf("search after concurrent writes: %d hits, %v; want %d", len(hits), err, 2*writes)
	}
}
