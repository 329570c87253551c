package main

import (
	_ "fyne.io/fyne/v2/app"
	_ "fyne.io/fyne/v2/test"
	_ "fyne.io/fyne/v2/widget"
	_ "github.com/ggerganov/whisper.cpp/bindings/go/pkg/whisper"
	_ "github.com/go-audio/wav"
	_ "github.com/gordonklaus/portaudio"
	_ "github.com/mattn/go-sqlite3"
)

func main() {}
