// The service's entry point: an HTTP service built on the Paved Road golden path.
//
// It reads its configuration from the environment (see loadConfig), serves
// the routes of internal/server next to /healthz, /readyz and /metrics on
// PORT, logs JSON lines to stdout, and on SIGTERM drains in-flight requests
// before exiting 0.
//
//	go run .       run the service
//	go test ./...  run the unit tests
package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/${{ values.repoSlug }}/internal/logging"
	"github.com/${{ values.repoSlug }}/internal/metrics"
	"github.com/${{ values.repoSlug }}/internal/server"
)

type config struct {
	// port is PORT, 8080 by default.
	port int
	// logLevel is LOG_LEVEL: debug, info (the default), warn or error.
	logLevel logging.Level
	// shutdownDelay is SHUTDOWN_DELAY_MS, 5000 by default: after SIGTERM, how
	// long to keep serving while /readyz reports 503, so that Kubernetes
	// removes the pod from its Service's endpoints before the listener closes.
	shutdownDelay time.Duration
	// shutdownTimeout is SHUTDOWN_TIMEOUT_MS, 25000 by default: the deadline
	// from the signal to the exit; keep it below the pod's
	// terminationGracePeriodSeconds (30s by default).
	shutdownTimeout time.Duration
}

// run serves on ln until a signal arrives on signals, then shuts down.
func run(cfg config, logger *logging.Logger, ln net.Listener, signals <-chan os.Signal) error {
	srv := server.New(server.Options{
		Service:  serviceName,
		Logger:   logger,
		Registry: metrics.NewRegistry(),
	})
	srv.Start(ln)
	logger.Info("listening", "addr", ln.Addr().String())

	// Open connections to databases and other dependencies here: /healthz
	// already answers, and /readyz reports 503 until the line below.
	srv.SetReady(true)
	logger.Info("ready")

	select {
	case err := <-srv.Failed():
		return fmt.Errorf("serving: %w", err)
	case sig := <-signals:
		// From now on a second signal kills the process at once.
		signal.Reset(syscall.SIGTERM, syscall.SIGINT)
		drain := cfg.shutdownDelay
		if sig == syscall.SIGINT {
			// Ctrl-C has no load balancer to drain.
			drain = 0
		}
		logger.Info("shutting down", "signal", signalName(sig), "timeoutMs", cfg.shutdownTimeout.Milliseconds())
		ctx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
		defer cancel()
		return srv.Shutdown(ctx, drain)
	}
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
	delay, err := integer(getenv, "SHUTDOWN_DELAY_MS", 5000, 0, 10*60*1000)
	if err != nil {
		return config{}, err
	}
	timeout, err := integer(getenv, "SHUTDOWN_TIMEOUT_MS", 25000, 1, 10*60*1000)
	if err != nil {
		return config{}, err
	}
	if delay >= timeout {
		return config{}, fmt.Errorf("SHUTDOWN_DELAY_MS (%d) must be less than SHUTDOWN_TIMEOUT_MS (%d)", delay, timeout)
	}
	return config{
		port:            port,
		logLevel:        level,
		shutdownDelay:   time.Duration(delay) * time.Millisecond,
		shutdownTimeout: time.Duration(timeout) * time.Millisecond,
	}, nil
}
