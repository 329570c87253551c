// Small C helpers for what the official Go bindings do not expose:
// whisper.cpp's log hook and the abort callback of whisper_full_params.
#ifndef SIDENOTE_WHISPER_SHIM_H
#define SIDENOTE_WHISPER_SHIM_H

#include <stdbool.h>
#include <whisper.h>

void sidenote_log_install(void);
void sidenote_log_enable(int on);

int *sidenote_flag_new(void);
void sidenote_flag_set(int *flag, int v);
void sidenote_flag_free(int *flag);

void sidenote_params_set_abort(struct whisper_full_params *p, int *flag);

#endif
