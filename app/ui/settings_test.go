package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/app/store"
)

// SetDefault makes the fake shelf's installed model the default, as
// models.Library does.
func (f *fakeShelf) SetDefault(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.installed[name]; !ok {
		return fmt.Errorf("model %s is not installed", name)
	}
	f.def = name
	return nil
}

// withRetention passes the store's retention setting, as the wiring does.
func withRetention(d *Deps) {
	st := d.Store.(*store.Store)
	d.Retention = func(ctx context.Context) (int, error) {
		s, err := st.Settings(ctx)
		return s.RetentionDays, err
	}
	d.SetRetention = func(ctx context.Context, days int) error {
		return st.SaveSettings(ctx, store.Settings{RetentionDays: days})
	}
}

func TestSettingsPersist(t *testing.T) {
	f := newTestShell(t, nil, withRetention)
	test.Tap(findButton(f.w.Content(), "Settings"))
	st := f.s.showSettings()

	st.threads.SetSelected("1")
	st.spoken.SetSelected("Swedish")
	st.reminder.SetSelected("Every 5 min")
	st.always.SetChecked(false)
	st.theme.SetSelected("Dark")
	st.uiLang.SetSelected("Svenska")
	st.retention.SetSelected("Delete interviews older than 90 days")

	p := PrefsOf(fyne.CurrentApp())
	if p.Threads() != 1 || p.SpokenLanguage() != "sv" || p.ReminderEvery() != 5*time.Minute || !p.ReminderAlways() ||
		p.Theme() != ThemeDark || p.InterfaceLanguage() != "sv" {
		t.Errorf("preferences: threads %d, spoken %q, reminder %v always %v, theme %q, interface %q",
			p.Threads(), p.SpokenLanguage(), p.ReminderEvery(), p.ReminderAlways(), p.Theme(), p.InterfaceLanguage())
	}
	if vt, ok := fyne.CurrentApp().Settings().Theme().(variantTheme); !ok || vt.variant != theme.VariantDark {
		t.Errorf("the dark theme was not applied: %T", fyne.CurrentApp().Settings().Theme())
	}
	got, err := f.st.Settings(context.Background())
	if err != nil || got.RetentionDays != 90 {
		t.Errorf("store retention: got %d (%v), want 90", got.RetentionDays, err)
	}

	// A second visit shows what was chosen.
	again := f.s.showSettings()
	for _, c := range []struct{ got, want string }{
		{again.threads.Selected, "1"}, {again.spoken.Selected, "Swedish"}, {again.reminder.Selected, "Every 5 min"},
		{again.theme.Selected, "Dark"}, {again.uiLang.Selected, "Svenska"}, {again.retention.Selected, "Delete interviews older than 90 days"},
	} {
		if c.got != c.want {
			t.Errorf("second visit: got %q, want %q", c.got, c.want)
		}
	}
	if again.always.Checked {
		t.Error("second visit: Only while I speak is ticked")
	}

	// New interviews start in the spoken language chosen.
	f.s.showNewInterview()
	if got := f.s.form.language.Selected; got != "Swedish" {
		t.Errorf("new interview language: got %q, want Swedish", got)
	}

	again.reminder.SetSelected("Off")
	if !again.always.Disabled() || PrefsOf(fyne.CurrentApp()).ReminderEvery() >= 0 {
		t.Error("reminder off: the speaking choice stays enabled or the interval is not off")
	}
}

func TestSettingsWithoutRetentionHidesIt(t *testing.T) {
	f := newTestShell(t, nil)
	if st := f.s.showSettings(); st.retention != nil {
		t.Error("retention shown without Deps.Retention")
	}
}

func TestPrefsDefaults(t *testing.T) {
	test.NewTempApp(t)
	p := PrefsOf(fyne.CurrentApp())
	if p.ReminderEvery() != 3*time.Minute || p.ReminderAlways() || p.Threads() != 0 || p.SpokenLanguage() != "" ||
		p.Theme() != ThemeSystem || p.InterfaceLanguage() != "" {
		t.Errorf("defaults: %v %v %d %q %q %q", p.ReminderEvery(), p.ReminderAlways(), p.Threads(), p.SpokenLanguage(), p.Theme(), p.InterfaceLanguage())
	}
}

func TestSettingsMakeDefault(t *testing.T) {
	shelf := &fakeShelf{installed: map[string]int64{"base.en": 142 << 20, "small": 466 << 20}, def: "base.en"}
	f := newTestShell(t, shelf)
	f.s.showSettings()
	b := findButton(f.w.Content(), "Make default")
	if b == nil {
		t.Fatal("no Make default button for the second model")
	}
	test.Tap(b)
	if def, _ := shelf.Default(); def.Name != "small" {
		t.Errorf("default after Make default: got %q, want small", def.Name)
	}
	if b := findButton(f.w.Content(), "Make default"); b == nil {
		t.Error("base.en, no longer the default, offers no Make default")
	}
}

func TestLiveUsesReminderPreference(t *testing.T) {
	f := newTestShell(t, nil)
	p := PrefsOf(fyne.CurrentApp())
	p.P.SetInt(PrefReminderMinutes, 10)
	p.P.SetBool(PrefReminderAlways, true)
	iv := f.create(t, interview.Interview{Title: "Anna Berg", Mode: interview.ModeInterviewer})
	f.s.showChecklist(iv.ID)
	test.Tap(f.s.check.startBtn)
	eventually(t, "the Live screen", func() bool { return f.s.live != nil })
	if r := f.s.live.reminder; r.every != 10*time.Minute || !r.always {
		t.Errorf("reminder: every %v, always %v; want 10m, true", r.every, r.always)
	}
}

// settingsSetup shows Settings with two models and retention on.
func settingsSetup(t *testing.T) *shellFixture {
	shelf := &fakeShelf{installed: map[string]int64{"base.en": 142 << 20, "small": 466 << 20}, def: "base.en"}
	f := newTestShell(t, shelf, withRetention)
	if err := f.st.SaveSettings(context.Background(), store.Settings{RetentionDays: 180}); err != nil {
		t.Fatal(err)
	}
	f.s.showSettings()
	return f
}

func TestSettingsMarkup(t *testing.T) {
	f := settingsSetup(t)
	f.w.Resize(fyne.NewSize(400, 720))
	test.AssertRendersToMarkup(t, "settings_400x720.xml", f.w.Canvas())
}

// TestSettingsScreenshots: SIDENOTE_SHOTS=dir go test -run SettingsScreenshots.
func TestSettingsScreenshots(t *testing.T) {
	dir := shotsDir(t)
	for _, size := range []fyne.Size{fyne.NewSize(400, 720), fyne.NewSize(900, 720)} {
		t.Run(sizeName(size), func(t *testing.T) {
			f := settingsSetup(t)
			applyTheme(fyne.CurrentApp(), ThemeLight)
			f.w.Resize(size)
			writePNG(t, filepath.Join(dir, "settings-"+sizeName(size)+".png"), f.w)
		})
	}
}
