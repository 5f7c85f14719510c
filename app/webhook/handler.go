package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/jobs"
)

// MaxBodyBytes is GitHub's cap on a webhook payload (25 MB).
const MaxBodyBytes = 25 << 20

// Recorder durably stores a delivery together with the jobs it gives.
type Recorder interface {
	Record(ctx context.Context, d jobs.Delivery, args ...river.JobArgs) (duplicate bool, err error)
}

// Router says which jobs a delivery gives; handled is false when nothing
// in portico acts on that event and action.
type Router interface {
	Route(ctx context.Context, d *jobs.Delivery) (args []river.JobArgs, handled bool, err error)
}

// Routes maps an event name to the function that gives its jobs. An event
// that has no entry is not handled.
type Routes map[string]func(ctx context.Context, d *jobs.Delivery) ([]river.JobArgs, bool, error)

// Route implements Router.
func (rs Routes) Route(ctx context.Context, d *jobs.Delivery) ([]river.JobArgs, bool, error) {
	f, ok := rs[d.Event]
	if !ok {
		return nil, false, nil
	}
	return f(ctx, d)
}

// Handler is the http.Handler for POST /webhooks.
type Handler struct {
	secret   []byte
	insecure bool
	rec      Recorder
	router   Router
	log      *slog.Logger
	metrics  *metrics
	now      func() time.Time
}

// Option configures a Handler.
type Option func(*Handler)

// WithLogger sets the logger; deliveries log with their id, event,
// installation and repository.
func WithLogger(l *slog.Logger) Option { return func(h *Handler) { h.log = l } }

// WithRegisterer registers the handler's metrics.
func WithRegisterer(r prometheus.Registerer) Option {
	return func(h *Handler) { h.metrics = newMetrics(r) }
}

// AllowUnsigned accepts deliveries without checking signatures when no
// secret is configured. For local development only.
func AllowUnsigned() Option { return func(h *Handler) { h.insecure = true } }

// New returns a Handler that checks signatures with secret. With an empty
// secret every delivery is refused, unless AllowUnsigned is given.
func New(secret []byte, rec Recorder, router Router, opts ...Option) *Handler {
	h := &Handler{secret: secret, rec: rec, router: router, log: slog.New(slog.DiscardHandler), now: time.Now}
	for _, o := range opts {
		o(h)
	}
	if h.metrics == nil {
		h.metrics = newMetrics(nil)
	}
	return h
}

// ServeHTTP answers one delivery.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := h.now()
	d, status, msg := h.serve(r)
	log := h.log.With("delivery", d.ID, "event", d.Event, "action", d.Action,
		"installation", d.InstallationID, "repository", d.Repository, "status", status)
	switch {
	case status >= 500:
		log.Error("webhook delivery not accepted", "reason", msg)
	case status >= 400:
		log.Warn("webhook delivery refused", "reason", msg)
	default:
		log.Info("webhook delivery", "outcome", msg)
	}
	outcome := outcomeLabel(status, msg)
	event := d.Event
	if status >= 300 {
		event = "" // unverified or refused: keep request headers out of label values
	}
	h.metrics.observe(event, outcome, h.now().Sub(start))
	http.Error(w, msg, status)
}

// serve does the work of ServeHTTP and returns the status and a short
// message for the response and the log.
func (h *Handler) serve(r *http.Request) (jobs.Delivery, int, string) {
	d := jobs.Delivery{ID: r.Header.Get("X-GitHub-Delivery"), Event: r.Header.Get("X-GitHub-Event"), ReceivedAt: h.now()}
	if r.Method != http.MethodPost {
		return d, http.StatusMethodNotAllowed, "webhooks are POSTed"
	}
	if len(h.secret) == 0 && !h.insecure {
		return d, http.StatusServiceUnavailable, "no webhook secret configured: refusing unsigned deliveries"
	}
	body, err := readBody(r)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return d, http.StatusRequestEntityTooLarge, "payload over 25 MB"
	case err != nil:
		return d, http.StatusBadRequest, "cannot read body"
	}
	if len(h.secret) > 0 && !validSignature(h.secret, body, r.Header.Get("X-Hub-Signature-256")) {
		return d, http.StatusUnauthorized, "bad signature"
	}
	if !validEvent(d.Event) || !validDeliveryID(d.ID) {
		return d, http.StatusBadRequest, "missing or malformed X-GitHub-Delivery or X-GitHub-Event"
	}
	if err := fillFromPayload(&d, body); err != nil {
		return d, http.StatusBadRequest, err.Error()
	}
	return h.accept(r.Context(), d)
}

func (h *Handler) accept(ctx context.Context, d jobs.Delivery) (jobs.Delivery, int, string) {
	if d.Event == "ping" {
		return d, http.StatusOK, "pong"
	}
	args, handled, err := h.router.Route(ctx, &d)
	switch {
	case err != nil:
		return d, http.StatusBadRequest, "malformed payload: " + err.Error()
	case !handled:
		return d, http.StatusAccepted, "ignored: nothing handles this event"
	}
	dup, err := h.rec.Record(ctx, d, args...)
	switch {
	case err != nil:
		h.log.Error("record delivery", "delivery", d.ID, "error", err)
		return d, http.StatusServiceUnavailable, "cannot record the delivery now"
	case dup:
		return d, http.StatusOK, "duplicate: already recorded"
	}
	return d, http.StatusAccepted, "queued"
}

// readBody reads the body up to MaxBodyBytes, into a buffer sized from
// Content-Length when it is given (GitHub gives it), so that a 25 KB
// payload is not copied through a growing buffer.
func readBody(r *http.Request) ([]byte, error) {
	body := http.MaxBytesReader(nil, r.Body, MaxBodyBytes)
	if r.ContentLength <= 0 || r.ContentLength > MaxBodyBytes {
		return io.ReadAll(body)
	}
	buf := bytes.NewBuffer(make([]byte, 0, r.ContentLength+1)) // +1: the read that finds the end
	_, err := buf.ReadFrom(body)
	return buf.Bytes(), err
}

// validEvent accepts GitHub's event names: lower case words joined by
// underscores. Anything else is refused before it reaches a label or a log.
func validEvent(e string) bool {
	if e == "" || len(e) > 64 {
		return false
	}
	for _, c := range e {
		if !(c >= 'a' && c <= 'z' || c == '_') {
			return false
		}
	}
	return true
}

// validDeliveryID accepts printable ASCII ids (GitHub sends UUIDs).
func validDeliveryID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, c := range id {
		if c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}

// validSignature checks X-Hub-Signature-256 in constant time.
func validSignature(secret, body []byte, header string) bool {
	hexSig, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return false
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

func fillFromPayload(d *jobs.Delivery, body []byte) error {
	e, err := readEnvelope(body)
	if err != nil {
		return err
	}
	d.Payload, d.Action, d.InstallationID, d.Repository = body, e.action, e.installation, e.repository
	return nil
}

func outcomeLabel(status int, msg string) string {
	switch {
	case status == http.StatusOK && strings.HasPrefix(msg, "duplicate"):
		return "duplicate"
	case status == http.StatusAccepted && strings.HasPrefix(msg, "ignored"):
		return "ignored"
	case status < 300:
		return "accepted"
	case status == http.StatusUnauthorized:
		return "bad_signature"
	case status < 500:
		return "rejected"
	}
	return "error"
}
