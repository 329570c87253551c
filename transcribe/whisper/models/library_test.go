package models

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestCatalogue(t *testing.T) {
	cat := Catalogue()
	hexSHA := regexp.MustCompile(`^[0-9a-f]{40}$`)
	seen := map[string]bool{}
	for _, m := range cat {
		if seen[m.Name] {
			t.Errorf("duplicate %s", m.Name)
		}
		seen[m.Name] = true
		if m.File != "ggml-"+m.Name+".bin" {
			t.Errorf("%s: File = %s", m.Name, m.File)
		}
		if !hexSHA.MatchString(m.SHA1) {
			t.Errorf("%s: SHA1 %q is not 40 lower-case hex digits", m.Name, m.SHA1)
		}
		if m.EnglishOnly != strings.Contains(m.Name, ".en") {
			t.Errorf("%s: EnglishOnly = %v", m.Name, m.EnglishOnly)
		}
		if (m.Quantization != "") != strings.Contains(m.Name, "-q") {
			t.Errorf("%s: Quantization = %q", m.Name, m.Quantization)
		}
		if m.ApproxSize < 50*MiB || m.Description == "" {
			t.Errorf("%s: size %d, description %q", m.Name, m.ApproxSize, m.Description)
		}
	}
	for _, n := range []string{"tiny", "tiny.en", "base", "base.en", "small", "small.en", "medium", "medium.en",
		"large-v1", "large-v2", "large-v3", "large-v3-turbo", "large-v3-turbo-q5_0"} {
		if !seen[n] {
			t.Errorf("catalogue lacks %s", n)
		}
	}
	// Spot check against whisper.cpp 1.9.1's models/README.md.
	lib := &Library{Catalogue: cat}
	if m, _ := lib.Lookup("base.en"); m.SHA1 != "137c40403d78fd54d454da0f9bd998f78703390c" {
		t.Errorf("base.en SHA1 = %s", m.SHA1)
	}
	cat[0].Name = "changed"
	if Catalogue()[0].Name == "changed" {
		t.Error("Catalogue returns shared state")
	}
	if got := (Model{File: "ggml-x.bin"}).URL(""); got != DefaultBaseURL+"/ggml-x.bin" {
		t.Errorf("URL = %s", got)
	}
	if got := (Model{File: "ggml-x.bin"}).URL("http://mirror/m/"); got != "http://mirror/m/ggml-x.bin" {
		t.Errorf("URL with trailing slash = %s", got)
	}
}

func TestBaseURLFromEnv(t *testing.T) {
	t.Setenv(EnvBaseURL, "")
	if got := BaseURLFromEnv(); got != DefaultBaseURL {
		t.Errorf("unset: got %s, want %s", got, DefaultBaseURL)
	}
	t.Setenv(EnvBaseURL, "http://127.0.0.1:1/m")
	if got := BaseURLFromEnv(); got != "http://127.0.0.1:1/m" {
		t.Errorf("set: got %s", got)
	}
	lib, err := New(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if lib.BaseURL != "http://127.0.0.1:1/m" {
		t.Errorf("New ignored %s: BaseURL = %s", EnvBaseURL, lib.BaseURL)
	}
}

func TestImport(t *testing.T) {
	alpha := payload(alphaSize, 1)
	custom := payload(3000, 9)
	tests := []struct {
		name     string
		srcName  string
		content  []byte
		wantFile string // "" means the import must fail
		wantErr  error
	}{
		{"catalogue file name", "ggml-alpha.bin", alpha, "ggml-alpha.bin", nil},
		{"catalogue name plus .bin", "alpha.bin", alpha, "ggml-alpha.bin", nil},
		{"known checksum under another name", "my-download.bin", alpha, "ggml-alpha.bin", nil},
		{"catalogue name, wrong content", "ggml-alpha.bin", custom, "", ErrChecksum},
		{"unknown valid file", "ggml-custom-finetune.bin", custom, "ggml-custom-finetune.bin", nil},
		{"unknown invalid file", "notes.txt", []byte("hello, not a model"), "", ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			src := filepath.Join(t.TempDir(), tc.srcName)
			writeFile(t, src, tc.content)
			path, err := fx.lib.Import(src)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				if es, _ := os.ReadDir(fx.lib.Dir); len(es) != 0 {
					t.Errorf("failed import left %d files in the directory", len(es))
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if path != fx.path(tc.wantFile) {
					t.Errorf("path = %s, want %s", path, fx.path(tc.wantFile))
				}
				mustContain(t, path, tc.content)
			}
			mustContain(t, src, tc.content) // copied, not moved
		})
	}
}

func TestImportRefusesOverwrite(t *testing.T) {
	fx := newFixture(t)
	dir := t.TempDir()
	first, second := filepath.Join(dir, "a", "custom.bin"), filepath.Join(dir, "b", "custom.bin")
	os.MkdirAll(filepath.Dir(first), 0o700)
	os.MkdirAll(filepath.Dir(second), 0o700)
	writeFile(t, first, payload(2000, 5))
	writeFile(t, second, payload(2000, 6))
	path, err := fx.lib.Import(first)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.lib.Import(first); err != nil {
		t.Errorf("importing the same file twice: %v, want no error", err)
	}
	if _, err := fx.lib.Import(path); err != nil {
		t.Errorf("importing the installed file onto itself: %v, want no error", err)
	}
	_, err = fx.lib.Import(second)
	if !errors.Is(err, ErrExists) {
		t.Fatalf("err = %v, want ErrExists", err)
	}
	mustContain(t, path, payload(2000, 5))
	if es, _ := os.ReadDir(fx.lib.Dir); len(es) != 1 {
		t.Errorf("directory holds %d entries, want 1 (no temporary files left)", len(es))
	}
}

func TestListAndVerify(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	if _, err := fx.lib.Download(ctx, "alpha", nil); err != nil {
		t.Fatal(err)
	}
	writeFile(t, fx.path("ggml-beta.en.bin.part"), []byte("lmgg half"))
	writeFile(t, fx.path("custom.bin"), payload(500, 3))
	writeFile(t, fx.path("broken.bin"), []byte("junk"))

	es, err := fx.lib.List()
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		name             string
		catalogued, inst bool
		size, partial    int64
	}
	var got []row
	for _, e := range es {
		got = append(got, row{e.Name, e.Catalogued, e.Installed, e.SizeOnDisk, e.PartialBytes})
	}
	want := []row{
		{"alpha", true, true, alphaSize, 0},
		{"beta.en", true, false, 0, 9},
		{"broken", false, true, 4, 0},
		{"custom", false, true, 500, 0},
	}
	if len(got) != len(want) {
		t.Fatalf("List = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("List[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}

	checks, err := fx.lib.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]Status{}
	for _, c := range checks {
		status[c.Name] = c.Status
	}
	wantStatus := map[string]Status{"alpha": StatusOK, "broken": StatusInvalid, "custom": StatusOK}
	if len(status) != len(wantStatus) {
		t.Errorf("Verify checked %v, want %v", status, wantStatus)
	}
	for n, s := range wantStatus {
		if status[n] != s {
			t.Errorf("Verify %s = %v, want %v", n, status[n], s)
		}
	}

	// Damage the catalogue model: one flipped bit is a mismatch.
	b, _ := os.ReadFile(fx.path("ggml-alpha.bin"))
	b[len(b)/2] ^= 0x10
	writeFile(t, fx.path("ggml-alpha.bin"), b)
	checks, err = fx.lib.Verify(ctx, "alpha")
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != 1 || checks[0].Status != StatusMismatch || !errors.Is(checks[0].Err, ErrChecksum) || checks[0].Got != sha(b) {
		t.Errorf("Verify(alpha) = %+v, want one mismatch with got %s", checks, sha(b))
	}
	if _, err := fx.lib.Verify(ctx, "beta.en"); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("Verify(not installed) err = %v, want ErrNotInstalled", err)
	}
}

func TestDefault(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	_, err := fx.lib.Default()
	if !errors.Is(err, ErrNoModel) || !strings.Contains(err.Error(), "sidenote models download base.en") {
		t.Fatalf("empty library: err = %v, want ErrNoModel with advice", err)
	}
	if err := fx.lib.SetDefault("alpha"); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("SetDefault(not installed) = %v, want ErrNotInstalled", err)
	}

	writeFile(t, fx.path("custom.bin"), payload(500, 3))
	if d, err := fx.lib.Default(); err != nil || d.File != "custom.bin" {
		t.Errorf("only an imported file: Default = %s, %v; want custom.bin", d.File, err)
	}
	for _, n := range []string{"beta.en", "alpha"} {
		if _, err := fx.lib.Download(ctx, n, nil); err != nil {
			t.Fatal(err)
		}
	}
	// Fallback: the largest catalogue model wins over imports and smaller ones.
	if d, err := fx.lib.Default(); err != nil || d.Name != "alpha" {
		t.Errorf("fallback Default = %s, %v; want alpha", d.Name, err)
	}

	if err := fx.lib.SetDefault("beta.en"); err != nil {
		t.Fatal(err)
	}
	// A fresh Library over the same directory sees the saved choice.
	lib2, err := New(fx.lib.Dir, fakeValidate)
	if err != nil {
		t.Fatal(err)
	}
	lib2.Catalogue = fx.lib.Catalogue
	if d, err := lib2.Default(); err != nil || d.Name != "beta.en" || !d.Default {
		t.Errorf("persisted Default = %+v, %v; want beta.en", d, err)
	}
	if err := lib2.SetDefault("custom.bin"); err != nil {
		t.Fatal(err)
	}
	if d, _ := fx.lib.Default(); d.File != "custom.bin" {
		t.Errorf("Default after SetDefault(custom.bin) = %s", d.File)
	}
	n := 0
	es, _ := fx.lib.List()
	for _, e := range es {
		if e.Default {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d entries marked Default, want 1", n)
	}

	// The chosen file disappears: fall back instead of failing.
	os.Remove(fx.path("custom.bin"))
	if d, err := fx.lib.Default(); err != nil || d.Name != "alpha" {
		t.Errorf("after deleting the default: %s, %v; want alpha", d.Name, err)
	}
	if es, _ := os.ReadDir(fx.lib.Dir); len(es) != 3 { // alpha, beta.en, .default
		t.Errorf("directory holds %d entries, want 3 (no temporary files)", len(es))
	}
}

func TestResolve(t *testing.T) {
	fx := newFixture(t)
	if _, err := fx.lib.Download(context.Background(), "beta.en", nil); err != nil {
		t.Fatal(err)
	}
	writeFile(t, fx.path("custom.bin"), payload(500, 3))
	outside := filepath.Join(t.TempDir(), "elsewhere.bin")
	writeFile(t, outside, payload(500, 4))

	for _, tc := range []struct {
		in, want string
		err      error
	}{
		{"beta.en", fx.path("ggml-beta.en.bin"), nil},
		{"ggml-beta.en.bin", fx.path("ggml-beta.en.bin"), nil},
		{"custom", fx.path("custom.bin"), nil},
		{"custom.bin", fx.path("custom.bin"), nil},
		{outside, outside, nil},
		{"", fx.path("ggml-beta.en.bin"), nil},
		{"alpha", "", ErrNotInstalled},
		{"nonesuch", "", ErrUnknownModel},
		{filepath.Join(t.TempDir(), "missing.bin"), "", os.ErrNotExist},
	} {
		got, err := fx.lib.Resolve(tc.in)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("Resolve(%q) = %q, %v; want %q, %v", tc.in, got, err, tc.want, tc.err)
		}
	}
	_, err := fx.lib.Resolve("alpha")
	if err == nil || !strings.Contains(err.Error(), "sidenote models download alpha") {
		t.Errorf("Resolve(not installed) = %v, want advice to download", err)
	}
}

func TestStatusString(t *testing.T) {
	for s, want := range map[Status]string{StatusOK: "OK", StatusMismatch: "checksum mismatch", StatusInvalid: "invalid", 9: "Status(9)"} {
		if s.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(s), s.String(), want)
		}
	}
}

func BenchmarkSHA1Verify(b *testing.B) {
	path := filepath.Join(b.TempDir(), "m.bin")
	if err := os.WriteFile(path, payload(8<<20, 7), 0o600); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(8 << 20) // MB/s in the output is the figure to read
	for b.Loop() {
		if _, _, err := hashFile(context.Background(), path); err != nil {
			b.Fatal(err)
		}
	}
}
