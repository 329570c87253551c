#include <stdlib.h>
#include "shim.h"

// Implemented in Go (log.go).
extern void sidenoteLog(int level, char *text);

// Checked on every log line so that a silenced logger costs no trip into Go.
static int log_on;

static void log_cb(enum ggml_log_level level, const char *text, void *user_data) {
    (void)user_data;
    if (__atomic_load_n(&log_on, __ATOMIC_RELAXED)) {
        sidenoteLog((int)level, (char *)text);
    }
}

// whisper_log_set also routes ggml's own logging (ggml_log_set), so after this
// nothing from either library reaches stderr.
void sidenote_log_install(void) { whisper_log_set(log_cb, NULL); }

void sidenote_log_enable(int on) { __atomic_store_n(&log_on, on, __ATOMIC_RELAXED); }

// The abort flag lives in C memory and is read by ggml's compute thread
// between graph nodes: a plain atomic load, no call into Go on the hot path.
int *sidenote_flag_new(void) { return calloc(1, sizeof(int)); }

void sidenote_flag_set(int *flag, int v) { __atomic_store_n(flag, v, __ATOMIC_RELEASE); }

void sidenote_flag_free(int *flag) { free(flag); }

static bool abort_cb(void *data) { return __atomic_load_n((int *)data, __ATOMIC_ACQUIRE) != 0; }

void sidenote_params_set_abort(struct whisper_full_params *p, int *flag) {
    p->abort_callback = abort_cb;
    p->abort_callback_user_data = flag;
}
