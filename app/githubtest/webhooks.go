package githubtest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// webhookTimeout is how long GitHub waits for a webhook answer.
const webhookTimeout = 10 * time.Second

// hookshotAgent is the User-Agent of GitHub's webhook sender.
const hookshotAgent = "GitHub-Hookshot/fake"

// Delivery is a webhook delivery as GitHub records it.
type Delivery struct {
	ID             int64           `json:"id"`
	GUID           string          `json:"guid"` // X-GitHub-Delivery; a redelivery keeps the original's
	Event          string          `json:"event"`
	Action         string          `json:"action"`
	AppID          int64           `json:"app_id"`
	InstallationID int64           `json:"installation_id"`
	RepositoryID   int64           `json:"repository_id"`
	Redelivery     bool            `json:"redelivery"`
	DeliveredAt    time.Time       `json:"delivered_at"`
	Duration       time.Duration   `json:"duration_ns"`
	StatusCode     int             `json:"status_code"` // the receiver's answer; 0 when there was none
	Status         string          `json:"status"`      // "OK", "Invalid HTTP Response: 503", or why there was no answer
	Header         http.Header     `json:"header"`
	Payload        json.RawMessage `json:"payload"`
}

// delivery is a Delivery and the App that it went to.
type delivery struct {
	Delivery
	app *app
}

// subscribed reports whether an App gets an event: installation events
// always, check events when it may write checks (as GitHub sends them to
// such Apps unasked), others when it subscribed (an App with no event
// list gets everything).
func subscribed(a *app, event string) bool {
	switch {
	case a.events == nil, event == "ping", event == "installation", event == "installation_repositories":
		return true
	case (event == "check_suite" || event == "check_run") && a.permissions["checks"] == "write":
		return true
	}
	return slices.Contains(a.events, event)
}

// hookName is the x-webhooks key of an event and action.
func hookName(event, action string) string {
	name := event
	if action != "" {
		name += "-" + action
	}
	return strings.ReplaceAll(name, "_", "-")
}

// deliver completes a payload to its schema, checks it, signs it and
// sends it to the App's webhook URL, then records the delivery. It must be
// called without Server.mu held: receivers may call back.
func (s *Server) deliver(a *app, inst *installation, repoID int64, event, action string, payload obj) {
	s.mu.Lock()
	ok := a.webhookURL != "" && subscribed(a, event)
	// Installation events carry the whole installation, as GitHub sends
	// them; the others its short form.
	if _, whole := payload["installation"]; ok && inst != nil && !whole {
		payload = withField(payload, "installation", obj{"id": inst.id, "node_id": nodeID("Installation", inst.id)})
	}
	s.mu.Unlock()
	if !ok {
		return
	}
	hook := hookName(event, action)
	filled, err := s.filler().fillJSON(s.spec.hooks[hook], payload)
	if err != nil {
		s.violate(Violation{Kind: "invalid webhook", Method: "POST", Path: hook, Err: err.Error()})
		return
	}
	body, _ := json.Marshal(filled)
	if err := s.spec.validateWebhook(hook, body); err != nil {
		s.violate(Violation{Kind: "invalid webhook", Method: "POST", Path: hook, Err: err.Error()})
	}
	d := &delivery{app: a, Delivery: Delivery{
		GUID: uuid.NewString(), Event: event, Action: action, AppID: a.id, RepositoryID: repoID, Payload: body,
	}}
	if inst != nil {
		d.InstallationID = inst.id
	}
	s.send(d)
}

func withField(payload obj, key string, v any) obj {
	out := make(obj, len(payload)+1)
	for k, e := range payload {
		out[k] = e
	}
	out[key] = v
	return out
}

// send posts a delivery and records it with its outcome.
func (s *Server) send(d *delivery) {
	s.mu.Lock()
	d.ID = s.st.newID()
	url, secret, hookID := d.app.webhookURL, d.app.webhookSecret, d.app.hookID
	s.mu.Unlock()
	d.Header = signedHeaders(d, secret, hookID)
	d.DeliveredAt = time.Now()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(d.Payload))
	if err == nil {
		req.Header = d.Header.Clone()
		var resp *http.Response
		if resp, err = s.hooks.Do(req); err == nil {
			io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
			d.StatusCode = resp.StatusCode
		}
	}
	d.Duration = time.Since(d.DeliveredAt)
	d.Status = deliveryStatus(d.StatusCode, err)
	s.log.Info("githubtest: webhook", "event", d.Event, "action", d.Action, "guid", d.GUID, "status", d.Status)
	s.mu.Lock()
	s.st.deliveries = append(s.st.deliveries, d)
	s.mu.Unlock()
}

func signedHeaders(d *delivery, secret string, hookID int64) http.Header {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", hookshotAgent)
	h.Set("X-GitHub-Event", d.Event)
	h.Set("X-GitHub-Delivery", d.GUID)
	h.Set("X-GitHub-Hook-ID", strconv.FormatInt(hookID, 10))
	h.Set("X-GitHub-Hook-Installation-Target-ID", strconv.FormatInt(d.AppID, 10))
	h.Set("X-GitHub-Hook-Installation-Target-Type", "integration")
	h.Set("X-Hub-Signature-256", "sha256="+Sign(secret, d.Payload))
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write(d.Payload)
	h.Set("X-Hub-Signature", "sha1="+hex.EncodeToString(mac.Sum(nil)))
	return h
}

// Sign is the hex HMAC-SHA256 of a payload with a webhook secret, as in
// X-Hub-Signature-256 after "sha256=".
func Sign(secret string, payload []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(payload)
	return hex.EncodeToString(mac.Sum(nil))
}

func deliveryStatus(code int, err error) string {
	switch {
	case err != nil && strings.Contains(err.Error(), "Client.Timeout"):
		return "timed out"
	case err != nil:
		return "failed to connect to host"
	case code >= 200 && code < 300:
		return "OK"
	}
	return fmt.Sprintf("Invalid HTTP Response: %d", code)
}

// later runs fn after the current response, in order with the other work
// queued so: GitHub answers a request first and delivers the webhooks it
// set off afterwards, so a client never waits on its own webhook.
func (s *Server) later(fn func()) {
	s.pending.Add(1)
	s.queue <- fn
}

func (s *Server) runQueue() {
	defer close(s.drained)
	for fn := range s.queue {
		fn()
		s.pending.Done()
	}
}

// WaitDeliveries waits until the webhooks set off by REST requests (a
// comment, a redelivery) and by git pushes have been delivered. Methods
// of the Server deliver before they return; GitHub's REST API and Git
// answer first, and so does the fake.
func (s *Server) WaitDeliveries() { s.pending.Wait() }

// Deliveries are the webhook deliveries made so far, oldest first.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Delivery, len(s.st.deliveries))
	for i, d := range s.st.deliveries {
		out[i] = d.Delivery
		out[i].Header = d.Header.Clone()
		out[i].Payload = bytes.Clone(d.Payload)
	}
	return out
}

// Redeliver sends a delivery again, with its GUID and payload, as
// POST /app/hook/deliveries/{id}/attempts does, and returns the new one.
func (s *Server) Redeliver(deliveryID int64) (Delivery, error) {
	s.mu.Lock()
	var orig *delivery
	for _, d := range s.st.deliveries {
		if d.ID == deliveryID {
			orig = d
		}
	}
	s.mu.Unlock()
	if orig == nil {
		return Delivery{}, fmt.Errorf("redeliver: no delivery %d", deliveryID)
	}
	d := &delivery{app: orig.app, Delivery: Delivery{
		GUID: orig.GUID, Event: orig.Event, Action: orig.Action, AppID: orig.AppID,
		InstallationID: orig.InstallationID, RepositoryID: orig.RepositoryID,
		Redelivery: true, Payload: orig.Payload,
	}}
	s.send(d)
	return d.Delivery, nil
}

func (s *Server) listDeliveries(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	per := min(max(c.intQuery("per_page", 30), 1), 100)
	cursor, _ := strconv.ParseInt(c.query("cursor"), 10, 64)
	list := []any{}
	var last int64
	for i := len(s.st.deliveries) - 1; i >= 0; i-- {
		d := s.st.deliveries[i]
		if d.app != c.cred.app || (cursor > 0 && d.ID >= cursor) {
			continue
		}
		if len(list) == per {
			c.header.Set("Link", fmt.Sprintf(`<%s/app/hook/deliveries?per_page=%d&cursor=%d>; rel="next"`, s.base, per, last))
			break
		}
		list = append(list, deliveryJSON(d))
		last = d.ID
	}
	c.json(http.StatusOK, list)
}

func deliveryJSON(d *delivery) obj {
	o := obj{
		"id": d.ID, "guid": d.GUID, "delivered_at": ts(d.DeliveredAt), "redelivery": d.Redelivery,
		"duration": d.Duration.Seconds(), "status": d.Status, "status_code": d.StatusCode,
		"event": d.Event, "action": nilIfEmpty(d.Action), "installation_id": nil, "repository_id": nil,
		"throttled_at": nil,
	}
	if d.InstallationID != 0 {
		o["installation_id"] = d.InstallationID
	}
	if d.RepositoryID != 0 {
		o["repository_id"] = d.RepositoryID
	}
	return o
}

func (s *Server) redeliver(c *call) {
	id := c.intParam("delivery_id")
	s.mu.Lock()
	found := false
	for _, d := range s.st.deliveries {
		found = found || (d.ID == id && d.app == c.cred.app)
	}
	s.mu.Unlock()
	if !found {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	s.later(func() {
		if _, err := s.Redeliver(id); err != nil {
			s.log.Error("githubtest: redeliver", "err", err)
		}
	})
	c.json(http.StatusAccepted, obj{})
}
