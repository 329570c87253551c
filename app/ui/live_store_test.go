package ui

import "github.com/sidenote-app/sidenote/app/store"

// The real store is what the wiring code passes.
var _ LiveStore = (*store.Store)(nil)
