package desktop

import (
	"context"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store"
	"github.com/sidenote-app/sidenote/app/ui"
)

// librarySource is the Library screen's view of the store.
type librarySource struct{ st *store.Store }

func (l librarySource) Interviews(ctx context.Context, f ui.LibraryFilter) ([]interview.Interview, error) {
	return l.st.ListInterviews(ctx, store.ListOptions{Mode: f.Mode, Since: f.Since, Until: f.Until, TemplateID: f.TemplateID, Tag: f.Tag})
}

func (l librarySource) Search(ctx context.Context, q string, f ui.LibraryFilter) ([]ui.LibraryHit, error) {
	hits, err := l.st.Search(ctx, q, store.SearchOptions{
		Mode: f.Mode, Since: f.Since, Until: f.Until, TemplateID: f.TemplateID, Tag: f.Tag, Prefix: true,
		Limit: ui.LibraryHitLimit + 1, // the one past the limit says there are more
	})
	if err != nil {
		return nil, err
	}
	out := make([]ui.LibraryHit, len(hits))
	for i, h := range hits {
		out[i] = ui.LibraryHit{InterviewID: h.InterviewID, Title: h.InterviewTitle, Kind: string(h.Kind), AtMs: h.AtMs, Snippet: h.Snippet}
	}
	return out, nil
}

func (l librarySource) Tags(ctx context.Context) ([]ui.LibraryTag, error) {
	tags, err := l.st.Tags(ctx)
	out := make([]ui.LibraryTag, len(tags))
	for i, t := range tags {
		out[i] = ui.LibraryTag{Tag: t.Tag, Interviews: t.Interviews}
	}
	return out, err
}
