// Package metrics is a small Prometheus registry: counters, gauges and
// histograms with labels, exposed in the text exposition format 0.0.4.
//
// It exists so the service has no dependencies. If the service later takes
// github.com/prometheus/client_golang, replace this package; the metric names
// and labels stay the same, so dashboards and alerts keep working.
package metrics

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ContentType is the media type of the text exposition format 0.0.4.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// DefBuckets are the Prometheus default histogram buckets, in seconds.
var DefBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// processStart is taken when the binary initializes, as close to the start of
// the process as the standard library allows.
var processStart = time.Now()

var (
	metricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	labelName  = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
)

type metric interface {
	write(b *bytes.Buffer)
}

// Registry holds the metrics of one process and writes them for scraping.
type Registry struct {
	mu      sync.Mutex
	names   map[string]bool
	metrics []metric
}

// NewRegistry returns a registry that already holds process_start_time_seconds.
func NewRegistry() *Registry {
	r := &Registry{names: map[string]bool{}}
	start := r.NewGauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.")
	start.Set(float64(processStart.UnixNano()) / 1e9)
	return r
}

// register panics on invalid or duplicate names: both are programming errors
// that should fail at startup and in tests, not at scrape time.
func (r *Registry) register(name string, labels []string, m metric) {
	if !metricName.MatchString(name) {
		panic(fmt.Sprintf("metrics: invalid metric name %q", name))
	}
	for _, l := range labels {
		if !labelName.MatchString(l) || strings.HasPrefix(l, "__") {
			panic(fmt.Sprintf("metrics: invalid label name %q on %s", l, name))
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.names[name] {
		panic(fmt.Sprintf("metrics: %s registered twice", name))
	}
	r.names[name] = true
	r.metrics = append(r.metrics, m)
}

// Write returns every metric in the text exposition format.
func (r *Registry) Write() []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b bytes.Buffer
	for _, m := range r.metrics {
		m.write(&b)
	}
	return b.Bytes()
}

// Handler serves the registry for a Prometheus scrape.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		body := r.Write()
		w.Header().Set("Content-Type", ContentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	})
}

// Gauge is a value that can go up and down.
type Gauge struct {
	name, help string
	bits       atomic.Uint64
}

// NewGauge registers a gauge without labels.
func (r *Registry) NewGauge(name, help string) *Gauge {
	g := &Gauge{name: name, help: help}
	r.register(name, nil, g)
	return g
}

// Set sets the gauge to v.
func (g *Gauge) Set(v float64) { g.bits.Store(math.Float64bits(v)) }

// Add adds delta, which may be negative.
func (g *Gauge) Add(delta float64) {
	for {
		old := g.bits.Load()
		if g.bits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+delta)) {
			return
		}
	}
}

// Inc adds one.
func (g *Gauge) Inc() { g.Add(1) }

// Dec subtracts one.
func (g *Gauge) Dec() { g.Add(-1) }

func (g *Gauge) write(b *bytes.Buffer) {
	writeHeader(b, g.name, g.help, "gauge")
	writeSample(b, g.name, nil, nil, "", "", math.Float64frombits(g.bits.Load()))
}

// CounterVec is a family of counters partitioned by label values.
type CounterVec struct {
	name, help string
	labels     []string

	mu     sync.Mutex
	series map[string]*counterSeries
}

type counterSeries struct {
	values []string
	value  float64
}

// NewCounterVec registers a counter family. Name it with the _total suffix.
func (r *Registry) NewCounterVec(name, help string, labels ...string) *CounterVec {
	c := &CounterVec{name: name, help: help, labels: labels, series: map[string]*counterSeries{}}
	r.register(name, labels, c)
	return c
}

// Inc adds one to the counter with the given label values, in label order.
func (c *CounterVec) Inc(labelValues ...string) { c.Add(1, labelValues...) }

// Add adds v, which must not be negative. Add(0, ...) creates the series so
// that it is exported as 0 before the first event.
func (c *CounterVec) Add(v float64, labelValues ...string) {
	if v < 0 {
		panic(fmt.Sprintf("metrics: %s: counters cannot decrease", c.name))
	}
	key := seriesKey(c.name, c.labels, labelValues)
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.series[key]
	if !ok {
		s = &counterSeries{values: append([]string{}, labelValues...)}
		c.series[key] = s
	}
	s.value += v
}

func (c *CounterVec) write(b *bytes.Buffer) {
	writeHeader(b, c.name, c.help, "counter")
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, key := range sortedKeys(c.series) {
		s := c.series[key]
		writeSample(b, c.name, c.labels, s.values, "", "", s.value)
	}
}

// HistogramVec is a family of histograms partitioned by label values.
type HistogramVec struct {
	name, help string
	labels     []string
	buckets    []float64

	mu     sync.Mutex
	series map[string]*histogramSeries
}

type histogramSeries struct {
	values []string
	counts []uint64 // per bucket, not cumulative; the +Inf bucket is count
	sum    float64
	count  uint64
}

// NewHistogramVec registers a histogram family with the given upper bounds
// (sorted, without +Inf). Name it with the unit, e.g. _seconds.
func (r *Registry) NewHistogramVec(name, help string, buckets []float64, labels ...string) *HistogramVec {
	if len(buckets) == 0 || !sort.Float64sAreSorted(buckets) {
		panic(fmt.Sprintf("metrics: %s: buckets must be sorted and not empty", name))
	}
	for _, l := range labels {
		if l == "le" {
			panic(fmt.Sprintf("metrics: %s: le is reserved for histogram buckets", name))
		}
	}
	h := &HistogramVec{
		name:    name,
		help:    help,
		labels:  labels,
		buckets: append([]float64{}, buckets...),
		series:  map[string]*histogramSeries{},
	}
	r.register(name, labels, h)
	return h
}

// Observe records v in the histogram with the given label values.
func (h *HistogramVec) Observe(v float64, labelValues ...string) {
	key := seriesKey(h.name, h.labels, labelValues)
	h.mu.Lock()
	defer h.mu.Unlock()
	s, ok := h.series[key]
	if !ok {
		s = &histogramSeries{values: append([]string{}, labelValues...), counts: make([]uint64, len(h.buckets))}
		h.series[key] = s
	}
	// The first bucket whose upper bound is >= v: buckets are "less or equal".
	if i := sort.SearchFloat64s(h.buckets, v); i < len(h.buckets) {
		s.counts[i]++
	}
	s.sum += v
	s.count++
}

func (h *HistogramVec) write(b *bytes.Buffer) {
	writeHeader(b, h.name, h.help, "histogram")
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, key := range sortedKeys(h.series) {
		s := h.series[key]
		var cumulative uint64
		for i, upper := range h.buckets {
			cumulative += s.counts[i]
			writeSample(b, h.name+"_bucket", h.labels, s.values, "le", formatFloat(upper), float64(cumulative))
		}
		writeSample(b, h.name+"_bucket", h.labels, s.values, "le", "+Inf", float64(s.count))
		writeSample(b, h.name+"_sum", h.labels, s.values, "", "", s.sum)
		writeSample(b, h.name+"_count", h.labels, s.values, "", "", float64(s.count))
	}
}

func seriesKey(name string, labels, values []string) string {
	if len(values) != len(labels) {
		panic(fmt.Sprintf("metrics: %s wants %d label values (%s), got %d",
			name, len(labels), strings.Join(labels, ", "), len(values)))
	}
	return strings.Join(values, "\xff")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func writeHeader(b *bytes.Buffer, name, help, typ string) {
	b.WriteString("# HELP ")
	b.WriteString(name)
	b.WriteByte(' ')
	b.WriteString(helpEscaper.Replace(help))
	b.WriteString("\n# TYPE ")
	b.WriteString(name)
	b.WriteByte(' ')
	b.WriteString(typ)
	b.WriteByte('\n')
}

// writeSample writes one line: name, labels (plus an optional extra label
// such as le), value.
func writeSample(b *bytes.Buffer, name string, labels, values []string, extraName, extraValue string, v float64) {
	b.WriteString(name)
	if len(labels) > 0 || extraName != "" {
		b.WriteByte('{')
		for i, l := range labels {
			if i > 0 {
				b.WriteByte(',')
			}
			writeLabel(b, l, values[i])
		}
		if extraName != "" {
			if len(labels) > 0 {
				b.WriteByte(',')
			}
			writeLabel(b, extraName, extraValue)
		}
		b.WriteByte('}')
	}
	b.WriteByte(' ')
	b.WriteString(formatFloat(v))
	b.WriteByte('\n')
}

func writeLabel(b *bytes.Buffer, name, value string) {
	b.WriteString(name)
	b.WriteString(`="`)
	b.WriteString(labelEscaper.Replace(value))
	b.WriteByte('"')
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
