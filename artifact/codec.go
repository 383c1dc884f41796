package artifact

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The files of an artifact directory.
const (
	ManifestFile = "manifest.json"
	APIFile      = "api.json"
)

// Manifest describes an artifact: its format version and the digest of
// every file in it.
type Manifest struct {
	FormatVersion int                   `json:"format_version"`
	Generator     string                `json:"generator"`
	API           string                `json:"api"`
	Digest        string                `json:"digest"`
	Files         map[string]FileDigest `json:"files"`
}

// FileDigest is the size and sha256 of one file.
type FileDigest struct {
	SHA256 string `json:"sha256"`
	Size   int    `json:"size"`
}

// Canonical encodes v as canonical JSON: object keys sorted, no
// insignificant whitespace, no HTML escaping, numbers as written.
func Canonical(v any) ([]byte, error) {
	raw, err := marshal(v)
	if err != nil {
		return nil, err
	}
	// Round-trip through generic values so that every object's keys come
	// out sorted, whatever type produced them.
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return nil, err
	}
	return marshal(generic)
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// Digest returns the digest of api.json bytes as "sha256:<hex>".
func Digest(apiJSON []byte) string {
	sum := sha256.Sum256(apiJSON)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Encode returns the bytes of api.json and manifest.json for api.
func Encode(api *API) (apiJSON, manifest []byte, err error) {
	api.FormatVersion = FormatVersion
	// The types declare their fields in sorted order and encoding/json
	// sorts map keys, so one encoding is already canonical.
	apiJSON, err = marshal(api)
	if err != nil {
		return nil, nil, fmt.Errorf("encode artifact: %w", err)
	}
	m := Manifest{
		FormatVersion: FormatVersion,
		Generator:     "gwc",
		API:           api.Name,
		Digest:        Digest(apiJSON),
		Files: map[string]FileDigest{
			APIFile: {SHA256: strings.TrimPrefix(Digest(apiJSON), "sha256:"), Size: len(apiJSON)},
		},
	}
	manifest, err = json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	return apiJSON, append(manifest, '\n'), nil
}

// Write writes the artifact of api into dir and returns its digest. Files
// are written to temporary names first and renamed, so that a server
// watching dir never reads half a file.
func Write(dir string, api *API) (string, error) {
	apiJSON, manifest, err := Encode(api)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	// api.json first: a reader that sees the new manifest must find the
	// file it describes.
	if err := writeAtomic(filepath.Join(dir, APIFile), apiJSON); err != nil {
		return "", err
	}
	if err := writeAtomic(filepath.Join(dir, ManifestFile), manifest); err != nil {
		return "", err
	}
	return Digest(apiJSON), nil
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// ErrNotArtifact means a path holds no artifact.
var ErrNotArtifact = errors.New("not a gwc artifact")

// Read loads and verifies the artifact at path: an artifact directory or
// its manifest.json.
func Read(path string) (*API, *Manifest, error) {
	dir := path
	if fi, err := os.Stat(path); err != nil {
		return nil, nil, err
	} else if !fi.IsDir() {
		if filepath.Base(path) != ManifestFile {
			return nil, nil, fmt.Errorf("%s: %w (give the build output directory or its %s)", path, ErrNotArtifact, ManifestFile)
		}
		dir = filepath.Dir(path)
	}
	mb, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("%s: %w: no %s (run gwc build first)", dir, ErrNotArtifact, ManifestFile)
	}
	if err != nil {
		return nil, nil, err
	}
	m, err := DecodeManifest(mb)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	ab, err := os.ReadFile(filepath.Join(dir, APIFile))
	if err != nil {
		return nil, nil, err
	}
	api, err := Decode(ab, m)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", filepath.Join(dir, APIFile), err)
	}
	return api, m, nil
}

// DecodeManifest parses a manifest and checks its format version.
func DecodeManifest(b []byte) (*Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("invalid manifest: %w", err)
	}
	if err := checkVersion(m.FormatVersion); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(m.Digest, "sha256:") || len(m.Digest) != len("sha256:")+64 {
		return nil, fmt.Errorf("invalid manifest: digest %q is not sha256:<64 hex digits>", m.Digest)
	}
	return &m, nil
}

func checkVersion(v int) error {
	switch {
	case v == FormatVersion:
		return nil
	case v == 0:
		return fmt.Errorf("no format_version: %w", ErrNotArtifact)
	}
	return fmt.Errorf("artifact format version %d is not supported (this gwc reads version %d); rebuild it with this gwc", v, FormatVersion)
}

// Decode verifies api.json bytes against the manifest and parses them.
// Unknown fields are refused: a file of the right version never has any.
func Decode(apiJSON []byte, m *Manifest) (*API, error) {
	if got := Digest(apiJSON); got != m.Digest {
		return nil, fmt.Errorf("digest mismatch: the manifest says %s but the file is %s; it changed after gwc build, so rebuild it", short(m.Digest), short(got))
	}
	var api API
	dec := json.NewDecoder(bytes.NewReader(apiJSON))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(&api); err != nil {
		return nil, fmt.Errorf("invalid artifact: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("invalid artifact: data after the API object")
	}
	if err := checkVersion(api.FormatVersion); err != nil {
		return nil, err
	}
	if api.Name != m.API {
		return nil, fmt.Errorf("invalid artifact: the manifest names API %q but the file holds %q", m.API, api.Name)
	}
	return &api, nil
}

func short(digest string) string {
	if len(digest) > len("sha256:")+12 {
		return digest[:len("sha256:")+12] + "…"
	}
	return digest
}
