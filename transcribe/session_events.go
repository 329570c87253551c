package transcribe

import "sync"

// dispatcher calls OnEvent from one goroutine of its own, so that neither
// the audio path nor the worker ever waits for a consumer. Posting never
// blocks: events queue (they come at the pace of speech and errors), and
// level events, which come 20 a second per input, keep only the latest.
type dispatcher struct {
	fn   func(Event)
	wake chan struct{}
	done chan struct{}

	mu       sync.Mutex
	queue    []Event
	levels   []Event
	hasLevel []bool
	started  bool
	closed   bool
}

func newDispatcher(fn func(Event), inputs int) *dispatcher {
	return &dispatcher{
		fn:       fn,
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
		levels:   make([]Event, inputs),
		hasLevel: make([]bool, inputs),
	}
}

func (d *dispatcher) start() {
	if d.fn == nil {
		return
	}
	d.mu.Lock()
	d.started = true
	d.mu.Unlock()
	go d.run()
}

func (d *dispatcher) notify() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

func (d *dispatcher) post(e Event) {
	if d.fn == nil {
		return
	}
	d.mu.Lock()
	if !d.closed {
		d.queue = append(d.queue, e)
	}
	d.mu.Unlock()
	d.notify()
}

// level replaces input i's undelivered level, if any.
func (d *dispatcher) level(i int, e Event) {
	if d.fn == nil {
		return
	}
	d.mu.Lock()
	if !d.closed {
		d.levels[i], d.hasLevel[i] = e, true
	}
	d.mu.Unlock()
	d.notify()
}

// close delivers what is queued and waits for the goroutine to exit.
func (d *dispatcher) close() {
	d.mu.Lock()
	d.closed = true
	started := d.started
	d.mu.Unlock()
	if !started {
		return
	}
	d.notify()
	<-d.done
}

func (d *dispatcher) run() {
	defer close(d.done)
	var batch []Event
	for range d.wake {
		for {
			d.mu.Lock()
			batch, d.queue = d.queue, batch[:0]
			for i, ok := range d.hasLevel {
				if ok {
					batch = append(batch, d.levels[i])
					d.hasLevel[i] = false
				}
			}
			closed := d.closed
			d.mu.Unlock()
			if len(batch) == 0 {
				if closed {
					return
				}
				break
			}
			for _, e := range batch {
				d.fn(e)
			}
			clear(batch) // drop references to segments delivered
		}
	}
}
