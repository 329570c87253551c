package ui

import (
	"image/color"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Keys of the window's preferences in fyne.App.Preferences (stored per
// app ID in the user's config folder). They belong to this computer's
// window, not to the data: the retention policy, which travels with the
// database, is kept by the store instead.
const (
	// PrefTheme is "system" (or missing), "light" or "dark".
	PrefTheme = "ui.theme"
	// PrefInterfaceLanguage is "" (the system's), "en" or "sv"; read once
	// at start, because Fyne's lang package picks its language when the
	// translations are loaded and widgets keep the text they were built with.
	PrefInterfaceLanguage = "ui.language"
	// PrefReminderMinutes is the eye-contact reminder's interval in
	// minutes; 0 is off and a missing key the default (3).
	PrefReminderMinutes = "reminder.minutes"
	// PrefReminderAlways true reminds also while You are silent.
	PrefReminderAlways = "reminder.always"
	// PrefThreads is the number of CPU threads for transcription; 0 or
	// missing lets the pipeline choose.
	PrefThreads = "transcribe.threads"
	// PrefSpokenLanguage is the default spoken language for new
	// interviews: "" detects it, otherwise an ISO 639-1 code.
	PrefSpokenLanguage = "transcribe.language"
)

// Theme preference values.
const (
	ThemeSystem = "system"
	ThemeLight  = "light"
	ThemeDark   = "dark"
)

// reminderChoices are the intervals Settings offers, in minutes; 0 is off.
var reminderChoices = []int{0, 1, 2, 3, 5, 10}

// Prefs reads and writes the window's preferences. The wiring reads
// Threads and SpokenLanguage when it starts the pipeline:
//
//	p := ui.PrefsOf(app)
//	threads := p.Threads() // 0: choose
type Prefs struct {
	P fyne.Preferences
}

// PrefsOf returns the preferences of a.
func PrefsOf(a fyne.App) Prefs { return Prefs{P: a.Preferences()} }

// Threads is the transcription thread count; 0 lets the pipeline choose.
func (p Prefs) Threads() int { return max(p.P.Int(PrefThreads), 0) }

// SpokenLanguage is the default spoken language; "" is detect.
func (p Prefs) SpokenLanguage() string { return p.P.String(PrefSpokenLanguage) }

// ReminderMinutes is the reminder interval in minutes; 0 is off.
func (p Prefs) ReminderMinutes() int {
	return max(p.P.IntWithFallback(PrefReminderMinutes, int(defaultReminderEvery/time.Minute)), 0)
}

// ReminderEvery is ReminderMinutes as LiveDeps.ReminderEvery wants it
// (negative is off).
func (p Prefs) ReminderEvery() time.Duration {
	m := p.ReminderMinutes()
	if m == 0 {
		return -1
	}
	return time.Duration(m) * time.Minute
}

// ReminderAlways reports whether the reminder also shows while You are silent.
func (p Prefs) ReminderAlways() bool { return p.P.Bool(PrefReminderAlways) }

// Theme is ThemeSystem, ThemeLight or ThemeDark.
func (p Prefs) Theme() string {
	switch v := p.P.String(PrefTheme); v {
	case ThemeLight, ThemeDark:
		return v
	}
	return ThemeSystem
}

// InterfaceLanguage is "" (the system's), "en" or "sv".
func (p Prefs) InterfaceLanguage() string {
	switch v := p.P.String(PrefInterfaceLanguage); v {
	case "en", "sv":
		return v
	}
	return ""
}

// applyTheme sets the app's theme from the preference.
func applyTheme(a fyne.App, name string) {
	switch name {
	case ThemeLight:
		a.Settings().SetTheme(variantTheme{Theme: theme.DefaultTheme(), variant: theme.VariantLight})
	case ThemeDark:
		a.Settings().SetTheme(variantTheme{Theme: theme.DefaultTheme(), variant: theme.VariantDark})
	default:
		a.Settings().SetTheme(theme.DefaultTheme())
	}
}

// variantTheme is Fyne's theme held to one variant whatever the system
// prefers.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// applyPrefs runs in Create before any text is looked up. A chosen
// interface language is put in LANGUAGE, which Fyne's locale lookup
// prefers on Linux and the BSDs (unless LC_ALL is C); on macOS and
// Windows the system language wins.
func applyPrefs(a fyne.App) {
	p := PrefsOf(a)
	if l := p.InterfaceLanguage(); l != "" {
		os.Setenv("LANGUAGE", l)
	}
	applyTheme(a, p.Theme())
}
