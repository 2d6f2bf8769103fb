package plugins

import (
	"fmt"
	"strings"
)

// DefaultHelpLink is where replies point people for the command list,
// until the deck command-help page is configured.
const DefaultHelpLink = "https://go.k8s.io/bot-commands"

// FormatResponse builds the bot's reply: it mentions the user, says the
// message, and quotes the comment being answered in a folded section.
func FormatResponse(user, message, commentURL, comment string) string {
	var quoted strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(comment), "\n") {
		quoted.WriteString(">")
		quoted.WriteString(strings.TrimRight(line, "\r"))
		quoted.WriteString("\n")
	}
	return fmt.Sprintf(`@%s: %s

<details>

In response to [this](%s):

%s

The commands I understand are listed [here](%s).
</details>`, user, message, commentURL, quoted.String(), DefaultHelpLink)
}

// FormatCommentResponse replies to a generic comment event.
func FormatCommentResponse(ev GenericCommentEvent, message string) string {
	return FormatResponse(ev.User, message, ev.HTMLURL, ev.Body)
}
