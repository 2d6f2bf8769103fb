package statusrec

import "net/http"

// Recorder is an http.ResponseWriter that keeps the status code written
// through it (200 until a handler writes another).
type Recorder struct {
	http.ResponseWriter
	// Code is the status code the handler answered.
	Code int
}

// New wraps w.
func New(w http.ResponseWriter) *Recorder {
	return &Recorder{ResponseWriter: w, Code: http.StatusOK}
}

// WriteHeader keeps code and writes it.
func (r *Recorder) WriteHeader(code int) {
	r.Code = code
	r.ResponseWriter.WriteHeader(code)
}

// Flush flushes the wrapped writer when it can, so that streamed answers
// stream through the recorder too.
func (r *Recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
