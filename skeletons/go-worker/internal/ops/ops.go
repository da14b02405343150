// Package ops serves the worker's operational endpoints on PORT: /healthz
// (liveness), /readyz (readiness) and /metrics (Prometheus).
package ops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/${{ values.repoSlug }}/internal/logging"
	"github.com/${{ values.repoSlug }}/internal/metrics"
)

// Server serves the operational endpoints. Create it with New.
type Server struct {
	ready  atomic.Bool
	http   *http.Server
	served chan error
}

// New returns a server that is not started and not ready.
func New(logger *logging.Logger, registry *metrics.Registry) *Server {
	s := &Server{served: make(chan error, 1)}
	mux := http.NewServeMux()
	mux.Handle("/healthz", getOnly(http.HandlerFunc(s.handleHealthz)))
	mux.Handle("/readyz", getOnly(http.HandlerFunc(s.handleReadyz)))
	mux.Handle("/metrics", getOnly(registry.Handler()))
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not found"})
	})
	s.http = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       65 * time.Second,
		ErrorLog:          logger.StdLogger(logging.LevelWarn),
	}
	return s
}

// Handler returns the endpoints, for tests.
func (s *Server) Handler() http.Handler { return s.http.Handler }

// SetReady sets what /readyz reports.
func (s *Server) SetReady(ready bool) { s.ready.Store(ready) }

// Ready reports what /readyz reports.
func (s *Server) Ready() bool { return s.ready.Load() }

// Start serves on ln in the background.
func (s *Server) Start(ln net.Listener) {
	go func() { s.served <- s.http.Serve(ln) }()
}

// Failed receives the error if the server stops serving before Shutdown.
func (s *Server) Failed() <-chan error { return s.served }

// Shutdown reports not ready and stops the server, waiting for open requests
// until ctx is done.
func (s *Server) Shutdown(ctx context.Context) error {
	s.SetReady(false)
	if err := s.http.Shutdown(ctx); err != nil {
		_ = s.http.Close()
		return fmt.Errorf("stopping the ops server: %w", err)
	}
	if err := <-s.served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// handleHealthz is the liveness probe: the process is up and serving HTTP.
func (s *Server) handleHealthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReadyz is the readiness probe: 503 while starting and shutting down.
func (s *Server) handleReadyz(w http.ResponseWriter, _ *http.Request) {
	if !s.Ready() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func getOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"})
			return
		}
		h.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
