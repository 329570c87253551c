package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sidenote-app/sidenote/app/interview"
)

// interviewForm is the New interview screen: the details from the
// product brief, each with its own inline message, and Save, which
// creates a planned interview and goes on to the checklist.
type interviewForm struct {
	shell   *shell
	content fyne.CanvasObject

	mode         *widget.RadioGroup
	title        *widget.Entry
	role         *widget.Entry
	other        *widget.Entry
	otherCap     *widget.Label
	date         *widget.Entry
	clock        *widget.Entry
	length       *widget.Select
	platform     *widget.SelectEntry
	link         *widget.Entry
	phone        *widget.Entry
	documents    *widget.Entry
	language     *widget.Select
	template     *widget.Select
	points       *widget.Entry
	consent      *widget.Check
	consentLabel *tapLabel
	save         *widget.Button

	templates []interview.Template
	errs      map[string]*widget.Label // inline message per field
	formErr   *widget.Label
}

// languages are the transcription languages offered; "" is automatic.
var languages = []string{"", "en", "sv", "da", "nb", "fi", "de", "fr", "es"}

func languageName(code string) string {
	switch code {
	case "":
		return lang.X("language.auto", "Detect automatically")
	case "en":
		return lang.X("language.en", "English")
	case "sv":
		return lang.X("language.sv", "Swedish")
	case "da":
		return lang.X("language.da", "Danish")
	case "nb":
		return lang.X("language.nb", "Norwegian")
	case "fi":
		return lang.X("language.fi", "Finnish")
	case "de":
		return lang.X("language.de", "German")
	case "fr":
		return lang.X("language.fr", "French")
	case "es":
		return lang.X("language.es", "Spanish")
	}
	return code
}

// lengths are the planned lengths offered, in minutes; 0 is "not set".
var lengths = []int{0, 15, 30, 45, 60, 90, 120}

func newInterviewForm(s *shell) *interviewForm {
	f := &interviewForm{shell: s, errs: map[string]*widget.Label{}}
	modes := []string{modeName(interview.ModeInterviewer), modeName(interview.ModeCandidate), modeName(interview.ModePractice)}
	f.mode = widget.NewRadioGroup(modes, func(string) { f.modeChanged() })
	f.mode.Horizontal = true
	f.mode.Required = true
	f.mode.SetSelected(modes[0])

	f.title = widget.NewEntry()
	f.title.SetPlaceHolder(lang.X("form.title.placeholder", "e.g. Backend engineer, first interview"))
	f.role = widget.NewEntry()
	f.role.SetPlaceHolder(lang.X("form.role.placeholder", "The position discussed"))
	f.other = widget.NewEntry()
	f.otherCap = fieldCaption("")

	f.date = widget.NewEntry()
	f.date.SetPlaceHolder(s.now().Format("2006-01-02"))
	f.clock = widget.NewEntry()
	f.clock.SetPlaceHolder("14:00")
	var lengthNames []string
	for _, m := range lengths {
		if m == 0 {
			lengthNames = append(lengthNames, lang.X("form.length.none", "Length not set"))
		} else {
			lengthNames = append(lengthNames, lang.X("home.minutes", "{{.N}} min", map[string]any{"N": m}))
		}
	}
	f.length = widget.NewSelect(lengthNames, nil)
	f.length.SetSelectedIndex(0)

	f.platform = widget.NewSelectEntry([]string{"Zoom", "Google Meet", "Microsoft Teams", lang.X("form.platform.phone", "Phone")})
	f.platform.SetPlaceHolder(lang.X("form.platform.placeholder", "Zoom, Meet, Teams, phone…"))
	f.link = widget.NewEntry()
	f.link.SetPlaceHolder("https://")
	f.phone = widget.NewEntry()
	f.phone.SetPlaceHolder(lang.X("form.phone.placeholder", "In case the call drops"))
	f.documents = widget.NewMultiLineEntry()
	f.documents.SetMinRowsVisible(2)
	f.documents.Wrapping = fyne.TextWrapWord
	f.documents.SetPlaceHolder(lang.X("form.documents.placeholder", "CV, portfolio, the job ad…"))

	var langNames []string
	for _, c := range languages {
		langNames = append(langNames, languageName(c))
	}
	f.language = widget.NewSelect(langNames, nil)
	f.language.SetSelectedIndex(max(slices.Index(languages, PrefsOf(fyne.CurrentApp()).SpokenLanguage()), 0))

	f.template = widget.NewSelect(nil, nil)
	f.loadTemplates()

	f.points = widget.NewMultiLineEntry()
	f.points.SetMinRowsVisible(4)
	f.points.Wrapping = fyne.TextWrapWord
	f.points.SetPlaceHolder(lang.X("form.points.placeholder", "One per line. Start a line with ? for a question to ask them."))

	var consentRow fyne.CanvasObject
	f.consent, f.consentLabel, consentRow = wrappingCheck("", nil)

	f.formErr = widget.NewLabel("")
	f.formErr.Wrapping = fyne.TextWrapWord
	f.formErr.Importance = widget.DangerImportance
	f.formErr.Hide()

	f.save = widget.NewButtonWithIcon(lang.X("form.save", "Save and check equipment"), theme.NavigateNextIcon(), f.submit)
	f.save.Importance = widget.HighImportance

	when := container.NewVBox(container.NewGridWithColumns(2, f.date, f.clock), f.length)
	body := container.NewVBox(
		f.field("mode", lang.X("form.mode", "I am the"), f.mode),
		f.field("title", lang.X("form.title", "Title"), f.title),
		f.field("role", lang.X("form.role", "Role"), f.role),
		f.fieldWithCaption("other", f.otherCap, f.other),
		f.field("when", lang.X("form.when", "Date, time and length"), when),
		f.field("platform", lang.X("form.platform", "Platform"), f.platform),
		f.field("link", lang.X("form.link", "Link to the call"), f.link),
		f.field("phone", lang.X("form.phone", "Backup phone"), f.phone),
		f.field("documents", lang.X("form.documents", "Documents to prepare"), f.documents),
		f.field("language", lang.X("form.language", "Spoken language"), f.language),
		f.field("template", lang.X("form.template", "Questions from a template"), f.template),
		f.field("points", lang.X("form.points", "Talking points"), f.points),
		consentRow,
		f.formErr,
	)
	bottom := container.NewPadded(f.save)
	f.content = s.subScreen(lang.X("form.heading", "New interview"), body, bottom)
	f.modeChanged()
	return f
}

func (f *interviewForm) focus() {
	if c := f.shell.win.Canvas(); c != nil {
		c.Focus(f.title)
	}
}

// field is a caption above a widget, with room for an inline message.
func (f *interviewForm) field(key, caption string, w fyne.CanvasObject) fyne.CanvasObject {
	return f.fieldWithCaption(key, fieldCaption(caption), w)
}

func (f *interviewForm) fieldWithCaption(key string, caption *widget.Label, w fyne.CanvasObject) fyne.CanvasObject {
	msg := widget.NewLabel("")
	msg.Wrapping = fyne.TextWrapWord
	msg.Importance = widget.DangerImportance
	msg.SizeName = theme.SizeNameCaptionText
	msg.Hide()
	f.errs[key] = msg
	return container.New(&tightVBox{}, caption, w, msg)
}

func fieldCaption(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameCaptionText
	l.TextStyle.Bold = true
	return l
}

func (f *interviewForm) loadTemplates() {
	opts := []string{lang.X("form.template.none", "Blank — no template")}
	if f.shell.deps.Store != nil {
		ctx, cancel := storeCtx()
		ts, err := f.shell.deps.Store.Templates(ctx)
		cancel()
		if err != nil {
			f.shell.log.Error("listing templates", "err", err)
		}
		f.templates = ts
	}
	for _, t := range f.templates {
		opts = append(opts, lang.X("form.template.option", "{{.Name}} ({{.N}} questions)", map[string]any{"Name": t.Name, "N": len(t.Questions)}))
	}
	f.template.SetOptions(opts)
	f.template.SetSelectedIndex(0)
}

func (f *interviewForm) selectedMode() interview.Mode {
	switch f.mode.Selected {
	case modeName(interview.ModeCandidate):
		return interview.ModeCandidate
	case modeName(interview.ModePractice):
		return interview.ModePractice
	}
	return interview.ModeInterviewer
}

// modeChanged words the fields that depend on who the user is.
func (f *interviewForm) modeChanged() {
	if f.consent == nil {
		return // still building
	}
	f.consentLabel.SetText(consentText(f.selectedMode()))
	switch f.selectedMode() {
	case interview.ModeCandidate:
		f.otherCap.SetText(lang.X("form.other.interviewer", "Interviewer's name"))
	case interview.ModePractice:
		f.otherCap.SetText(lang.X("form.other.practice", "Who you practise for (optional)"))
	default:
		f.otherCap.SetText(lang.X("form.other.candidate", "Candidate's name"))
	}
}

// consentText is the recording-consent promise in the user's role.
func consentText(m interview.Mode) string {
	switch m {
	case interview.ModeCandidate:
		return lang.X("consent.candidate", "Record audio: I have told the interviewer and they agreed")
	case interview.ModePractice:
		return lang.X("consent.practice", "Record my answers (the audio stays on this computer)")
	}
	return lang.X("consent.interviewer", "Record audio: I have told the candidate and they agreed")
}

// errNoTitle and friends are the form's own checks, before the domain's.
var (
	errNoTitle = errors.New("no title")
	errDate    = errors.New("bad date")
	errLink    = errors.New("bad link")
)

// build reads the form into an interview and its talking points. Each
// field's problem goes to its inline message; the first one is returned.
func (f *interviewForm) build() (interview.Interview, []interview.TalkingPoint, error) {
	for _, m := range f.errs {
		m.Hide()
	}
	f.formErr.Hide()
	var first error
	fail := func(key, msg string, err error) {
		f.errs[key].SetText(msg)
		f.errs[key].Show()
		if first == nil {
			first = err
		}
	}
	iv := interview.Interview{
		Mode:             f.selectedMode(),
		Title:            strings.TrimSpace(f.title.Text),
		Role:             strings.TrimSpace(f.role.Text),
		OtherName:        strings.TrimSpace(f.other.Text),
		Platform:         strings.TrimSpace(f.platform.Text),
		Link:             strings.TrimSpace(f.link.Text),
		BackupPhone:      strings.TrimSpace(f.phone.Text),
		Documents:        strings.TrimSpace(f.documents.Text),
		State:            interview.StatePlanned,
		RecordingConsent: f.consent.Checked,
	}
	if iv.Title == "" {
		if iv.Mode == interview.ModePractice {
			iv.Title = lang.X("practice.title", "Practice {{.When}}", map[string]any{"When": f.shell.now().Format("2006-01-02 15:04")})
		} else {
			fail("title", lang.X("form.error.title", "Give the interview a title, so you can find it later."), errNoTitle)
		}
	}
	at, err := parseWhen(strings.TrimSpace(f.date.Text), strings.TrimSpace(f.clock.Text), f.shell.now().Location())
	if err != nil {
		fail("when", lang.X("form.error.when", "Write the date as 2025-05-14 and the time as 14:00, or leave both empty."), err)
	}
	iv.ScheduledAt = at
	if i := f.length.SelectedIndex(); i > 0 {
		iv.Length = time.Duration(lengths[i]) * time.Minute
	}
	if strings.ContainsAny(iv.Link, " \t\n") {
		fail("link", lang.X("form.error.link", "A link has no spaces: paste it from the invitation."), errLink)
	}
	if i := f.language.SelectedIndex(); i > 0 {
		iv.Language = languages[i]
	}
	if i := f.template.SelectedIndex(); i > 0 && i <= len(f.templates) {
		iv.TemplateID = f.templates[i-1].ID
	}
	if err := iv.Validate(); err != nil && first == nil {
		f.formErr.SetText(sentence(err.Error()))
		f.formErr.Show()
		first = err
	}
	return iv, parsePoints(f.points.Text), first
}

// parseWhen reads the scheduled time: both empty means not scheduled; a
// date alone is that day at 09:00, a time alone is today.
func parseWhen(date, clock string, loc *time.Location) (time.Time, error) {
	if date == "" && clock == "" {
		return time.Time{}, nil
	}
	if date == "" {
		date = time.Now().In(loc).Format("2006-01-02")
	}
	if clock == "" {
		clock = "09:00"
	}
	if len(clock) == 4 && clock[1] == ':' { // 9:30
		clock = "0" + clock
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", date+" "+clock, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %v", errDate, err)
	}
	return t, nil
}

// parsePoints makes talking points of the lines typed, in order; a line
// starting with "?" is a question to ask the other side.
func parsePoints(text string) []interview.TalkingPoint {
	var ps []interview.TalkingPoint
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "-•*"))
		kind := interview.PointKindPoint
		if rest, ok := strings.CutPrefix(line, "?"); ok {
			line, kind = strings.TrimSpace(rest), interview.PointKindQuestion
		}
		if line == "" {
			continue
		}
		ps = append(ps, interview.TalkingPoint{Position: len(ps) + 1, Text: line, Kind: kind})
	}
	return ps
}

// submit creates the interview (the store copies the template's
// questions in the same transaction), adds the talking points and opens
// the checklist.
func (f *interviewForm) submit() {
	iv, points, err := f.build()
	if err != nil {
		return
	}
	st := f.shell.deps.Store
	if st == nil {
		return
	}
	ctx, cancel := storeCtx()
	defer cancel()
	if err := st.CreateInterview(ctx, &iv); err != nil {
		f.showError(lang.X("home.error.create", "The interview could not be created:"), err)
		return
	}
	for i := range points {
		points[i].InterviewID = iv.ID
		if err := st.AddPoint(ctx, &points[i]); err != nil {
			// The interview exists; the checklist opens and the points
			// can be added live. Say which were lost.
			f.shell.log.Error("adding a talking point", "err", err)
			f.shell.showChecklist(iv.ID)
			if f.shell.check != nil {
				f.shell.check.showError(lang.X("form.error.points", "Some talking points were not saved; add them in the Live screen."), err)
			}
			return
		}
	}
	f.shell.showChecklist(iv.ID)
}

func (f *interviewForm) showError(what string, err error) {
	f.formErr.SetText(what + " " + err.Error())
	f.formErr.Show()
}
