// Package journal is hook's durable intake: every webhook delivery is
// appended to a journal on disk before GitHub is told it was received, and
// marked done once handled. On start the deliveries that were never marked
// done are handed back for handling, and a delivery ID seen before is
// recognized so a redelivery is handled once.
//
// Writes from concurrent requests are group-committed: a request copies
// its record into the batch being gathered and waits, and one flusher
// writes each batch and makes it durable with one fsync while the next
// batch gathers, so durability costs a disk flush per batch, not per
// delivery, and no request waits on another's write to queue its own.
// Deliveries are stored compressed (S2): webhook JSON shrinks about six
// times, and so does what each flush has to write.
package journal
