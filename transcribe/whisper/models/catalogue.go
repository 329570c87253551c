// Package models manages the whisper.cpp ggml model files Sidenote transcribes
// with: the catalogue of standard files and their published SHA-1s, and a
// Library over one models directory that lists, downloads (resumably),
// imports, verifies and picks the default model.
//
// It is pure Go and never loads a model: structural checks of a file's ggml
// header are delegated to a Validate hook so this package does not depend on
// the cgo engine or on the ggml parser. The only network use in Sidenote is
// Library.Download, and nothing it fetches is put in place before its SHA-1
// matches the catalogue.
package models

import (
	"os"
	"strings"
)

// DefaultBaseURL is where download-ggml-model.sh in whisper.cpp 1.9.1 fetches
// the ggml files from; a model's URL is DefaultBaseURL + "/" + its File.
const DefaultBaseURL = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main"

// EnvBaseURL names the environment variable that overrides DefaultBaseURL,
// for mirrors, offline caches and tests.
const EnvBaseURL = "SIDENOTE_MODEL_URL"

// Byte multiples used in the catalogue and in messages.
const (
	MiB = 1 << 20
	GiB = 1 << 30
)

// Model is one catalogue entry: a ggml file whisper.cpp can load.
type Model struct {
	Name string // "base.en": what users type
	File string // "ggml-base.en.bin": the name on the server and on disk
	// ApproxSize is the README's rounded disk size (e.g. "1.5 GiB"), not the
	// exact byte count: whisper.cpp publishes no exact sizes. Downloads use the
	// server's Content-Length for exact figures and for the free-space check.
	ApproxSize   int64
	SHA1         string // lower-case hex as published; empty means "not known", which skips the checksum
	EnglishOnly  bool   // ".en" models: faster and better for English, cannot do other languages
	Quantization string // "" for f16 weights, otherwise e.g. "q5_0"
	Description  string // one line for `sidenote models list`
}

// URL is where m is fetched from under base (DefaultBaseURL if empty).
func (m Model) URL(base string) string {
	if base == "" {
		base = DefaultBaseURL
	}
	return strings.TrimRight(base, "/") + "/" + m.File
}

// standard is copied from models/README.md of whisper.cpp 1.9.1 (the table of
// names and SHA-1s); sizes are the README's rounded figures converted to MiB.
// The quantized q5_1/q8_0 variants that download-ggml-model.sh can also fetch
// are left out because the README publishes no SHA-1 for them, and
// small.en-tdrz because it lives in another repository (akashmjn's).
var standard = []Model{
	{Name: "tiny", File: "ggml-tiny.bin", ApproxSize: 75 * MiB, SHA1: "bd577a113a864445d4c299885e0cb97d4ba92b5f",
		Description: "Fastest and least accurate (39M parameters), multilingual"},
	{Name: "tiny.en", File: "ggml-tiny.en.bin", ApproxSize: 75 * MiB, SHA1: "c78c86eb1a8faa21b369bcd33207cc90d64ae9df", EnglishOnly: true,
		Description: "Fastest and least accurate (39M parameters), English only"},
	{Name: "base", File: "ggml-base.bin", ApproxSize: 142 * MiB, SHA1: "465707469ff3a37a2b9b8d8f89f2f99de7299dac",
		Description: "Fast, fair accuracy (74M parameters), multilingual"},
	{Name: "base.en", File: "ggml-base.en.bin", ApproxSize: 142 * MiB, SHA1: "137c40403d78fd54d454da0f9bd998f78703390c", EnglishOnly: true,
		Description: "Fast, fair accuracy (74M parameters), English only; a good first model for live use"},
	{Name: "small", File: "ggml-small.bin", ApproxSize: 466 * MiB, SHA1: "55356645c2b361a969dfd0ef2c5a50d530afd8d5",
		Description: "Good accuracy, moderate speed (244M parameters), multilingual"},
	{Name: "small.en", File: "ggml-small.en.bin", ApproxSize: 466 * MiB, SHA1: "db8a495a91d927739e50b3fc1cc4c6b8f6c2d022", EnglishOnly: true,
		Description: "Good accuracy, moderate speed (244M parameters), English only"},
	{Name: "medium", File: "ggml-medium.bin", ApproxSize: 1536 * MiB, SHA1: "fd9727b6e1217c2f614f9b698455c4ffd82463b4",
		Description: "High accuracy, slow on a laptop (769M parameters), multilingual"},
	{Name: "medium.en", File: "ggml-medium.en.bin", ApproxSize: 1536 * MiB, SHA1: "8c30f0e44ce9560643ebd10bbe50cd20eafd3723", EnglishOnly: true,
		Description: "High accuracy, slow on a laptop (769M parameters), English only"},
	{Name: "large-v1", File: "ggml-large-v1.bin", ApproxSize: 2970 * MiB, SHA1: "b1caaf735c4cc1429223d5a74f0f4d0b9b59a299",
		Description: "Largest, first release (1550M parameters), multilingual; superseded by large-v3"},
	{Name: "large-v2", File: "ggml-large-v2.bin", ApproxSize: 2970 * MiB, SHA1: "0f4c8e34f21cf1a914c59d8b3ce882345ad349d6",
		Description: "Largest, second release (1550M parameters), multilingual"},
	{Name: "large-v2-q5_0", File: "ggml-large-v2-q5_0.bin", ApproxSize: 1126 * MiB, SHA1: "00e39f2196344e901b3a2bd5814807a769bd1630", Quantization: "q5_0",
		Description: "large-v2 quantized to 5 bits: a third of the size, slightly less accurate"},
	{Name: "large-v3", File: "ggml-large-v3.bin", ApproxSize: 2970 * MiB, SHA1: "ad82bf6a9043ceed055076d0fd39f5f186ff8062",
		Description: "Most accurate, slowest (1550M parameters), multilingual"},
	{Name: "large-v3-q5_0", File: "ggml-large-v3-q5_0.bin", ApproxSize: 1126 * MiB, SHA1: "e6e2ed78495d403bef4b7cff42ef4aaadcfea8de", Quantization: "q5_0",
		Description: "large-v3 quantized to 5 bits: a third of the size, slightly less accurate"},
	{Name: "large-v3-turbo", File: "ggml-large-v3-turbo.bin", ApproxSize: 1536 * MiB, SHA1: "4af2b29d7ec73d781377bfd1758ca957a807e941",
		Description: "large-v3 with a 4-layer decoder (809M parameters): near large-v3 accuracy, much faster"},
	{Name: "large-v3-turbo-q5_0", File: "ggml-large-v3-turbo-q5_0.bin", ApproxSize: 547 * MiB, SHA1: "e050f7970618a659205450ad97eb95a18d69c9ee", Quantization: "q5_0",
		Description: "large-v3-turbo quantized to 5 bits: the best accuracy per megabyte"},
}

// Catalogue returns a copy of the standard whisper.cpp models, smallest
// generation first, so callers may filter or reorder it freely.
func Catalogue() []Model {
	return append([]Model(nil), standard...)
}

// BaseURLFromEnv returns $SIDENOTE_MODEL_URL, or DefaultBaseURL when unset.
func BaseURLFromEnv() string {
	if u := strings.TrimSpace(os.Getenv(EnvBaseURL)); u != "" {
		return u
	}
	return DefaultBaseURL
}
