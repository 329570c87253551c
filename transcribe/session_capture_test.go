package transcribe

import "github.com/sidenote-app/sidenote/transcribe/audio"

// The Session finds a capture stream's optional methods by type assertion,
// so a signature that drifts (Overflows once returned int64 here and
// uint64 there) silently turns the feature off; these fail to compile
// instead.
var (
	_ SampleReader    = (*audio.Capture)(nil)
	_ overflowCounter = (*audio.Capture)(nil)
	_ reopener        = (*audio.Capture)(nil)
)
