package ui

import "github.com/sidenote-app/sidenote/app/store"

// The real store is what the wiring code passes to the home screens.
var _ HomeStore = (*store.Store)(nil)
