package templating

import (
	"io/fs"
	"strings"

	"github.com/portico-dev/portico/app/descriptor"
)

// steps types each step. An unknown action is a warning: the step is
// kept, and rendering a repository skips it.
func (l *loader) steps(dir string, v *descriptor.Value) []Step {
	if v == nil {
		return nil
	}
	out := make([]Step, 0, len(v.Items))
	for _, it := range v.Items {
		s := Step{Line: it.Line}
		s.ID, _ = it.Get("id").Text()
		s.Name, _ = it.Get("name").Text()
		s.Action, _ = it.Get("action").Text()
		s.Known = knownActions[s.Action]
		if f := it.Field("if"); f != nil {
			s.If = f.Value.Interface()
		}
		if in, ok := it.Get("input").Interface().(map[string]any); ok {
			s.Input = in
		}
		if !s.Known {
			l.warn(RuleUnknownAction, it.Get("action"), "action %q is not one portico knows (%s): rendering a repository skips this step",
				s.Action, strings.Join(KnownActions(), ", "))
		}
		if s.Action == ActionFetchTemplate || s.Action == ActionFetchPlain {
			l.checkURL(dir, it.Get("input").Get("url"))
		}
		out = append(out, s)
	}
	return out
}

// checkURL checks a fetch step's url when it is written out (one built
// from an expression is checked when it is rendered): a folder of the
// platform configuration.
func (l *loader) checkURL(dir string, v *descriptor.Value) {
	url, ok := v.Text()
	if v == nil || !ok {
		l.fail(RuleStepURL, v, "input.url of a fetch step must be a string naming a folder, such as ./skeleton")
		return
	}
	if strings.Contains(url, "${{") {
		return
	}
	p, err := resolveURL(dir, url)
	if err != nil {
		l.fail(RuleStepURL, v, "%v", err)
		return
	}
	st, err := fs.Stat(l.fsys, p)
	switch {
	case err != nil:
		l.fail(RuleStepURL, v, "url %q names %s, which is not in the platform configuration", url, p)
	case !st.IsDir():
		l.fail(RuleStepURL, v, "url %q names %s, which is not a folder", url, p)
	}
}
