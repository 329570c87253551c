package store

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/app/interview"
)

// tagFixture builds five interviews, filed on days 7, 5, 3, 2 and 1 of
// January 2026, with known templates and note tags:
//
//	d  practice     template 2  day 7  go, strength (tags not from text)
//	b  candidate    template 1  day 5  golang, go-live
//	a  interviewer  template 1  day 3  go, concern; a segment
//	e  interviewer  template 2  day 2  no notes; a segment
//	c  interviewer  none        day 1  concern (twice), follow-up, team_lead, översikt
//
// Every note and segment except c's third note says "answer".
func tagFixture(t *testing.T) (*Store, map[string]int64) {
	t.Helper()
	s, clk := openTest(t)
	ctx := context.Background()
	ids := map[string]int64{}
	for _, name := range []string{"t1", "t2"} {
		tpl := interview.Template{Name: name}
		if err := s.CreateTemplate(ctx, &tpl); err != nil {
			t.Fatal(err)
		}
		ids[name] = tpl.ID
	}
	clk.Set(time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC))
	mk := func(title string, mode interview.Mode, tpl int64, day int, notes ...interview.Note) {
		t.Helper()
		iv := interview.Interview{Title: title, Mode: mode, TemplateID: tpl}
		if day > 0 {
			iv.ScheduledAt = tagDay(day)
		}
		if err := s.CreateInterview(ctx, &iv); err != nil {
			t.Fatal(err)
		}
		ids[title] = iv.ID
		for i, n := range notes {
			n.InterviewID, n.AtMs = iv.ID, int64(i)*1000
			if err := s.AddNote(ctx, &n); err != nil {
				t.Fatal(err)
			}
		}
	}
	mk("a", interview.ModeInterviewer, ids["t1"], 3,
		interview.Note{Text: "Good answer on #Go channels"},
		interview.Note{Text: "Vague answer on testing", Tags: []string{interview.TagConcern}})
	mk("b", interview.ModeCandidate, ids["t1"], 5,
		interview.Note{Text: "Asked about #golang generics, good answer"},
		interview.Note{Text: "Answer about the #go-live plan"})
	mk("c", interview.ModeInterviewer, 0, 0,
		interview.Note{Text: "#Concern about the answer, #follow_up"},
		interview.Note{Text: "Another #concern answer; #team_lead material"},
		interview.Note{Text: "Good #Översikt"})
	mk("d", interview.ModePractice, ids["t2"], 7,
		interview.Note{Text: "Practice answer", Tags: []string{"GO", "Strength"}})
	mk("e", interview.ModeInterviewer, ids["t2"], 2)
	segs := []interview.Segment{
		{InterviewID: ids["a"], Source: interview.SourceThem, StartMs: 5_000, EndMs: 6_000, Text: "my answer is channels"},
		{InterviewID: ids["e"], Source: interview.SourceThem, StartMs: 5_000, EndMs: 6_000, Text: "an answer without tags"},
	}
	if err := s.AppendSegments(ctx, segs); err != nil {
		t.Fatal(err)
	}
	return s, ids
}

func tagDay(d int) time.Time { return time.Date(2026, 1, d, 10, 0, 0, 0, time.UTC) }

func TestListInterviewsByTemplateAndTag(t *testing.T) {
	s, ids := tagFixture(t)
	ctx := context.Background()
	t1, t2 := ids["t1"], ids["t2"]
	tests := []struct {
		opts ListOptions
		want []string
	}{
		{ListOptions{}, []string{"d", "b", "a", "e", "c"}},
		// Template alone and with the other filters.
		{ListOptions{TemplateID: t1}, []string{"b", "a"}},
		{ListOptions{TemplateID: t2}, []string{"d", "e"}},
		{ListOptions{TemplateID: 999}, nil},
		{ListOptions{TemplateID: t1, Mode: interview.ModeCandidate}, []string{"b"}},
		{ListOptions{TemplateID: t2, Since: tagDay(3)}, []string{"d"}},
		{ListOptions{TemplateID: t1, Until: tagDay(4)}, []string{"a"}},
		// Tag alone: whole tags, normalised like the notes' tags.
		{ListOptions{Tag: "go"}, []string{"d", "a"}},
		{ListOptions{Tag: "GO"}, []string{"d", "a"}},
		{ListOptions{Tag: "#go"}, []string{"d", "a"}},
		{ListOptions{Tag: " go "}, []string{"d", "a"}},
		{ListOptions{Tag: "golang"}, []string{"b"}},
		{ListOptions{Tag: "go-live"}, []string{"b"}},
		{ListOptions{Tag: "g"}, nil},
		{ListOptions{Tag: "lang"}, nil},
		{ListOptions{Tag: "live"}, nil},
		{ListOptions{Tag: "golive"}, nil},
		{ListOptions{Tag: "concern"}, []string{"a", "c"}}, // c has it twice: listed once
		{ListOptions{Tag: "#Concern"}, []string{"a", "c"}},
		{ListOptions{Tag: "followup"}, []string{"c"}},
		{ListOptions{Tag: "Follow_Up"}, []string{"c"}},
		{ListOptions{Tag: "team_lead"}, []string{"c"}},
		{ListOptions{Tag: "teamxlead"}, nil}, // '_' is no wildcard
		{ListOptions{Tag: "team"}, nil},
		{ListOptions{Tag: "ÖVERSIKT"}, []string{"c"}},
		{ListOptions{Tag: "oversikt"}, nil},
		{ListOptions{Tag: "strength"}, []string{"d"}},
		{ListOptions{Tag: "highlight"}, nil},
		// Tag with the other filters.
		{ListOptions{Tag: "go", Mode: interview.ModeInterviewer}, []string{"a"}},
		{ListOptions{Tag: "go", Since: tagDay(4)}, []string{"d"}},
		{ListOptions{Tag: "concern", Until: tagDay(2)}, []string{"c"}},
		{ListOptions{Tag: "concern", Since: tagDay(2), Mode: interview.ModeInterviewer}, []string{"a"}},
		{ListOptions{Tag: "concern", TemplateID: t1}, []string{"a"}},
		{ListOptions{Tag: "concern", TemplateID: t2}, nil},
		{ListOptions{Tag: "go", TemplateID: t2, Mode: interview.ModePractice, Since: tagDay(7), Until: tagDay(8)}, []string{"d"}},
		{ListOptions{Tag: "go", Limit: 1}, []string{"d"}},
		{ListOptions{Tag: "go", Offset: 1}, []string{"a"}},
	}
	for _, tt := range tests {
		ivs, err := s.ListInterviews(ctx, tt.opts)
		if err != nil {
			t.Errorf("ListInterviews(%+v): %v", tt.opts, err)
			continue
		}
		var got []string
		for _, iv := range ivs {
			got = append(got, iv.Title)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("ListInterviews(%+v) = %q, want %q", tt.opts, got, tt.want)
		}
	}
	for _, tag := range []string{"#", "_-", "!?"} {
		if _, err := s.ListInterviews(ctx, ListOptions{Tag: tag}); !errors.Is(err, interview.ErrInvalid) {
			t.Errorf("ListInterviews(Tag %q): got %v, want ErrInvalid", tag, err)
		}
	}
}

func TestSearchByTemplateAndTag(t *testing.T) {
	s, ids := tagFixture(t)
	ctx := context.Background()
	t1, t2 := ids["t1"], ids["t2"]
	tests := []struct {
		opts SearchOptions
		want []string // the interviews of the hits, sorted
	}{
		{SearchOptions{}, []string{"a", "a", "a", "b", "b", "c", "c", "d", "e"}},
		// A tag keeps every hit in an interview that has it, not only
		// the tagged note: a's segment and untagged note stay.
		{SearchOptions{Tag: "go"}, []string{"a", "a", "a", "d"}},
		{SearchOptions{Tag: "#GO"}, []string{"a", "a", "a", "d"}},
		{SearchOptions{Tag: "go", Kinds: []Kind{KindSegment}}, []string{"a"}},
		{SearchOptions{Tag: "go", Mode: interview.ModePractice}, []string{"d"}},
		{SearchOptions{Tag: "go", Since: tagDay(4)}, []string{"d"}},
		{SearchOptions{Tag: "lang"}, nil},
		{SearchOptions{Tag: "golang"}, []string{"b", "b"}},
		{SearchOptions{Tag: "concern"}, []string{"a", "a", "a", "c", "c"}},
		{SearchOptions{TemplateID: t1}, []string{"a", "a", "a", "b", "b"}},
		{SearchOptions{TemplateID: t2}, []string{"d", "e"}},
		{SearchOptions{TemplateID: t2, Mode: interview.ModeInterviewer}, []string{"e"}},
		{SearchOptions{TemplateID: t1, Tag: "golang"}, []string{"b", "b"}},
		{SearchOptions{TemplateID: t1, Tag: "concern"}, []string{"a", "a", "a"}},
		{SearchOptions{TemplateID: t2, Tag: "concern"}, nil},
		{SearchOptions{TemplateID: 999}, nil},
		// Within one interview (a different query path).
		{SearchOptions{InterviewID: ids["a"], Tag: "go"}, []string{"a", "a", "a"}},
		{SearchOptions{InterviewID: ids["b"], Tag: "go"}, nil},
		{SearchOptions{InterviewID: ids["a"], TemplateID: t2}, nil},
		{SearchOptions{InterviewID: ids["a"], TemplateID: t1, Kinds: []Kind{KindNote}}, []string{"a", "a"}},
	}
	for _, tt := range tests {
		hits, err := s.Search(ctx, "answer", tt.opts)
		if err != nil {
			t.Errorf("Search(answer, %+v): %v", tt.opts, err)
			continue
		}
		var got []string
		for _, h := range hits {
			got = append(got, h.InterviewTitle)
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Search(answer, %+v) = %q, want %q", tt.opts, got, tt.want)
		}
	}
	if _, err := s.Search(ctx, "answer", SearchOptions{Tag: "#"}); !errors.Is(err, interview.ErrInvalid) {
		t.Errorf("Search(Tag #): got %v, want ErrInvalid", err)
	}
}

func TestTags(t *testing.T) {
	s, ids := tagFixture(t)
	ctx := context.Background()
	check := func(when string, want []TagCount) {
		t.Helper()
		got, err := s.Tags(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 && len(want) == 0 {
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Tags %s:\n got %v\nwant %v", when, got, want)
		}
	}
	// Most interviews first, then by name; c's two concern notes count
	// as one interview.
	check("at first", []TagCount{
		{"concern", 2}, {"go", 2},
		{"follow-up", 1}, {"go-live", 1}, {"golang", 1}, {"strength", 1}, {"team_lead", 1}, {"översikt", 1},
	})
	// Every tag Tags returns finds its interviews.
	all, _ := s.Tags(ctx)
	for _, tc := range all {
		if ivs, err := s.ListInterviews(ctx, ListOptions{Tag: tc.Tag}); err != nil || len(ivs) != tc.Interviews {
			t.Errorf("ListInterviews(Tag %q) = %d interviews, %v; Tags says %d", tc.Tag, len(ivs), err, tc.Interviews)
		}
	}
	if err := s.DeleteInterview(ctx, ids["a"]); err != nil {
		t.Fatal(err)
	}
	check("after deleting a", []TagCount{
		{"concern", 1}, {"follow-up", 1}, {"go", 1}, {"go-live", 1}, {"golang", 1}, {"strength", 1}, {"team_lead", 1}, {"översikt", 1},
	})
	if err := s.DeleteInterview(ctx, ids["b"]); err != nil {
		t.Fatal(err)
	}
	check("after deleting b", []TagCount{
		{"concern", 1}, {"follow-up", 1}, {"go", 1}, {"strength", 1}, {"team_lead", 1}, {"översikt", 1},
	})
	// A note edited out of its hashtag loses the tag.
	notes, err := s.Notes(ctx, ids["c"])
	if err != nil || len(notes) != 3 {
		t.Fatalf("Notes(c) = %v, %v", notes, err)
	}
	notes[2].Edit("Good overview", notes[2].Wall)
	if err := s.UpdateNote(ctx, &notes[2]); err != nil {
		t.Fatal(err)
	}
	check("after an edit", []TagCount{
		{"concern", 1}, {"follow-up", 1}, {"go", 1}, {"strength", 1}, {"team_lead", 1},
	})
	for _, name := range []string{"c", "d", "e"} {
		if err := s.DeleteInterview(ctx, ids[name]); err != nil {
			t.Fatal(err)
		}
	}
	check("with no interviews", nil)
}
