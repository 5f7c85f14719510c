package githubtest

import (
	"bytes"
	"compress/gzip"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// specGzip is testdata/github/api.github.com.json, gzipped by
// testdata/github/trim-openapi.sh; a test keeps the two identical.
//
//go:embed api.github.com.json.gz
var specGzip []byte

// spec is GitHub's OpenAPI description, trimmed, with a router over its
// paths. It is loaded once per process and never modified.
type spec struct {
	doc         *openapi3.T
	routes      []*route
	undescribed []*undescribedPath
	hooks       map[string]*openapi3.SchemaRef // payload schemas by x-webhooks key
	appEvents   map[string]bool                // events sent to Apps, by X-GitHub-Event name
}

// template is a path template split into segments.
type template struct {
	path     string
	segments []segment
	literals int
	multi    bool
}

// segment is one part of a path template: a literal or a parameter;
// a multi-segment parameter (x-multi-segment) may span slashes.
type segment struct {
	literal string
	param   string
	multi   bool
}

// route is one operation of the description.
type route struct {
	template
	kin routers.Route
}

// undescribedPath is a path of GitHub's full description that the trimmed
// one leaves out but that shares some request path with a kept one, as
// trim-openapi.go records them under x-portico-undescribed.
type undescribedPath struct {
	template
	operations map[string]string // operationId by lower-case method
}

var loadSpec = sync.OnceValues(func() (*spec, error) {
	zr, err := gzip.NewReader(bytes.NewReader(specGzip))
	if err != nil {
		return nil, fmt.Errorf("read openapi description: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("read openapi description: %w", err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("load openapi description: %w", err)
	}
	s := &spec{doc: doc}
	s.routes = buildRoutes(doc)
	if s.undescribed, err = undescribedPaths(doc); err != nil {
		return nil, err
	}
	if s.hooks, err = webhookSchemas(doc); err != nil {
		return nil, err
	}
	if s.appEvents, err = describedAppEvents(doc.Extensions["x-webhooks"]); err != nil {
		return nil, err
	}
	return s, nil
})

func newTemplate(path string, multi map[string]bool) template {
	t := template{path: path}
	for _, part := range strings.Split(strings.TrimPrefix(path, "/"), "/") {
		seg := segment{literal: part}
		if strings.HasPrefix(part, "{") && strings.HasSuffix(part, "}") {
			seg = segment{param: part[1 : len(part)-1]}
			seg.multi = multi[seg.param]
			t.multi = t.multi || seg.multi
		} else {
			t.literals++
		}
		t.segments = append(t.segments, seg)
	}
	return t
}

// moreSpecific reports whether t wins over u for a path both fit: more
// literal segments, or as many and no multi-segment parameter where u has
// one; so /commits/{ref}/check-runs wins over /commits/{ref} for
// "abc/check-runs".
func (t *template) moreSpecific(u *template) bool {
	if t.literals != u.literals {
		return t.literals > u.literals
	}
	return !t.multi && u.multi
}

// ranksBefore orders templates most specific first, then as tie says.
func ranksBefore(a, b *template, tie bool) bool {
	if a.moreSpecific(b) || b.moreSpecific(a) {
		return a.moreSpecific(b)
	}
	return tie
}

func buildRoutes(doc *openapi3.T) []*route {
	var routes []*route
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			routes = append(routes, &route{
				template: newTemplate(path, multiSegmentParams(item, op)),
				kin:      routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: op},
			})
		}
	}
	sort.Slice(routes, func(i, j int) bool {
		a, b := routes[i], routes[j]
		return ranksBefore(&a.template, &b.template, a.kin.Path+a.kin.Method < b.kin.Path+b.kin.Method)
	})
	return routes
}

func multiSegmentParams(item *openapi3.PathItem, op *openapi3.Operation) map[string]bool {
	multi := map[string]bool{}
	for _, params := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, p := range params {
			if p.Value != nil && p.Value.In == openapi3.ParameterInPath && p.Value.Extensions["x-multi-segment"] == true {
				multi[p.Value.Name] = true
			}
		}
	}
	return multi
}

// undescribedPaths reads x-portico-undescribed, most specific first.
func undescribedPaths(doc *openapi3.T) ([]*undescribedPath, error) {
	ext, ok := doc.Extensions["x-portico-undescribed"]
	if !ok {
		return nil, fmt.Errorf("x-portico-undescribed missing: run testdata/github/trim-openapi.sh")
	}
	raw, err := json.Marshal(ext)
	if err != nil {
		return nil, fmt.Errorf("read x-portico-undescribed: %w", err)
	}
	var paths map[string]struct {
		Operations   map[string]string `json:"operations"`
		MultiSegment []string          `json:"multi-segment"`
	}
	if err := json.Unmarshal(raw, &paths); err != nil {
		return nil, fmt.Errorf("read x-portico-undescribed: %w", err)
	}
	var out []*undescribedPath
	for path, p := range paths {
		multi := map[string]bool{}
		for _, name := range p.MultiSegment {
			multi[name] = true
		}
		out = append(out, &undescribedPath{template: newTemplate(path, multi), operations: p.Operations})
	}
	sort.Slice(out, func(i, j int) bool {
		return ranksBefore(&out[i].template, &out[j].template, out[i].path < out[j].path)
	})
	return out, nil
}

// webhookSchemas reads x-webhooks, which the loader keeps as a raw
// extension, and resolves each payload schema among the components.
func webhookSchemas(doc *openapi3.T) (map[string]*openapi3.SchemaRef, error) {
	raw, err := json.Marshal(doc.Extensions["x-webhooks"])
	if err != nil {
		return nil, fmt.Errorf("read x-webhooks: %w", err)
	}
	var hooks map[string]struct {
		Post struct {
			RequestBody struct {
				Content map[string]struct {
					Schema struct {
						Ref string `json:"$ref"`
					} `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"post"`
	}
	if err := json.Unmarshal(raw, &hooks); err != nil {
		return nil, fmt.Errorf("read x-webhooks: %w", err)
	}
	out := map[string]*openapi3.SchemaRef{}
	for name, h := range hooks {
		ref := h.Post.RequestBody.Content["application/json"].Schema.Ref
		sc := doc.Components.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")]
		if sc == nil {
			return nil, fmt.Errorf("x-webhooks %s: schema %q not found", name, ref)
		}
		out[name] = sc
	}
	return out, nil
}

// match finds the operation for a request path (escaped, without the
// /api/v3 prefix); when there is none, unknown says why.
//
// The trimmed description alone would hand a path it leaves out to a kept
// operation whose parameters fit it: GET .../commits/SHA/pulls to "get a
// commit" with ref "SHA/pulls", GET .../pulls/comments to "get a pull
// request" that then fails on its number. So a path that fits one of the
// paths x-portico-undescribed lists is refused, naming that path's
// operation, unless the kept route it fits is more specific (as the
// router ranks them); a tie is refused too, since GitHub's answer cannot
// be known from the trimmed description. A ref with slashes
// ("feature/x") fits no listed path and still routes to "get a commit".
func (s *spec) match(method, escapedPath string) (rt *route, params map[string]string, unknown string) {
	parts := strings.Split(strings.TrimPrefix(escapedPath, "/"), "/")
	var best *route // the most specific route for the path, any method
	for _, r := range s.routes {
		p, ok := r.matchPath(parts)
		if !ok {
			continue
		}
		if best == nil {
			best = r
		}
		if r.kin.Method == method {
			rt, params = r, p
			break
		}
	}
	if why := s.undescribedFit(method, parts, best); why != "" {
		return nil, nil, why
	}
	switch {
	case rt != nil:
		return rt, params, ""
	case best != nil:
		return nil, nil, "method not allowed by GitHub's description"
	}
	return nil, nil, "no such path in GitHub's description"
}

// undescribedFit explains why a path that fits a path of the full
// description left out of the trimmed one, no less specific than the best
// kept route, is refused; "" when there is none.
func (s *spec) undescribedFit(method string, parts []string, best *route) string {
	for _, u := range s.undescribed {
		if best != nil && best.moreSpecific(&u.template) {
			break
		}
		if _, ok := u.matchPath(parts); !ok {
			continue
		}
		taken := ""
		if best != nil {
			taken = "; routed on the trimmed one it would be taken for " + best.path
		}
		if op, ok := u.operations[strings.ToLower(method)]; ok {
			return fmt.Sprintf("%s %s (%s) is in GitHub's description but not in the trimmed one: add it to testdata/github/trim-openapi.go%s",
				method, u.path, op, taken)
		}
		return fmt.Sprintf("method not allowed by GitHub's description of %s, a path the trimmed one leaves out%s", u.path, taken)
	}
	return ""
}

func (t *template) matchPath(parts []string) (map[string]string, bool) {
	segs := t.segments
	if len(parts) < len(segs) || (!t.multi && len(parts) != len(segs)) {
		return nil, false
	}
	params := map[string]string{}
	extra := len(parts) - len(segs)
	i := 0
	for _, seg := range segs {
		n := 1
		if seg.multi {
			n += extra
		}
		value := strings.Join(parts[i:i+n], "/")
		i += n
		if seg.param == "" {
			if value != seg.literal {
				return nil, false
			}
			continue
		}
		v, err := url.PathUnescape(value)
		if err != nil || (v == "" && !seg.multi) {
			return nil, false
		}
		params[seg.param] = v
	}
	return params, true
}

var validationOptions = &openapi3filter.Options{
	AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
	SkipSettingDefaults: true,
}

// validateRequest checks parameters and body against the operation. The
// body must be re-readable (GetBody set), as ServeHTTP arranges.
func (s *spec) validateRequest(ctx context.Context, r *http.Request, rt *route, params map[string]string) error {
	return openapi3filter.ValidateRequest(ctx, &openapi3filter.RequestValidationInput{
		Request: r, PathParams: rootPaths(rt, params), Route: &rt.kin, Options: validationOptions,
	})
}

// rootPaths stands in for an empty multi-segment parameter: GitHub lists a
// repository's root for GET .../contents/, though its description requires
// a path.
func rootPaths(rt *route, params map[string]string) map[string]string {
	out := params
	for _, seg := range rt.segments {
		if seg.multi && params[seg.param] == "" {
			out = maps.Clone(params)
			out[seg.param] = "."
		}
	}
	return out
}

// validateResponse checks a response the fake is about to send.
func (s *spec) validateResponse(ctx context.Context, r *http.Request, rt *route, params map[string]string, status int, h http.Header, body []byte) error {
	return openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: r, PathParams: rootPaths(rt, params), Route: &rt.kin, Options: validationOptions,
		},
		Status: status,
		Header: h,
		Body:   io.NopCloser(bytes.NewReader(body)),
	})
}

// responseSchema is the JSON schema of an operation's response, or nil.
func (rt *route) responseSchema(status int) *openapi3.SchemaRef {
	resp := rt.kin.Operation.Responses.Status(status)
	if resp == nil || resp.Value == nil {
		return nil
	}
	mt := resp.Value.Content.Get("application/json")
	if mt == nil {
		return nil
	}
	return mt.Schema
}

// validateWebhook checks an outgoing payload against its x-webhooks schema.
func (s *spec) validateWebhook(name string, payload []byte) error {
	sc := s.hooks[name]
	if sc == nil {
		return fmt.Errorf("webhook %s is not in the description", name)
	}
	var v any
	if err := json.Unmarshal(payload, &v); err != nil {
		return err
	}
	return sc.Value.VisitJSON(v)
}
