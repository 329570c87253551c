// Package assets embeds the files the app ships with: the icon now, the
// interface translations later. Embedding keeps the binary self-contained,
// so a copied sidenote runs without an installed share folder.
package assets

import _ "embed"

// IconPNG is the application icon, rendered from icon.svg with
// `convert -background none icon.svg -depth 8 -resize 512x512 icon.png`.
//
//go:embed icon.png
var IconPNG []byte
