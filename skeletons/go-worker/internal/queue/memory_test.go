package queue

import (
	"context"
	"errors"
	"testing"
	"time"
)

// Memory must satisfy the interface the worker consumes.
var _ Queue = (*Memory)(nil)

func receive(t *testing.T, q *Memory) Message {
	t.Helper()
	msg, ok, err := q.Receive(context.Background())
	if err != nil || !ok {
		t.Fatalf("Receive = %v, %v; want a message", ok, err)
	}
	return msg
}

func TestAckRemovesTheMessage(t *testing.T) {
	q := NewMemory(MemoryOptions{WaitTime: 50 * time.Millisecond})
	id := q.Send([]byte(`{"type":"a"}`), map[string]string{"content-type": "application/json"})

	msg := receive(t, q)
	if msg.ID != id || string(msg.Body) != `{"type":"a"}` || msg.ReceiveCount != 1 || msg.Receipt == "" {
		t.Fatalf("got %+v", msg)
	}
	if msg.Attributes["content-type"] != "application/json" {
		t.Errorf("attributes lost: %v", msg.Attributes)
	}
	if ready, inFlight, _ := q.Stats(); ready != 0 || inFlight != 1 {
		t.Errorf("before ack: ready=%d inFlight=%d, want 0 and 1", ready, inFlight)
	}
	if err := q.Ack(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	if ready, inFlight, dead := q.Stats(); ready+inFlight+dead != 0 {
		t.Errorf("after ack: ready=%d inFlight=%d dead=%d, want an empty queue", ready, inFlight, dead)
	}
	if err := q.Ack(context.Background(), msg); !errors.Is(err, ErrUnknownReceipt) {
		t.Errorf("second Ack = %v, want ErrUnknownReceipt", err)
	}
}

func TestNackRedeliversThenDeadLetters(t *testing.T) {
	q := NewMemory(MemoryOptions{WaitTime: 50 * time.Millisecond, MaxReceives: 3})
	q.Send([]byte("x"), nil)

	var receipts []string
	for want := 1; want <= 3; want++ {
		msg := receive(t, q)
		if msg.ReceiveCount != want {
			t.Fatalf("delivery %d has ReceiveCount %d", want, msg.ReceiveCount)
		}
		receipts = append(receipts, msg.Receipt)
		if err := q.Nack(context.Background(), msg); err != nil {
			t.Fatal(err)
		}
	}
	if receipts[0] == receipts[1] {
		t.Errorf("every delivery needs its own receipt, got %v", receipts)
	}
	if _, ok, err := q.Receive(context.Background()); ok || err != nil {
		t.Errorf("after MaxReceives the message must not be delivered again (ok=%v err=%v)", ok, err)
	}
	if dead := q.DeadLetters(); len(dead) != 1 || dead[0].ReceiveCount != 3 {
		t.Errorf("dead letters = %+v", dead)
	}
}

func TestAStaleReceiptIsRejected(t *testing.T) {
	q := NewMemory(MemoryOptions{WaitTime: 50 * time.Millisecond})
	q.Send([]byte("x"), nil)
	first := receive(t, q)
	if err := q.Nack(context.Background(), first); err != nil {
		t.Fatal(err)
	}
	receive(t, q)
	if err := q.Ack(context.Background(), first); !errors.Is(err, ErrUnknownReceipt) {
		t.Errorf("Ack with the receipt of an earlier delivery = %v, want ErrUnknownReceipt", err)
	}
}

func TestReceiveEndsAnEmptyPoll(t *testing.T) {
	q := NewMemory(MemoryOptions{WaitTime: 20 * time.Millisecond})
	start := time.Now()
	msg, ok, err := q.Receive(context.Background())
	if ok || err != nil || msg.ID != "" {
		t.Errorf("Receive on an empty queue = %+v, %v, %v; want no message and no error", msg, ok, err)
	}
	if time.Since(start) < 20*time.Millisecond {
		t.Errorf("Receive returned before its wait time")
	}
}

func TestReceiveWakesUpForANewMessage(t *testing.T) {
	q := NewMemory(MemoryOptions{WaitTime: 5 * time.Second})
	go func() {
		time.Sleep(20 * time.Millisecond)
		q.Send([]byte("late"), nil)
	}()
	start := time.Now()
	msg := receive(t, q)
	if string(msg.Body) != "late" || time.Since(start) > 2*time.Second {
		t.Errorf("got %q after %v", msg.Body, time.Since(start))
	}
}

func TestReceiveStopsWhenTheContextIsDone(t *testing.T) {
	q := NewMemory(MemoryOptions{WaitTime: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(20 * time.Millisecond)
		cancel()
	}()
	if _, ok, err := q.Receive(ctx); ok || !errors.Is(err, context.Canceled) {
		t.Errorf("Receive = %v, %v; want context.Canceled", ok, err)
	}

	// Once the context is done, nothing more is delivered.
	q.Send([]byte("x"), nil)
	if _, ok, err := q.Receive(ctx); ok || err == nil {
		t.Errorf("Receive with a done context = %v, %v; want an error and no message", ok, err)
	}
}

func TestConcurrentReceiversGetEveryMessageOnce(t *testing.T) {
	q := NewMemory(MemoryOptions{WaitTime: 100 * time.Millisecond})
	const n = 200
	seen := make(chan string, n)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := 0; i < 4; i++ {
		go func() {
			for {
				msg, ok, err := q.Receive(ctx)
				if err != nil {
					return
				}
				if ok {
					_ = q.Ack(ctx, msg)
					seen <- msg.ID
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		q.Send([]byte("x"), nil)
	}
	got := map[string]bool{}
	for len(got) < n {
		select {
		case id := <-seen:
			if got[id] {
				t.Fatalf("%s delivered twice", id)
			}
			got[id] = true
		case <-time.After(5 * time.Second):
			t.Fatalf("only %d of %d messages delivered", len(got), n)
		}
	}
}
