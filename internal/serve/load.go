package serve

import (
	"path/filepath"

	"gwc.dev/gwc/artifact"
)

// Loader produces the artifact to serve and its digest. It is called once
// at start and again on every reload, so it must read its input afresh
// each time. An error keeps the API already being served.
type Loader func() (*artifact.API, string, error)

// DirLoader reads and verifies the artifact in dir (a gwc build output
// directory or its manifest.json) on every call.
func DirLoader(dir string) Loader {
	return func() (*artifact.API, string, error) {
		a, m, err := artifact.Read(dir)
		if err != nil {
			return nil, "", err
		}
		return a, m.Digest, nil
	}
}

// BytesLoader verifies an artifact held in memory, as gwc dev holds the
// one it compiled: the same checks artifact.Read makes on files.
func BytesLoader(apiJSON, manifest []byte) Loader {
	return func() (*artifact.API, string, error) {
		m, err := artifact.DecodeManifest(manifest)
		if err != nil {
			return nil, "", err
		}
		a, err := artifact.Decode(apiJSON, m)
		if err != nil {
			return nil, "", err
		}
		return a, m.Digest, nil
	}
}

// ArtifactDir returns the directory of an artifact path, which may name
// the directory or its manifest.json.
func ArtifactDir(path string) string {
	if filepath.Base(path) == artifact.ManifestFile {
		return filepath.Dir(path)
	}
	return path
}

// IsManifest reports whether a changed file is an artifact's manifest.
// gwc build writes api.json first and manifest.json last, so the
// manifest's change is the one that says a new artifact is complete.
func IsManifest(name string) bool { return filepath.Base(name) == artifact.ManifestFile }
