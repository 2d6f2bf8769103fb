package journal

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/klauspost/compress/s2"
)

// Record is one webhook delivery as received.
type Record struct {
	// ID is the X-GitHub-Delivery header.
	ID string
	// Event is the X-GitHub-Event header.
	Event string
	// Header holds the request headers worth keeping (forwarded to external
	// plugins as they came).
	Header http.Header
	// Body is the payload, byte for byte.
	Body []byte
	// Received is when hook accepted the delivery.
	Received time.Time
	// Replayed is set on the records Open returns: an earlier run
	// accepted them and did not finish them. It is not stored.
	Replayed bool
}

const (
	// kindDelivery is a delivery as it was first stored, uncompressed;
	// still read, no longer written.
	kindDelivery byte = 1
	kindDone     byte = 2
	// kindDeliveryS2 is a delivery compressed with S2 (webhook JSON
	// shrinks about six times, at about 2.5 GB/s): less to write and
	// flush per delivery.
	kindDeliveryS2 byte = 3
	headerSize          = 1 + 4 + 4 // kind, length, crc
	maxRecord           = 64 << 20
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// errTorn marks the end of the usable journal: a record cut short or
// damaged by a crash mid-write.
var errTorn = errors.New("torn record")

// appendFrame encodes one framed record: kind, payload length, CRC of the
// payload, payload.
func appendFrame(buf []byte, kind byte, payload []byte) []byte {
	var hdr [headerSize]byte
	hdr[0] = kind
	binary.LittleEndian.PutUint32(hdr[1:5], uint32(len(payload)))
	binary.LittleEndian.PutUint32(hdr[5:9], crc32.Checksum(payload, crcTable))
	buf = append(buf, hdr[:]...)
	return append(buf, payload...)
}

// readFrame reads one framed record; errTorn means the rest of the file
// cannot be trusted, io.EOF a clean end.
func readFrame(r io.Reader) (byte, []byte, error) {
	var hdr [headerSize]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		if errors.Is(err, io.EOF) {
			return 0, nil, io.EOF
		}
		return 0, nil, errTorn
	}
	n := binary.LittleEndian.Uint32(hdr[1:5])
	if (hdr[0] != kindDelivery && hdr[0] != kindDone && hdr[0] != kindDeliveryS2) || n > maxRecord {
		return 0, nil, errTorn
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		return 0, nil, errTorn
	}
	if crc32.Checksum(payload, crcTable) != binary.LittleEndian.Uint32(hdr[5:9]) {
		return 0, nil, errTorn
	}
	return hdr[0], payload, nil
}

// appendDeliveryFrame appends rec as a framed, compressed delivery
// record to buf, using scratch for the uncompressed encoding; it returns
// both buffers for reuse.
func appendDeliveryFrame(buf, scratch []byte, rec Record) (frame, scratchOut []byte) {
	raw := appendDelivery(scratch[:0], rec)
	start := len(buf)
	buf = slices.Grow(buf, headerSize+s2.MaxEncodedLen(len(raw)))
	buf = buf[:start+headerSize+s2.MaxEncodedLen(len(raw))]
	payload := s2.Encode(buf[start+headerSize:], raw) // in place: buf is large enough
	buf = buf[:start+headerSize+len(payload)]
	buf[start] = kindDeliveryS2
	binary.LittleEndian.PutUint32(buf[start+1:start+5], uint32(len(payload)))
	binary.LittleEndian.PutUint32(buf[start+5:start+9], crc32.Checksum(payload, crcTable))
	return buf, raw
}

// Frame appends rec to dst as the journal stores it (framed, compressed):
// the work Append does before it queues a delivery, for benchmarks.
func Frame(dst []byte, rec Record) []byte {
	frame, _ := appendDeliveryFrame(dst, nil, rec)
	return frame
}

// decodeFrame decodes a delivery frame's payload of the given kind.
func decodeFrame(kind byte, payload []byte) (Record, error) {
	if kind == kindDeliveryS2 {
		n, err := s2.DecodedLen(payload)
		if err != nil {
			return Record{}, fmt.Errorf("bad compressed delivery: %w", err)
		}
		if n > maxRecord {
			return Record{}, fmt.Errorf("bad compressed delivery: %d bytes decoded", n)
		}
		raw, err := s2.Decode(nil, payload)
		if err != nil {
			return Record{}, fmt.Errorf("bad compressed delivery: %w", err)
		}
		payload = raw
	}
	return decodeDelivery(payload)
}

// encodeDelivery lays a record out as length-prefixed fields.
func encodeDelivery(rec Record) []byte { return appendDelivery(nil, rec) }

// appendDelivery appends the record's fields to buf.
func appendDelivery(buf []byte, rec Record) []byte {
	var hdr strings.Builder
	keys := make([]string, 0, len(rec.Header))
	for k := range rec.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range rec.Header[k] {
			hdr.WriteString(k)
			hdr.WriteString(": ")
			hdr.WriteString(v)
			hdr.WriteByte('\n')
		}
	}
	buf = binary.AppendVarint(buf, rec.Received.UnixNano())
	buf = appendField(buf, []byte(rec.ID))
	buf = appendField(buf, []byte(rec.Event))
	buf = appendField(buf, []byte(hdr.String()))
	return appendField(buf, rec.Body)
}

func appendField(buf, field []byte) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(field)))
	return append(buf, field...)
}

func decodeDelivery(p []byte) (Record, error) {
	var rec Record
	nanos, n := binary.Varint(p)
	if n <= 0 {
		return rec, errors.New("bad timestamp")
	}
	p = p[n:]
	rec.Received = time.Unix(0, nanos)
	fields := make([][]byte, 4)
	for i := range fields {
		l, n := binary.Uvarint(p)
		if n <= 0 || uint64(len(p)-n) < l {
			return rec, fmt.Errorf("bad field %d", i)
		}
		fields[i] = p[n : n+int(l)]
		p = p[n+int(l):]
	}
	rec.ID, rec.Event, rec.Body = string(fields[0]), string(fields[1]), fields[3]
	rec.Header = http.Header{}
	for _, line := range strings.Split(string(fields[2]), "\n") {
		if k, v, ok := strings.Cut(line, ": "); ok {
			rec.Header.Add(k, v)
		}
	}
	return rec, nil
}
