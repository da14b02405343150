// Package server is the HTTP side of the service: routing, the operational
// endpoints (/healthz, /readyz, /metrics), request metrics and logs, and a
// graceful shutdown.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"regexp"
	"sync/atomic"
	"time"

	"github.com/${{ values.repoSlug }}/internal/logging"
	"github.com/${{ values.repoSlug }}/internal/metrics"
)

// Options configure a Server.
type Options struct {
	// Service is the service name returned by the example route.
	Service  string
	Logger   *logging.Logger
	Registry *metrics.Registry
}

// Server serves the service's routes. Create it with New, then Start it;
// it reports ready once SetReady(true) is called.
type Server struct {
	opts     Options
	log      *logging.Logger
	ready    atomic.Bool
	router   *router
	http     *http.Server
	served   chan error
	requests *metrics.CounterVec
	duration *metrics.HistogramVec
	inFlight *metrics.Gauge
}

// New returns a server that is not started and not ready.
func New(opts Options) *Server {
	s := &Server{
		opts:   opts,
		log:    opts.Logger,
		served: make(chan error, 1),
		requests: opts.Registry.NewCounterVec("http_requests_total",
			"HTTP requests served, excluding /healthz, /readyz and /metrics.",
			"method", "route", "status"),
		duration: opts.Registry.NewHistogramVec("http_request_duration_seconds",
			"Time from receiving an HTTP request to sending its response.",
			metrics.DefBuckets, "method", "route", "status"),
		inFlight: opts.Registry.NewGauge("http_requests_in_flight", "HTTP requests being served."),
	}
	s.router = s.routes()
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		// Longer than the idle timeout of the load balancer in front (60s for
		// AWS ALB and ingress-nginx), so that it never reuses a connection
		// this server has just closed.
		IdleTimeout: 65 * time.Second,
		ErrorLog:    opts.Logger.StdLogger(logging.LevelWarn),
	}
	return s
}

// SetReady sets what /readyz reports.
func (s *Server) SetReady(ready bool) { s.ready.Store(ready) }

// Ready reports whether the server accepts traffic.
func (s *Server) Ready() bool { return s.ready.Load() }

// Start serves on ln in the background. /healthz answers at once; /readyz
// reports 503 until SetReady(true).
func (s *Server) Start(ln net.Listener) {
	go func() { s.served <- s.http.Serve(ln) }()
}

// Failed receives the error if the server stops serving before Shutdown.
func (s *Server) Failed() <-chan error { return s.served }

// Shutdown stops the server gracefully: it reports not ready, keeps serving
// for drain so that load balancers stop sending traffic, then stops accepting
// connections and waits for in-flight requests until ctx is done.
func (s *Server) Shutdown(ctx context.Context, drain time.Duration) error {
	s.SetReady(false)
	if drain > 0 {
		s.log.Info("draining", "drainMs", drain.Milliseconds())
		timer := time.NewTimer(drain)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
		}
	}
	if err := s.http.Shutdown(ctx); err != nil {
		_ = s.http.Close()
		return fmt.Errorf("waiting for in-flight requests: %w", err)
	}
	if err := <-s.served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// requestID accepts the caller's X-Request-Id only if it is short and plain,
// since it is echoed in a header and written to every log line.
var requestID = regexp.MustCompile(`^[\w.:-]{1,128}$`)

// ServeHTTP routes the request and records its metrics and log line.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := r.Header.Get("X-Request-Id")
	if !requestID.MatchString(id) {
		id = newRequestID()
	}
	w.Header().Set("X-Request-Id", id)
	rt, h := s.router.match(r)
	rec := &recorder{ResponseWriter: w}

	if !rt.ops {
		s.inFlight.Inc()
		defer s.inFlight.Dec()
	}
	defer func() {
		p := recover()
		if p != nil && p != http.ErrAbortHandler && rec.status == 0 {
			writeError(rec, http.StatusInternalServerError, "internal server error")
		}
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		s.observe(r, rt, rec.status, time.Since(start), id, p)
		if p == http.ErrAbortHandler {
			panic(p)
		}
	}()
	h.ServeHTTP(rec, r)
}

func (s *Server) observe(r *http.Request, rt route, status int, elapsed time.Duration, id string, panicked any) {
	// Never log bodies, query strings or headers: they carry credentials and
	// personal data.
	fields := []any{
		"method", r.Method,
		"route", rt.pattern,
		"path", r.URL.Path,
		"status", status,
		"durationMs", math.Round(elapsed.Seconds()*1e4) / 10,
		"requestId", id,
	}
	if rt.ops {
		s.log.Debug("request", fields...)
		return
	}
	method := normalizeMethod(r.Method)
	code := fmt.Sprint(status)
	s.requests.Inc(method, rt.pattern, code)
	s.duration.Observe(elapsed.Seconds(), method, rt.pattern, code)
	switch {
	case panicked != nil && panicked != http.ErrAbortHandler:
		s.log.Error("request failed", append(fields, "err", map[string]string{"message": fmt.Sprint(panicked)})...)
	case status >= http.StatusInternalServerError:
		s.log.Error("request failed", fields...)
	default:
		s.log.Info("request", fields...)
	}
}

// normalizeMethod keeps the method label to a known set: the method is chosen
// by the client, and every distinct label value is a new time series.
func normalizeMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

func newRequestID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "unknown"
	}
	return hex.EncodeToString(b)
}

// recorder remembers the status code of a response.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
