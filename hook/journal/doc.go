// Package journal is hook's durable intake and its queue: every webhook
// delivery is appended to a journal on disk before GitHub is told it was
// received, handed to a worker from there (Next), and marked done once
// handled. On start the deliveries that were never marked done are queued
// again, and a delivery ID seen before (within a window kept by count and
// age) is recognized so a redelivery is handled once.
//
// Writes from concurrent requests are group-committed: a request copies
// its record into the batch being gathered; the first to find nobody
// writing writes the batch (others' frames with its own), and a syncer
// makes each write durable with one fdatasync while the next is written,
// so durability costs a disk flush per batch, not per delivery, and no
// request waits on another's write to queue its own.
// Deliveries are stored compressed (S2): webhook JSON shrinks about six
// times, and so does what each flush has to write.
package journal
