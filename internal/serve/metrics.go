package serve

import (
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"gwc.dev/gwc/runtime"
)

// Metrics are API Gateway's CloudWatch metrics as Prometheus metrics:
// Count, 4XXError, 5XXError, Latency and IntegrationLatency, with the
// dimensions API Gateway reports them by (API, stage, resource, method),
// plus the state of reloads. Each Metrics has its own registry, so that
// servers in one process (tests) never share counters.
type Metrics struct {
	registry    *prometheus.Registry
	count       *prometheus.CounterVec
	clientErr   *prometheus.CounterVec
	serverErr   *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	integration *prometheus.HistogramVec
	reloads     *prometheus.CounterVec
	lastReload  prometheus.Gauge
	info        *prometheus.GaugeVec

	// series caches the handles of each label set, so that a request
	// costs one map lookup rather than five label hashes.
	series sync.Map // seriesKey → *series
}

type seriesKey struct{ api, stage, resource, method string }

type series struct {
	vals                        []string
	count, clientErr, serverErr prometheus.Counter
	latency                     prometheus.Observer
	// integration is created by the first request that reaches an
	// integration endpoint: a MOCK method has no IntegrationLatency, as
	// in CloudWatch.
	integration atomic.Pointer[prometheus.Observer]
}

// latencyBuckets span a MOCK answered in a millisecond to an integration
// that runs into API Gateway's 29 s timeout.
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

var labels = []string{"api", "stage", "resource", "method"}

// NewMetrics returns metrics registered in a new registry, with Go's
// runtime and process collectors beside them.
func NewMetrics() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		count: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gwc_requests_total",
			Help: "Requests served (API Gateway's Count metric).",
		}, labels),
		clientErr: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gwc_4xx_errors_total",
			Help: "Requests answered with a 4XX status (API Gateway's 4XXError metric).",
		}, labels),
		serverErr: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gwc_5xx_errors_total",
			Help: "Requests answered with a 5XX status (API Gateway's 5XXError metric).",
		}, labels),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gwc_latency_seconds",
			Help:    "Time from receiving a request to answering it (API Gateway's Latency metric).",
			Buckets: latencyBuckets,
		}, labels),
		integration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gwc_integration_latency_seconds",
			Help:    "Time from sending the integration request to receiving its answer (API Gateway's IntegrationLatency metric).",
			Buckets: latencyBuckets,
		}, labels),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gwc_reloads_total",
			Help: "Reload attempts, by result (ok, unchanged or error).",
		}, []string{"result"}),
		lastReload: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gwc_last_reload_successful",
			Help: "1 when the last reload attempt succeeded (or none was made), 0 when it failed and an older artifact is still being served.",
		}),
		info: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "gwc_artifact_info",
			Help: "The artifact being served: always 1, labelled by API name and digest.",
		}, []string{"api", "digest"}),
	}
	m.lastReload.Set(1)
	m.registry.MustRegister(m.count, m.clientErr, m.serverErr, m.latency, m.integration,
		m.reloads, m.lastReload, m.info,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Observe records one served request; it implements runtime.Observer.
func (m *Metrics) Observe(r *runtime.Record) {
	k := seriesKey{r.API, r.Stage, r.ResourcePath, metricMethod(r)}
	s := m.lookup(k)
	s.count.Inc()
	switch {
	case r.Status >= 400 && r.Status < 500:
		s.clientErr.Inc()
	case r.Status >= 500:
		s.serverErr.Inc()
	}
	s.latency.Observe(r.Latency.Seconds())
	if r.Integrated {
		o := s.integration.Load()
		if o == nil {
			h := m.integration.WithLabelValues(s.vals...)
			s.integration.Store(&h)
			o = &h
		}
		(*o).Observe(r.IntegrationLatency.Seconds())
	}
}

func (m *Metrics) lookup(k seriesKey) *series {
	if s, ok := m.series.Load(k); ok {
		return s.(*series)
	}
	// Creating the error counters with the request counter gives every
	// label set all three series from its first request, so that error
	// ratios have a zero to divide rather than a gap.
	vals := []string{k.api, k.stage, k.resource, k.method}
	s := &series{
		vals:      vals,
		count:     m.count.WithLabelValues(vals...),
		clientErr: m.clientErr.WithLabelValues(vals...),
		serverErr: m.serverErr.WithLabelValues(vals...),
		latency:   m.latency.WithLabelValues(vals...),
	}
	actual, _ := m.series.LoadOrStore(k, s)
	return actual.(*series)
}

// metricMethod bounds the method label: the usual HTTP verbs keep their
// name and any other becomes OTHER, so that clients inventing verbs (which
// an ANY method accepts, and which unrouted requests carry) cannot grow
// the number of series without bound.
func metricMethod(r *runtime.Record) string {
	switch r.Method {
	case "GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "HEAD":
		return r.Method
	}
	return "OTHER"
}

// loaded records the artifact now being served.
func (m *Metrics) loaded(api, digest string) {
	m.info.Reset()
	m.info.WithLabelValues(api, digest).Set(1)
}

// reloaded records the result of a reload attempt: "ok", "unchanged" or
// "error".
func (m *Metrics) reloaded(result string) {
	m.reloads.WithLabelValues(result).Inc()
	if result == "error" {
		m.lastReload.Set(0)
	} else {
		m.lastReload.Set(1)
	}
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}
