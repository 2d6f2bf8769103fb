package storage

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func contractList(t *testing.T, b Bucket) {
	for i, name := range listFixture {
		write(t, b, name, strings.Repeat("x", i), WriteOptions{})
	}
	cases := []struct {
		name string
		opts ListOptions
		want []string
	}{
		{
			name: "a directory with the slash delimiter",
			opts: ListOptions{Prefix: "logs/job/", Delimiter: "/"},
			want: []string{"logs/job/1/", "logs/job/2/", "logs/job/latest-build.txt"},
		},
		{
			name: "sorts by bytes, so job-b/ comes before job/",
			opts: ListOptions{Prefix: "logs/", Delimiter: "/"},
			want: []string{"logs/job-b/", "logs/job/", "logs/joc"},
		},
		{
			name: "the top of the bucket",
			opts: ListOptions{Delimiter: "/"},
			want: []string{"logs/", "pr-logs/", "top.txt"},
		},
		{
			name: "a prefix that is not a directory",
			opts: ListOptions{Prefix: "logs/jo", Delimiter: "/"},
			want: []string{"logs/job-b/", "logs/job/", "logs/joc"},
		},
		{
			name: "every object under a prefix without a delimiter",
			opts: ListOptions{Prefix: "logs/job"},
			want: []string{"logs/job-b/1/x", "logs/job/1/finished.json", "logs/job/1/started.json", "logs/job/2/started.json", "logs/job/latest-build.txt"},
		},
		{
			name: "everything",
			opts: ListOptions{},
			want: slices.Sorted(slices.Values(listFixture)),
		},
		{
			name: "a delimiter other than slash",
			opts: ListOptions{Prefix: "logs/", Delimiter: "-"},
			want: []string{"logs/job-", "logs/job/1/finished.json", "logs/job/1/started.json", "logs/job/2/started.json", "logs/job/latest-", "logs/joc"},
		},
		{
			name: "after a prefix entry skips all below it",
			opts: ListOptions{Prefix: "logs/job/", Delimiter: "/", StartAfter: "logs/job/1/"},
			want: []string{"logs/job/2/", "logs/job/latest-build.txt"},
		},
		{
			name: "after an object",
			opts: ListOptions{Prefix: "logs/job/1/", StartAfter: "logs/job/1/finished.json"},
			want: []string{"logs/job/1/started.json"},
		},
		{
			name: "a prefix with nothing under it",
			opts: ListOptions{Prefix: "missing/", Delimiter: "/"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := names(t, b, tc.opts); !slices.Equal(got, tc.want) {
				t.Errorf("names = %q\nwant %q", got, tc.want)
			}
		})
	}
	t.Run("object entries have a size", func(t *testing.T) {
		for e, err := range b.List(t.Context(), ListOptions{Prefix: "top.txt"}) {
			if err != nil || e.Name != "top.txt" || e.IsPrefix || e.Size != int64(len(listFixture)-1) || e.Updated.IsZero() {
				t.Errorf("entry = %+v, %v", e, err)
			}
		}
	})
}

func contractListPages(t *testing.T, b Bucket) {
	for _, name := range listFixture {
		write(t, b, name, "x", WriteOptions{})
	}
	for _, opts := range []ListOptions{{}, {Delimiter: "/", Prefix: "logs/"}, {Prefix: "logs/", Delimiter: "-"}} {
		all := names(t, b, opts)
		var paged []string
		for {
			var page []string
			for e, err := range b.List(t.Context(), opts) {
				if err != nil {
					t.Fatal(err)
				}
				page = append(page, e.Name)
				if len(page) == 2 {
					break
				}
			}
			if len(page) == 0 {
				break
			}
			paged = append(paged, page...)
			opts.StartAfter = page[len(page)-1]
		}
		if !slices.Equal(paged, all) {
			t.Errorf("pages of two give %q\nwant %q", paged, all)
		}
	}
}

func contractDelete(t *testing.T, b Bucket) {
	write(t, b, "logs/job/1/started.json", "{}", WriteOptions{})
	write(t, b, "logs/job/2/started.json", "{}", WriteOptions{})
	if err := b.Delete(t.Context(), "logs/job/1/started.json"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Read(t.Context(), "logs/job/1/started.json"); !errors.Is(err, ErrNotExist) {
		t.Errorf("read after delete: err = %v, want ErrNotExist", err)
	}
	if got := names(t, b, ListOptions{Prefix: "logs/job/", Delimiter: "/"}); !slices.Equal(got, []string{"logs/job/2/"}) {
		t.Errorf("listing after delete = %q", got)
	}
	write(t, b, "logs/job/1/started.json", "again", WriteOptions{DoesNotExist: true})
}

func contractInvalidPaths(t *testing.T, b Bucket) {
	for _, name := range []string{"", "/etc/passwd", "../secret", "logs/../../x", "..", "./a", "a/./b", "a//b", "a/", "a\\b", "a\x00b", "a\nb", "\xff"} {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			if _, err := b.Write(ctx, name, strings.NewReader("x"), WriteOptions{}); !errors.Is(err, ErrInvalidPath) {
				t.Errorf("Write: err = %v", err)
			}
			if _, err := b.Read(ctx, name); !errors.Is(err, ErrInvalidPath) {
				t.Errorf("Read: err = %v", err)
			}
			if _, err := b.ReadRange(ctx, name, 0, 1); !errors.Is(err, ErrInvalidPath) {
				t.Errorf("ReadRange: err = %v", err)
			}
			if _, err := b.Attributes(ctx, name); !errors.Is(err, ErrInvalidPath) {
				t.Errorf("Attributes: err = %v", err)
			}
			if err := b.Delete(ctx, name); !errors.Is(err, ErrInvalidPath) {
				t.Errorf("Delete: err = %v", err)
			}
			if name == "" || name == "a/" {
				return // valid prefixes
			}
			var listErr error
			for _, err := range b.List(ctx, ListOptions{Prefix: name}) {
				listErr = err
				break
			}
			if !errors.Is(listErr, ErrInvalidPath) {
				t.Errorf("List: err = %v", listErr)
			}
		})
	}
}
