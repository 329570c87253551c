#!/bin/sh
# Builds whisper.cpp 1.9.1 as a static library into a cache prefix named by
# version, so every clone and CI run on this machine reuses one build.
#
# The source comes from the npm package nodejs-whisper, which vendors
# whisper.cpp; the tarball is checked against a pinned integrity hash before
# anything in it is built.
#
# Usage: install-whisper.sh PREFIX
set -eu

VERSION=1.9.1
NPM_PKG=nodejs-whisper@0.3.1
INTEGRITY='sha512-ceoilUVraRuR5FnNyXpGQT2auAR48Oc3AQBEmkXnVpSn9iN6yVRzQBFCqVTGWbk6Wdi95NhvwXNzFvuR7erLWw=='

PREFIX=${1:?usage: install-whisper.sh PREFIX}

if [ -f "$PREFIX/lib/libwhisper.a" ] && [ -f "$PREFIX/include/whisper.h" ]; then
	exit 0
fi

for tool in npm cmake c++ openssl base64; do
	command -v "$tool" >/dev/null 2>&1 || { echo "install-whisper: $tool is missing (run make deps)" >&2; exit 1; }
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM

echo "install-whisper: fetching $NPM_PKG (whisper.cpp $VERSION source)"
(cd "$WORK" && npm pack --silent "$NPM_PKG" >/dev/null)
TARBALL=$(ls "$WORK"/*.tgz)

GOT="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 | tr -d '\n')"
if [ "$GOT" != "$INTEGRITY" ]; then
	echo "install-whisper: integrity mismatch for $NPM_PKG" >&2
	echo "  want $INTEGRITY" >&2
	echo "  got  $GOT" >&2
	echo "refusing to build unverified source" >&2
	exit 1
fi

tar -xzf "$TARBALL" -C "$WORK"
SRC="$WORK/package/cpp/whisper.cpp"
[ -f "$SRC/CMakeLists.txt" ] || { echo "install-whisper: $SRC has no CMakeLists.txt" >&2; exit 1; }

echo "install-whisper: building whisper.cpp $VERSION (static, about a minute)"
cmake -S "$SRC" -B "$WORK/build" \
	-DCMAKE_BUILD_TYPE=Release \
	-DBUILD_SHARED_LIBS=OFF \
	-DWHISPER_BUILD_EXAMPLES=OFF \
	-DWHISPER_BUILD_TESTS=OFF \
	-DWHISPER_BUILD_SERVER=OFF \
	-DGGML_NATIVE=OFF >"$WORK/cmake.log" 2>&1 || { cat "$WORK/cmake.log" >&2; exit 1; }
cmake --build "$WORK/build" -j"$(nproc 2>/dev/null || echo 2)" --target whisper parakeet >"$WORK/build.log" 2>&1 || { tail -50 "$WORK/build.log" >&2; exit 1; }

# Install into a sibling directory first and rename, so an interrupted
# install never leaves a half-populated prefix that the check above accepts.
mkdir -p "$(dirname "$PREFIX")"
STAGE="$PREFIX.partial.$$"
rm -rf "$STAGE"
cmake --install "$WORK/build" --prefix "$STAGE" >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log" >&2; exit 1; }
rm -rf "$PREFIX"
mv "$STAGE" "$PREFIX"
echo "install-whisper: installed into $PREFIX"
