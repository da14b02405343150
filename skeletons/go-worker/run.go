// The service's entry point: a queue worker built on the Paved Road golden path.
//
// It reads its configuration from the environment (see loadConfig), consumes
// the queue with the handler of internal/handler, serves /healthz, /readyz
// and /metrics on PORT, logs JSON lines to stdout, and on SIGTERM stops
// receiving, finishes the message in flight and exits 0.
//
//	go run .       run the worker (on the in-memory queue until a real one is plugged in)
//	go test ./...  run the unit tests
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/${{ values.repoSlug }}/internal/handler"
	"github.com/${{ values.repoSlug }}/internal/logging"
	"github.com/${{ values.repoSlug }}/internal/metrics"
	"github.com/${{ values.repoSlug }}/internal/ops"
	"github.com/${{ values.repoSlug }}/internal/queue"
	"github.com/${{ values.repoSlug }}/internal/worker"
)

type config struct {
	// port is PORT, 8080 by default: the port of /healthz, /readyz and /metrics.
	port int
	// logLevel is LOG_LEVEL: debug, info (the default), warn or error.
	logLevel logging.Level
	// handlerTimeout is HANDLER_TIMEOUT_MS, 20000 by default: the time one
	// message may take. Keep it below the queue's visibility timeout and
	// below SHUTDOWN_TIMEOUT_MS, so the last message can finish on shutdown.
	handlerTimeout time.Duration
	// shutdownTimeout is SHUTDOWN_TIMEOUT_MS, 25000 by default: the deadline
	// from the signal to the exit; keep it below the pod's
	// terminationGracePeriodSeconds (30s by default).
	shutdownTimeout time.Duration
}

// run consumes the in-memory queue with the handler of internal/handler.
func run(cfg config, logger *logging.Logger, ln net.Listener, signals <-chan os.Signal) error {
	// Replace the in-memory queue with a real one: see package queue.
	logger.Warn("consuming the in-memory queue: nothing sends to it and its messages are lost on exit")
	q := queue.NewMemory(queue.MemoryOptions{})
	return consume(cfg, logger, ln, signals, q, handler.New(logger))
}

// consume consumes q with h and serves the operational endpoints on ln until
// a signal arrives on signals; then it stops receiving, waits for the message
// in flight and stops the endpoints.
func consume(cfg config, logger *logging.Logger, ln net.Listener, signals <-chan os.Signal, q queue.Queue, h worker.Handler) error {
	registry := metrics.NewRegistry()
	endpoints := ops.New(logger, registry)
	endpoints.Start(ln)
	logger.Info("listening", "addr", ln.Addr().String())

	w := worker.New(worker.Options{
		Queue:          q,
		Handler:        h,
		Logger:         logger,
		Registry:       registry,
		HandlerTimeout: cfg.handlerTimeout,
	})
	ctx, stopReceiving := context.WithCancel(context.Background())
	defer stopReceiving()
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		w.Run(ctx)
	}()
	endpoints.SetReady(true)
	logger.Info("ready")

	var failure error
	select {
	case sig := <-signals:
		// From now on a second signal kills the process at once.
		signal.Reset(syscall.SIGTERM, syscall.SIGINT)
		logger.Info("shutting down", "signal", signalName(sig), "timeoutMs", cfg.shutdownTimeout.Milliseconds())
	case err := <-endpoints.Failed():
		failure = fmt.Errorf("serving the ops endpoints: %w", err)
	}

	endpoints.SetReady(false)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	stopReceiving()
	select {
	case <-stopped:
	case <-shutdownCtx.Done():
		return errors.New("the message in flight outlived SHUTDOWN_TIMEOUT_MS")
	}
	if failure != nil {
		return failure
	}
	return endpoints.Shutdown(shutdownCtx)
}

func loadConfig(getenv func(string) string) (config, error) {
	level, err := logging.ParseLevel(getenv("LOG_LEVEL"))
	if err != nil {
		return config{}, err
	}
	port, err := integer(getenv, "PORT", 8080, 1, 65535)
	if err != nil {
		return config{}, err
	}
	handlerTimeout, err := integer(getenv, "HANDLER_TIMEOUT_MS", 20000, 1, 12*60*60*1000)
	if err != nil {
		return config{}, err
	}
	shutdownTimeout, err := integer(getenv, "SHUTDOWN_TIMEOUT_MS", 25000, 1, 12*60*60*1000)
	if err != nil {
		return config{}, err
	}
	if handlerTimeout >= shutdownTimeout {
		return config{}, fmt.Errorf("HANDLER_TIMEOUT_MS (%d) must be less than SHUTDOWN_TIMEOUT_MS (%d)", handlerTimeout, shutdownTimeout)
	}
	return config{
		port:            port,
		logLevel:        level,
		handlerTimeout:  time.Duration(handlerTimeout) * time.Millisecond,
		shutdownTimeout: time.Duration(shutdownTimeout) * time.Millisecond,
	}, nil
}
