package artifact

import (
	"encoding/json"
	"testing"
)

// FuzzDecode feeds arbitrary api.json bytes, with a manifest whose digest
// matches them, to Decode: it accepts or refuses, and never panics. What
// it accepts encodes back to an artifact that decodes to the same API.
func FuzzDecode(f *testing.F) {
	if b, _, err := Encode(sample()); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"format_version":1,"name":"x"}`))
	f.Add([]byte(`{"format_version":2,"name":"x"}`))
	f.Add([]byte(`{"format_version":1,"name":"x","resources":[{"id":"a","path":"/","methods":[{"verb":"GET","integration":{"type":"MOCK"}}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var head struct {
			Name string `json:"name"`
		}
		_ = json.Unmarshal(data, &head)
		m := &Manifest{FormatVersion: FormatVersion, API: head.Name, Digest: Digest(data)}
		api, err := Decode(data, m)
		if err != nil {
			return
		}
		again, manifest, err := Encode(api)
		if err != nil {
			t.Fatalf("an artifact that decodes does not encode: %v", err)
		}
		m2, err := DecodeManifest(manifest)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Decode(again, m2); err != nil {
			t.Fatalf("re-encoded artifact does not decode: %v", err)
		}
	})
}

// FuzzDecodeManifest checks the manifest parser never panics.
func FuzzDecodeManifest(f *testing.F) {
	if _, m, err := Encode(sample()); err == nil {
		f.Add(m)
	}
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = DecodeManifest(data)
	})
}
