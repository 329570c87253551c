package models

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestDownloadFull(t *testing.T) {
	fx := newFixture(t)
	want := fx.files["ggml-alpha.bin"]
	var last, calls int64
	lastTotal := int64(-2)
	path, err := fx.lib.Download(context.Background(), "alpha", func(done, total int64) {
		if done < last {
			t.Errorf("progress went back from %d to %d", last, done)
		}
		last, lastTotal = done, total
		calls++
	})
	if err != nil {
		t.Fatal(err)
	}
	if path != fx.path("ggml-alpha.bin") {
		t.Errorf("path = %s, want %s", path, fx.path("ggml-alpha.bin"))
	}
	mustContain(t, path, want)
	mustNotExist(t, path+".part")
	if last != int64(len(want)) || lastTotal != int64(len(want)) {
		t.Errorf("last progress = %d/%d, want %d/%d", last, lastTotal, len(want), len(want))
	}
	if calls > int64(len(want))/copyBuf+3 {
		t.Errorf("%d progress calls for %d bytes: too chatty", calls, len(want))
	}
	if got := fx.requests(); len(got) != 1 || got[0] != "" {
		t.Errorf("requests' Range headers = %q, want one request without Range", got)
	}
	for p, mode := range map[string]os.FileMode{fx.lib.Dir: 0o700, path: 0o600} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != mode {
			t.Errorf("%s mode = %v, want %v", p, fi.Mode().Perm(), mode)
		}
	}

	// A second call checks the installed file and makes no request.
	if _, err := fx.lib.Download(context.Background(), "alpha", nil); err != nil {
		t.Fatal(err)
	}
	if n := len(fx.requests()); n != 1 {
		t.Errorf("second download made %d requests in all, want 1", n)
	}
}

func TestDownloadReplacesDamagedInstall(t *testing.T) {
	fx := newFixture(t)
	want := fx.files["ggml-beta.en.bin"]
	bad := append([]byte(nil), want...)
	bad[100] ^= 1
	writeFile(t, fx.path("ggml-beta.en.bin"), bad)
	path, err := fx.lib.Download(context.Background(), "beta.en", nil)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, path, want)
}

// cutAfter sends the headers for the whole body but only n bytes of it,
// then drops the connection, like a Wi-Fi dropout.
func cutAfter(n int) func(http.ResponseWriter, *http.Request, []byte) {
	return func(w http.ResponseWriter, r *http.Request, body []byte) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		w.Write(body[:n])
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	}
}

func TestDownloadResumesAfterCut(t *testing.T) {
	fx := newFixture(t)
	want := fx.files["ggml-alpha.bin"]
	fx.setHandler(cutAfter(600_000))
	_, err := fx.lib.Download(context.Background(), "alpha", nil)
	if !errors.Is(err, ErrNetwork) {
		t.Fatalf("cut transfer: err = %v, want ErrNetwork", err)
	}
	for _, s := range []string{"check your connection", "run the same command again to resume"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not say %q", err, s)
		}
	}
	fi, err := os.Stat(fx.path("ggml-alpha.bin.part"))
	if err != nil {
		t.Fatalf("no .part kept after a cut: %v", err)
	}
	if fi.Size() == 0 || fi.Size() > 600_000 {
		t.Fatalf(".part has %d bytes, want 1..600000", fi.Size())
	}
	mustNotExist(t, fx.path("ggml-alpha.bin"))

	fx.setHandler(nil)
	var first int64 = -1
	path, err := fx.lib.Download(context.Background(), "alpha", func(done, total int64) {
		if first < 0 {
			first = done
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, path, want)
	mustNotExist(t, path+".part")
	reqs := fx.requests()
	if wantRange := fmt.Sprintf("bytes=%d-", fi.Size()); len(reqs) != 2 || reqs[1] != wantRange {
		t.Errorf("Range headers = %q, want second %q", reqs, wantRange)
	}
	if first != fi.Size() {
		t.Errorf("resumed progress started at %d, want %d", first, fi.Size())
	}
}

func TestDownloadServerIgnoresRange(t *testing.T) {
	fx := newFixture(t)
	want := fx.files["ggml-alpha.bin"]
	// Garbage in the .part proves the restart overwrote it instead of
	// appending to it.
	writeFile(t, fx.path("ggml-alpha.bin.part"), []byte(strings.Repeat("x", 5000)))
	// Just too little space for a second copy beside the part, which is
	// enough because the restart truncates the part first.
	fx.lib.freeSpace = func(string) (int64, error) { return alphaSize - 4000, nil }
	fx.setHandler(func(w http.ResponseWriter, r *http.Request, body []byte) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
	path, err := fx.lib.Download(context.Background(), "alpha", nil)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, path, want)
	if reqs := fx.requests(); len(reqs) != 1 || reqs[0] != "bytes=5000-" {
		t.Errorf("Range headers = %q, want one with bytes=5000-", reqs)
	}
}

func TestDownloadRangeNotSatisfiable(t *testing.T) {
	t.Run("complete part is installed without a transfer", func(t *testing.T) {
		fx := newFixture(t)
		want := fx.files["ggml-alpha.bin"]
		writeFile(t, fx.path("ggml-alpha.bin.part"), want)
		path, err := fx.lib.Download(context.Background(), "alpha", nil)
		if err != nil {
			t.Fatal(err)
		}
		mustContain(t, path, want)
		mustNotExist(t, path+".part")
		if reqs := fx.requests(); len(reqs) != 1 {
			t.Errorf("requests = %q, want exactly one (answered 416)", reqs)
		}
	})
	t.Run("oversized part starts over", func(t *testing.T) {
		fx := newFixture(t)
		want := fx.files["ggml-beta.en.bin"]
		writeFile(t, fx.path("ggml-beta.en.bin.part"), make([]byte, 2*len(want)))
		path, err := fx.lib.Download(context.Background(), "beta.en", nil)
		if err != nil {
			t.Fatal(err)
		}
		mustContain(t, path, want)
		if reqs := fx.requests(); len(reqs) != 2 || reqs[1] != "" {
			t.Errorf("Range headers = %q, want a second request from the start", reqs)
		}
	})
}

func TestDownloadResumeAtWrongOffsetStartsOver(t *testing.T) {
	fx := newFixture(t)
	want := fx.files["ggml-beta.en.bin"]
	writeFile(t, fx.path("ggml-beta.en.bin.part"), want[:1000])
	fx.setHandler(func(w http.ResponseWriter, r *http.Request, body []byte) {
		if r.Header.Get("Range") != "" {
			// A broken server: claims a range that is not the one asked for.
			w.Header().Set("Content-Range", fmt.Sprintf("bytes 0-%d/%d", len(body)-1, len(body)))
			w.WriteHeader(http.StatusPartialContent)
			w.Write(body)
			return
		}
		w.Write(body)
	})
	path, err := fx.lib.Download(context.Background(), "beta.en", nil)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, path, want)
}

func TestDownloadBadChecksum(t *testing.T) {
	fx := newFixture(t)
	fx.lib.Catalogue[0].SHA1 = strings.Repeat("0", 40)
	_, err := fx.lib.Download(context.Background(), "alpha", nil)
	if !errors.Is(err, ErrChecksum) {
		t.Fatalf("err = %v, want ErrChecksum", err)
	}
	for _, s := range []string{strings.Repeat("0", 40), sha(fx.files["ggml-alpha.bin"])} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not name hash %s", err, s)
		}
	}
	mustNotExist(t, fx.path("ggml-alpha.bin"))
	mustNotExist(t, fx.path("ggml-alpha.bin.part"))
}

func TestDownloadInvalidFile(t *testing.T) {
	fx := newFixture(t)
	fx.lib.Validate = func(string) error { return errNoMagic }
	_, err := fx.lib.Download(context.Background(), "beta.en", nil)
	if !errors.Is(err, ErrInvalid) || !errors.Is(err, errNoMagic) {
		t.Fatalf("err = %v, want ErrInvalid wrapping the validator's error", err)
	}
	mustNotExist(t, fx.path("ggml-beta.en.bin"))
	mustNotExist(t, fx.path("ggml-beta.en.bin.part"))
}

func TestDownloadHTTPErrors(t *testing.T) {
	for _, code := range []int{http.StatusNotFound, http.StatusInternalServerError, http.StatusForbidden} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			fx := newFixture(t)
			fx.setHandler(func(w http.ResponseWriter, r *http.Request, body []byte) {
				http.Error(w, "nope", code)
			})
			_, err := fx.lib.Download(context.Background(), "alpha", nil)
			var he *HTTPError
			if !errors.As(err, &he) || he.StatusCode != code {
				t.Fatalf("err = %v, want *HTTPError with %d", err, code)
			}
			url := fx.srv.URL + "/models/ggml-alpha.bin"
			if msg := err.Error(); !strings.Contains(msg, strconv.Itoa(code)) || !strings.Contains(msg, url) {
				t.Errorf("error %q does not name status %d and URL %s", msg, code, url)
			}
			mustNotExist(t, fx.path("ggml-alpha.bin"))
			mustNotExist(t, fx.path("ggml-alpha.bin.part"))
		})
	}
	t.Run("wrong base URL", func(t *testing.T) {
		fx := newFixture(t)
		fx.lib.BaseURL = fx.srv.URL + "/elsewhere"
		_, err := fx.lib.Download(context.Background(), "alpha", nil)
		if !strings.Contains(fmt.Sprint(err), "404") || !strings.Contains(fmt.Sprint(err), "base URL") {
			t.Errorf("err = %v, want a 404 that points at the base URL", err)
		}
	})
}

func TestDownloadNetworkDown(t *testing.T) {
	fx := newFixture(t)
	fx.srv.Close() // nothing listens any more
	_, err := fx.lib.Download(context.Background(), "alpha", nil)
	if !errors.Is(err, ErrNetwork) || !strings.Contains(err.Error(), "check your connection") {
		t.Fatalf("err = %v, want ErrNetwork telling to check the connection", err)
	}
}

func TestDownloadCancelKeepsPart(t *testing.T) {
	fx := newFixture(t)
	want := fx.files["ggml-alpha.bin"]
	fx.setHandler(func(w http.ResponseWriter, r *http.Request, body []byte) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body[:300_000])
		w.(http.Flusher).Flush()
		<-r.Context().Done() // stall until the client gives up
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := fx.lib.Download(ctx, "alpha", func(done, total int64) {
		if done > 0 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "resume") {
		t.Fatalf("err = %v, want context.Canceled saying how to resume", err)
	}
	fi, err := os.Stat(fx.path("ggml-alpha.bin.part"))
	if err != nil || fi.Size() == 0 {
		t.Fatalf(".part after cancel: %v, want it kept with data", err)
	}

	fx.setHandler(nil)
	path, err := fx.lib.Download(context.Background(), "alpha", nil)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, path, want)
}

func TestDownloadDiskFull(t *testing.T) {
	fx := newFixture(t)
	fx.lib.freeSpace = func(string) (int64, error) { return 1000, nil }
	_, err := fx.lib.Download(context.Background(), "alpha", nil)
	if !errors.Is(err, ErrDiskFull) {
		t.Fatalf("err = %v, want ErrDiskFull", err)
	}
	if want := "free 1 MB in " + fx.lib.Dir; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
	mustNotExist(t, fx.path("ggml-alpha.bin"))
}

func TestDownloadUnknownName(t *testing.T) {
	fx := newFixture(t)
	_, err := fx.lib.Download(context.Background(), "gamma", nil)
	if !errors.Is(err, ErrUnknownModel) {
		t.Fatalf("err = %v, want ErrUnknownModel", err)
	}
	if n := len(fx.requests()); n != 0 {
		t.Errorf("%d requests for an unknown name, want none", n)
	}
}

func TestDownloadBusy(t *testing.T) {
	fx := newFixture(t)
	if !fx.lib.claim("alpha") {
		t.Fatal("could not claim alpha")
	}
	_, err := fx.lib.Download(context.Background(), "alpha", nil)
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("err = %v, want ErrBusy", err)
	}
	fx.lib.release("alpha")
}

func TestParseContentRange(t *testing.T) {
	for _, tc := range []struct {
		in          string
		start, size int64
		ok          bool
	}{
		{"bytes 100-199/200", 100, 200, true},
		{"bytes 0-0/*", 0, -1, true},
		{"bytes */4096", 0, 4096, true},
		{"bytes 5-", 0, -1, false},
		{"items 1-2/3", 0, -1, false},
		{"bytes x-1/3", 0, 3, false},
		{"", 0, -1, false},
	} {
		start, size, ok := parseContentRange(tc.in)
		if start != tc.start || size != tc.size || ok != tc.ok {
			t.Errorf("parseContentRange(%q) = %d, %d, %v; want %d, %d, %v", tc.in, start, size, ok, tc.start, tc.size, tc.ok)
		}
	}
}

func TestDownloadUnsupportedScheme(t *testing.T) {
	for _, tc := range []struct{ base, say string }{
		{"ftp://example.com/models", `unsupported URL scheme "ftp": use http or https`},
		{"file:///srv/models", `unsupported URL scheme "file": use http or https`},
		{"example.com/models", `has no scheme: use http or https`},
	} {
		t.Run(tc.base, func(t *testing.T) {
			fx := newFixture(t)
			fx.lib.BaseURL = tc.base
			_, err := fx.lib.Download(context.Background(), "alpha", nil)
			if err == nil || errors.Is(err, ErrNetwork) {
				t.Fatalf("err = %v, want a URL error, not a network error", err)
			}
			var se *SchemeError
			if !errors.As(err, &se) {
				t.Errorf("err = %v, want a *SchemeError", err)
			}
			for _, s := range []string{tc.say, tc.base, EnvBaseURL, "--base-url"} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
			if strings.Contains(err.Error(), "check your connection") {
				t.Errorf("error %q blames the connection", err)
			}
			mustNotExist(t, fx.path("ggml-alpha.bin.part"))
		})
	}
}
