package ui

import (
	"context"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/sidenote-app/sidenote/app/interview"
)

// manualClock is the interview clock in tests: it moves only when told.
type manualClock struct {
	mu sync.Mutex
	d  time.Duration
}

func (c *manualClock) Elapsed() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.d
}

func (c *manualClock) set(d time.Duration) {
	c.mu.Lock()
	c.d = d
	c.mu.Unlock()
}

// failingStore is the demo store whose writes fail while err is set.
type failingStore struct {
	*DemoStore
	mu  sync.Mutex
	err error
}

func (f *failingStore) fail(err error) {
	f.mu.Lock()
	f.err = err
	f.mu.Unlock()
}

func (f *failingStore) failure() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

func (f *failingStore) AddNote(ctx context.Context, n *interview.Note) error {
	if err := f.failure(); err != nil {
		return err
	}
	return f.DemoStore.AddNote(ctx, n)
}

func (f *failingStore) UpdateNote(ctx context.Context, n *interview.Note) error {
	if err := f.failure(); err != nil {
		return err
	}
	return f.DemoStore.UpdateNote(ctx, n)
}

func (f *failingStore) UpdateQuestion(ctx context.Context, q *interview.Question) error {
	if err := f.failure(); err != nil {
		return err
	}
	return f.DemoStore.UpdateQuestion(ctx, q)
}

type liveFixture struct {
	l     *Live
	w     fyne.Window
	store *failingStore
	clock *manualClock
}

// newTestLive opens the Live screen on b at 400 × 720 with a manual clock
// and no ticker.
func newTestLive(t testing.TB, b interview.Bundle, tune ...func(*LiveDeps)) *liveFixture {
	t.Helper()
	return newTestLiveIn(t, "en", b, tune...)
}

// newTestLiveIn is newTestLive in another interface language: Fyne, like
// most toolkits, translates text when a widget is made, so the language
// is set first.
func newTestLiveIn(t testing.TB, code string, b interview.Bundle, tune ...func(*LiveDeps)) *liveFixture {
	t.Helper()
	a := test.NewTempApp(t)
	_ = a
	useLanguage(t, code)
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	f := &liveFixture{w: w, store: &failingStore{DemoStore: NewDemoStore(b)}, clock: &manualClock{}}
	deps := LiveDeps{Store: f.store, InterviewID: b.Interview.ID, Clock: f.clock, TickEvery: -1}
	for _, fn := range tune {
		fn(&deps)
	}
	l, err := NewLive(w, deps)
	if err != nil {
		t.Fatal(err)
	}
	f.l = l
	t.Cleanup(l.Close)
	w.Resize(fyne.NewSize(400, 720))
	return f
}

// drain runs what workers have posted to the UI so far, waiting up to d
// for more: Post delays a flush by at most flushEvery.
func drain(d time.Duration) {
	deadline := time.After(d)
	for {
		select {
		case f := <-uiQueue:
			f()
		case <-deadline:
			return
		}
	}
}
