package worker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/${{ values.repoSlug }}/internal/logging"
	"github.com/${{ values.repoSlug }}/internal/metrics"
	"github.com/${{ values.repoSlug }}/internal/queue"
)

// lockedBuffer collects logs written by the worker's goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type harness struct {
	worker   *Worker
	registry *metrics.Registry
	logs     *lockedBuffer
	cancel   context.CancelFunc
	done     chan struct{}
}

// start runs a worker on q with h until the test ends or stop is called.
func start(t *testing.T, q queue.Queue, h Handler, configure func(*Options)) *harness {
	t.Helper()
	hs := &harness{registry: metrics.NewRegistry(), logs: &lockedBuffer{}, done: make(chan struct{})}
	opts := Options{
		Queue:      q,
		Handler:    h,
		Logger:     logging.New(hs.logs, "test-service", logging.LevelInfo),
		Registry:   hs.registry,
		RetryDelay: 10 * time.Millisecond,
	}
	if configure != nil {
		configure(&opts)
	}
	hs.worker = New(opts)
	ctx, cancel := context.WithCancel(context.Background())
	hs.cancel = cancel
	go func() {
		defer close(hs.done)
		hs.worker.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-hs.done
	})
	return hs
}

// stop cancels the worker and fails the test unless Run returns promptly.
func (hs *harness) stop(t *testing.T) {
	t.Helper()
	hs.cancel()
	select {
	case <-hs.done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after the context was cancelled")
	}
}

func (hs *harness) metrics() string { return string(hs.registry.Write()) }

func newQueue() *queue.Memory {
	return queue.NewMemory(queue.MemoryOptions{WaitTime: 20 * time.Millisecond, MaxReceives: 3})
}

// eventually polls cond for up to 5 seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func drained(q *queue.Memory) func() bool {
	return func() bool {
		ready, inFlight, _ := q.Stats()
		return ready == 0 && inFlight == 0
	}
}

func wantMetrics(t *testing.T, out string, lines ...string) {
	t.Helper()
	for _, line := range lines {
		if !strings.Contains(out, line+"\n") {
			t.Errorf("metrics lack %q:\n%s", line, out)
		}
	}
}

func TestSuccessfulMessagesAreAckedAndCounted(t *testing.T) {
	q := newQueue()
	q.Send([]byte(`{"n":1}`), nil)
	q.Send([]byte(`{"n":2}`), nil)
	var mu sync.Mutex
	var bodies []string
	hs := start(t, q, HandlerFunc(func(_ context.Context, msg queue.Message) error {
		mu.Lock()
		defer mu.Unlock()
		bodies = append(bodies, string(msg.Body))
		return nil
	}), nil)

	eventually(t, "both messages acked", drained(q))
	hs.stop(t)

	if strings.Join(bodies, ",") != `{"n":1},{"n":2}` {
		t.Errorf("handled %v", bodies)
	}
	wantMetrics(t, hs.metrics(),
		`worker_messages_total{outcome="success"} 2`,
		`worker_messages_total{outcome="error"} 0`,
		`worker_message_duration_seconds_count{outcome="success"} 2`,
		`worker_queue_errors_total{operation="ack"} 0`,
	)
	var processed int
	for _, line := range strings.Split(strings.TrimSpace(hs.logs.String()), "\n") {
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if e["msg"] == "message processed" {
			processed++
			if e["outcome"] != "success" || e["messageId"] == nil || e["receiveCount"] != float64(1) {
				t.Errorf("log line lacks fields: %v", e)
			}
		}
	}
	if processed != 2 {
		t.Errorf("want 2 'message processed' lines, got %d:\n%s", processed, hs.logs.String())
	}
	if strings.Contains(hs.logs.String(), `"n":1`) {
		t.Errorf("message bodies must not be logged:\n%s", hs.logs.String())
	}
}

func TestFailedMessagesAreNackedAndCounted(t *testing.T) {
	q := newQueue()
	q.Send([]byte("flaky"), nil)
	var mu sync.Mutex
	var counts []int
	hs := start(t, q, HandlerFunc(func(_ context.Context, msg queue.Message) error {
		mu.Lock()
		defer mu.Unlock()
		counts = append(counts, msg.ReceiveCount)
		if msg.ReceiveCount == 1 {
			return errors.New("downstream unavailable")
		}
		return nil
	}), nil)

	eventually(t, "the message acked on its second delivery", drained(q))
	hs.stop(t)

	if len(counts) != 2 || counts[0] != 1 || counts[1] != 2 {
		t.Errorf("deliveries seen by the handler: %v, want [1 2]", counts)
	}
	wantMetrics(t, hs.metrics(),
		`worker_messages_total{outcome="success"} 1`,
		`worker_messages_total{outcome="error"} 1`,
		`worker_message_duration_seconds_count{outcome="error"} 1`,
	)
	if !strings.Contains(hs.logs.String(), `"err":{"message":"downstream unavailable"}`) {
		t.Errorf("the failure is not logged:\n%s", hs.logs.String())
	}
}

func TestAMessageThatAlwaysFailsEndsInTheDeadLetters(t *testing.T) {
	q := newQueue()
	q.Send([]byte("poison"), nil)
	hs := start(t, q, HandlerFunc(func(context.Context, queue.Message) error {
		return errors.New("cannot process")
	}), nil)

	eventually(t, "the message dead-lettered", func() bool { return len(q.DeadLetters()) == 1 })
	hs.stop(t)
	wantMetrics(t, hs.metrics(), `worker_messages_total{outcome="error"} 3`)
}

func TestAPanickingHandlerNacksAndTheWorkerGoesOn(t *testing.T) {
	q := newQueue()
	q.Send([]byte("panic"), nil)
	q.Send([]byte("fine"), nil)
	hs := start(t, q, HandlerFunc(func(_ context.Context, msg queue.Message) error {
		if string(msg.Body) == "panic" {
			panic("nil map")
		}
		return nil
	}), nil)

	eventually(t, "the healthy message processed", func() bool {
		return strings.Contains(hs.metrics(), `worker_messages_total{outcome="success"} 1`+"\n")
	})
	hs.stop(t)
	if !strings.Contains(hs.metrics(), `worker_messages_total{outcome="error"} `) ||
		strings.Contains(hs.metrics(), `worker_messages_total{outcome="error"} 0`+"\n") {
		t.Errorf("the panic is not counted as an error:\n%s", hs.metrics())
	}
}

func TestTheHandlerTimeoutCancelsTheHandlerContext(t *testing.T) {
	q := newQueue()
	q.Send([]byte("slow"), nil)
	hs := start(t, q, HandlerFunc(func(ctx context.Context, _ queue.Message) error {
		<-ctx.Done()
		return ctx.Err()
	}), func(o *Options) { o.HandlerTimeout = 20 * time.Millisecond })

	eventually(t, "the timed-out message counted", func() bool {
		return !strings.Contains(hs.metrics(), `worker_messages_total{outcome="error"} 0`+"\n")
	})
	hs.stop(t)
}

func TestRunStopsWhileWaitingForMessages(t *testing.T) {
	q := queue.NewMemory(queue.MemoryOptions{WaitTime: time.Hour})
	hs := start(t, q, HandlerFunc(func(context.Context, queue.Message) error { return nil }), nil)
	time.Sleep(20 * time.Millisecond)
	hs.stop(t)
}

func TestShutdownFinishesTheMessageInFlight(t *testing.T) {
	q := newQueue()
	q.Send([]byte("first"), nil)
	entered, release := make(chan struct{}), make(chan struct{})
	handlerCtxErr := make(chan error, 1)
	hs := start(t, q, HandlerFunc(func(ctx context.Context, msg queue.Message) error {
		if string(msg.Body) != "first" {
			t.Errorf("received %q after the shutdown began", msg.Body)
			return nil
		}
		close(entered)
		<-release
		handlerCtxErr <- ctx.Err()
		return nil
	}), nil)

	<-entered
	q.Send([]byte("second"), nil)
	hs.cancel()
	select {
	case <-hs.done:
		t.Fatal("Run returned while a message was in flight")
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	hs.stop(t)

	if err := <-handlerCtxErr; err != nil {
		t.Errorf("the shutdown cancelled the handler's context: %v", err)
	}
	ready, inFlight, _ := q.Stats()
	if inFlight != 0 {
		t.Errorf("the message in flight was not acked (inFlight=%d)", inFlight)
	}
	if ready != 1 {
		t.Errorf("ready = %d: the second message must stay in the queue", ready)
	}
	wantMetrics(t, hs.metrics(), `worker_messages_total{outcome="success"} 1`)
}

// faultyQueue fails some operations of a Memory queue.
type faultyQueue struct {
	*queue.Memory
	mu            sync.Mutex
	receiveErrors int
	ackErr        error
}

func (f *faultyQueue) Receive(ctx context.Context) (queue.Message, bool, error) {
	f.mu.Lock()
	if f.receiveErrors > 0 {
		f.receiveErrors--
		f.mu.Unlock()
		return queue.Message{}, false, errors.New("connection reset")
	}
	f.mu.Unlock()
	return f.Memory.Receive(ctx)
}

func (f *faultyQueue) Ack(ctx context.Context, msg queue.Message) error {
	if f.ackErr != nil {
		return f.ackErr
	}
	return f.Memory.Ack(ctx, msg)
}

func TestQueueErrorsAreCountedAndRetried(t *testing.T) {
	q := &faultyQueue{Memory: newQueue(), receiveErrors: 2}
	q.Send([]byte("x"), nil)
	hs := start(t, q, HandlerFunc(func(context.Context, queue.Message) error { return nil }), nil)

	eventually(t, "the message processed after the receive errors", drained(q.Memory))
	hs.stop(t)
	wantMetrics(t, hs.metrics(),
		`worker_queue_errors_total{operation="receive"} 2`,
		`worker_messages_total{outcome="success"} 1`,
	)
}

func TestAFailedAckIsCounted(t *testing.T) {
	q := &faultyQueue{Memory: newQueue(), ackErr: errors.New("throttled")}
	q.Send([]byte("x"), nil)
	hs := start(t, q, HandlerFunc(func(context.Context, queue.Message) error { return nil }), nil)

	eventually(t, "the ack error counted", func() bool {
		return strings.Contains(hs.metrics(), `worker_queue_errors_total{operation="ack"} 1`+"\n")
	})
	hs.stop(t)
}

// The latency SLO of the golden path (slo/latency.yaml) counts messages in
// the le="2.5" bucket; removing that bucket breaks the SLO silently.
func TestDurationHistogramHasTheSLOBucket(t *testing.T) {
	q := newQueue()
	q.Send([]byte("x"), nil)
	hs := start(t, q, HandlerFunc(func(context.Context, queue.Message) error { return nil }), nil)
	eventually(t, "the message processed", drained(q))
	hs.stop(t)
	wantMetrics(t, hs.metrics(), `worker_message_duration_seconds_bucket{outcome="success",le="2.5"} 1`)
}
