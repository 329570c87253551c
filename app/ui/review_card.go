package ui

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store/export"
)

// scorecardAnswerMax is how many characters of an answer the scorecard
// shows before "more": a few lines to recall it by; the Timeline has it
// all, and a ten-minute answer in full would bury the ratings.
const scorecardAnswerMax = 300

// scorecard is the Scorecard tab: every question with its rating, note,
// time spent and answer, then the overall verdict, saved on the interview.
func (r *review) scorecard() fyne.CanvasObject {
	sc := interview.NewScorecard(r.b)
	box := container.NewVBox()
	for _, q := range sc.Questions {
		title := widget.NewLabelWithStyle(fmt.Sprintf("%d. %s", q.Position, q.Text), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		title.Wrapping = fyne.TextWrapWord
		box.Add(title)
		box.Add(quietLabel(questionLine(q)))
		addNoteAndAnswer(box, q.Note, q.AnswerText(), scorecardAnswerMax)
		if q.Asked() {
			at := q.AskedAtMs
			b := widget.NewButtonWithIcon(lang.X("review.card.jump", "Go to {{.At}}", map[string]any{"At": interview.Stamp(at)}), theme.MediaPlayIcon(), func() { r.jump(at) })
			b.Importance = widget.LowImportance
			box.Add(container.NewHBox(b))
		}
		box.Add(widget.NewSeparator())
	}
	if len(sc.Questions) == 0 {
		box.Add(quietLabel(lang.X("review.card.none", "No questions were planned or asked.")))
	}
	if sc.Rated > 0 {
		box.Add(quietLabel(lang.X("review.card.average", "Average rating {{.Avg}} over {{.N}} rated questions", map[string]any{"Avg": fmt.Sprintf("%.1f", sc.Average), "N": sc.Rated})))
	}
	box.Add(r.verdictForm())
	return box
}

// questionLine is "Asked at 03:12 · 4 min · rated 4/5" or why it was not.
func questionLine(q interview.QuestionScore) string {
	var parts []string
	switch q.Status {
	case interview.QuestionAsked:
		parts = append(parts, lang.X("review.card.asked", "Asked at {{.At}}", map[string]any{"At": interview.Stamp(q.AskedAtMs)}), durationText(q.SpentMs))
	case interview.QuestionSkipped:
		parts = append(parts, lang.X("review.card.skipped", "Skipped"))
	default:
		parts = append(parts, lang.X("review.card.notasked", "Not asked"))
	}
	if q.Competency != "" {
		parts = append(parts, q.Competency)
	}
	if q.Rating > 0 {
		parts = append(parts, lang.X("review.card.rated", "rated {{.N}}/5", map[string]any{"N": q.Rating}))
	}
	return strings.Join(parts, " · ")
}

func recommendationName(rec interview.Recommendation) string {
	switch rec {
	case interview.RecommendStrongNo:
		return lang.X("review.rec.strongno", "Strong no")
	case interview.RecommendNo:
		return lang.X("review.rec.no", "No")
	case interview.RecommendYes:
		return lang.X("review.rec.yes", "Yes")
	case interview.RecommendStrongYes:
		return lang.X("review.rec.strongyes", "Strong yes")
	}
	return lang.X("review.rec.none", "No recommendation")
}

// verdictForm edits Interview.Verdict: the overall rating, the
// recommendation and a summary, saved with one button.
func (r *review) verdictForm() fyne.CanvasObject {
	v := r.b.Interview.Verdict
	none := lang.X("review.rating.none", "Not rated")
	ratings := []string{none}
	for i := interview.MinRating; i <= interview.MaxRating; i++ {
		ratings = append(ratings, strconv.Itoa(i))
	}
	rating := widget.NewSelect(ratings, nil)
	rating.SetSelectedIndex(v.Rating)
	var recNames []string
	recs := append([]interview.Recommendation{interview.RecommendNone}, interview.Recommendations()...)
	recs = dedupeRecs(recs)
	sel := 0
	for i, rec := range recs {
		recNames = append(recNames, recommendationName(rec))
		if rec == v.Recommendation {
			sel = i
		}
	}
	rec := widget.NewSelect(recNames, nil)
	rec.SetSelectedIndex(sel)
	summary := widget.NewMultiLineEntry()
	summary.Wrapping = fyne.TextWrapWord
	summary.SetPlaceHolder(lang.X("review.summary.placeholder", "Why, in a sentence or two"))
	summary.SetText(v.Summary)
	saved := quietLabel("")
	save := widget.NewButtonWithIcon(lang.X("review.verdict.save", "Save verdict"), theme.DocumentSaveIcon(), func() {
		iv := r.b.Interview
		iv.Verdict = interview.Verdict{Rating: max(0, rating.SelectedIndex()), Recommendation: recs[max(0, rec.SelectedIndex())], Summary: strings.TrimSpace(summary.Text)}
		ctx, cancel := storeCtx()
		err := r.s.deps.Store.UpdateInterview(ctx, &iv)
		cancel()
		if err != nil {
			r.showError(lang.X("review.error.verdict", "The verdict could not be saved:"), err)
			return
		}
		r.b.Interview = iv
		saved.SetText(lang.X("review.verdict.saved", "Saved."))
	})
	save.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem(lang.X("review.verdict.rating", "Overall"), rating),
		widget.NewFormItem(lang.X("review.verdict.rec", "Recommend"), rec),
	)
	return container.NewVBox(sectionHeading(lang.X("review.verdict", "Verdict")), form, summary, container.NewHBox(save, saved))
}

// dedupeRecs drops a repeated "none" in case Recommendations lists it.
func dedupeRecs(in []interview.Recommendation) []interview.Recommendation {
	var out []interview.Recommendation
	seen := map[interview.Recommendation]bool{}
	for _, r := range in {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// stats is the Stats tab: who talked how much and how, and for a template
// interview how closely the plan was followed.
func (r *review) stats() fyne.CanvasObject {
	ts := interview.NewTalkStats(r.b)
	box := container.NewVBox()
	line := func(text string) {
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		box.Add(l)
	}
	you := int(ts.Share.You*100 + 0.5)
	if ts.Share.YouMs+ts.Share.ThemMs > 0 {
		line(lang.X("review.stats.share", "Talk share: You {{.You}} % · Them {{.Them}} %", map[string]any{"You": you, "Them": 100 - you}))
	} else {
		line(lang.X("review.stats.noshare", "No transcript to measure talk share."))
	}
	for _, sp := range []struct {
		name string
		t    interview.SpeakerTalk
	}{{lang.X("transcript.you", "You"), ts.You}, {lang.X("transcript.them", "Them"), ts.Them}} {
		if sp.t.SpeakingMs == 0 {
			continue
		}
		box.Add(sectionHeading(sp.name))
		line(lang.X("review.stats.pace", "Pace {{.WPM}} words/min, {{.Words}} words in {{.Time}}", map[string]any{"WPM": int(sp.t.WPM + 0.5), "Words": sp.t.Words, "Time": durationText(sp.t.SpeakingMs)}))
		var fs []string
		for i, f := range sp.t.Fillers {
			if i == 5 {
				break
			}
			fs = append(fs, fmt.Sprintf("%s %d", f.Filler, f.Count))
		}
		fill := lang.X("review.stats.fillers", "Fillers {{.N}} ({{.Rate}}/min)", map[string]any{"N": sp.t.FillerTotal, "Rate": fmt.Sprintf("%.1f", sp.t.FillersPerMin)})
		if len(fs) > 0 {
			fill += ": " + strings.Join(fs, ", ")
		}
		line(fill)
		if sp.t.Longest.Ms > 0 {
			line(lang.X("review.stats.monologue", "Longest monologue {{.Time}} from {{.At}}", map[string]any{"Time": durationText(sp.t.Longest.Ms), "At": interview.Stamp(sp.t.Longest.StartMs)}))
		}
	}
	asked, skipped := 0, 0
	for _, q := range r.b.Questions {
		switch q.Status {
		case interview.QuestionAsked:
			asked++
		case interview.QuestionSkipped:
			skipped++
		}
	}
	box.Add(sectionHeading(lang.X("review.stats.questions", "Questions")))
	line(lang.X("review.stats.asked", "{{.Asked}} of {{.N}} asked, {{.Skipped}} skipped", map[string]any{"Asked": asked, "N": len(r.b.Questions), "Skipped": skipped}))
	if c := r.consistency(); c != "" {
		line(c)
	}
	return box
}

// consistency is the line on how the plan was followed; "" without a
// template (or when it is gone).
func (r *review) consistency() string {
	id := r.b.Interview.TemplateID
	if id == 0 {
		return ""
	}
	ctx, cancel := storeCtx()
	t, err := r.s.deps.Store.Template(ctx, id)
	cancel()
	if err != nil {
		return ""
	}
	c, err := interview.CheckConsistency(r.b, &t)
	if err != nil {
		return ""
	}
	if c.Consistent() {
		return lang.X("review.stats.consistent", "Followed the template: all {{.N}} planned questions asked in order.", map[string]any{"N": c.Planned})
	}
	return lang.X("review.stats.inconsistent", "Against the template ({{.N}} planned): {{.Skipped}} skipped, {{.Added}} added, {{.Order}} out of order.",
		map[string]any{"N": c.Planned, "Skipped": len(c.Skipped), "Added": len(c.Added), "Order": len(c.OutOfOrder)})
}

// exportTab offers every export format to a file, the transcript to the
// clipboard, and deleting the interview.
func (r *review) exportTab() fyne.CanvasObject {
	box := container.NewVBox(sectionHeading(lang.X("review.export", "Export")))
	grid := container.NewGridWithColumns(3)
	for _, f := range export.Formats() {
		grid.Add(widget.NewButtonWithIcon(strings.ToUpper(string(f)), theme.DocumentSaveIcon(), func() { r.exportFile(f) }))
	}
	box.Add(grid)
	box.Add(widget.NewButtonWithIcon(lang.X("review.copy", "Copy transcript"), theme.ContentCopyIcon(), r.copyTranscript))
	if r.s.deps.Review != nil {
		del := widget.NewButtonWithIcon(lang.X("review.delete", "Delete interview"), theme.DeleteIcon(), r.confirmDelete)
		del.Importance = widget.DangerImportance
		box.Add(widget.NewSeparator())
		box.Add(del)
	}
	return box
}

// writeExport writes the interview as f: what export.Write writes.
func (r *review) writeExport(w io.Writer, f export.Format) error {
	return export.Write(w, f, r.b, export.Options{})
}

func (r *review) exportFile(f export.Format) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			r.showError(lang.X("review.error.export", "The export could not be written:"), err)
			return
		}
		if w == nil {
			return // cancelled
		}
		err = r.writeExport(w, f)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			r.showError(lang.X("review.error.export", "The export could not be written:"), err)
		}
	}, r.s.win)
	d.SetFileName(exportName(r.title()) + f.Ext())
	d.Show()
}

// exportName makes a title safe as a file name.
func exportName(title string) string {
	name := strings.Map(func(c rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, c) {
			return '-'
		}
		return c
	}, title)
	return strings.TrimSpace(name)
}

func (r *review) copyTranscript() {
	var buf bytes.Buffer
	if err := r.writeExport(&buf, export.Text); err != nil {
		r.showError(lang.X("review.error.export", "The export could not be written:"), err)
		return
	}
	fyne.CurrentApp().Clipboard().SetContent(buf.String())
}

func (r *review) confirmDelete() {
	d := dialog.NewConfirm(lang.X("review.delete.title", "Delete this interview?"),
		lang.X("review.delete.body", "Its notes, transcript and recordings are removed from this computer. This cannot be undone."),
		func(ok bool) {
			if ok {
				r.delete()
			}
		}, r.s.win)
	d.SetConfirmText(lang.X("review.delete.confirm", "Delete"))
	d.SetDismissText(lang.X("review.delete.keep", "Keep it"))
	d.Show()
}

func (r *review) delete() {
	r.close() // the recording is about to go
	ctx, cancel := storeCtx()
	err := r.s.deps.Review.DeleteInterview(ctx, r.b.Interview.ID)
	cancel()
	if err != nil {
		r.showError(lang.X("review.error.delete", "The interview could not be deleted:"), err)
		return
	}
	r.s.showHome()
}
