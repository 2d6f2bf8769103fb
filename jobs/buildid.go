package jobs

import (
	"strconv"
	"sync"
	"time"
)

// BuildIDs hands out build IDs ordered by time, as Prow's snowflake IDs
// are: the milliseconds since the Unix epoch shifted left 22 bits, plus a
// counter when several are taken in the same millisecond. They are
// unique within the process and grow across restarts with the clock.
type BuildIDs struct {
	mu   sync.Mutex
	last uint64
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Next returns the next build ID.
func (b *BuildIDs) Next() string {
	now := time.Now
	if b.Now != nil {
		now = b.Now
	}
	id := uint64(now().UnixMilli()) << 22
	b.mu.Lock()
	defer b.mu.Unlock()
	if id <= b.last {
		id = b.last + 1
	}
	b.last = id
	return strconv.FormatUint(id, 10)
}
