package schema

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"gwc.dev/gwc/diag"
)

// ErrInput marks a failure to read the input at all (a missing file, a
// directory without a definition), as opposed to a definition with
// errors: the CLI exits 2 for the first and 1 for the second.
var ErrInput = errors.New("unreadable input")

// Load reads a definition from the paths given on a command line:
//   - a directory of CUE files (a CUE package), or .cue files;
//   - one OpenAPI document (.yaml, .yml or .json with a swagger or openapi
//     field);
//   - one definition in gwc's vocabulary written as YAML or JSON (with a
//     top-level api field).
//
// Problems in the definition go to ds; the error is non-nil only when the
// input could not be read, and wraps ErrInput.
func Load(paths []string, ds *diag.Set) (*Definition, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("%w: no input given", ErrInput)
	}
	kind, err := inputKind(paths)
	if err != nil {
		return nil, err
	}
	switch kind {
	case "cue":
		root, files := LoadCUE(paths, ds)
		if root == nil {
			return &Definition{Format: "cue", Files: files}, nil
		}
		def := Build(root, ds)
		def.Format, def.Files = "cue", files
		return def, nil
	}
	name := paths[0]
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInput, err)
	}
	f := NewFile(filepath.ToSlash(name), src)
	files := map[string]*File{f.Name: f}
	doc, perr := ParseYAML(f)
	if perr != nil {
		var p *Problem
		if errors.As(perr, &p) {
			ds.Errorf(p.Range, CodeOpenAPI, "%s", p.Msg)
		}
		return &Definition{Format: "openapi", Files: files}, nil
	}
	if doc.Kind == MapKind && !IsOpenAPI(doc) && doc.Get("api") != nil {
		def := Build(doc, ds)
		def.Format, def.Files = "yaml", files
		return def, nil
	}
	root := TranslateOpenAPI(f, doc, ds)
	if root == nil {
		return &Definition{Format: "openapi", Files: files}, nil
	}
	def := Build(root, ds)
	def.Format, def.Files = "openapi", files
	return def, nil
}

// inputKind decides which adapter reads paths.
func inputKind(paths []string) (string, error) {
	if len(paths) == 1 {
		fi, err := os.Stat(paths[0])
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("%w: %s does not exist", ErrInput, paths[0])
		}
		if err != nil {
			return "", fmt.Errorf("%w: %v", ErrInput, err)
		}
		if fi.IsDir() {
			cue, err := filepath.Glob(filepath.Join(paths[0], "*.cue"))
			if err != nil || len(cue) == 0 {
				return "", fmt.Errorf("%w: %s holds no .cue files; give a CUE directory, .cue files or one OpenAPI file", ErrInput, paths[0])
			}
			return "cue", nil
		}
	}
	var cue, other []string
	for _, p := range paths {
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("%w: %s does not exist", ErrInput, p)
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".cue":
			cue = append(cue, p)
		case ".yaml", ".yml", ".json":
			other = append(other, p)
		default:
			return "", fmt.Errorf("%w: %s is neither CUE (.cue) nor YAML/JSON (.yaml, .yml, .json)", ErrInput, p)
		}
	}
	switch {
	case len(other) == 0:
		return "cue", nil
	case len(cue) > 0:
		return "", fmt.Errorf("%w: mixing CUE and YAML/JSON inputs is not supported", ErrInput)
	case len(other) > 1:
		return "", fmt.Errorf("%w: give one OpenAPI or YAML/JSON definition file, not %d", ErrInput, len(other))
	}
	return "file", nil
}

// Source returns the bytes of a file the definition was read from, for
// source excerpts in diagnostics.
func (d *Definition) Source(name string) ([]byte, bool) {
	if d == nil {
		return nil, false
	}
	if f, ok := d.Files[name]; ok {
		return f.Src, true
	}
	return nil, false
}
