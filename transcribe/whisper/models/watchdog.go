package models

import (
	"context"
	"io"
	"net/http/httptrace"
	"sync"
	"time"
)

// Defaults for Library.ConnectTimeout and Library.IdleTimeout. Thirty
// seconds without a byte is far beyond any working connection's hiccup and
// short enough that nobody has walked away thinking it is still busy.
const (
	DefaultConnectTimeout = 30 * time.Second
	DefaultIdleTimeout    = 30 * time.Second
)

func (l *Library) connectTimeout() time.Duration {
	if l.ConnectTimeout > 0 {
		return l.ConnectTimeout
	}
	return DefaultConnectTimeout
}

func (l *Library) idleTimeout() time.Duration {
	if l.IdleTimeout > 0 {
		return l.IdleTimeout
	}
	return DefaultIdleTimeout
}

// watchdog cancels one request when it waits too long: for a connection
// (TCP and TLS, each hop of a redirect) or for the next byte of the answer.
// It lives in the request's context rather than in an http.Transport so it
// holds for any Client, including one a caller or a test supplies. Time
// spent on local work (hashing, writing the part file) does not count: the
// clock runs only while the request is waiting for the network.
type watchdog struct {
	connect, idle time.Duration
	cancel        context.CancelCauseFunc

	mu      sync.Mutex
	timer   *time.Timer
	waiting bool          // the timer is armed for the wait below
	phase   string        // "connect" or "data": what is being waited for
	wait    time.Duration // the limit of the current wait
	host    string        // where the connection goes, for the message
	fired   bool
}

// watch returns ctx for one request guarded by a new watchdog, armed for
// the connection. Call stop when the request is over.
func (l *Library) watch(ctx context.Context) (context.Context, *watchdog) {
	rctx, cancel := context.WithCancelCause(ctx)
	w := &watchdog{connect: l.connectTimeout(), idle: l.idleTimeout(), cancel: cancel}
	w.timer = time.AfterFunc(time.Hour, w.fire)
	w.arm("connect", w.connect)
	rctx = httptrace.WithClientTrace(rctx, &httptrace.ClientTrace{
		GetConn: func(hostPort string) {
			w.mu.Lock()
			w.host = hostPort
			w.mu.Unlock()
			w.arm("connect", w.connect)
		},
		GotConn: func(httptrace.GotConnInfo) { w.arm("data", w.idle) },
	})
	return rctx, w
}

func (w *watchdog) arm(phase string, d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.phase, w.wait, w.waiting = phase, d, true
	w.timer.Reset(d)
}

// pause stops the clock while the caller works locally.
func (w *watchdog) pause() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.waiting = false
	w.timer.Stop()
}

// stop ends the watch and releases the request's context.
func (w *watchdog) stop() {
	w.pause()
	w.cancel(nil)
}

func (w *watchdog) fire() {
	w.mu.Lock()
	if !w.waiting { // the wait ended just as the timer went off
		w.mu.Unlock()
		return
	}
	w.fired = true
	w.mu.Unlock()
	w.cancel(ErrStalled)
}

// stalled reports whether the watchdog ended the request, and on what.
func (w *watchdog) stalled() (phase, host string, wait time.Duration, ok bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.phase, w.host, w.wait, w.fired
}

// body wraps a response body so that each read may wait at most the idle
// timeout for data.
func (w *watchdog) body(r io.Reader) io.Reader { return &watchedReader{r: r, w: w} }

type watchedReader struct {
	r io.Reader
	w *watchdog
}

func (r *watchedReader) Read(p []byte) (int, error) {
	r.w.arm("data", r.w.idle)
	n, err := r.r.Read(p)
	r.w.pause()
	return n, err
}
