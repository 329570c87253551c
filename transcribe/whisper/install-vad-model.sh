#!/bin/sh
# Makes the ggml Silero VAD model (silero-vad v5.1.2) that whisper.cpp
# loads, into a cache named by version, so every clone reuses one file.
#
# No registry serves the ggml file. The npm package @ricky0123/vad-web
# (MIT) ships silero_vad_v5.onnx, which holds the silero-vad v5.1.2
# weights; the tarball is checked against a pinned integrity hash, and a
# converter in Go (no Python) writes whisper.cpp's layout and validates it.
#
# Usage: install-vad-model.sh OUT_FILE   (run from the repository root)
set -eu

NPM_PKG=@ricky0123/vad-web@0.0.31
INTEGRITY='sha512-ePVq8TvB21sdHSxVMZOEIf9JVa7MAYpaIaNXeGgsPOiMCN8xbPCdF2LS5aYj7VRR3ZxzutedgV9ZplV65IA1Fg=='
GO=${GO:-go}

OUT=${1:?usage: install-vad-model.sh OUT_FILE}

if [ -f "$OUT" ]; then
	exit 0
fi

for tool in npm openssl base64 tar "$GO"; do
	command -v "$tool" >/dev/null 2>&1 || { echo "install-vad-model: $tool is missing (run make deps)" >&2; exit 1; }
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM

echo "install-vad-model: fetching $NPM_PKG (silero-vad v5.1.2 weights)"
(cd "$WORK" && npm pack --silent "$NPM_PKG" >/dev/null)
TARBALL=$(ls "$WORK"/*.tgz)

GOT="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 | tr -d '\n')"
if [ "$GOT" != "$INTEGRITY" ]; then
	echo "install-vad-model: integrity mismatch for $NPM_PKG" >&2
	echo "  want $INTEGRITY" >&2
	echo "  got  $GOT" >&2
	echo "refusing to convert unverified weights" >&2
	exit 1
fi

tar -xzf "$TARBALL" -C "$WORK" package/dist/silero_vad_v5.onnx
"$GO" run ./transcribe/whisper/silero/convert -in "$WORK/package/dist/silero_vad_v5.onnx" -out "$OUT"
echo "install-vad-model: wrote $OUT"
