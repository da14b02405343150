package main

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/${{ values.repoSlug }}/internal/logging"
)

func TestLoadConfig(t *testing.T) {
	defaults := config{port: 8080, logLevel: logging.LevelInfo, shutdownDelay: 5 * time.Second, shutdownTimeout: 25 * time.Second}
	checkLoadConfig(t, defaults, []configCase{
		{name: "defaults", env: map[string]string{}, want: func(*config) {}},
		{name: "port", env: map[string]string{"PORT": "9090"}, want: func(c *config) { c.port = 9090 }},
		{name: "log level", env: map[string]string{"LOG_LEVEL": "debug"}, want: func(c *config) { c.logLevel = logging.LevelDebug }},
		{name: "no drain", env: map[string]string{"SHUTDOWN_DELAY_MS": "0"}, want: func(c *config) { c.shutdownDelay = 0 }},
		{name: "timeout", env: map[string]string{"SHUTDOWN_TIMEOUT_MS": "10000"}, want: func(c *config) { c.shutdownTimeout = 10 * time.Second }},
		{name: "port not a number", env: map[string]string{"PORT": "http"}, wantErr: true},
		{name: "port out of range", env: map[string]string{"PORT": "70000"}, wantErr: true},
		{name: "port zero", env: map[string]string{"PORT": "0"}, wantErr: true},
		{name: "unknown log level", env: map[string]string{"LOG_LEVEL": "verbose"}, wantErr: true},
		{name: "delay as a duration", env: map[string]string{"SHUTDOWN_DELAY_MS": "5s"}, wantErr: true},
		{name: "delay beyond timeout", env: map[string]string{"SHUTDOWN_DELAY_MS": "30000"}, wantErr: true},
	})
}

func TestRunServesUntilSIGTERMThenDrains(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	var logs bytes.Buffer
	cfg := config{port: 0, logLevel: logging.LevelInfo, shutdownDelay: 300 * time.Millisecond, shutdownTimeout: 5 * time.Second}
	signals := make(chan os.Signal, 1)
	done := make(chan error, 1)
	go func() { done <- run(cfg, logging.New(&logs, serviceName, cfg.logLevel), ln, signals) }()

	for _, path := range []string{"/healthz", "/readyz", "/metrics", "/"} {
		if code := waitFor(t, base+path, http.StatusOK); code != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", path, code)
		}
	}

	signals <- syscall.SIGTERM
	if code := waitFor(t, base+"/readyz", http.StatusServiceUnavailable); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz while draining = %d, want 503", code)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return after SIGTERM")
	}
	if !strings.Contains(logs.String(), `"signal":"SIGTERM"`) {
		t.Errorf("shutdown not logged: %s", logs.String())
	}
}

func TestRunSkipsTheDrainOnSIGINT(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	cfg := config{logLevel: logging.LevelInfo, shutdownDelay: time.Minute, shutdownTimeout: 2 * time.Minute}
	signals := make(chan os.Signal, 1)
	done := make(chan error, 1)
	go func() { done <- run(cfg, logging.New(&logs, serviceName, cfg.logLevel), ln, signals) }()
	waitFor(t, "http://"+ln.Addr().String()+"/readyz", http.StatusOK)

	signals <- syscall.SIGINT
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run waited for the drain delay after SIGINT")
	}
}
