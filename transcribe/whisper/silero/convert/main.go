// Command convert writes the ggml Silero VAD model whisper.cpp loads from
// silero-vad's ONNX export: make runs it once, from
// install-vad-model.sh, on the file of the pinned npm package.
//
// Usage: go run ./transcribe/whisper/silero/convert -in silero_vad_v5.onnx -out DIR/ggml-silero-v5.1.2.bin
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sidenote-app/sidenote/transcribe/whisper/silero"
)

func main() {
	in := flag.String("in", "", "silero_vad_v5.onnx")
	out := flag.String("out", "", "the ggml file to write")
	flag.Parse()
	if *in == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "convert:", err)
		os.Exit(1)
	}
}

// run converts, writes beside the target and renames, so an interrupted
// run never leaves a file that looks complete, then validates the result
// as the app will.
func run(in, out string) error {
	onnx, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	ggml, err := silero.Convert(onnx)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	tmp := out + ".partial"
	if err := os.WriteFile(tmp, ggml, 0o644); err != nil {
		return err
	}
	if err := silero.Validate(tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, out)
}
