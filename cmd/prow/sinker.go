package main

import (
	"context"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs/kube/podgc"
	"github.com/prowbot/prow/jobs/sinker"
)

// sinkerOptions are the flags of `prow sinker`.
type sinkerOptions struct {
	clusterOptions
}

func newSinkerCommand() *cobra.Command {
	o := &sinkerOptions{}
	cmd := &cobra.Command{
		Use:   "sinker",
		Short: "Delete old ProwJobs and their pods",
		Long: "sinker deletes finished ProwJobs older than sinker.max_prowjob_age (keeping each periodic's\n" +
			"newest run) with their pods, and the job pods (labeled created-by-prow) that are older than\n" +
			"sinker.max_pod_age, finished longer than sinker.terminated_pod_ttl ago, or whose ProwJob is gone.\n" +
			"It does so every sinker.resync_period, ProwJobs first.",
		Args: cobra.NoArgs,
		RunE: runUntilSignal(o),
	}
	o.addFlags(cmd, "prow-sinker")
	return cmd
}

func (o *sinkerOptions) run(ctx context.Context) error {
	s, m, err := o.start(ctx, "sinker", o.Options(), nil, nil)
	if err != nil {
		return err
	}
	log, agent := s.log, s.agent
	runner, err := o.openRunner(ctx, m, s.rc, agent, log)
	if err != nil {
		return err
	}
	clusters, err := o.buildClusterSet(s.rc)
	if err != nil {
		return err
	}
	gc, err := podgc.New(podgc.Options{Clusters: clusters, Jobs: m.store, Config: agent.Getter(), Logger: log})
	if err != nil {
		return err
	}
	sink := &sinker.Sinker{Store: m.store, Runner: runner, Config: agent.Getter(), Logger: log}
	if err := m.add("sinker", func(ctx context.Context) error {
		cleanUntilDone(ctx, sink, gc, agent.Getter(), log)
		return nil
	}); err != nil {
		return err
	}
	return m.run(ctx)
}

// cleanUntilDone cleans the ProwJobs, then the pods, every
// sinker.resync_period until ctx ends.
func cleanUntilDone(ctx context.Context, s *sinker.Sinker, gc *podgc.Collector, cfg config.Getter, log *logrus.Entry) {
	for {
		if _, err := s.Sync(ctx); err != nil && ctx.Err() == nil {
			log.WithError(err).Warn("Cleaning up old jobs failed")
		}
		if _, err := gc.Collect(ctx); err != nil && ctx.Err() == nil {
			log.WithError(err).Warn("Cleaning up old pods failed")
		}
		period := time.Hour
		if p := cfg().Sinker.ResyncPeriod; p != nil && p.Duration > 0 {
			period = p.Duration
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(period):
		}
	}
}
