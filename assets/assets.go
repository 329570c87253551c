// Package assets embeds the files the app ships with: the icon and the
// interface translations. Embedding keeps the binary self-contained, so a
// copied sidenote runs without an installed share folder.
package assets

import "embed"

// IconPNG is the application icon, rendered from icon.svg with
// `convert -background none icon.svg -depth 8 -resize 512x512 icon.png`.
//
//go:embed icon.png
var IconPNG []byte

// Translations holds the interface text, one go-i18n JSON file per
// language (en.json, sv.json), for fyne.io/fyne/v2/lang.AddTranslationsFS.
//
//go:embed translations
var Translations embed.FS
