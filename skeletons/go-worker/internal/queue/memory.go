package queue

import (
	"context"
	"strconv"
	"sync"
	"time"
)

// MemoryOptions configure a Memory queue.
type MemoryOptions struct {
	// WaitTime is how long Receive waits for a message before it returns
	// ok == false, like a long poll. Default: 1s.
	WaitTime time.Duration
	// MaxReceives is how many deliveries a message gets before a Nack moves
	// it to the dead letters instead of the queue. Default: 5.
	MaxReceives int
}

// Memory is an in-memory Queue. Messages are lost when the process exits, so
// it suits tests and local runs only. It is safe for concurrent use.
type Memory struct {
	opts MemoryOptions

	mu       sync.Mutex
	ready    []Message
	inFlight map[string]Message
	dead     []Message
	sent     int
	receipts int
	// wake holds a token while messages may be ready, to wake one waiting
	// Receive.
	wake chan struct{}
}

// NewMemory returns an empty in-memory queue.
func NewMemory(opts MemoryOptions) *Memory {
	if opts.WaitTime <= 0 {
		opts.WaitTime = time.Second
	}
	if opts.MaxReceives <= 0 {
		opts.MaxReceives = 5
	}
	return &Memory{opts: opts, inFlight: map[string]Message{}, wake: make(chan struct{}, 1)}
}

// Send adds a message and returns its ID.
func (q *Memory) Send(body []byte, attributes map[string]string) string {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.sent++
	id := "msg-" + strconv.Itoa(q.sent)
	q.ready = append(q.ready, Message{ID: id, Body: body, Attributes: attributes})
	q.signal()
	return id
}

// Receive implements Queue.
func (q *Memory) Receive(ctx context.Context) (Message, bool, error) {
	timer := time.NewTimer(q.opts.WaitTime)
	defer timer.Stop()
	for {
		if err := ctx.Err(); err != nil {
			return Message{}, false, err
		}
		if msg, ok := q.pop(); ok {
			return msg, true, nil
		}
		select {
		case <-ctx.Done():
			return Message{}, false, ctx.Err()
		case <-timer.C:
			return Message{}, false, nil
		case <-q.wake:
		}
	}
}

func (q *Memory) pop() (Message, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.ready) == 0 {
		return Message{}, false
	}
	msg := q.ready[0]
	q.ready = q.ready[1:]
	msg.ReceiveCount++
	q.receipts++
	msg.Receipt = msg.ID + "/" + strconv.Itoa(q.receipts)
	q.inFlight[msg.Receipt] = msg
	if len(q.ready) > 0 {
		// Pass the wake-up on to the next waiting receiver.
		q.signal()
	}
	return msg, true
}

// signal wakes one waiting Receive; the caller holds q.mu.
func (q *Memory) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// Ack implements Queue.
func (q *Memory) Ack(_ context.Context, msg Message) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if _, ok := q.inFlight[msg.Receipt]; !ok {
		return ErrUnknownReceipt
	}
	delete(q.inFlight, msg.Receipt)
	return nil
}

// Nack implements Queue: the message goes back to the end of the queue, or
// to the dead letters after MaxReceives deliveries.
func (q *Memory) Nack(_ context.Context, msg Message) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	held, ok := q.inFlight[msg.Receipt]
	if !ok {
		return ErrUnknownReceipt
	}
	delete(q.inFlight, msg.Receipt)
	held.Receipt = ""
	if held.ReceiveCount >= q.opts.MaxReceives {
		q.dead = append(q.dead, held)
		return nil
	}
	q.ready = append(q.ready, held)
	q.signal()
	return nil
}

// Stats reports how many messages wait for delivery, are delivered but not
// yet acknowledged, and were dead-lettered.
func (q *Memory) Stats() (ready, inFlight, dead int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.ready), len(q.inFlight), len(q.dead)
}

// DeadLetters returns the messages that exhausted their deliveries.
func (q *Memory) DeadLetters() []Message {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]Message{}, q.dead...)
}
