// Command benchtable turns `go test -bench` output into the table `make
// bench` prints.
package main
