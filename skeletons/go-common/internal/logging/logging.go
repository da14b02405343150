// Package logging writes structured logs as one JSON object per line, the
// shape the platform's log pipeline indexes: time, level, msg, service, then
// the fields given at the call site.
package logging

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"strings"
	"sync"
	"time"
)

// Level is the severity of a log line, as written in its "level" field.
type Level string

// The levels, from least to most severe.
const (
	LevelDebug Level = "debug"
	LevelInfo  Level = "info"
	LevelWarn  Level = "warn"
	LevelError Level = "error"
)

var severity = map[Level]int{LevelDebug: 0, LevelInfo: 1, LevelWarn: 2, LevelError: 3}

// ParseLevel parses the value of LOG_LEVEL; the empty string means info.
func ParseLevel(s string) (Level, error) {
	if s == "" {
		return LevelInfo, nil
	}
	if _, ok := severity[Level(s)]; !ok {
		return "", fmt.Errorf("LOG_LEVEL must be debug, info, warn or error, got %q", s)
	}
	return Level(s), nil
}

// reserved keys are written by the logger itself; a field with one of these
// names is renamed so that a line never has duplicate keys.
var reserved = map[string]bool{"time": true, "level": true, "msg": true, "service": true}

// redacted keys are a safety net: code should log chosen fields, never whole
// headers or payloads. Compared in lower case.
var redacted = map[string]bool{
	"authorization": true, "proxy-authorization": true, "cookie": true, "set-cookie": true,
	"x-api-key": true, "password": true, "secret": true, "token": true,
}

// Logger writes JSON lines. It is safe for concurrent use; loggers derived
// with With share the writer and its lock.
type Logger struct {
	mu      *sync.Mutex
	w       io.Writer
	service string
	min     Level
	fields  []any
	now     func() time.Time
}

// New returns a logger that writes lines at level min and above to w, each
// stamped with service.
func New(w io.Writer, service string, min Level) *Logger {
	if _, ok := severity[min]; !ok {
		min = LevelInfo
	}
	return &Logger{mu: &sync.Mutex{}, w: w, service: service, min: min, now: time.Now}
}

// With returns a logger that adds the key-value pairs kv to every line.
func (l *Logger) With(kv ...any) *Logger {
	child := *l
	child.fields = append(append([]any{}, l.fields...), kv...)
	return &child
}

// Debug logs msg with the key-value pairs kv, e.g. Debug("cache miss", "key", k).
func (l *Logger) Debug(msg string, kv ...any) { l.log(LevelDebug, msg, kv) }

// Info logs msg at info level.
func (l *Logger) Info(msg string, kv ...any) { l.log(LevelInfo, msg, kv) }

// Warn logs msg at warn level.
func (l *Logger) Warn(msg string, kv ...any) { l.log(LevelWarn, msg, kv) }

// Error logs msg at error level; pass the error as a field: Error("x failed", "err", err).
func (l *Logger) Error(msg string, kv ...any) { l.log(LevelError, msg, kv) }

// StdLogger adapts the logger for APIs that want a *log.Logger, such as
// http.Server.ErrorLog, so that their output is JSON too.
func (l *Logger) StdLogger(level Level) *log.Logger {
	return log.New(stdWriter{l: l, level: level}, "", 0)
}

type stdWriter struct {
	l     *Logger
	level Level
}

func (s stdWriter) Write(p []byte) (int, error) {
	s.l.log(s.level, strings.TrimRight(string(p), "\n"), nil)
	return len(p), nil
}

func (l *Logger) log(level Level, msg string, kv []any) {
	if severity[level] < severity[l.min] {
		return
	}
	var b bytes.Buffer
	b.WriteString(`{"time":`)
	writeValue(&b, l.now().UTC().Format(time.RFC3339Nano))
	b.WriteString(`,"level":`)
	writeValue(&b, string(level))
	b.WriteString(`,"msg":`)
	writeValue(&b, msg)
	b.WriteString(`,"service":`)
	writeValue(&b, l.service)
	writeFields(&b, l.fields)
	writeFields(&b, kv)
	b.WriteString("}\n")

	l.mu.Lock()
	defer l.mu.Unlock()
	// A logger has nowhere to report its own write errors.
	_, _ = l.w.Write(b.Bytes())
}

func writeFields(b *bytes.Buffer, kv []any) {
	for i := 0; i < len(kv); i += 2 {
		if i+1 == len(kv) {
			writeField(b, "!BADKEY", kv[i])
			return
		}
		key, ok := kv[i].(string)
		if !ok {
			key = fmt.Sprint(kv[i])
		}
		writeField(b, key, kv[i+1])
	}
}

func writeField(b *bytes.Buffer, key string, value any) {
	if reserved[key] {
		key = "field." + key
	}
	b.WriteByte(',')
	writeValue(b, key)
	b.WriteByte(':')
	if redacted[strings.ToLower(key)] {
		writeValue(b, "[REDACTED]")
		return
	}
	switch v := value.(type) {
	case error:
		// encoding/json renders most errors as {}.
		writeValue(b, map[string]string{"message": v.Error()})
	case json.Marshaler:
		writeValue(b, v)
	case fmt.Stringer:
		writeValue(b, v.String())
	default:
		writeValue(b, v)
	}
}

// writeValue appends v as JSON; a value encoding/json cannot encode (a
// channel, a NaN) is written as its fmt representation instead.
func writeValue(b *bytes.Buffer, v any) {
	var enc bytes.Buffer
	e := json.NewEncoder(&enc)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		enc.Reset()
		_ = e.Encode(fmt.Sprintf("%+v", v))
	}
	b.Write(bytes.TrimSuffix(enc.Bytes(), []byte("\n")))
}
