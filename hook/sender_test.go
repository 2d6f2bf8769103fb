package hook

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
)

// sender is a lean HTTP/1.1 client on one keep-alive connection: each
// delivery goes out in one write of its prepared head and body, and the
// response is read with the standard parser.
type sender struct {
	conn net.Conn
	r    *bufio.Reader
	head []byte
	path string
	host string
}

func dialSender(rawURL string) (*sender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		return nil, err
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	return &sender{conn: conn, r: bufio.NewReader(conn), path: path, host: u.Host}, nil
}

func (s *sender) close() { _ = s.conn.Close() }

// send posts one signed pull_request delivery with a fresh delivery ID and
// fails unless the answer is 200.
func (s *sender) send(body []byte, sig string) error {
	h := s.head[:0]
	h = append(h, "POST "...)
	h = append(h, s.path...)
	h = append(h, " HTTP/1.1\r\nHost: "...)
	h = append(h, s.host...)
	h = append(h, "\r\nX-GitHub-Event: pull_request\r\nX-GitHub-Delivery: bench-"...)
	h = strconv.AppendInt(h, deliverySeq.Add(1), 10)
	h = append(h, "\r\nX-Hub-Signature-256: "...)
	h = append(h, sig...)
	h = append(h, "\r\nContent-Type: application/json\r\nContent-Length: "...)
	h = strconv.AppendInt(h, int64(len(body)), 10)
	h = append(h, "\r\n\r\n"...)
	s.head = h
	bufs := net.Buffers{h, body}
	if _, err := bufs.WriteTo(s.conn); err != nil {
		return err
	}
	resp, err := http.ReadResponse(s.r, nil)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// senderPool lends idle senders to concurrent deliveries, dialing another
// when all are busy.
type senderPool struct {
	url  string
	idle chan *sender
}

func newSenderPool(url string) *senderPool {
	return &senderPool{url: url, idle: make(chan *sender, 256)}
}

func (p *senderPool) send(body []byte, sig string) error {
	var s *sender
	select {
	case s = <-p.idle:
	default:
		var err error
		if s, err = dialSender(p.url); err != nil {
			return err
		}
	}
	if err := s.send(body, sig); err != nil {
		s.close()
		return err
	}
	select {
	case p.idle <- s:
	default:
		s.close()
	}
	return nil
}

func (p *senderPool) close() {
	for {
		select {
		case s := <-p.idle:
			s.close()
		default:
			return
		}
	}
}
