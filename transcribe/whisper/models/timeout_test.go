package models

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// stallAfter answers with headers for the whole body, sends n bytes and then
// goes quiet without closing the connection: a server or proxy that hangs.
// It returns when the client gives up or the test ends.
func stallAfter(t *testing.T, n int) func(http.ResponseWriter, *http.Request, []byte) {
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	return func(w http.ResponseWriter, r *http.Request, body []byte) {
		if n >= 0 {
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(http.StatusOK)
			w.Write(body[:n])
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}
}

func TestDownloadStallKeepsPartAndResumes(t *testing.T) {
	for _, tc := range []struct {
		name string
		sent int // -1: not even the headers
		says []string
	}{
		{"body stalls", 300_000, []string{"stalled", "no data", "200ms", "partial file is kept", "run the same command again to resume"}},
		{"no answer", -1, []string{"stalled", "no data", "200ms", "run the same command again"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			want := fx.files["ggml-alpha.bin"]
			fx.lib.IdleTimeout = 200 * time.Millisecond
			fx.setHandler(stallAfter(t, tc.sent))
			// The deadline only keeps a regression from hanging the suite.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			start := time.Now()
			_, err := fx.lib.Download(ctx, "alpha", nil)
			took := time.Since(start)
			if !errors.Is(err, ErrStalled) || !errors.Is(err, ErrNetwork) {
				t.Fatalf("after %v: err = %v, want ErrStalled (an ErrNetwork)", took, err)
			}
			if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v: the caller's context ended it, not the idle timeout", err)
			}
			if took > 3*time.Second {
				t.Errorf("stall noticed after %v, want about 200ms", took)
			}
			for _, s := range tc.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
			fi, serr := os.Stat(fx.path("ggml-alpha.bin.part"))
			switch {
			case tc.sent > 0 && (serr != nil || fi.Size() != int64(tc.sent)):
				t.Fatalf(".part after the stall: %v, want %d bytes kept (%v)", fi, tc.sent, serr)
			case tc.sent <= 0 && strings.Contains(err.Error(), "partial file is kept"):
				t.Errorf("error %q speaks of a partial file when nothing arrived", err)
			}
			mustNotExist(t, fx.path("ggml-alpha.bin"))

			// A good server now: the next try continues from the part.
			fx.setHandler(nil)
			path, err := fx.lib.Download(context.Background(), "alpha", nil)
			if err != nil {
				t.Fatal(err)
			}
			mustContain(t, path, want)
			reqs := fx.requests()
			if tc.sent > 0 {
				if wantRange := fmt.Sprintf("bytes=%d-", tc.sent); len(reqs) != 2 || reqs[1] != wantRange {
					t.Errorf("Range headers = %q, want the second %q", reqs, wantRange)
				}
			}
		})
	}
}

// TestDownloadConnectTimeout meets a real listener that accepts the TCP
// connection and then says nothing, so an https:// URL never gets through
// the TLS handshake: the connection is never up.
func TestDownloadConnectTimeout(t *testing.T) {
	fx := newFixture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	fx.lib.BaseURL = "https://" + ln.Addr().String() + "/models"
	fx.lib.Client = nil // the library's own client, as the CLI and the window use it
	fx.lib.ConnectTimeout = 200 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	_, err = fx.lib.Download(ctx, "alpha", nil)
	took := time.Since(start)
	if !errors.Is(err, ErrStalled) || ctx.Err() != nil {
		t.Fatalf("after %v: err = %v, want ErrStalled from the connect timeout", took, err)
	}
	if took > 3*time.Second {
		t.Errorf("connect timeout after %v, want about 200ms", took)
	}
	for _, s := range []string{"could not connect", ln.Addr().String(), "200ms", "check your connection"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not say %q", err, s)
		}
	}
}

func TestDownloadDefaultTimeouts(t *testing.T) {
	var l Library
	if got := l.idleTimeout(); got != 30*time.Second {
		t.Errorf("default idle timeout = %v, want 30s", got)
	}
	if got := l.connectTimeout(); got != 30*time.Second {
		t.Errorf("default connect timeout = %v, want 30s", got)
	}
}
