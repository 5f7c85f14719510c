package report

import (
	"regexp"
	"strings"
)

// ruleEntry is one documented rule id: a row of a rule table.
type ruleEntry struct {
	id, page, anchor, description string
}

// ruleIDCell is the first cell of a documented rule's row: its anchor,
// then its id as code.
var ruleIDCell = regexp.MustCompile("^<a id=\"(rule-[a-z0-9-]+)\"></a>`([^`]+)`$")

// parseRuleTables reads the rule tables of a Markdown page: every table row
// whose first cell is an anchored id. The description is the cell under
// "checks" or "what it asks", followed by the cell under "on" in brackets
// when the table has one. Rows of other tables are left alone.
func parseRuleTables(page, text string) []ruleEntry {
	var out []ruleEntry
	var header []string
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") {
			header = nil
			continue
		}
		cells := splitRow(line)
		if header == nil {
			header = cells
			continue
		}
		m := ruleIDCell.FindStringSubmatch(cells[0])
		if m == nil {
			continue
		}
		out = append(out, ruleEntry{id: m[2], page: page, anchor: m[1], description: describe(header, cells)})
	}
	return out
}

// describe joins the cells of a row that say what the rule checks.
func describe(header, cells []string) string {
	var what, on string
	for i, h := range header {
		if i >= len(cells) {
			break
		}
		switch h {
		case "checks", "what it asks":
			what = cells[i]
		case "on":
			on = cells[i]
		}
	}
	if on != "" {
		return what + " (" + on + ")"
	}
	return what
}

// splitRow splits a table row into trimmed cells as GitHub does: on every
// pipe but an escaped one, code spans included.
func splitRow(line string) []string {
	line = strings.TrimSuffix(strings.TrimPrefix(line, "|"), "|")
	var cells []string
	var cell strings.Builder
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '\\' && i+1 < len(line) && line[i+1] == '|':
			cell.WriteByte('|')
			i++
		case c == '|':
			cells = append(cells, strings.TrimSpace(cell.String()))
			cell.Reset()
		default:
			cell.WriteByte(c)
		}
	}
	return append(cells, strings.TrimSpace(cell.String()))
}

// plainText turns a one-line description in Markdown into the plain text
// SARIF's text fields hold: code spans and emphasis lose their marks.
func plainText(md string) string {
	return strings.NewReplacer("`", "", "**", "").Replace(md)
}
