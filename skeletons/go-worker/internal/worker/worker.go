// Package worker runs the consume loop: receive a message, handle it, ack it
// on success or nack it on failure, and record the outcome in logs and
// metrics.
package worker

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/${{ values.repoSlug }}/internal/logging"
	"github.com/${{ values.repoSlug }}/internal/metrics"
	"github.com/${{ values.repoSlug }}/internal/queue"
)

// Handler processes one message. An error nacks the message, so the queue
// delivers it again; queues deliver at least once, so Handle must be
// idempotent.
type Handler interface {
	Handle(ctx context.Context, msg queue.Message) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, msg queue.Message) error

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, msg queue.Message) error { return f(ctx, msg) }

// Outcomes of a message, the values of the outcome label.
const (
	OutcomeSuccess = "success"
	OutcomeError   = "error"
)

// Options configure a Worker.
type Options struct {
	Queue    queue.Queue
	Handler  Handler
	Logger   *logging.Logger
	Registry *metrics.Registry
	// HandlerTimeout bounds one message, through the context given to the
	// handler. It is not shortened by a shutdown: the message in flight gets
	// its full time. Default: 20s.
	HandlerTimeout time.Duration
	// RetryDelay is the pause after a failed Receive. Default: 1s.
	RetryDelay time.Duration
}

// Worker consumes a queue, one message at a time. Run more replicas to
// consume faster.
type Worker struct {
	opts        Options
	log         *logging.Logger
	messages    *metrics.CounterVec
	duration    *metrics.HistogramVec
	queueErrors *metrics.CounterVec
}

// ackTimeout bounds an Ack or Nack, which happen after the shutdown signal
// for the last message.
const ackTimeout = 5 * time.Second

// New returns a worker; call Run to start it.
func New(opts Options) *Worker {
	if opts.HandlerTimeout <= 0 {
		opts.HandlerTimeout = 20 * time.Second
	}
	if opts.RetryDelay <= 0 {
		opts.RetryDelay = time.Second
	}
	w := &Worker{
		opts: opts,
		log:  opts.Logger,
		messages: opts.Registry.NewCounterVec("worker_messages_total",
			"Messages processed, by outcome: success (acked) or error (nacked).", "outcome"),
		duration: opts.Registry.NewHistogramVec("worker_message_duration_seconds",
			"Time to handle a message, by outcome.", metrics.DefBuckets, "outcome"),
		queueErrors: opts.Registry.NewCounterVec("worker_queue_errors_total",
			"Failed queue operations, by operation: receive, ack or nack.", "operation"),
	}
	// Export every series from the start, so that rates and ratios over
	// them are defined before the first failure.
	for _, outcome := range []string{OutcomeSuccess, OutcomeError} {
		w.messages.Add(0, outcome)
	}
	for _, op := range []string{"receive", "ack", "nack"} {
		w.queueErrors.Add(0, op)
	}
	return w
}

// Run consumes messages until ctx is done. It then stops receiving, lets the
// message in flight finish and be acked or nacked, and returns.
func (w *Worker) Run(ctx context.Context) {
	w.log.Info("worker started")
	defer w.log.Info("worker stopped")
	for ctx.Err() == nil {
		msg, ok, err := w.opts.Queue.Receive(ctx)
		switch {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil:
			w.queueErrors.Inc("receive")
			w.log.Error("receiving failed", "err", err, "retryInMs", w.opts.RetryDelay.Milliseconds())
			sleep(ctx, w.opts.RetryDelay)
		case ok:
			w.process(msg)
		}
	}
}

func (w *Worker) process(msg queue.Message) {
	fields := []any{"messageId", msg.ID, "receiveCount", msg.ReceiveCount}
	start := time.Now()
	err := w.handle(msg)
	elapsed := time.Since(start)
	fields = append(fields, "durationMs", math.Round(elapsed.Seconds()*1e4)/10)

	// Acknowledge even while shutting down: the work is done, and a message
	// left unacknowledged would be processed twice.
	ctx, cancel := context.WithTimeout(context.Background(), ackTimeout)
	defer cancel()
	if err != nil {
		w.messages.Inc(OutcomeError)
		w.duration.Observe(elapsed.Seconds(), OutcomeError)
		w.log.Error("message failed", append(fields, "outcome", OutcomeError, "err", err)...)
		if err := w.opts.Queue.Nack(ctx, msg); err != nil {
			w.queueErrors.Inc("nack")
			w.log.Error("nack failed", append(fields, "err", err)...)
		}
		return
	}
	w.messages.Inc(OutcomeSuccess)
	w.duration.Observe(elapsed.Seconds(), OutcomeSuccess)
	w.log.Info("message processed", append(fields, "outcome", OutcomeSuccess)...)
	if err := w.opts.Queue.Ack(ctx, msg); err != nil {
		w.queueErrors.Inc("ack")
		w.log.Error("ack failed", append(fields, "err", err)...)
	}
}

// handle runs the handler with its own deadline and turns a panic into an
// error, so that one bad message cannot stop the worker.
func (w *Worker) handle(msg queue.Message) (err error) {
	ctx, cancel := context.WithTimeout(context.Background(), w.opts.HandlerTimeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("handler panicked: %v", p)
		}
	}()
	return w.opts.Handler.Handle(ctx, msg)
}

func sleep(ctx context.Context, d time.Duration) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
	}
}
