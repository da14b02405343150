package logging

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func newTestLogger(buf *bytes.Buffer) *Logger {
	l := New(buf, "test-service", LevelDebug)
	l.now = func() time.Time { return time.Date(2024, 5, 1, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600)) }
	return l
}

// lines parses every line of buf as a JSON object and fails on anything else.
func lines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	text := buf.String()
	if !strings.HasSuffix(text, "\n") {
		t.Fatalf("output does not end with a newline: %q", text)
	}
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Fatalf("line is not a JSON object: %q: %v", line, err)
		}
		out = append(out, obj)
	}
	return out
}

func TestLoggerWritesOneJSONObjectPerLine(t *testing.T) {
	var buf bytes.Buffer
	l := newTestLogger(&buf)

	l.Info("request", "method", "GET", "status", 200, "duration_seconds", 0.25)
	l.Warn("multi\nline \"message\"")
	l.Error("failed", "err", errors.New("boom"))

	got := lines(t, &buf)
	if len(got) != 3 {
		t.Fatalf("want 3 lines, got %d: %q", len(got), buf.String())
	}
	first := got[0]
	want := map[string]any{
		"time":             "2024-05-01T10:00:00Z",
		"level":            "info",
		"msg":              "request",
		"service":          "test-service",
		"method":           "GET",
		"status":           float64(200),
		"duration_seconds": 0.25,
	}
	for k, v := range want {
		if first[k] != v {
			t.Errorf("field %s = %#v, want %#v", k, first[k], v)
		}
	}
	if got[1]["level"] != "warn" || got[1]["msg"] != "multi\nline \"message\"" {
		t.Errorf("second line = %v", got[1])
	}
	if got[2]["level"] != "error" || fmt.Sprint(got[2]["err"]) != "map[message:boom]" {
		t.Errorf("an error field must carry its message, got %v", got[2])
	}
}

func TestLoggerStartsWithTheFixedFields(t *testing.T) {
	var buf bytes.Buffer
	newTestLogger(&buf).Info("hello", "a", 1)
	want := `{"time":"2024-05-01T10:00:00Z","level":"info","msg":"hello","service":"test-service","a":1}` + "\n"
	if buf.String() != want {
		t.Errorf("got  %s\nwant %s", buf.String(), want)
	}
}

func TestLoggerKeepsLinesValidForAwkwardFields(t *testing.T) {
	var buf bytes.Buffer
	l := newTestLogger(&buf).With("component", "test")

	l.Info("awkward",
		"msg", "a field named like a fixed one",
		"channel", make(chan int),
		"html", "<a href='x'>&</a>",
		42, "non-string key",
		"dangling")

	obj := lines(t, &buf)[0]
	if obj["msg"] != "awkward" || obj["field.msg"] != "a field named like a fixed one" {
		t.Errorf("a reserved key must not replace the message: %v", obj)
	}
	if obj["component"] != "test" {
		t.Errorf("With fields missing: %v", obj)
	}
	if _, ok := obj["channel"].(string); !ok {
		t.Errorf("a value JSON cannot encode must fall back to a string: %v", obj["channel"])
	}
	if obj["html"] != "<a href='x'>&</a>" || obj["42"] != "non-string key" || obj["!BADKEY"] != "dangling" {
		t.Errorf("unexpected fields: %v", obj)
	}
	if strings.Count(buf.String(), `"msg"`) != 1 {
		t.Errorf("duplicate msg key: %s", buf.String())
	}
}

func TestLoggerIsSafeForConcurrentUse(t *testing.T) {
	var buf bytes.Buffer
	l := newTestLogger(&buf)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				l.With("goroutine", g).Info(fmt.Sprintf("line %d", i), "payload", strings.Repeat("x", 200))
			}
		}(g)
	}
	wg.Wait()
	if n := len(lines(t, &buf)); n != 800 {
		t.Fatalf("want 800 lines, got %d", n)
	}
}

func TestStdLoggerWritesJSON(t *testing.T) {
	var buf bytes.Buffer
	newTestLogger(&buf).StdLogger(LevelWarn).Printf("http: TLS handshake error from %s", "10.0.0.1:1234")
	obj := lines(t, &buf)[0]
	if obj["level"] != "warn" || obj["msg"] != "http: TLS handshake error from 10.0.0.1:1234" {
		t.Errorf("got %v", obj)
	}
}

func TestLoggerDropsLinesBelowItsLevel(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, "test-service", LevelWarn)
	l.Debug("debug")
	l.Info("info")
	l.Warn("warn")
	l.Error("error")
	var levels []string
	for _, obj := range lines(t, &buf) {
		levels = append(levels, obj["level"].(string))
	}
	if strings.Join(levels, ",") != "warn,error" {
		t.Errorf("levels written = %v, want warn,error", levels)
	}
}

func TestParseLevel(t *testing.T) {
	for in, want := range map[string]Level{"": LevelInfo, "debug": LevelDebug, "error": LevelError} {
		if got, err := ParseLevel(in); err != nil || got != want {
			t.Errorf("ParseLevel(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"INFO", "trace", "verbose"} {
		if _, err := ParseLevel(in); err == nil {
			t.Errorf("ParseLevel(%q) succeeded, want an error", in)
		}
	}
}

func TestLoggerRedactsCredentialFields(t *testing.T) {
	var buf bytes.Buffer
	newTestLogger(&buf).Info("careless", "Authorization", "Bearer abc", "password", "hunter2", "user", "ann")
	if strings.Contains(buf.String(), "abc") || strings.Contains(buf.String(), "hunter2") {
		t.Fatalf("credentials logged: %s", buf.String())
	}
	obj := lines(t, &buf)[0]
	if obj["Authorization"] != "[REDACTED]" || obj["user"] != "ann" {
		t.Errorf("got %v", obj)
	}
}

func TestLoggerWritesTimesAsRFC3339(t *testing.T) {
	var buf bytes.Buffer
	newTestLogger(&buf).Info("at", "deadline", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	if obj := lines(t, &buf)[0]; obj["deadline"] != "2024-01-02T03:04:05Z" {
		t.Errorf("deadline = %v", obj["deadline"])
	}
}
