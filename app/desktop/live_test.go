package desktop

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/ui"
	"github.com/sidenote-app/sidenote/transcribe"
)

func TestSessionEventsBecomeLiveScreenEvents(t *testing.T) {
	var got []ui.LiveEvent
	r := &guiRun{id: 7, transcribing: true, post: func(ev ui.LiveEvent) { got = append(got, ev) }}
	seg := transcribe.Segment{Source: transcribe.SourceThem, Start: 1500 * time.Millisecond, End: 3 * time.Second, Text: "Hej", Confidence: 0.5}
	lost := errors.New("device unplugged")
	for _, ev := range []transcribe.Event{
		{Kind: transcribe.EventPartial, Source: transcribe.SourceThem, Start: 1500 * time.Millisecond, Segments: []transcribe.Segment{seg}},
		// A final before live.Start has returned: no coach yet, no panic.
		{Kind: transcribe.EventFinal, Source: transcribe.SourceThem, Segments: []transcribe.Segment{seg}},
		{Kind: transcribe.EventLevel, Source: transcribe.SourceYou, Level: transcribe.Level{RMS: -30, Speaking: true}},
		{Kind: transcribe.EventLevel, Source: transcribe.SourceYou, Level: transcribe.Level{RMS: -30, Speaking: true}},
		{Kind: transcribe.EventBacklog, Backlog: transcribe.Backlog{Utterances: 2, Lag: 4 * time.Second}},
		{Kind: transcribe.EventDeviceError, Source: transcribe.SourceYou, Err: lost},
		{Kind: transcribe.EventDeviceRestored, Source: transcribe.SourceYou},
	} {
		r.translate(ev)
	}
	want := []ui.LiveEvent{
		ui.PartialText{Source: interview.SourceThem, StartMs: 1500, Text: "Hej"},
		ui.FinalSegment{Segment: interview.Segment{InterviewID: 7, Source: interview.SourceThem, StartMs: 1500, EndMs: 3000, Text: "Hej", Confidence: 0.5}},
		ui.Levels{You: 0.5},
		ui.Speaking{Source: interview.SourceYou, Speaking: true},
		ui.Levels{You: 0.5}, // no second Speaking: it did not change
		ui.Backlog{Behind: 4 * time.Second, Pending: 2},
	}
	if len(got) != len(want)+2 {
		t.Fatalf("got %d events %#v, want %d", len(got), got, len(want)+2)
	}
	if !reflect.DeepEqual(got[:len(want)], want) {
		t.Errorf("got\n%#v\nwant\n%#v", got[:len(want)], want)
	}
	failed, ok := got[len(want)].(ui.StatusChange)
	if !ok || failed.State != ui.TranscriptionFailed || !errors.Is(failed.Err, lost) {
		t.Errorf("device error became %#v", got[len(want)])
	}
	if back, ok := got[len(want)+1].(ui.StatusChange); !ok || back.State != ui.TranscriptionRunning || back.Err != nil {
		t.Errorf("device restored became %#v", got[len(want)+1])
	}
}
