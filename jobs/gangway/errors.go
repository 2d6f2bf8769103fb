package gangway

import (
	"encoding/json"
	"net/http"
)

// The gRPC status codes the API answers with, and their HTTP statuses
// (as grpc-gateway maps them).
const (
	codeInvalidArgument  = 3
	codeNotFound         = 5
	codePermissionDenied = 7
	codeInternal         = 13
)

var httpStatus = map[int]int{
	codeInvalidArgument:  http.StatusBadRequest,
	codeNotFound:         http.StatusNotFound,
	codePermissionDenied: http.StatusForbidden,
	codeInternal:         http.StatusInternalServerError,
}

// Status is the error body, grpc-gateway's: the gRPC code and a message.
type Status struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Details []any  `json:"details"`
}

func writeError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(httpStatus[code])
	_ = json.NewEncoder(w).Encode(Status{Code: code, Message: msg, Details: []any{}}) // the client went away
}
