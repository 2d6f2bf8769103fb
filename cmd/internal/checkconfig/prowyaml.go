package checkconfig

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/prow/yamlconf"
)

// defaultCheckoutRoot is where the pod utilities clone a repository, as
// Prow's checkconfig assumes when only --prow-yaml-repo-name is given.
const defaultCheckoutRoot = "/home/prow/go/src/github.com"

// prowYAMLRoot is the checkout whose in-repo configuration is checked:
// path itself when it is a directory, the directory of a .prow.yaml file
// otherwise, and the pod utilities' clone of repo when path is empty.
func prowYAMLRoot(repo, path string) (string, error) {
	if path == "" {
		return filepath.Join(defaultCheckoutRoot, repo), nil
	}
	info, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("--prow-yaml-repo-path: %w", err)
	}
	if info.IsDir() {
		return path, nil
	}
	return filepath.Dir(path), nil
}

// readProwYAML reads the in-repo configuration files of the checkout at
// root, by their path in the repository.
func readProwYAML(root string) (map[string][]byte, error) {
	files := map[string][]byte{}
	read := func(rel string) error {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			return err
		}
		files[rel] = data
		return nil
	}
	if err := read(config.ProwYAMLFile); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	dir := filepath.Join(root, config.ProwYAMLDir)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !config.IsProwYAMLPath(rel) {
			return nil
		}
		return read(rel)
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return files, nil
}

// checkProwYAML checks the in-repo configuration of repo ("org/repo") in
// the checkout at root against the central configuration cfg: the
// problems name the files under root and their lines; warnings say what
// would make the jobs inert.
func checkProwYAML(cfg *config.Config, repo, root string) (problems config.Problems, warnings []yamlconf.Problem, err error) {
	org, name, ok := strings.Cut(repo, "/")
	if !ok || org == "" || name == "" {
		return nil, nil, fmt.Errorf("--prow-yaml-repo-name %q: want org/repo", repo)
	}
	files, err := readProwYAML(root)
	if err != nil {
		return nil, nil, fmt.Errorf("read the in-repo configuration of %s: %w", root, err)
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("%s has neither %s nor a %s/ directory", root, config.ProwYAMLFile, config.ProwYAMLDir)
	}
	if !cfg.InRepoConfig.EnabledFor(org, name) {
		warnings = append(warnings, yamlconf.Problem{Message: "in_repo_config is not enabled for " + repo + ": the jobs of its in-repo configuration are ignored"})
	}
	py, err := config.ParseProwYAML(files)
	if err == nil {
		_, err = cfg.WithInRepo(org, name, py)
	}
	var bad *config.InRepoError
	if errors.As(err, &bad) {
		for _, p := range bad.Problems {
			if p.File != "" {
				p.File = filepath.Join(root, filepath.FromSlash(p.File))
			}
			problems = append(problems, p)
		}
		return problems, warnings, nil
	}
	return nil, warnings, err
}
