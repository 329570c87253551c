package ui

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
	// The export package holds only pure-Go writers over app/interview
	// values (no database, no cgo), so the window uses the very functions
	// the command line uses and a file exported here reads back there.
	"github.com/sidenote-app/sidenote/app/store/export"
)

// templateFileExts are the files the import dialog offers: JSON written
// by Sidenote and Markdown question lists (see export.ReadTemplate).
var templateFileExts = []string{".json", ".md", ".markdown", ".txt"}

// screenBanner is a non-blocking error line at the top of a screen.
type screenBanner struct {
	label *widget.Label
	box   *fyne.Container
}

func newScreenBanner() *screenBanner {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.DangerImportance
	b := &screenBanner{label: l, box: container.NewVBox(l)}
	b.box.Hide()
	return b
}

// show says what failed (in the user's words) and why.
func (b *screenBanner) show(what string, err error) {
	b.label.SetText(what + " " + err.Error())
	b.box.Show()
}

func (b *screenBanner) hide() { b.box.Hide() }

// templateList is the Templates screen: every question plan, a way to
// start a new one and to import one from a file.
type templateList struct {
	shell   *shell
	content fyne.CanvasObject
	rows    *fyne.Container
	body    *fyne.Container
	banner  *screenBanner
}

func (s *shell) showTemplates() {
	s.leave()
	l := newTemplateList(s)
	s.win.SetContent(l.content)
	l.relayout()
}

// relayout lays the page out again once it has its width: a wrapping
// label's height is only right after the second pass (as in the checklist).
func (l *templateList) relayout() {
	l.body.Refresh()
	l.body.Refresh()
}

func newTemplateList(s *shell) *templateList {
	l := &templateList{shell: s, rows: container.NewVBox(), banner: newScreenBanner()}
	newBtn := widget.NewButtonWithIcon(lang.X("templates.new", "New template"), theme.ContentAddIcon(), l.create)
	newBtn.Importance = widget.HighImportance
	importBtn := widget.NewButtonWithIcon(lang.X("templates.import", "Import…"), theme.FolderOpenIcon(), l.chooseImport)
	hint := quietLabel(lang.X("templates.hint", "A template is a question plan: the same questions in the same order for every candidate. Choose one in New interview."))
	l.body = container.NewVBox(l.banner.box, hint, container.NewGridWithColumns(2, newBtn, importBtn), l.rows)
	l.content = s.subScreen(lang.X("templates.title", "Templates"), l.body, nil)
	l.reload()
	return l
}

func (l *templateList) reload() {
	ctx, cancel := storeCtx()
	ts, err := l.shell.deps.Store.Templates(ctx)
	cancel()
	l.rows.RemoveAll()
	if err != nil {
		l.banner.show(lang.X("templates.error.list", "The templates could not be read:"), err)
		return
	}
	if len(ts) == 0 {
		l.rows.Add(quietLabel(lang.X("templates.empty", "No templates yet. Start a new one or import a Markdown list of questions.")))
	}
	for _, t := range ts {
		id := t.ID
		b := widget.NewButtonWithIcon(t.Name, theme.DocumentIcon(), func() { l.shell.showTemplate(id) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		count := widget.NewLabel(questionCount(len(t.Questions)))
		count.Importance = widget.LowImportance
		l.rows.Add(container.NewBorder(nil, nil, nil, count, b))
	}
	l.rows.Refresh()
}

func questionCount(n int) string {
	if n == 1 {
		return lang.X("templates.count.one", "1 question")
	}
	return lang.X("templates.count", "{{.N}} questions", map[string]any{"N": n})
}

// create stores a template with a placeholder name at once, so the
// editor saves every later change the same way.
func (l *templateList) create() {
	t := interview.Template{Name: lang.X("templates.untitled", "New template")}
	ctx, cancel := storeCtx()
	err := l.shell.deps.Store.CreateTemplate(ctx, &t)
	cancel()
	if err != nil {
		l.banner.show(lang.X("templates.error.create", "The template could not be created:"), err)
		return
	}
	e := l.shell.showTemplate(t.ID)
	if e != nil {
		e.focusName()
	}
}

func (l *templateList) chooseImport() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			l.banner.show(lang.X("templates.error.import", "The template could not be imported:"), err)
			return
		}
		if r == nil {
			return // cancelled
		}
		defer r.Close()
		if id, err := l.importFrom(r); err == nil {
			l.shell.showTemplate(id)
		}
	}, l.shell.win)
	d.SetFilter(storage.NewExtensionFileFilter(templateFileExts))
	d.Show()
}

// importFrom reads a template (JSON or Markdown) and stores it as a new
// one; a failure shows in the banner.
func (l *templateList) importFrom(r io.Reader) (int64, error) {
	t, err := export.ReadTemplate(r)
	if err == nil {
		ctx, cancel := storeCtx()
		err = l.shell.deps.Store.CreateTemplate(ctx, t)
		cancel()
	}
	if err != nil {
		l.banner.show(lang.X("templates.error.import", "The template could not be imported:"), err)
		return 0, err
	}
	l.banner.hide()
	return t.ID, nil
}

// templateEditor edits one template. Every change is saved at once: the
// store replaces the question list as a whole, which for a plan of a few
// dozen questions costs a millisecond, so nothing waits for a Save button.
type templateEditor struct {
	shell   *shell
	content fyne.CanvasObject
	tpl     interview.Template

	name      *widget.Entry
	nameErr   *widget.Label
	desc      *widget.Entry
	questions *fyne.Container
	banner    *screenBanner
	cards     []*questionCard
	body      *fyne.Container
}

// questionCard is one question's fields in the editor.
type questionCard struct {
	text, competency, guidance, minutes *widget.Entry
	textErr, minutesErr                 *widget.Label
	up, down, remove                    *widget.Button
}

func (s *shell) showTemplate(id int64) *templateEditor {
	s.leave()
	e, err := newTemplateEditor(s, id)
	if err != nil {
		l := newTemplateList(s)
		l.banner.show(lang.X("templates.error.open", "The template could not be opened:"), err)
		s.win.SetContent(l.content)
		l.relayout()
		return nil
	}
	s.win.SetContent(e.content)
	e.body.Refresh()
	e.body.Refresh()
	return e
}

func newTemplateEditor(s *shell, id int64) (*templateEditor, error) {
	ctx, cancel := storeCtx()
	t, err := s.deps.Store.Template(ctx, id)
	cancel()
	if err != nil {
		return nil, err
	}
	e := &templateEditor{shell: s, tpl: t, banner: newScreenBanner(), questions: container.NewVBox()}

	e.name = widget.NewEntry()
	e.name.SetText(t.Name)
	e.name.SetPlaceHolder(lang.X("templates.name.placeholder", "e.g. Backend engineer, first round"))
	e.name.OnChanged = func(v string) {
		if strings.TrimSpace(v) == "" {
			e.nameErr.Show()
			return
		}
		e.nameErr.Hide()
		e.tpl.Name = v
		e.save()
	}
	e.nameErr = fieldError(lang.X("templates.name.required", "Give the template a name; until then the old one is kept."))
	e.desc = widget.NewMultiLineEntry()
	e.desc.Wrapping = fyne.TextWrapWord
	e.desc.SetMinRowsVisible(2)
	e.desc.SetText(t.Description)
	e.desc.SetPlaceHolder(lang.X("templates.desc.placeholder", "What the plan is for, who uses it"))
	e.desc.OnChanged = func(v string) {
		e.tpl.Description = v
		e.save()
	}

	add := widget.NewButtonWithIcon(lang.X("templates.question.add", "Add question"), theme.ContentAddIcon(), e.addQuestion)
	add.Importance = widget.HighImportance
	exportJSON := widget.NewButtonWithIcon(lang.X("templates.export.json", "Export JSON…"), theme.DocumentSaveIcon(), func() { e.chooseExport(export.JSON) })
	exportMD := widget.NewButtonWithIcon(lang.X("templates.export.md", "Export Markdown…"), theme.DocumentSaveIcon(), func() { e.chooseExport(export.Markdown) })
	del := widget.NewButtonWithIcon(lang.X("templates.delete", "Delete template"), theme.DeleteIcon(), e.confirmDelete)
	del.Importance = widget.DangerImportance

	e.body = container.NewVBox(
		e.banner.box,
		fieldCaption(lang.X("templates.name", "Name")), e.name, e.nameErr,
		fieldCaption(lang.X("templates.desc", "Description")), e.desc,
		sectionHeading(lang.X("templates.questions", "Questions")),
		e.questions, add,
		widget.NewSeparator(),
		container.NewGridWithColumns(2, exportJSON, exportMD),
		del,
	)
	e.content = s.frame(lang.X("templates.back", "Templates"), s.showTemplates, lang.X("templates.edit.title", "Edit template"), e.body, nil)
	e.rebuild()
	return e, nil
}

func fieldError(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.DangerImportance
	l.Hide()
	return l
}

func (e *templateEditor) focusName() {
	if c := e.shell.win.Canvas(); c != nil {
		c.Focus(e.name)
	}
	e.name.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// rebuild lays the question cards out again after one was added, moved
// or removed.
func (e *templateEditor) rebuild() {
	e.questions.RemoveAll()
	e.cards = e.cards[:0]
	if len(e.tpl.Questions) == 0 {
		e.questions.Add(quietLabel(lang.X("templates.questions.empty", "No questions yet. Add them in the order you will ask them.")))
	}
	for i := range e.tpl.Questions {
		c := e.newCard(i)
		e.cards = append(e.cards, c)
	}
	e.questions.Refresh()
}

func (e *templateEditor) newCard(i int) *questionCard {
	q := e.tpl.Questions[i]
	c := &questionCard{}
	c.text = widget.NewMultiLineEntry()
	c.text.Wrapping = fyne.TextWrapWord
	c.text.SetMinRowsVisible(2)
	c.text.SetText(q.Text)
	c.text.SetPlaceHolder(lang.X("templates.question.placeholder", "The question, as you will ask it"))
	c.textErr = fieldError(lang.X("templates.question.blank", "A question without text is not saved."))
	c.textErr.Hidden = strings.TrimSpace(q.Text) != ""
	c.text.OnChanged = func(v string) {
		e.tpl.Questions[i].Text = v
		c.textErr.Hidden = strings.TrimSpace(v) != ""
		c.textErr.Refresh()
		e.save()
	}
	c.competency = widget.NewEntry()
	c.competency.SetText(q.Competency)
	c.competency.SetPlaceHolder(lang.X("templates.competency.placeholder", "e.g. system design"))
	c.competency.OnChanged = func(v string) {
		e.tpl.Questions[i].Competency = v
		e.save()
	}
	c.guidance = widget.NewMultiLineEntry()
	c.guidance.Wrapping = fyne.TextWrapWord
	c.guidance.SetMinRowsVisible(2)
	c.guidance.SetText(q.Guidance)
	c.guidance.SetPlaceHolder(lang.X("templates.guidance.placeholder", "What a good answer covers"))
	c.guidance.OnChanged = func(v string) {
		e.tpl.Questions[i].Guidance = v
		e.save()
	}
	c.minutes = widget.NewEntry()
	if q.Expected > 0 {
		c.minutes.SetText(minutesText(q.Expected))
	}
	c.minutes.SetPlaceHolder(lang.X("templates.minutes.placeholder", "Expected time, e.g. 5"))
	c.minutesErr = fieldError(lang.X("templates.minutes.invalid", "Write minutes as a number, like 5 or 2.5; the last valid time is kept."))
	c.minutes.OnChanged = func(v string) {
		d, ok := parseMinutes(v)
		c.minutesErr.Hidden = ok
		c.minutesErr.Refresh()
		if !ok {
			return
		}
		e.tpl.Questions[i].Expected = d
		e.save()
	}

	c.up = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { e.move(i, i-1) })
	c.down = widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { e.move(i, i+1) })
	c.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { e.removeQuestion(i) })
	for _, b := range []*widget.Button{c.up, c.down, c.remove} {
		b.Importance = widget.LowImportance
	}
	if i == 0 {
		c.up.Disable()
	}
	if i == len(e.tpl.Questions)-1 {
		c.down.Disable()
	}
	title := widget.NewLabelWithStyle(lang.X("templates.question.n", "Question {{.N}}", map[string]any{"N": i + 1}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	header := container.NewBorder(nil, nil, title, container.NewHBox(c.up, c.down, c.remove))
	form := widget.NewForm(
		widget.NewFormItem(lang.X("templates.competency", "Competency"), c.competency),
		widget.NewFormItem(lang.X("templates.guidance", "Guidance"), c.guidance),
		widget.NewFormItem(lang.X("templates.minutes", "Minutes"), c.minutes),
	)
	e.questions.Add(widget.NewCard("", "", container.NewVBox(header, c.text, c.textErr, form, c.minutesErr)))
	return c
}

// parseMinutes reads the expected time; blank is none. A comma is
// accepted as the decimal mark, as Swedish writes it.
func parseMinutes(s string) (d time.Duration, ok bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", "."))
	if s == "" {
		return 0, true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v > 24*60 {
		return 0, false
	}
	return time.Duration(v * float64(time.Minute)).Round(time.Second), true
}

func minutesText(d time.Duration) string {
	return strconv.FormatFloat(d.Minutes(), 'f', -1, 64)
}

func (e *templateEditor) addQuestion() {
	e.tpl.Questions = append(e.tpl.Questions, interview.TemplateQuestion{})
	e.rebuild()
	if c := e.shell.win.Canvas(); c != nil && len(e.cards) > 0 {
		c.Focus(e.cards[len(e.cards)-1].text)
	}
	// Nothing to save yet: a question is stored once it has text.
}

func (e *templateEditor) move(from, to int) {
	qs := e.tpl.Questions
	if to < 0 || to >= len(qs) {
		return
	}
	qs[from], qs[to] = qs[to], qs[from]
	e.rebuild()
	e.save()
}

func (e *templateEditor) removeQuestion(i int) {
	e.tpl.Questions = append(e.tpl.Questions[:i:i], e.tpl.Questions[i+1:]...)
	e.rebuild()
	e.save()
}

// saved is the template as stored: questions still without text are
// left out, so adding one never makes the template invalid.
func (e *templateEditor) saved() interview.Template {
	t := e.tpl
	t.Questions = nil
	for _, q := range e.tpl.Questions {
		if strings.TrimSpace(q.Text) != "" {
			t.Questions = append(t.Questions, q)
		}
	}
	return t
}

func (e *templateEditor) save() {
	t := e.saved()
	ctx, cancel := storeCtx()
	err := e.shell.deps.Store.UpdateTemplate(ctx, &t)
	cancel()
	if err != nil {
		e.banner.show(lang.X("templates.error.save", "The change was not saved:"), err)
		return
	}
	e.banner.hide()
	e.tpl.UpdatedAt = t.UpdatedAt
	// New questions got their ids in the store; keep them, or the next
	// save would insert them again under new ids and cut the link from
	// interviews planned in between. saved() skipped the blank cards, so
	// the stored questions line up with the non-blank ones in order.
	k := 0
	for i := range e.tpl.Questions {
		if strings.TrimSpace(e.tpl.Questions[i].Text) == "" {
			continue
		}
		if k < len(t.Questions) {
			e.tpl.Questions[i].ID = t.Questions[k].ID
		}
		k++
	}
}

func (e *templateEditor) confirmDelete() {
	dialog.ShowConfirm(lang.X("templates.delete.title", "Delete this template?"),
		lang.X("templates.delete.body", "“{{.Name}}” and its questions are deleted. Interviews planned from it keep their own copy of the questions.", map[string]any{"Name": e.tpl.Name}),
		func(ok bool) {
			if ok {
				e.delete()
			}
		}, e.shell.win)
}

func (e *templateEditor) delete() {
	ctx, cancel := storeCtx()
	err := e.shell.deps.Store.DeleteTemplate(ctx, e.tpl.ID)
	cancel()
	if err != nil {
		e.banner.show(lang.X("templates.error.delete", "The template could not be deleted:"), err)
		return
	}
	e.shell.showTemplates()
}

func (e *templateEditor) chooseExport(f export.Format) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err == nil && w != nil {
			err = e.writeTo(w, f)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			e.banner.show(lang.X("templates.error.export", "The template could not be exported:"), err)
		}
	}, e.shell.win)
	d.SetFileName(fileName(e.tpl.Name) + "." + string(f))
	d.SetFilter(storage.NewExtensionFileFilter([]string{"." + string(f)}))
	d.Show()
}

// writeTo writes the template as stored, in JSON or Markdown.
func (e *templateEditor) writeTo(w io.Writer, f export.Format) error {
	t := e.saved()
	if f == export.JSON {
		return export.WriteTemplateJSON(w, &t)
	}
	if f == export.Markdown {
		return export.WriteTemplateMarkdown(w, &t)
	}
	return fmt.Errorf("templates are exported as JSON or Markdown, not %s", f)
}

// fileName turns a template name into a file name without path
// separators or characters some file systems refuse.
func fileName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < ' ' {
			return '-'
		}
		return r
	}, strings.TrimSpace(name))
	if name == "" {
		return "template"
	}
	return name
}
