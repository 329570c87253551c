//go:build cgo && linux

package audio

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdarg.h>
#include <stddef.h>

// ALSA's and JACK's default error handlers print to stderr while PortAudio
// probes every configured device: dozens of "cannot find card" and "jack
// server is not running" lines on an ordinary desktop, printed before any
// output of ours. A device that really fails is reported by PortAudio's own
// error codes, which this package turns into messages, so the libraries'
// chatter is dropped.
//
// Both libraries are reached through dlsym on the copies PortAudio already
// loaded (RTLD_NOLOAD), so neither is a build dependency: a PortAudio built
// without JACK or ALSA (macOS, Windows, minimal Linux) simply has nothing
// to silence.
static void sidenote_alsa_quiet(const char *file, int line, const char *function, int err, const char *fmt, ...) {}
static void sidenote_jack_quiet(const char *msg) {}

static void sidenote_quiet_audio_libraries(void) {
	void *alsa = dlopen("libasound.so.2", RTLD_LAZY | RTLD_NOLOAD);
	if (alsa != NULL) {
		typedef int (*set_handler_fn)(void (*)(const char *, int, const char *, int, const char *, ...));
		set_handler_fn set = (set_handler_fn)dlsym(alsa, "snd_lib_error_set_handler");
		if (set != NULL) {
			set(sidenote_alsa_quiet);
		}
		dlclose(alsa);
	}
	void *jack = dlopen("libjack.so.0", RTLD_LAZY | RTLD_NOLOAD);
	if (jack != NULL) {
		typedef void (*set_fn)(void (*)(const char *));
		set_fn seterr = (set_fn)dlsym(jack, "jack_set_error_function");
		set_fn setinfo = (set_fn)dlsym(jack, "jack_set_info_function");
		if (seterr != NULL) {
			seterr(sidenote_jack_quiet);
		}
		if (setinfo != NULL) {
			setinfo(sidenote_jack_quiet);
		}
		dlclose(jack);
	}
}
*/
import "C"

func init() {
	C.sidenote_quiet_audio_libraries()
}
