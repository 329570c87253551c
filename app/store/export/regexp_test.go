package export

import "regexp"

var (
	srtTiming = regexp.MustCompile(`^\d{2,}:[0-5]\d:[0-5]\d,\d{3} --> \d{2,}:[0-5]\d:[0-5]\d,\d{3}$`)
	vttTiming = regexp.MustCompile(`^\d{2,}:[0-5]\d:[0-5]\d\.\d{3} --> \d{2,}:[0-5]\d:[0-5]\d\.\d{3}$`)
)
