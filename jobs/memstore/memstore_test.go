package memstore_test

import (
	"testing"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/memstore"
	"github.com/prowbot/prow/jobs/storetest"
)

func TestContract(t *testing.T) {
	storetest.Run(t, func(*testing.T) jobs.Store { return memstore.New() })
}
