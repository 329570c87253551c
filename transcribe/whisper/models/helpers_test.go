package models

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// magic is what the fake validator looks for: the first bytes of a real
// ggml file ("ggml" as a little-endian uint32).
var magic = []byte("lmgg")

var errNoMagic = errors.New("no ggml magic")

// fakeValidate stands in for ggmlfile.Validate: enough structure to tell a
// model from a random file.
func fakeValidate(path string) error {
	b := make([]byte, len(magic))
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Read(b); err != nil || !bytes.Equal(b, magic) {
		return errNoMagic
	}
	return nil
}

// payload is a deterministic pseudo-model of n bytes that passes fakeValidate.
func payload(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	copy(b, magic)
	return b
}

func sha(b []byte) string {
	s := sha1.Sum(b)
	return hex.EncodeToString(s[:])
}

// fixture is a library over a temp dir with a synthetic catalogue whose
// files a test server serves.
type fixture struct {
	lib   *Library
	files map[string][]byte // by File
	srv   *httptest.Server

	mu     sync.Mutex
	ranges []string // Range header of every request, "" when absent
	// handler, if set, replaces plain serving for one test's fault.
	handler func(w http.ResponseWriter, r *http.Request, body []byte)
}

const (
	alphaSize = 1<<20 + 123 // spans several copy buffers
	betaSize  = 4096
)

func newFixture(t *testing.T) *fixture {
	t.Helper()
	fx := &fixture{files: map[string][]byte{}}
	alpha, beta := payload(alphaSize, 1), payload(betaSize, 2)
	fx.files["ggml-alpha.bin"] = alpha
	fx.files["ggml-beta.en.bin"] = beta
	fx.srv = httptest.NewServer(http.HandlerFunc(fx.serve))
	t.Cleanup(fx.srv.Close)

	dir := filepath.Join(t.TempDir(), "models")
	lib, err := New(dir, fakeValidate)
	if err != nil {
		t.Fatal(err)
	}
	lib.BaseURL = fx.srv.URL + "/models/"
	lib.Catalogue = []Model{
		{Name: "alpha", File: "ggml-alpha.bin", ApproxSize: alphaSize, SHA1: sha(alpha), Description: "test"},
		{Name: "beta.en", File: "ggml-beta.en.bin", ApproxSize: betaSize, SHA1: sha(beta), EnglishOnly: true, Description: "test"},
	}
	lib.Client = fx.srv.Client()
	fx.lib = lib
	return fx
}

func (fx *fixture) serve(w http.ResponseWriter, r *http.Request) {
	fx.mu.Lock()
	fx.ranges = append(fx.ranges, r.Header.Get("Range"))
	h := fx.handler
	fx.mu.Unlock()
	body, ok := fx.files[filepath.Base(r.URL.Path)]
	if !ok || filepath.Dir(r.URL.Path) != "/models" {
		http.NotFound(w, r)
		return
	}
	if h != nil {
		h(w, r, body)
		return
	}
	// ServeContent implements Range, 206 and 416 the way real servers do.
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

func (fx *fixture) setHandler(h func(w http.ResponseWriter, r *http.Request, body []byte)) {
	fx.mu.Lock()
	defer fx.mu.Unlock()
	fx.handler = h
}

func (fx *fixture) requests() []string {
	fx.mu.Lock()
	defer fx.mu.Unlock()
	return append([]string(nil), fx.ranges...)
}

func (fx *fixture) path(file string) string { return filepath.Join(fx.lib.Dir, file) }

func mustNotExist(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s exists (stat err %v), want it absent", path, err)
	}
}

func mustContain(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s: got %d bytes (sha %s), want %d bytes (sha %s)", path, len(got), sha(got), len(want), sha(want))
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
