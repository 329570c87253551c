package ui

import (
	"context"
	"time"
)

// ReviewStore is what the Review screen changes beyond HomeStore: a
// transcript correction (the store keeps the recognizer's text beside it)
// and deleting an interview with its recordings. *store.Store satisfies it.
type ReviewStore interface {
	EditSegment(ctx context.Context, id int64, text string) error
	DeleteInterview(ctx context.Context, id int64) error
}

// Player plays one recording file. Every method is called on the UI
// goroutine and must return quickly; positions are reported through the
// callbacks given to Deps.OpenPlayer. transcribe/audio's player satisfies
// it once Duration is added by the wiring (the recording's length).
type Player interface {
	Play() error
	Pause() error
	Seek(time.Duration) error
	SetSpeed(float64) error
	Position() time.Duration
	Duration() time.Duration
	Close() error
}

// LibraryHit is one match of a library-wide search, converted by the
// wiring from store.Hit. Snippet marks the matched words with « and ».
// AtMs is where the Review opens; -1 for a question never asked.
type LibraryHit struct {
	InterviewID int64
	Title       string
	Kind        string // "note", "segment" or "question"
	AtMs        int64
	Snippet     string
}
