package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/portico-dev/portico/app/jobs"
	"github.com/portico-dev/portico/app/logsafe"
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
	intake   *Intake
	log      *slog.Logger
	reg      prometheus.Registerer
	metrics  *metrics
	now      func() time.Time
	// readWindow is ReadWindow; tests shorten it.
	readWindow time.Duration
}

// Option configures a Handler.
type Option func(*Handler)

// WithLogger sets the logger; deliveries log with their id, event,
// installation and repository.
func WithLogger(l *slog.Logger) Option { return func(h *Handler) { h.log = l } }

// WithRegisterer registers the handler's metrics.
func WithRegisterer(r prometheus.Registerer) Option { return func(h *Handler) { h.reg = r } }

// WithIntake sets the budgets and spill directory that bodies in flight
// draw from. Without it the handler has its own, with DefaultLimits,
// spilling to the system's temporary directory.
func WithIntake(in *Intake) Option { return func(h *Handler) { h.intake = in } }

// AllowUnsigned accepts deliveries without checking signatures when no
// secret is configured. For local development only.
func AllowUnsigned() Option { return func(h *Handler) { h.insecure = true } }

// New returns a Handler that checks signatures with secret. With an empty
// secret every delivery is refused, unless AllowUnsigned is given.
func New(secret []byte, rec Recorder, router Router, opts ...Option) *Handler {
	h := &Handler{secret: secret, rec: rec, router: router, log: slog.New(slog.DiscardHandler), now: time.Now, readWindow: ReadWindow}
	for _, o := range opts {
		o(h)
	}
	if h.intake == nil {
		h.intake = newIntake("", DefaultLimits())
	}
	h.metrics = newMetrics(h.reg, h.intake)
	return h
}

// ServeHTTP answers one delivery.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := h.now()
	// A body that has not arrived by then is a slow sender holding a
	// slot, not GitHub. Writers that cannot set deadlines (tests) do
	// without.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(h.readWindow))
	d, status, msg := h.serve(r)
	h.logDelivery(r, d, status, msg)
	outcome := outcomeLabel(status, msg)
	event := d.Event
	if status >= 300 {
		event = "" // unverified or refused: keep request headers out of label values
	}
	h.metrics.observe(event, outcome, h.now().Sub(start))
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", strconv.Itoa(int(RetryAfter/time.Second)))
	}
	http.Error(w, msg, status)
}

// logDelivery logs the answer to a delivery. Headers are the sender's
// words until the signature holds, so every value is bounded and
// sanitised; a refusal names the sender's address and user agent.
func (h *Handler) logDelivery(r *http.Request, d jobs.Delivery, status int, msg string) {
	log := h.log.With("delivery", logsafe.String(d.ID), "event", logsafe.String(d.Event),
		"action", logsafe.String(d.Action), "installation", d.InstallationID,
		"repository", logsafe.String(d.Repository), "status", status)
	switch {
	case status >= 500:
		log.Error("webhook delivery not accepted", "reason", msg, "remote", logsafe.String(r.RemoteAddr))
	case status >= 400:
		log.Warn("webhook delivery refused", "reason", msg, "remote", logsafe.String(r.RemoteAddr),
			"user_agent", logsafe.String(r.UserAgent()))
	default:
		log.Info("webhook delivery", "outcome", msg)
	}
}

// serve does the work of ServeHTTP and returns the status and a short
// message for the response and the log.
func (h *Handler) serve(r *http.Request) (jobs.Delivery, int, string) {
	d := jobs.Delivery{ID: r.Header.Get("X-GitHub-Delivery"), Event: r.Header.Get("X-GitHub-Event"), ReceivedAt: h.now()}
	want, status, msg := h.check(r, d)
	if status != 0 {
		return d, status, msg
	}
	if !h.intake.inFlight.take(1) {
		return d, http.StatusServiceUnavailable, "busy: too many deliveries in flight"
	}
	defer h.intake.inFlight.give(1)
	var mac hash.Hash
	if want != nil {
		mac = hmac.New(sha256.New, h.secret)
	}
	b, err := h.intake.readBody(r.Body, r.ContentLength, mac)
	defer b.close()
	if status, msg := h.bodyError(err); status != 0 {
		return d, status, msg
	}
	if mac != nil && !hmac.Equal(want, mac.Sum(nil)) {
		return d, http.StatusUnauthorized, "bad signature"
	}
	payload, err := b.bytes()
	if err != nil {
		h.log.Error("read webhook body back", "delivery", d.ID, "error", err)
		return d, http.StatusServiceUnavailable, "cannot read the body back now"
	}
	if err := fillFromPayload(&d, payload); err != nil {
		return d, http.StatusBadRequest, err.Error()
	}
	return h.accept(r.Context(), d)
}

// check refuses what the headers alone refuse, before a byte of the body
// is read, and returns the signature the body must have (nil when
// signatures are not checked).
func (h *Handler) check(r *http.Request, d jobs.Delivery) (want []byte, status int, msg string) {
	switch {
	case r.Method != http.MethodPost:
		return nil, http.StatusMethodNotAllowed, "webhooks are POSTed"
	case len(h.secret) == 0 && !h.insecure:
		return nil, http.StatusServiceUnavailable, "no webhook secret configured: refusing unsigned deliveries"
	case !jsonContent(r.Header.Get("Content-Type")):
		return nil, http.StatusUnsupportedMediaType, "webhooks are application/json"
	}
	if len(h.secret) > 0 {
		if want = parseSignature(r.Header.Get("X-Hub-Signature-256")); want == nil {
			return nil, http.StatusUnauthorized, "missing or malformed X-Hub-Signature-256"
		}
	}
	switch {
	case !validEvent(d.Event) || !validDeliveryID(d.ID):
		return nil, http.StatusBadRequest, "missing or malformed X-GitHub-Delivery or X-GitHub-Event"
	case r.ContentLength > MaxBodyBytes:
		return nil, http.StatusRequestEntityTooLarge, errTooBig.Error()
	}
	return want, 0, ""
}

// bodyError turns readBody's error into a status and a message.
func (h *Handler) bodyError(err error) (int, string) {
	switch {
	case err == nil:
		return 0, ""
	case errors.Is(err, errTooBig):
		return http.StatusRequestEntityTooLarge, errTooBig.Error()
	case errors.Is(err, errBusy):
		return http.StatusServiceUnavailable, errBusy.Error()
	case errors.Is(err, errSpill):
		h.log.Error("spill webhook body", "error", err)
		return http.StatusServiceUnavailable, "busy: cannot hold the body now"
	case errors.Is(err, os.ErrDeadlineExceeded):
		return http.StatusRequestTimeout, "body too slow"
	}
	return http.StatusBadRequest, "cannot read body"
}

// accept routes a verified delivery and records it with its jobs.
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

// parseSignature returns the MAC that X-Hub-Signature-256 gives, or nil
// if the header is missing or malformed.
func parseSignature(header string) []byte {
	hexSig, ok := strings.CutPrefix(header, "sha256=")
	if !ok || len(hexSig) != 2*sha256.Size {
		return nil
	}
	mac, err := hex.DecodeString(hexSig)
	if err != nil {
		return nil
	}
	return mac
}

// jsonContent reports whether a Content-Type is JSON, which is all that
// GitHub sends an App.
func jsonContent(ct string) bool {
	if ct == "application/json" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/json"
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
	case status == http.StatusServiceUnavailable && strings.HasPrefix(msg, "busy"):
		return "busy"
	case status < 500:
		return "rejected"
	}
	return "error"
}
