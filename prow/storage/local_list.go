package storage

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"strings"
)

// list collects, sorts and filters the entries of a listing.
func (b *Local) list(ctx context.Context, opts ListOptions) ([]Entry, error) {
	if err := ValidatePrefix(opts.Prefix); err != nil {
		return nil, err
	}
	dir, part := ".", opts.Prefix
	if i := strings.LastIndex(opts.Prefix, "/"); i >= 0 {
		dir, part = opts.Prefix[:i], opts.Prefix[i+1:]
	}
	// With the "/" delimiter a directory is a prefix entry, so there is
	// no need to descend; any other delimiter needs every object.
	shallow := opts.Delimiter == "/"
	var entries []Entry
	if err := b.walk(ctx, dir, part, shallow, &entries); err != nil {
		return nil, err
	}
	slices.SortFunc(entries, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
	if !shallow && opts.Delimiter != "" {
		entries = groupByDelimiter(entries, opts.Prefix, opts.Delimiter)
	}
	return slices.DeleteFunc(entries, func(e Entry) bool { return !opts.after(e.Name) }), nil
}

// walk adds the objects in dir whose base names start with part (and,
// unless shallow, those below its sub-directories) to out; when shallow,
// sub-directories become prefix entries.
func (b *Local) walk(ctx context.Context, dir, part string, shallow bool, out *[]Entry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	des, err := fs.ReadDir(b.root.FS(), dir)
	if err != nil {
		if errors.Is(notExist(err), ErrNotExist) {
			return nil // nothing there is an empty listing, as in GCS
		}
		return err
	}
	for _, de := range des {
		full, ok := entryName(dir, part, de.Name())
		if !ok {
			continue
		}
		if err := b.walkEntry(ctx, full, de, shallow, out); err != nil {
			return err
		}
	}
	return nil
}

// entryName is the object name of a directory entry, and whether a
// listing looks at it at all.
func entryName(dir, part, name string) (string, bool) {
	if !strings.HasPrefix(name, part) || (dir == "." && name == localReserved) {
		return "", false
	}
	full := name
	if dir != "." {
		full = dir + "/" + name
	}
	// A name put there by hand that could not be read either is skipped.
	return full, ValidatePath(full) == nil
}

// walkEntry adds one directory entry to a listing.
func (b *Local) walkEntry(ctx context.Context, full string, de fs.DirEntry, shallow bool, out *[]Entry) error {
	switch {
	case de.IsDir() && shallow:
		*out = append(*out, Entry{Name: full + "/", IsPrefix: true})
	case de.IsDir():
		return b.walk(ctx, full, "", false, out)
	default:
		// A symbolic link counts when it resolves to a regular file inside
		// the root; links to directories are not followed.
		fi, err := b.root.Stat(full)
		if err != nil || !fi.Mode().IsRegular() {
			return nil
		}
		*out = append(*out, Entry{Name: full, Size: fi.Size(), Updated: fi.ModTime().UTC()})
	}
	return nil
}

// groupByDelimiter folds sorted objects into common prefixes the way GCS
// does: the part of a name after prefix up to and including the first
// delimiter names the group.
func groupByDelimiter(objects []Entry, prefix, delim string) []Entry {
	out := make([]Entry, 0, len(objects))
	last := ""
	for _, e := range objects {
		rest := strings.TrimPrefix(e.Name, prefix)
		i := strings.Index(rest, delim)
		if i < 0 {
			out = append(out, e)
			continue
		}
		p := prefix + rest[:i+len(delim)]
		if p != last {
			out = append(out, Entry{Name: p, IsPrefix: true})
			last = p
		}
	}
	return out
}
