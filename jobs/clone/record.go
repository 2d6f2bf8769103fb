package clone

import (
	"errors"
	"fmt"
	"strings"
	"time"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Record is what cloning one Refs did, as Prow's clone-records.json
// holds it.
type Record struct {
	Refs     prowapi.Refs `json:"refs"`
	Commands []Command    `json:"commands"`
	Failed   bool         `json:"failed"`
	// FinalSHA is HEAD after the merges (started.json's repo-commit).
	FinalSHA string `json:"final_sha"`
	// Duration is the whole clone's, in nanoseconds as Prow writes it.
	Duration time.Duration `json:"duration"`
}

// Command is one step of a clone.
type Command struct {
	Command  string        `json:"command"`
	Output   string        `json:"output,omitempty"`
	Error    string        `json:"error,omitempty"`
	Duration time.Duration `json:"duration"`
}

// Failed is nil when every record succeeded, else an error naming each
// refs that failed and the command that failed it.
func Failed(records []Record) error {
	var errs []error
	for _, r := range records {
		if !r.Failed {
			continue
		}
		msg := fmt.Sprintf("clone of %s at %s failed", r.Refs.OrgRepoString(), r.Refs.String())
		if n := len(r.Commands); n > 0 {
			c := r.Commands[n-1]
			msg += fmt.Sprintf(": %s: %s", c.Command, c.Error)
			if out := lastLine(c.Output); out != "" {
				msg += ": " + out
			}
		}
		errs = append(errs, errors.New(msg))
	}
	return errors.Join(errs...)
}

// FinalSHA is the final SHA of the first record (the main refs), empty
// when there is none.
func FinalSHA(records []Record) string {
	if len(records) == 0 {
		return ""
	}
	return records[0].FinalSHA
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimSpace(s)
}

// FormatRecords is the human-readable clone-log.txt, as Prow's
// initupload writes it.
func FormatRecords(records []Record) string {
	var b strings.Builder
	for _, r := range records {
		formatRecord(&b, r)
	}
	return b.String()
}

func formatRecord(b *strings.Builder, r Record) {
	if r.Failed {
		b.WriteString("# FAILED!\n")
	}
	fmt.Fprintf(b, "# Cloning %s at %s", r.Refs.OrgRepoString(), r.Refs.BaseRef)
	if r.Refs.BaseSHA != "" {
		fmt.Fprintf(b, "(%s)", r.Refs.BaseSHA)
	}
	b.WriteString("\n")
	if len(r.Refs.Pulls) > 0 {
		b.WriteString("# Checking out pulls:\n")
		for _, p := range r.Refs.Pulls {
			fmt.Fprintf(b, "#\t%d", p.Number)
			if p.SHA != "" {
				fmt.Fprintf(b, "(%s)", p.SHA)
			}
			b.WriteString("\n")
		}
	}
	for _, c := range r.Commands {
		fmt.Fprintf(b, "$ %s\n", c.Command)
		b.WriteString(c.Output)
		if c.Output != "" && !strings.HasSuffix(c.Output, "\n") {
			b.WriteString("\n")
		}
		if c.Error != "" {
			fmt.Fprintf(b, "# Error: %s\n", c.Error)
		}
	}
	fmt.Fprintf(b, "# Final SHA: %s\n", r.FinalSHA)
	fmt.Fprintf(b, "# Total runtime: %v\n", r.Duration)
}
