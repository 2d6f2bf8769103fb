package pluginconfig

import (
	"os"
	"testing"
)

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the compatibility fixtures are expected beside the repository: %v", err)
	}
	return data
}
