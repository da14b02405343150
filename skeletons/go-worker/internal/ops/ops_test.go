package ops

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/${{ values.repoSlug }}/internal/logging"
	"github.com/${{ values.repoSlug }}/internal/metrics"
)

func newTestServer() *Server {
	return New(logging.New(io.Discard, "test-service", logging.LevelInfo), metrics.NewRegistry())
}

func serve(s *Server, method, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec
}

func TestEndpoints(t *testing.T) {
	s := newTestServer()
	cases := []struct {
		ready        bool
		method, path string
		status       int
		body         string
	}{
		{false, http.MethodGet, "/healthz", http.StatusOK, `"status":"ok"`},
		{false, http.MethodGet, "/readyz", http.StatusServiceUnavailable, `"status":"not ready"`},
		{true, http.MethodGet, "/readyz", http.StatusOK, `"status":"ready"`},
		{true, http.MethodGet, "/metrics", http.StatusOK, "# TYPE process_start_time_seconds gauge"},
		{true, http.MethodHead, "/healthz", http.StatusOK, ""},
		{true, http.MethodPost, "/readyz", http.StatusMethodNotAllowed, `"error":"method not allowed"`},
		{true, http.MethodGet, "/", http.StatusNotFound, `"error":"not found"`},
		{true, http.MethodGet, "/other", http.StatusNotFound, `"error":"not found"`},
	}
	for _, c := range cases {
		s.SetReady(c.ready)
		rec := serve(s, c.method, c.path)
		if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.body) {
			t.Errorf("ready=%v %s %s = %d %q, want %d containing %q",
				c.ready, c.method, c.path, rec.Code, rec.Body.String(), c.status, c.body)
		}
	}
	if ct := serve(s, http.MethodGet, "/metrics").Header().Get("Content-Type"); ct != metrics.ContentType {
		t.Errorf("/metrics Content-Type = %q", ct)
	}
}

func TestShutdownReportsNotReadyAndStops(t *testing.T) {
	s := newTestServer()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Start(ln)
	s.SetReady(true)
	base := "http://" + ln.Addr().String()
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/readyz = %d before shutdown", resp.StatusCode)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown = %v", err)
	}
	if s.Ready() {
		t.Error("still ready after Shutdown")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("still serving after Shutdown")
	}
}
