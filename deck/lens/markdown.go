package lens

import (
	"bytes"
	"fmt"
	"html/template"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// RenderMarkdown turns a Markdown artifact (GitHub-flavored) into HTML
// that is safe to put in the page: raw HTML in the source is left out
// (goldmark only passes it with html.WithUnsafe, never set here) and
// links with dangerous schemes (javascript:, ...) are dropped.
func RenderMarkdown(name string, src []byte) (template.HTML, error) {
	var buf bytes.Buffer
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	if err := md.Convert(src, &buf); err != nil {
		return "", fmt.Errorf("render Markdown %s: %w", name, err)
	}
	return template.HTML(buf.String()), nil //nolint:gosec // goldmark without WithUnsafe escapes text and drops raw HTML
}
