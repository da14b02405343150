package metrics

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// sampleLine is one sample of the text format: a name, optional labels with
// quoted (escaped) values, and a float value.
var sampleLine = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})? ([-+]?[0-9.eE+-]+|[-+]Inf|NaN)$`)

// checkFormat fails unless every line of out is a HELP, a TYPE or a sample
// line, and every sample belongs to a family declared by a TYPE line before it.
func checkFormat(t *testing.T, out string) {
	t.Helper()
	if !strings.HasSuffix(out, "\n") {
		t.Fatalf("exposition must end with a newline")
	}
	types := map[string]string{}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "# HELP "):
		case strings.HasPrefix(line, "# TYPE "):
			f := strings.Fields(line)
			if len(f) != 4 {
				t.Fatalf("bad TYPE line %q", line)
			}
			types[f[2]] = f[3]
		default:
			if !sampleLine.MatchString(line) {
				t.Fatalf("bad sample line %q", line)
			}
			name := line[:strings.IndexAny(line, "{ ")]
			family := name
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				if base := strings.TrimSuffix(name, suffix); base != name && types[base] == "histogram" {
					family = base
				}
			}
			if types[family] == "" {
				t.Fatalf("sample %q has no TYPE line before it", line)
			}
		}
	}
}

func TestRegistryWritesTheTextFormat(t *testing.T) {
	r := &Registry{names: map[string]bool{}}
	c := r.NewCounterVec("jobs_total", "Jobs run.\nSecond line with a \\.", "queue", "outcome")
	h := r.NewHistogramVec("job_duration_seconds", "Job duration.", []float64{0.125, 1}, "queue")
	g := r.NewGauge("temperature_celsius", "Temperature.")

	c.Inc("emails", "ok")
	c.Inc("emails", "ok")
	c.Add(0, "emails", "error")
	c.Inc(`we"ird\q`+"\n", "ok")
	h.Observe(0.0625, "emails")
	h.Observe(0.125, "emails") // on the bound: counted in le="0.125"
	h.Observe(0.5, "emails")
	h.Observe(3, "emails")
	g.Set(-1.5)
	g.Inc()
	g.Inc()
	g.Dec()

	want := `# HELP jobs_total Jobs run.\nSecond line with a \\.
# TYPE jobs_total counter
jobs_total{queue="emails",outcome="error"} 0
jobs_total{queue="emails",outcome="ok"} 2
jobs_total{queue="we\"ird\\q\n",outcome="ok"} 1
# HELP job_duration_seconds Job duration.
# TYPE job_duration_seconds histogram
job_duration_seconds_bucket{queue="emails",le="0.125"} 2
job_duration_seconds_bucket{queue="emails",le="1"} 3
job_duration_seconds_bucket{queue="emails",le="+Inf"} 4
job_duration_seconds_sum{queue="emails"} 3.6875
job_duration_seconds_count{queue="emails"} 4
# HELP temperature_celsius Temperature.
# TYPE temperature_celsius gauge
temperature_celsius -0.5
`
	got := string(r.Write())
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	checkFormat(t, got)
}

func TestNewRegistryExportsProcessStartTime(t *testing.T) {
	r := NewRegistry()
	out := string(r.Write())
	checkFormat(t, out)
	if !strings.Contains(out, "# TYPE process_start_time_seconds gauge\n") {
		t.Fatalf("missing process_start_time_seconds:\n%s", out)
	}
	var line string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "process_start_time_seconds ") {
			line = l
		}
	}
	var v float64
	if _, err := fmt.Sscan(strings.TrimPrefix(line, "process_start_time_seconds "), &v); err != nil {
		t.Fatalf("bad value in %q: %v", line, err)
	}
	if now := float64(time.Now().UnixNano()) / 1e9; v > now || v < now-3600 {
		t.Errorf("process_start_time_seconds = %v, want about %v", v, now)
	}
}

func TestHandlerServesTheExpositionContentType(t *testing.T) {
	r := NewRegistry()
	r.NewCounterVec("things_total", "Things.", "kind").Inc("a")
	rec := httptest.NewRecorder()
	r.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/plain; version=0.0.4; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if !strings.Contains(rec.Body.String(), `things_total{kind="a"} 1`+"\n") {
		t.Errorf("body:\n%s", rec.Body.String())
	}
}

func TestMisuseFailsFast(t *testing.T) {
	cases := map[string]func(r *Registry){
		"duplicate name": func(r *Registry) {
			r.NewGauge("x", "")
			r.NewGauge("x", "")
		},
		"invalid name":         func(r *Registry) { r.NewGauge("bad-name", "") },
		"invalid label":        func(r *Registry) { r.NewCounterVec("x_total", "", "bad-label") },
		"le label":             func(r *Registry) { r.NewHistogramVec("x_seconds", "", DefBuckets, "le") },
		"unsorted buckets":     func(r *Registry) { r.NewHistogramVec("x_seconds", "", []float64{1, 0.5}) },
		"wrong label count":    func(r *Registry) { r.NewCounterVec("x_total", "", "a", "b").Inc("only-a") },
		"negative counter add": func(r *Registry) { r.NewCounterVec("x_total", "", "a").Add(-1, "a") },
	}
	for name, fn := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("want a panic")
				}
			}()
			fn(NewRegistry())
		})
	}
}

func TestConcurrentUpdatesAreNotLost(t *testing.T) {
	r := NewRegistry()
	c := r.NewCounterVec("events_total", "Events.", "kind")
	h := r.NewHistogramVec("event_seconds", "Event time.", DefBuckets, "kind")
	g := r.NewGauge("events_in_flight", "Events in flight.")
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 1000; j++ {
				g.Inc()
				c.Inc("a")
				h.Observe(0.01, "a")
				if j%100 == 0 {
					r.Write()
				}
				g.Dec()
			}
		}()
	}
	wg.Wait()
	out := string(r.Write())
	for _, want := range []string{`events_total{kind="a"} 8000`, `event_seconds_count{kind="a"} 8000`, "events_in_flight 0"} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("want %q in:\n%s", want, out)
		}
	}
}
