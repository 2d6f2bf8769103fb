// Package statusrec keeps the status code a handler answered, for the
// test servers that count or log the requests passing through them.
package statusrec
