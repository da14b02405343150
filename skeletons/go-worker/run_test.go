package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/${{ values.repoSlug }}/internal/logging"
	"github.com/${{ values.repoSlug }}/internal/queue"
	"github.com/${{ values.repoSlug }}/internal/worker"
)

func TestLoadConfig(t *testing.T) {
	defaults := config{port: 8080, logLevel: logging.LevelInfo, handlerTimeout: 20 * time.Second, shutdownTimeout: 25 * time.Second}
	checkLoadConfig(t, defaults, []configCase{
		{name: "defaults", env: map[string]string{}, want: func(*config) {}},
		{name: "port", env: map[string]string{"PORT": "9090"}, want: func(c *config) { c.port = 9090 }},
		{name: "log level", env: map[string]string{"LOG_LEVEL": "warn"}, want: func(c *config) { c.logLevel = logging.LevelWarn }},
		{name: "handler timeout", env: map[string]string{"HANDLER_TIMEOUT_MS": "1000"}, want: func(c *config) { c.handlerTimeout = time.Second }},
		{name: "port not a number", env: map[string]string{"PORT": "http"}, wantErr: true},
		{name: "port out of range", env: map[string]string{"PORT": "65536"}, wantErr: true},
		{name: "unknown log level", env: map[string]string{"LOG_LEVEL": "INFO"}, wantErr: true},
		{name: "handler timeout beyond shutdown timeout", env: map[string]string{"HANDLER_TIMEOUT_MS": "25000"}, wantErr: true},
	})
}

func TestSIGTERMFinishesTheMessageInFlightThenExits(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	q := queue.NewMemory(queue.MemoryOptions{WaitTime: 20 * time.Millisecond})
	entered, release := make(chan struct{}), make(chan struct{})
	h := worker.HandlerFunc(func(context.Context, queue.Message) error {
		close(entered)
		<-release
		return nil
	})
	cfg := config{logLevel: logging.LevelInfo, handlerTimeout: 5 * time.Second, shutdownTimeout: 10 * time.Second}
	signals := make(chan os.Signal, 1)
	done := make(chan error, 1)
	go func() { done <- consume(cfg, logging.New(io.Discard, serviceName, cfg.logLevel), ln, signals, q, h) }()

	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		if code := waitFor(t, base+path, http.StatusOK); code != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", path, code)
		}
	}

	q.Send([]byte(`{"type":"x"}`), nil)
	<-entered
	signals <- syscall.SIGTERM
	// The endpoints stay up while the message finishes, and say not ready.
	if code := waitFor(t, base+"/readyz", http.StatusServiceUnavailable); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz during shutdown = %d, want 503", code)
	}
	select {
	case err := <-done:
		t.Fatalf("consume returned with a message in flight: %v", err)
	case <-time.After(100 * time.Millisecond):
	}

	close(release)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("consume = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("consume did not return")
	}
	if ready, inFlight, _ := q.Stats(); ready != 0 || inFlight != 0 {
		t.Errorf("ready=%d inFlight=%d: the message in flight must be acked", ready, inFlight)
	}
}

func TestAMessageOutlivingTheShutdownTimeoutFailsTheExit(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	q := queue.NewMemory(queue.MemoryOptions{WaitTime: 20 * time.Millisecond})
	entered, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	h := worker.HandlerFunc(func(context.Context, queue.Message) error {
		close(entered)
		<-release
		return nil
	})
	cfg := config{logLevel: logging.LevelInfo, handlerTimeout: time.Minute, shutdownTimeout: 100 * time.Millisecond}
	signals := make(chan os.Signal, 1)
	done := make(chan error, 1)
	go func() { done <- consume(cfg, logging.New(io.Discard, serviceName, cfg.logLevel), ln, signals, q, h) }()
	q.Send([]byte(`{"type":"x"}`), nil)
	<-entered
	signals <- syscall.SIGTERM
	select {
	case err := <-done:
		if err == nil {
			t.Error("consume = nil, want an error")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("consume did not give up at the shutdown timeout")
	}
}
