package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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

func newTestServer(t *testing.T) (*Server, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	return New(Options{
		Service:  "test-service",
		Logger:   logging.New(&logs, "test-service", logging.LevelInfo),
		Registry: metrics.NewRegistry(),
	}), &logs
}

func serve(s *Server, method, target string, header http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

func scrape(s *Server) string {
	return serve(s, http.MethodGet, "/metrics", nil).Body.String()
}

func TestRoutes(t *testing.T) {
	s, _ := newTestServer(t)
	s.SetReady(true)

	cases := []struct {
		method, path string
		status       int
		body         string
	}{
		{http.MethodGet, "/", http.StatusOK, `"service":"test-service"`},
		{http.MethodHead, "/", http.StatusOK, ""},
		{http.MethodGet, "/healthz", http.StatusOK, `"status":"ok"`},
		{http.MethodGet, "/readyz", http.StatusOK, `"status":"ready"`},
		{http.MethodGet, "/metrics", http.StatusOK, "# TYPE http_requests_total counter"},
		{http.MethodGet, "/nope", http.StatusNotFound, `"error":"not found"`},
		{http.MethodGet, "/healthz/", http.StatusNotFound, ""},
		{http.MethodPost, "/healthz", http.StatusMethodNotAllowed, `"error":"method not allowed"`},
		{http.MethodDelete, "/", http.StatusMethodNotAllowed, `"error":"method not allowed"`},
	}
	for _, c := range cases {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			rec := serve(s, c.method, c.path, nil)
			if rec.Code != c.status {
				t.Errorf("status = %d, want %d", rec.Code, c.status)
			}
			if !strings.Contains(rec.Body.String(), c.body) {
				t.Errorf("body %q does not contain %q", rec.Body.String(), c.body)
			}
		})
	}
}

func TestIndexReturnsJSONWithTheServiceName(t *testing.T) {
	s, _ := newTestServer(t)
	rec := serve(s, http.MethodGet, "/", nil)
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var body map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("body is not JSON: %v", err)
	}
	if body["service"] != "test-service" {
		t.Errorf("service = %q", body["service"])
	}
}

func TestMethodNotAllowedListsAllowedMethods(t *testing.T) {
	s, _ := newTestServer(t)
	if got := serve(s, http.MethodDelete, "/", nil).Header().Get("Allow"); got != "GET, HEAD" {
		t.Errorf("Allow = %q, want %q", got, "GET, HEAD")
	}
}

func TestReadyzFollowsSetReady(t *testing.T) {
	s, _ := newTestServer(t)
	for _, step := range []struct {
		ready  bool
		status int
	}{{false, 503}, {true, 200}, {false, 503}} {
		s.SetReady(step.ready)
		if got := serve(s, http.MethodGet, "/readyz", nil).Code; got != step.status {
			t.Errorf("ready=%v: /readyz = %d, want %d", step.ready, got, step.status)
		}
		if got := serve(s, http.MethodGet, "/healthz", nil).Code; got != http.StatusOK {
			t.Errorf("ready=%v: /healthz = %d, liveness must not follow readiness", step.ready, got)
		}
	}
}

func TestRequestIDIsEchoedOrGenerated(t *testing.T) {
	s, _ := newTestServer(t)
	if got := serve(s, http.MethodGet, "/", http.Header{"X-Request-Id": {"abc-123"}}).Header().Get("X-Request-Id"); got != "abc-123" {
		t.Errorf("X-Request-Id = %q, want the caller's", got)
	}
	got := serve(s, http.MethodGet, "/", http.Header{"X-Request-Id": {"bad id\r\n<script>"}}).Header().Get("X-Request-Id")
	if got == "" || strings.ContainsAny(got, " <") {
		t.Errorf("an invalid X-Request-Id must be replaced, got %q", got)
	}
}

func TestMetricsCountRequests(t *testing.T) {
	s, _ := newTestServer(t)
	serve(s, http.MethodGet, "/", nil)
	serve(s, http.MethodGet, "/", nil)
	serve(s, http.MethodPost, "/", nil)
	serve(s, http.MethodGet, "/does-not-exist", nil)
	serve(s, http.MethodGet, "/also/missing", nil)
	serve(s, "BREW", "/", nil)
	serve(s, http.MethodGet, "/healthz", nil)
	serve(s, http.MethodGet, "/readyz", nil)

	rec := serve(s, http.MethodGet, "/metrics", nil)
	if ct := rec.Header().Get("Content-Type"); ct != metrics.ContentType {
		t.Errorf("Content-Type = %q", ct)
	}
	out := rec.Body.String()
	for _, want := range []string{
		`http_requests_total{method="GET",route="/",status="200"} 2`,
		`http_requests_total{method="POST",route="/",status="405"} 1`,
		`http_requests_total{method="OTHER",route="/",status="405"} 1`,
		// Unknown paths share one label, whatever the path.
		`http_requests_total{method="GET",route="unmatched",status="404"} 2`,
		`# TYPE http_request_duration_seconds histogram`,
		`http_request_duration_seconds_bucket{method="GET",route="/",status="200",le="+Inf"} 2`,
		`http_request_duration_seconds_count{method="GET",route="/",status="200"} 2`,
		`# TYPE http_requests_in_flight gauge`,
		`http_requests_in_flight 0`,
		`# TYPE process_start_time_seconds gauge`,
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("metrics lack %q:\n%s", want, out)
		}
	}
	for _, unwanted := range []string{"does-not-exist", `route="/healthz"`, `route="/readyz"`, `route="/metrics"`} {
		if strings.Contains(out, unwanted) {
			t.Errorf("metrics contain %q: raw paths and probes must not be counted:\n%s", unwanted, out)
		}
	}
}

// The latency SLO of the golden path (slo/latency.yaml) counts requests in
// the le="0.25" bucket; removing that bucket breaks the SLO silently.
func TestDurationHistogramHasTheSLOBucket(t *testing.T) {
	s, _ := newTestServer(t)
	serve(s, http.MethodGet, "/", nil)
	if out := scrape(s); !strings.Contains(out, `http_request_duration_seconds_bucket{method="GET",route="/",status="200",le="0.25"} 1`) {
		t.Errorf("no le=\"0.25\" bucket:\n%s", out)
	}
}

func TestHistogramBucketsAreCumulative(t *testing.T) {
	s, _ := newTestServer(t)
	for i := 0; i < 3; i++ {
		serve(s, http.MethodGet, "/", nil)
	}
	prefix := `http_request_duration_seconds_bucket{method="GET",route="/",status="200",le="`
	var last float64
	var buckets int
	for _, line := range strings.Split(scrape(s), "\n") {
		if !strings.HasPrefix(line, prefix) {
			continue
		}
		buckets++
		var v float64
		if _, err := fmt.Sscan(line[strings.LastIndex(line, " ")+1:], &v); err != nil {
			t.Fatalf("bad line %q", line)
		}
		if v < last {
			t.Errorf("bucket counts must not decrease: %q after %v", line, last)
		}
		last = v
	}
	if buckets != len(metrics.DefBuckets)+1 || last != 3 {
		t.Errorf("got %d buckets ending at %v, want %d ending at 3", buckets, last, len(metrics.DefBuckets)+1)
	}
}

func logLines(t *testing.T, logs *bytes.Buffer) []map[string]any {
	t.Helper()
	var entries []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if line == "" {
			continue
		}
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		entries = append(entries, e)
	}
	return entries
}

func TestRequestLogHasRequestFieldsAndNoSecrets(t *testing.T) {
	s, logs := newTestServer(t)
	header := http.Header{
		"Authorization": {"Bearer secret-token"},
		"Cookie":        {"session=secret-cookie"},
		"X-Request-Id":  {"req-123"},
	}
	serve(s, http.MethodGet, "/?token=secret-query", header)
	serve(s, http.MethodGet, "/healthz", nil) // probes are logged at debug level only

	for _, secret := range []string{"secret-token", "secret-cookie", "secret-query"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("log contains %q: %s", secret, logs.String())
		}
	}
	entries := logLines(t, logs)
	if len(entries) != 1 {
		t.Fatalf("want 1 request log line, got %d: %s", len(entries), logs.String())
	}
	e := entries[0]
	want := map[string]any{
		"level": "info", "msg": "request", "service": "test-service", "method": "GET",
		"route": "/", "path": "/", "status": float64(200), "requestId": "req-123",
	}
	for k, v := range want {
		if e[k] != v {
			t.Errorf("%s = %#v, want %#v", k, e[k], v)
		}
	}
	if _, ok := e["durationMs"].(float64); !ok {
		t.Errorf("durationMs missing: %v", e)
	}
}

func TestPanickingHandlerAnswers500AndIsCountedAndLogged(t *testing.T) {
	s, logs := newTestServer(t)
	s.router.handle(http.MethodGet, "/panic", http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	}))
	if rec := serve(s, http.MethodGet, "/panic", nil); rec.Code != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500", rec.Code)
	}
	if out := scrape(s); !strings.Contains(out, `http_requests_total{method="GET",route="/panic",status="500"} 1`) {
		t.Errorf("panic not counted:\n%s", out)
	}
	e := logLines(t, logs)[0]
	if e["level"] != "error" || e["msg"] != "request failed" || fmt.Sprint(e["err"]) != "map[message:boom]" {
		t.Errorf("panic not logged as a failed request: %v", e)
	}
}

// start serves s on a loopback port and returns its base URL.
func start(t *testing.T, s *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Start(ln)
	s.SetReady(true)
	return "http://" + ln.Addr().String()
}

func TestShutdownDrainsThenWaitsForInFlightRequests(t *testing.T) {
	const drain = 300 * time.Millisecond
	s, _ := newTestServer(t)
	entered, release := make(chan struct{}), make(chan struct{})
	s.router.handle(http.MethodGet, "/slow", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(entered)
		<-release
		_, _ = io.WriteString(w, "done")
	}))
	base := start(t, s)
	waitForStatus(t, base+"/readyz", http.StatusOK)

	slow := make(chan string, 1)
	go func() {
		resp, err := http.Get(base + "/slow")
		if err != nil {
			slow <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		slow <- string(b)
	}()
	<-entered

	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		done <- s.Shutdown(ctx, drain)
	}()
	// While draining, the server still answers, and says it is not ready.
	waitForStatus(t, base+"/readyz", http.StatusServiceUnavailable)
	if code := get(t, base+"/healthz"); code != http.StatusOK {
		t.Errorf("healthz while draining = %d, want 200", code)
	}

	select {
	case err := <-done:
		t.Fatalf("Shutdown returned before the in-flight request finished: %v", err)
	case <-time.After(drain + 200*time.Millisecond):
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("server still accepts connections after the drain")
	}
	close(release)
	if got := <-slow; got != "done" {
		t.Errorf("in-flight request got %q, want it to complete", got)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Shutdown = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Shutdown did not return")
	}
}

func TestShutdownReportsRequestsThatOutliveTheDeadline(t *testing.T) {
	s, _ := newTestServer(t)
	entered, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	s.router.handle(http.MethodGet, "/stuck", http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		close(entered)
		<-release
	}))
	base := start(t, s)
	go func() {
		if resp, err := http.Get(base + "/stuck"); err == nil {
			resp.Body.Close()
		}
	}()
	<-entered

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	// The deadline also cuts the drain short.
	if err := s.Shutdown(ctx, time.Hour); err == nil {
		t.Error("Shutdown = nil, want an error when a request outlives the deadline")
	}
}

func TestFailedReportsAServeError(t *testing.T) {
	s, _ := newTestServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	s.Start(ln)
	select {
	case err := <-s.Failed():
		if err == nil {
			t.Error("Failed delivered nil")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no error from a closed listener")
	}
}

func get(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func waitForStatus(t *testing.T, url string, status int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == status {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s never returned %d (last error: %v)", url, status, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
