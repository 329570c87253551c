package models_test

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sidenote-app/sidenote/transcribe/whisper/ggmlfile"
	"github.com/sidenote-app/sidenote/transcribe/whisper/models"
	"github.com/sidenote-app/sidenote/transcribe/whisper/whispertest"
)

// validate is the wrapper the application passes to models.New.
func validate(path string) error {
	_, err := ggmlfile.Validate(path)
	return err
}

// TestRealModelDownloadAndImport runs the Library with the real ggml
// validator on a generated random-weight model: the published-file path
// (download, checksum, validation) and the refusal of every broken file in
// the corpus on import.
func TestRealModelDownloadAndImport(t *testing.T) {
	src := t.TempDir()
	good := whispertest.WriteModel(t, src, whispertest.Geometry{})
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum(data)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
	}))
	defer srv.Close()

	lib, err := models.New(filepath.Join(t.TempDir(), "models"), validate)
	if err != nil {
		t.Fatal(err)
	}
	lib.BaseURL, lib.Client = srv.URL, srv.Client()
	lib.Catalogue = []models.Model{{Name: "test.en", File: "ggml-test.en.bin", ApproxSize: int64(len(data)), SHA1: hex.EncodeToString(sum[:]), EnglishOnly: true}}

	path, err := lib.Download(context.Background(), "test.en", nil)
	if err != nil {
		t.Fatalf("download of a valid generated model: %v", err)
	}
	if got, err := lib.Resolve(""); err != nil || got != path {
		t.Errorf("Resolve(\"\") = %s, %v; want the only model %s", got, err, path)
	}

	for _, bad := range whispertest.Corpus(t, t.TempDir()) {
		if _, err := lib.Import(bad.Path); !errors.Is(err, models.ErrInvalid) {
			t.Errorf("import %s: err = %v, want ErrInvalid", bad.Name, err)
		}
	}
	checks, err := lib.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != 1 || checks[0].Status != models.StatusOK {
		t.Errorf("Verify after refused imports = %+v, want only test.en, OK", checks)
	}
}
