package ui

import (
	"runtime"
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// retentionChoices are the retention periods offered, in days; 0 keeps
// everything.
var retentionChoices = []int{0, 30, 90, 180, 365}

// settingsScreen holds the choices that outlive one interview. Each is
// saved the moment it changes; there is no Save button to forget.
type settingsScreen struct {
	shell   *shell
	app     fyne.App
	prefs   Prefs
	content fyne.CanvasObject
	body    *fyne.Container
	banner  *screenBanner

	models    *fyne.Container
	threads   *widget.Select
	spoken    *widget.Select
	reminder  *widget.Select
	always    *widget.Check
	theme     *widget.RadioGroup
	uiLang    *widget.Select
	retention *widget.Select
	copyPath  *widget.Button

	threadValues    []int
	retentionValues []int
}

func (s *shell) showSettings() *settingsScreen {
	s.leave()
	st := newSettings(s, fyne.CurrentApp())
	s.win.SetContent(st.content)
	st.body.Refresh()
	st.body.Refresh()
	return st
}

func newSettings(s *shell, a fyne.App) *settingsScreen {
	st := &settingsScreen{shell: s, app: a, prefs: PrefsOf(a), banner: newScreenBanner(), models: container.NewVBox()}
	p := st.prefs

	// Transcription.
	st.threadValues = []int{0}
	for n := 1; n <= min(runtime.NumCPU(), 16); n++ {
		st.threadValues = append(st.threadValues, n)
	}
	if t := p.Threads(); !slices.Contains(st.threadValues, t) {
		st.threadValues = append(st.threadValues, t)
	}
	var threadNames []string
	for _, n := range st.threadValues {
		if n == 0 {
			threadNames = append(threadNames, lang.X("settings.threads.auto", "Automatic"))
		} else {
			threadNames = append(threadNames, strconv.Itoa(n))
		}
	}
	st.threads = widget.NewSelect(threadNames, nil)
	st.threads.SetSelectedIndex(slices.Index(st.threadValues, p.Threads()))
	st.threads.OnChanged = func(string) {
		p.P.SetInt(PrefThreads, st.threadValues[st.threads.SelectedIndex()])
	}

	var langNames []string
	for _, c := range languages {
		langNames = append(langNames, languageName(c))
	}
	st.spoken = widget.NewSelect(langNames, nil)
	st.spoken.SetSelectedIndex(max(slices.Index(languages, p.SpokenLanguage()), 0))
	st.spoken.OnChanged = func(string) {
		p.P.SetString(PrefSpokenLanguage, languages[st.spoken.SelectedIndex()])
	}

	// Eye contact.
	var reminderNames []string
	for _, m := range reminderChoices {
		if m == 0 {
			reminderNames = append(reminderNames, lang.X("settings.reminder.off", "Off"))
		} else {
			reminderNames = append(reminderNames, lang.X("settings.reminder.every", "Every {{.N}} min", map[string]any{"N": m}))
		}
	}
	st.reminder = widget.NewSelect(reminderNames, nil)
	if i := slices.Index(reminderChoices, p.ReminderMinutes()); i >= 0 {
		st.reminder.SetSelectedIndex(i)
	}
	st.always = widget.NewCheck(lang.X("settings.reminder.speaking", "Only while I speak"), func(on bool) {
		p.P.SetBool(PrefReminderAlways, !on)
	})
	st.always.SetChecked(!p.ReminderAlways())
	st.reminder.OnChanged = func(string) {
		m := reminderChoices[st.reminder.SelectedIndex()]
		p.P.SetInt(PrefReminderMinutes, m)
		if m == 0 {
			st.always.Disable()
		} else {
			st.always.Enable()
		}
	}
	if p.ReminderMinutes() == 0 {
		st.always.Disable()
	}

	// Appearance.
	themes := []string{ThemeSystem, ThemeLight, ThemeDark}
	themeNames := []string{lang.X("settings.theme.system", "System"), lang.X("settings.theme.light", "Light"), lang.X("settings.theme.dark", "Dark")}
	st.theme = widget.NewRadioGroup(themeNames, nil)
	st.theme.Horizontal = true
	st.theme.Required = true
	st.theme.SetSelected(themeNames[slices.Index(themes, p.Theme())])
	st.theme.OnChanged = func(v string) {
		name := themes[max(slices.Index(themeNames, v), 0)]
		p.P.SetString(PrefTheme, name)
		applyTheme(st.app, name)
	}
	uiLangs := []string{"", "en", "sv"}
	st.uiLang = widget.NewSelect([]string{lang.X("settings.uilang.system", "Same as the system"), "English", "Svenska"}, nil)
	st.uiLang.SetSelectedIndex(slices.Index(uiLangs, p.InterfaceLanguage()))
	st.uiLang.OnChanged = func(string) {
		p.P.SetString(PrefInterfaceLanguage, uiLangs[st.uiLang.SelectedIndex()])
	}

	// Data.
	dir := widget.NewLabel(s.deps.DataDir)
	dir.Wrapping = fyne.TextWrapBreak
	st.copyPath = widget.NewButtonWithIcon(lang.X("settings.data.copy", "Copy path"), theme.ContentCopyIcon(), func() {
		st.app.Clipboard().SetContent(s.deps.DataDir)
	})
	data := container.NewVBox(sectionHeading(lang.X("settings.data", "Your data")), dir, container.NewHBox(st.copyPath))
	if s.deps.Retention != nil && s.deps.SetRetention != nil {
		data.Add(st.newRetention())
	}

	st.refreshModels()
	st.body = container.NewVBox(
		st.banner.box,
		sectionHeading(lang.X("home.model.heading", "Speech model")), st.models,
		fieldCaption(lang.X("settings.threads", "Threads for transcription")), st.threads,
		fieldCaption(lang.X("settings.spoken", "Spoken language in new interviews")), st.spoken,
		widget.NewSeparator(),
		sectionHeading(lang.X("settings.reminder", "Eye-contact reminder")),
		st.reminder, st.always,
		widget.NewSeparator(),
		sectionHeading(lang.X("settings.appearance", "Appearance")),
		fieldCaption(lang.X("settings.theme", "Theme")), st.theme,
		fieldCaption(lang.X("settings.uilang", "Interface language")), st.uiLang,
		quietLabel(lang.X("settings.uilang.restart", "A new interface language shows the next time Sidenote starts.")),
		widget.NewSeparator(),
		data,
	)
	st.content = s.subScreen(lang.X("settings.title", "Settings"), st.body, nil)
	return st
}

func (st *settingsScreen) newRetention() fyne.CanvasObject {
	ctx, cancel := storeCtx()
	days, err := st.shell.deps.Retention(ctx)
	cancel()
	if err != nil {
		st.banner.show(lang.X("settings.error.retention.read", "The retention setting could not be read:"), err)
	}
	st.retentionValues = slices.Clone(retentionChoices)
	if !slices.Contains(st.retentionValues, days) {
		st.retentionValues = append(st.retentionValues, days)
		slices.Sort(st.retentionValues)
	}
	var names []string
	for _, d := range st.retentionValues {
		if d == 0 {
			names = append(names, lang.X("settings.retention.keep", "Keep everything"))
		} else {
			names = append(names, lang.X("settings.retention.days", "Delete interviews older than {{.N}} days", map[string]any{"N": d}))
		}
	}
	st.retention = widget.NewSelect(names, nil)
	st.retention.SetSelectedIndex(slices.Index(st.retentionValues, days))
	st.retention.OnChanged = func(string) {
		ctx, cancel := storeCtx()
		err := st.shell.deps.SetRetention(ctx, st.retentionValues[st.retention.SelectedIndex()])
		cancel()
		if err != nil {
			st.banner.show(lang.X("settings.error.retention", "The retention setting was not saved:"), err)
			return
		}
		st.banner.hide()
	}
	return container.NewVBox(
		fieldCaption(lang.X("settings.retention", "Keep interviews")), st.retention,
		quietLabel(lang.X("settings.retention.detail", "Old interviews are deleted with their notes and audio when Sidenote starts.")),
	)
}

// refreshModels lists the installed models with the default marked.
func (st *settingsScreen) refreshModels() {
	st.models.RemoveAll()
	shelf := st.shell.deps.Models
	es, err := shelf.List()
	if err != nil {
		st.banner.show(lang.X("home.error.models", "Reading the models folder failed:"), err)
	}
	installed := false
	for _, e := range es {
		if !e.Installed {
			continue
		}
		installed = true
		name := e.Name
		label := widget.NewLabel(name + " · " + sizeText(e.SizeOnDisk))
		label.Truncation = fyne.TextTruncateEllipsis
		var right fyne.CanvasObject
		if e.Default {
			l := widget.NewLabelWithStyle(lang.X("settings.model.default", "Default"), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
			right = container.NewHBox(widget.NewIcon(theme.ConfirmIcon()), l)
		} else {
			right = widget.NewButton(lang.X("settings.model.make", "Make default"), func() { st.makeDefault(name) })
		}
		st.models.Add(container.NewBorder(nil, nil, nil, right, label))
	}
	if !installed {
		st.models.Add(quietLabel(lang.X("settings.model.none", "No speech model is installed. Download or import one on Home.")))
	}
	st.models.Refresh()
}

func (st *settingsScreen) makeDefault(name string) {
	if err := st.shell.deps.Models.SetDefault(name); err != nil {
		st.banner.show(lang.X("settings.error.default", "{{.Name}} could not be made the default:", map[string]any{"Name": name}), err)
		return
	}
	st.banner.hide()
	st.refreshModels()
}
