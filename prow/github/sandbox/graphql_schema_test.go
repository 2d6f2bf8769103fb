package sandbox_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/prowbot/prow/prow/github/sandbox"
)

// githubGraphQLSchema is GitHub's public GraphQL schema from the npm
// package @octokit/graphql-schema, which `make graphql-schema` (and so
// `make test`) installs and points OCTOKIT_GRAPHQL_SCHEMA_DIR at.
func githubGraphQLSchema(t *testing.T) *ast.SchemaDocument {
	t.Helper()
	dir := os.Getenv("OCTOKIT_GRAPHQL_SCHEMA_DIR")
	if dir == "" {
		t.Fatal("GitHub's GraphQL schema is missing: OCTOKIT_GRAPHQL_SCHEMA_DIR is not set; run `make graphql-schema` (`make test` runs it), " +
			"which installs the npm package @octokit/graphql-schema, and set OCTOKIT_GRAPHQL_SCHEMA_DIR to the folder it prints")
	}
	path := filepath.Join(dir, "schema.graphql")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("GitHub's GraphQL schema is missing (%v); run `make graphql-schema`, which installs the npm package @octokit/graphql-schema", err)
	}
	doc, err := parser.ParseSchema(&ast.Source{Name: path, Input: string(data)})
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return doc
}

// TestGraphQLSchemaIsASubsetOfGitHubs: every type, field, argument, enum
// value, union member and interface of the sandbox's schema is GitHub's,
// with the same type and nullability, and no field leaves out an argument
// GitHub requires.
func TestGraphQLSchemaIsASubsetOfGitHubs(t *testing.T) {
	github := githubGraphQLSchema(t)
	ours, err := parser.ParseSchema(&ast.Source{Name: "sandbox", Input: sandbox.GraphQLSchema()})
	if err != nil {
		t.Fatal(err)
	}
	if len(ours.Definitions) < 20 {
		t.Fatalf("the sandbox's schema has %d definitions; is it the whole schema?", len(ours.Definitions))
	}
	for _, def := range ours.Definitions {
		t.Run(def.Name, func(t *testing.T) {
			gh := github.Definitions.ForName(def.Name)
			if gh == nil {
				t.Fatalf("GitHub has no type %s", def.Name)
			}
			for _, problem := range schemaDiff(def, gh) {
				t.Error(problem)
			}
		})
	}
}

// schemaDiff lists what of ours GitHub's definition of the same name lacks
// or types differently.
func schemaDiff(ours, gh *ast.Definition) []string {
	var out []string
	if ours.Kind != gh.Kind {
		return []string{fmt.Sprintf("%s is a %s on GitHub, a %s here", ours.Name, gh.Kind, ours.Kind)}
	}
	for _, i := range ours.Interfaces {
		if !slices.Contains(gh.Interfaces, i) {
			out = append(out, fmt.Sprintf("%s does not implement %s on GitHub", ours.Name, i))
		}
	}
	for _, m := range ours.Types {
		if !slices.Contains(gh.Types, m) {
			out = append(out, fmt.Sprintf("%s is not one of GitHub's %s", m, ours.Name))
		}
	}
	for _, v := range ours.EnumValues {
		if gh.EnumValues.ForName(v.Name) == nil {
			out = append(out, fmt.Sprintf("GitHub's %s has no value %s", ours.Name, v.Name))
		}
	}
	for _, f := range ours.Fields {
		ghf := gh.Fields.ForName(f.Name)
		if ghf == nil {
			out = append(out, fmt.Sprintf("GitHub's %s has no field %s", ours.Name, f.Name))
			continue
		}
		out = append(out, fieldDiff(ours.Name+"."+f.Name, f, ghf)...)
	}
	return out
}

func fieldDiff(name string, ours, gh *ast.FieldDefinition) []string {
	var out []string
	if ours.Type.String() != gh.Type.String() {
		out = append(out, fmt.Sprintf("%s is %s on GitHub, %s here", name, gh.Type, ours.Type))
	}
	for _, a := range ours.Arguments {
		gha := gh.Arguments.ForName(a.Name)
		switch {
		case gha == nil:
			out = append(out, fmt.Sprintf("%s has no argument %s on GitHub", name, a.Name))
		case a.Type.String() != gha.Type.String():
			out = append(out, fmt.Sprintf("%s(%s:) is %s on GitHub, %s here", name, a.Name, gha.Type, a.Type))
		case a.DefaultValue != nil && (gha.DefaultValue == nil || a.DefaultValue.String() != gha.DefaultValue.String()):
			out = append(out, fmt.Sprintf("%s(%s:) defaults to %v on GitHub, %v here", name, a.Name, gha.DefaultValue, a.DefaultValue))
		}
	}
	for _, gha := range gh.Arguments {
		if gha.Type.NonNull && gha.DefaultValue == nil && ours.Arguments.ForName(gha.Name) == nil {
			out = append(out, fmt.Sprintf("%s lacks the argument %s that GitHub requires", name, gha.Name))
		}
	}
	return out
}
