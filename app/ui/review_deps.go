package ui

import (
	"context"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
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

// LibraryFilter narrows the Library's list and its search. The zero value
// is the whole library.
type LibraryFilter struct {
	Mode interview.Mode // "" for every mode
	// Since (inclusive) and Until (exclusive) bound interview.When; zero
	// leaves that end open.
	Since, Until time.Time
	TemplateID   int64  // 0 for any template
	Tag          string // a note tag without '#'; "" for any
}

// LibraryHitLimit is how many search hits the Library shows.
const LibraryHitLimit = 50

// LibraryTag is a note tag and how many interviews carry it.
type LibraryTag struct {
	Tag        string
	Interviews int
}

// LibrarySource is what the Library reads; the wiring adapts the store.
// Every method is called off the UI goroutine and must honour ctx: a
// newer query cancels the one before.
type LibrarySource interface {
	// Interviews lists the interviews f leaves, newest first.
	Interviews(ctx context.Context, f LibraryFilter) ([]interview.Interview, error)
	// Search searches the notes, transcripts and questions of those
	// interviews, the last word as a prefix (search as you type), best
	// first. It returns up to LibraryHitLimit+1 hits: the one past the
	// limit only tells the screen that there are more.
	Search(ctx context.Context, query string, f LibraryFilter) ([]LibraryHit, error)
	// Tags are the note tags in use, most used first.
	Tags(ctx context.Context) ([]LibraryTag, error)
}
