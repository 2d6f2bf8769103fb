package clonerefs

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/jobs/clone"
	"github.com/prowbot/prow/jobs/podutils/options"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Run clones the refs of o (which must be valid) and writes their
// records to o.Log. It fails when the records cannot be written, or, with
// o.Fail, when a clone failed; the records are written in every case
// they can be.
func Run(ctx context.Context, o options.CloneRefs, log *logrus.Entry) ([]clone.Record, error) {
	tmp, err := os.MkdirTemp("", "clonerefs-")
	if err != nil {
		return nil, fmt.Errorf("make a temporary directory for clonerefs: %w", err)
	}
	defer func() { _ = os.RemoveAll(tmp) }()

	var records []clone.Record
	cloner, setupCmds, err := prepare(o, tmp)
	if err != nil {
		log.WithError(err).Error("Could not prepare the clones")
		records = failAll(o.Refs, setupCmds)
	} else {
		records = cloneAll(ctx, cloner, o.SrcRoot, o.Refs, o.MaxParallelWorkers)
	}
	if err := writeRecords(o.Log, records); err != nil {
		return records, err
	}
	failed := clone.Failed(records)
	if failed != nil {
		log.WithError(failed).Warn("Cloning the refs failed")
	} else {
		log.WithField("refs", len(records)).Info("Cloned the refs")
	}
	if failed != nil && o.Fail {
		return records, failed
	}
	return records, nil
}

// failAll records every refs as failed by the setup commands.
func failAll(refs []prowapi.Refs, setup []clone.Command) []clone.Record {
	records := make([]clone.Record, 0, len(refs))
	for _, r := range refs {
		records = append(records, clone.Record{Refs: r, Commands: setup, Failed: true})
	}
	return records
}

// cloneAll clones refs with at most workers clones at a time (all at
// once when workers is 0), keeping the records in the order of refs.
func cloneAll(ctx context.Context, c *clone.Cloner, root string, refs []prowapi.Refs, workers int) []clone.Record {
	if workers <= 0 || workers > len(refs) {
		workers = len(refs)
	}
	records := make([]clone.Record, len(refs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				records[i] = c.CloneRefs(ctx, root, refs[i])
			}
		})
	}
	for i := range refs {
		next <- i
	}
	close(next)
	wg.Wait()
	return records
}

// writeRecords writes the clone records as Prow's clone-records.json.
func writeRecords(file string, records []clone.Record) error {
	data, err := json.MarshalIndent(records, "", "\t")
	if err != nil {
		return fmt.Errorf("encode the clone records: %w", err)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		return fmt.Errorf("write the clone records to %s: %w", file, err)
	}
	return nil
}
