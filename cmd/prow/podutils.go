package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/prowbot/prow/jobs/downward"
	"github.com/prowbot/prow/jobs/podutils/clonerefs"
	"github.com/prowbot/prow/jobs/podutils/entrypoint"
	"github.com/prowbot/prow/jobs/podutils/initupload"
	"github.com/prowbot/prow/jobs/podutils/options"
	"github.com/prowbot/prow/jobs/podutils/sidecar"
)

// The pod utilities: the containers jobs/decorate puts around a job's
// test. Each reads its JSON options from its environment variable (or
// the file of its --<name>-options flag) and, for initupload and
// sidecar, the job from $JOB_SPEC.

// podutilLogger is the JSON logger of a utility, with the job's fields
// when they are known.
func podutilLogger(spec downward.JobSpec) *logrus.Entry {
	log := logrus.NewEntry(newLogger("info"))
	if spec.Job != "" {
		log = log.WithFields(logrus.Fields{"job": spec.Job, "build": spec.BuildID})
	}
	return log
}

// interrupts delivers SIGINT and SIGTERM until stop is called.
func interrupts() (<-chan os.Signal, func()) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	return sig, func() { signal.Stop(sig) }
}

// podutilCommand is the command of a utility: it reads and checks the
// utility's options with o's Validate, then runs it.
func podutilCommand(use, short, long string, o interface{ Validate() error }, run func(cmd *cobra.Command) error) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Long:  long,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return err
			}
			return run(cmd)
		},
	}
}

type clonerefsOptions struct {
	file       string
	cookiefile string
	fail       bool
	opts       options.CloneRefs
}

// Validate reads the options and checks them.
func (o *clonerefsOptions) Validate() error {
	if err := options.Load(&o.opts, options.CloneRefsEnv, o.file, nil); err != nil {
		return err
	}
	if o.cookiefile != "" {
		o.opts.CookiePath = o.cookiefile
	}
	o.opts.Fail = o.opts.Fail || o.fail
	return o.opts.Validate()
}

func newClonerefsCommand() *cobra.Command {
	o := &clonerefsOptions{}
	cmd := podutilCommand("clonerefs", "Clone a job's refs and write the clone records (a pod utility)",
		"clonerefs clones the refs in $"+options.CloneRefsEnv+" below their source root and writes the\n"+
			"clone records to their log file. A failed clone fails the command only with --fail (initupload\n"+
			"reports it in a decorated pod).",
		o, func(cmd *cobra.Command) error {
			_, err := clonerefs.Run(cmd.Context(), o.opts, podutilLogger(downward.JobSpec{}))
			return err
		})
	f := cmd.Flags()
	f.StringVar(&o.file, "clonerefs-options", "", "a file holding the JSON options (instead of $"+options.CloneRefsEnv+")")
	f.StringVar(&o.cookiefile, "cookiefile", "", "a git http.cookiefile (overrides cookie_path)")
	f.BoolVar(&o.fail, "fail", false, "exit non-zero when a clone fails")
	return cmd
}

// jobSpecOptions are the options of a utility that reads the job spec
// too (initupload, sidecar): opts from file, else $env, and spec from
// $JOB_SPEC.
type jobSpecOptions[T interface{ Validate() error }] struct {
	env  string
	file string
	opts T
	spec downward.JobSpec
}

// Validate reads the options and the job spec and checks the options.
func (o *jobSpecOptions[T]) Validate() error {
	if err := options.Load(&o.opts, o.env, o.file, nil); err != nil {
		return err
	}
	var err error
	if o.spec, err = options.ParseJobSpec(os.Getenv(downward.JobSpecEnv)); err != nil {
		return err
	}
	return o.opts.Validate()
}

func newInituploadCommand() *cobra.Command {
	o := &jobSpecOptions[options.InitUpload]{env: options.InitUploadEnv}
	cmd := podutilCommand("initupload", "Upload started.json and the clone records (a pod utility)",
		"initupload uploads started.json and the clone records of the job in $JOB_SPEC to the bucket in\n"+
			"$"+options.InitUploadEnv+". When a clone failed it also uploads finished.json and fails.",
		o, func(cmd *cobra.Command) error {
			return initupload.Run(cmd.Context(), o.opts, o.spec, initupload.Deps{Log: podutilLogger(o.spec)})
		})
	cmd.Flags().StringVar(&o.file, "initupload-options", "", "a file holding the JSON options (instead of $"+options.InitUploadEnv+")")
	return cmd
}

type entrypointOptions struct {
	file     string
	copyMode bool
	copyDst  string
	opts     options.Entrypoint
}

// Validate reads the options (none are needed in copy mode) and checks
// them.
func (o *entrypointOptions) Validate() error {
	if o.copyMode {
		return nil
	}
	if err := options.Load(&o.opts, options.EntrypointEnv, o.file, nil); err != nil {
		return err
	}
	return o.opts.Validate()
}

func newEntrypointCommand() *cobra.Command {
	o := &entrypointOptions{}
	cmd := podutilCommand("entrypoint", "Run a job's test command with a timeout and record its exit code (a pod utility)",
		"entrypoint runs the command in $"+options.EntrypointEnv+", writing its output to the process log\n"+
			"and to standard output, interrupts it after the timeout (killing it after the grace period) and\n"+
			"writes its exit code to the marker file. It exits with that code. With --copy-mode-only it copies\n"+
			"its own binary to --copy-destination instead.",
		o, func(cmd *cobra.Command) error { return o.run(cmd.Context(), cmd) })
	f := cmd.Flags()
	f.StringVar(&o.file, "entrypoint-options", "", "a file holding the JSON options (instead of $"+options.EntrypointEnv+")")
	f.BoolVar(&o.copyMode, "copy-mode-only", false, "only copy this binary to --copy-destination")
	f.StringVar(&o.copyDst, "copy-destination", entrypoint.DefaultCopyDst, "where --copy-mode-only copies the binary")
	return cmd
}

func (o *entrypointOptions) run(ctx context.Context, cmd *cobra.Command) error {
	if o.copyMode || o.opts.CopyModeOnly {
		dst := o.copyDst
		if o.opts.CopyDst != "" && !cmd.Flags().Changed("copy-destination") {
			dst = o.opts.CopyDst
		}
		self, err := os.Executable()
		if err != nil {
			return fmt.Errorf("find the entrypoint binary: %w", err)
		}
		return entrypoint.Copy(self, dst)
	}
	sig, stop := interrupts()
	defer stop()
	code := entrypoint.Run(ctx, o.opts, entrypoint.Deps{Stdout: cmd.OutOrStdout(), Interrupt: sig, Log: podutilLogger(downward.JobSpec{})})
	if code != 0 {
		return exitError{code: code}
	}
	return nil
}

func newSidecarCommand() *cobra.Command {
	o := &jobSpecOptions[options.Sidecar]{env: options.SidecarEnv}
	cmd := podutilCommand("sidecar", "Wait for a job's test and upload its logs, artifacts and finished.json (a pod utility)",
		"sidecar waits for the marker files of the entries in $"+options.SidecarEnv+", then uploads their\n"+
			"logs, the artifacts and finished.json to the bucket. It fails when the upload does, or, with\n"+
			"entry_error, when a test failed.",
		o, func(cmd *cobra.Command) error {
			sig, stop := interrupts()
			defer stop()
			out, err := sidecar.Run(cmd.Context(), o.opts, o.spec, sidecar.Deps{Interrupt: sig, Log: podutilLogger(o.spec)})
			if err != nil {
				return err
			}
			if o.opts.EntryError && out.Failures > 0 {
				return fmt.Errorf("%d of the job's test containers failed", out.Failures)
			}
			return nil
		})
	cmd.Flags().StringVar(&o.file, "sidecar-options", "", "a file holding the JSON options (instead of $"+options.SidecarEnv+")")
	return cmd
}
