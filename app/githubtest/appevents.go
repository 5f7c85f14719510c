package githubtest

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// implicitEvents are sent to every App without a subscription ("All
// GitHub Apps receive this event by default. You cannot manually
// subscribe to this event"). GitHub refuses a manifest naming
// installation or installation_repositories with "Default events
// unsupported: installation and installation_repositories"; ping, sent
// when a webhook is set up, is no subscription either, and the fake
// refuses it the same way.
var implicitEvents = map[string]bool{"installation": true, "installation_repositories": true, "ping": true}

// eventPermissions are the permissions, any one of which lets an App
// subscribe to an event (GitHub's "Webhook events and payloads"
// availability notes). The description does not carry them; an event
// missing here is refused, so that adding one to portico's manifest
// means adding its permission here.
var eventPermissions = map[string][]string{
	"check_run":     {"checks"},
	"check_suite":   {"checks"},
	"issue_comment": {"issues", "pull_requests"},
	"pull_request":  {"pull_requests"},
	"push":          {"contents"},
	"repository":    {"metadata"},
}

// describedAppEvents reads from x-webhooks the events an App may be sent: those
// whose webhooks list "app" among their supported-webhook-types, by
// their x-github subcategory (the X-GitHub-Event name).
func describedAppEvents(raw any) (map[string]bool, error) {
	data, err := json.Marshal(raw)
	if err != nil {
		return nil, fmt.Errorf("read x-webhooks: %w", err)
	}
	var hooks map[string]struct {
		Post struct {
			XGitHub struct {
				Subcategory string   `json:"subcategory"`
				Types       []string `json:"supported-webhook-types"`
			} `json:"x-github"`
		} `json:"post"`
	}
	if err := json.Unmarshal(data, &hooks); err != nil {
		return nil, fmt.Errorf("read x-webhooks: %w", err)
	}
	out := map[string]bool{}
	for _, h := range hooks {
		if slices.Contains(h.Post.XGitHub.Types, "app") {
			out[h.Post.XGitHub.Subcategory] = true
		}
	}
	return out, nil
}

// SubscribableEvents lists, sorted, the events that GitHub's description
// (as trimmed for the fake) says an App may subscribe to: events sent to
// Apps, less those every App gets unasked.
func SubscribableEvents() ([]string, error) {
	sp, err := loadSpec()
	if err != nil {
		return nil, err
	}
	var out []string
	for e := range sp.appEvents {
		if !implicitEvents[e] {
			out = append(out, e)
		}
	}
	sort.Strings(out)
	return out, nil
}

// manifestEventsError is GitHub's refusal of a manifest's default_events,
// or "" when it accepts them; undescribed names events the trimmed
// description does not have, which the fake cannot judge.
func (s *Server) manifestEventsError(m appManifest) (msg string, undescribed []string) {
	var unsupported, unpermitted []string
	for _, e := range m.DefaultEvents {
		switch {
		case implicitEvents[e]:
			unsupported = append(unsupported, e)
		case !s.spec.appEvents[e]:
			undescribed = append(undescribed, e)
		case !permitsEvent(m.DefaultPermissions, e):
			unpermitted = append(unpermitted, e)
		}
	}
	switch {
	case len(unsupported) > 0:
		return "Default events unsupported: " + englishList(unsupported), undescribed
	case len(undescribed) > 0:
		return "The fake GitHub's description has no App webhook for " + englishList(undescribed), undescribed
	case len(unpermitted) > 0:
		return "Default events are not supported by permissions: " + englishList(unpermitted), nil
	}
	return "", nil
}

func permitsEvent(perms map[string]string, event string) bool {
	for _, p := range eventPermissions[event] {
		if perms[p] == "read" || perms[p] == "write" {
			return true
		}
	}
	return false
}

// englishList joins as GitHub's messages do: "a", "a and b", "a, b and c".
func englishList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
