package catalog

import (
	"slices"
	"testing"

	"github.com/prowbot/prow/plugins/catalog/names"
)

// The lean binary's checkconfig validates plugin names against
// names.Names; it must say exactly what the catalog has.
func TestStaticNamesMatchTheCatalog(t *testing.T) {
	if got, want := names.Names(), Names(); !slices.Equal(got, want) {
		t.Errorf("plugins/catalog/names.Names() = %q\nwant catalog.Names() = %q\n(update plugins/catalog/names/names.go)", got, want)
	}
}
