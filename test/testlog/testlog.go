// Package testlog gives tests a logger that writes nowhere, so that every
// test and benchmark does not build its own.
package testlog

import (
	"io"

	"github.com/sirupsen/logrus"
)

// Discard returns a new logger, at Info level, whose output is thrown away.
// Each call makes its own, so a test may raise its level or add hooks
// without touching another test's.
func Discard() *logrus.Entry {
	l := logrus.New()
	l.SetOutput(io.Discard)
	return logrus.NewEntry(l)
}
