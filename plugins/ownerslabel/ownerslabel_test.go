package ownerslabel

import (
	"reflect"
	"testing"
	"testing/fstest"

	"github.com/prowbot/prow/prow/owners"
)

func TestMissing(t *testing.T) {
	ro, err := owners.Load(fstest.MapFS{
		"OWNERS":     {Data: []byte("approvers: [a]\n")},
		"api/OWNERS": {Data: []byte("labels: [area/api, sig/arch]\n")},
		"ui/OWNERS":  {Data: []byte("labels: [area/ui]\n")},
	}, owners.Options{})
	if err != nil {
		t.Fatal(err)
	}
	exist := map[string]bool{"area/api": true, "area/ui": true}
	cases := []struct {
		name              string
		files, have, want []string
	}{
		{"only labels that exist in the repo", []string{"api/x.go"}, nil, []string{"area/api"}},
		{"labels already on the PR are not missing", []string{"api/x.go", "ui/y.js"}, []string{"area/api"}, []string{"area/ui"}},
		{"a file under no OWNERS with labels", []string{"README.md"}, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Missing(ro, tc.files, tc.have, exist); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Missing(%v, %v) = %v, want %v", tc.files, tc.have, got, tc.want)
			}
		})
	}
}
