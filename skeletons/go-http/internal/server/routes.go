package server

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
)

// routes lists every route of the service. Add yours below the example; the
// pattern becomes the route label of the request metrics.
func (s *Server) routes() *router {
	rt := newRouter()
	rt.handleOps("/healthz", http.HandlerFunc(s.handleHealthz))
	rt.handleOps("/readyz", http.HandlerFunc(s.handleReadyz))
	rt.handleOps("/metrics", s.opts.Registry.Handler())

	rt.handle(http.MethodGet, "/", http.HandlerFunc(s.handleIndex))
	return rt
}

// handleIndex is the example route.
func (s *Server) handleIndex(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{
		"service": s.opts.Service,
		"message": "Hello from " + s.opts.Service,
	})
}

// handleHealthz is the liveness probe: the process is up and serving HTTP.
// It checks no dependencies, so that an outage of a dependency does not make
// Kubernetes restart every pod.
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

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// route is the result of matching a request.
type route struct {
	// pattern is the metrics label: the registered path, or "unmatched".
	pattern string
	// ops routes (probes, scrapes) are logged at debug level and left out of
	// the request metrics, which measure the service's own traffic.
	ops bool
}

// router matches exact paths and methods. It answers 404 and 405 itself so
// that unknown paths share one metrics label instead of one per path.
type router struct {
	paths map[string]*methods
}

type methods struct {
	ops      bool
	handlers map[string]http.Handler
}

func newRouter() *router { return &router{paths: map[string]*methods{}} }

// handle registers h for method on the exact path pattern; GET routes also
// answer HEAD.
func (rt *router) handle(method, pattern string, h http.Handler) {
	rt.add(method, pattern, false, h)
}

func (rt *router) handleOps(pattern string, h http.Handler) {
	rt.add(http.MethodGet, pattern, true, h)
}

func (rt *router) add(method, pattern string, ops bool, h http.Handler) {
	m, ok := rt.paths[pattern]
	if !ok {
		m = &methods{ops: ops, handlers: map[string]http.Handler{}}
		rt.paths[pattern] = m
	}
	if m.ops != ops {
		panic("server: " + pattern + " is reserved for an operational endpoint")
	}
	m.handlers[method] = h
}

func (rt *router) match(r *http.Request) (route, http.Handler) {
	m, ok := rt.paths[r.URL.Path]
	if !ok {
		return route{pattern: "unmatched"}, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			writeError(w, http.StatusNotFound, "not found")
		})
	}
	matched := route{pattern: r.URL.Path, ops: m.ops}
	if h, ok := m.handlers[r.Method]; ok {
		return matched, h
	}
	if h, ok := m.handlers[http.MethodGet]; ok && r.Method == http.MethodHead {
		return matched, h
	}
	return matched, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Allow", m.allow())
		writeError(w, http.StatusMethodNotAllowed, "method not allowed")
	})
}

func (m *methods) allow() string {
	allowed := make([]string, 0, len(m.handlers)+1)
	for method := range m.handlers {
		allowed = append(allowed, method)
	}
	if _, ok := m.handlers[http.MethodGet]; ok {
		if _, ok := m.handlers[http.MethodHead]; !ok {
			allowed = append(allowed, http.MethodHead)
		}
	}
	sort.Strings(allowed)
	return strings.Join(allowed, ", ")
}
