package ui

import (
	"encoding/json"
	"errors"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"github.com/sidenote-app/sidenote/app/interview"
	"github.com/sidenote-app/sidenote/assets"
)

// useLanguage switches the interface language for one test. Fyne picks
// the language from the environment when translations are added.
func useLanguage(t testing.TB, code string) {
	t.Helper()
	RegisterTranslations()
	old, had := os.LookupEnv("LC_ALL")
	os.Setenv("LC_ALL", code)
	if err := lang.AddTranslationsFS(assets.Translations, translationsDir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if had {
			os.Setenv("LC_ALL", old)
		} else {
			os.Unsetenv("LC_ALL")
		}
		lang.AddTranslationsFS(assets.Translations, translationsDir)
	})
}

var updateTranslations = flag.Bool("update-translations", false, "rewrite assets/translations/en.json from the lang.X calls in app/ui")

// textKeys collects every lang.X("key", "English", …) call in the
// package's non-test sources: the key and its English text.
func textKeys(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "lang" {
				return true
			}
			switch sel.Sel.Name {
			case "X":
			case "L", "N", "XN", "Localize", "LocalizeKey", "LocalizePlural", "LocalizePluralKey":
				t.Errorf("%s: lang.%s: use lang.X with a key, so the translation test can find it", fset.Position(call.Pos()), sel.Sel.Name)
				return true
			default:
				return true
			}
			if len(call.Args) < 2 {
				t.Errorf("%s: lang.X needs a key and an English text", fset.Position(call.Pos()))
				return true
			}
			key, kerr := literal(call.Args[0])
			text, terr := literal(call.Args[1])
			if kerr != nil || terr != nil {
				t.Errorf("%s: lang.X with a key or text that is not a string literal", fset.Position(call.Pos()))
				return true
			}
			if old, dup := keys[key]; dup && old != text {
				t.Errorf("%s: key %q has two English texts: %q and %q", fset.Position(call.Pos()), key, old, text)
			}
			keys[key] = text
			return true
		})
	}
	return keys
}

func literal(e ast.Expr) (string, error) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", errors.New("not a string literal")
	}
	return strconv.Unquote(lit.Value)
}

func readTranslations(t *testing.T, code string) map[string]string {
	t.Helper()
	data, err := fs.ReadFile(assets.Translations, translationsDir+"/"+code+".json")
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s.json: %v", code, err)
	}
	return m
}

// sameInSwedish are texts that are rightly the same in both languages.
var sameInSwedish = map[string]bool{
	"keys.ctrl": true, // the key is labelled Ctrl on Swedish keyboards too
}

// TestTranslationsComplete walks every key the code uses: English must
// hold it with the code's text, Swedish must hold it translated, and
// neither may keep keys the code no longer uses.
func TestTranslationsComplete(t *testing.T) {
	keys := textKeys(t)
	if len(keys) < 50 {
		t.Fatalf("found only %d keys; is the scan broken?", len(keys))
	}
	if *updateTranslations {
		data, err := json.MarshalIndent(keys, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("../../assets/translations/en.json", append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Log("wrote en.json; rebuild to embed it")
		return
	}
	en, sv := readTranslations(t, "en"), readTranslations(t, "sv")
	for key, text := range keys {
		if en[key] != text {
			t.Errorf("en.json %q = %q, code says %q (run with -update-translations)", key, en[key], text)
		}
		s, ok := sv[key]
		switch {
		case !ok:
			t.Errorf("sv.json lacks %q (%q)", key, text)
		case s == text && !sameInSwedish[key]:
			t.Errorf("sv.json %q is untranslated: %q", key, s)
		case strings.Count(s, "{{") != strings.Count(text, "{{"):
			t.Errorf("sv.json %q = %q has other placeholders than %q", key, s, text)
		}
	}
	for _, m := range []struct {
		name string
		m    map[string]string
	}{{"en", en}, {"sv", sv}} {
		for key := range m.m {
			if _, used := keys[key]; !used {
				t.Errorf("%s.json has %q, which no code uses", m.name, key)
			}
		}
	}
}

// TestSwedishInterface renders the Live screen in Swedish.
func TestSwedishInterface(t *testing.T) {
	f := newTestLiveIn(t, "sv", DemoBundle(interview.ModeInterviewer))
	if got := f.l.tabs.Items[0].Text; got != "Frågor" {
		t.Errorf("questions tab in Swedish: got %q, want Frågor", got)
	}
	if got := f.l.notepad.entry.PlaceHolder; got != "Skriv en anteckning, Retur sparar · #taggar" {
		t.Errorf("note box in Swedish: %q", got)
	}
}
