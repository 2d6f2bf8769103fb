package main

import (
	"errors"
	"fmt"
)

// exitError ends the program with a code after the command has already
// printed what the user needs to see.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func asExit(err error, target *exitError) bool { return errors.As(err, target) }
