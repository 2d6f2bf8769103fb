// Package journal is hook's durable intake: every webhook delivery is
// appended to a journal on disk before GitHub is told it was received, and
// marked done once handled. On start the deliveries that were never marked
// done are handed back for handling, and a delivery ID seen before is
// recognized so a redelivery is handled once.
//
// Writes from concurrent requests are group-committed: one fsync covers
// every record written while the previous fsync ran, so durability costs a
// disk flush per batch, not per delivery.
package journal
