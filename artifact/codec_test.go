package artifact

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func sample() *API {
	return &API{
		Name: "pets", ID: "abcdefghij", EndpointType: "EDGE", APIKeySource: "HEADER",
		BinaryMediaTypes: []string{}, Resources: []*Resource{{ID: "rootid0000", Path: "/", Methods: []*Method{}}},
		Models: []*Model{}, Authorizers: []*Authorizer{}, GatewayResponses: []*GatewayResponse{},
		Stages:     []*Stage{{Name: "dev", Variables: map[string]string{"z": "1", "a": "2"}, MethodSettings: []*MethodSetting{}}},
		UsagePlans: []*UsagePlan{}, APIKeys: []*APIKey{}, DomainNames: []*DomainName{},
	}
}

func TestCanonicalSortsKeysAndKeepsText(t *testing.T) {
	got, err := Canonical(map[string]any{"b": 1, "a": map[string]any{"y": "<&>", "x": []any{3, 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"a":{"x":[3,1],"y":"<&>"},"b":1}`; string(got) != want {
		t.Errorf("Canonical = %s, want %s", got, want)
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	digest, err := Write(dir, sample())
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{dir, filepath.Join(dir, ManifestFile)} {
		api, m, err := Read(path)
		if err != nil {
			t.Fatalf("Read(%s): %v", path, err)
		}
		if m.Digest != digest || api.Name != "pets" || api.Stages[0].Variables["a"] != "2" || api.FormatVersion != FormatVersion {
			t.Errorf("Read(%s) = %+v, %+v", path, api, m)
		}
	}
	raw, _ := os.ReadFile(filepath.Join(dir, APIFile))
	if !strings.Contains(string(raw), `"variables":{"a":"2","z":"1"}`) {
		t.Errorf("api.json is not canonical: %s", raw)
	}
	if Digest(raw) != digest {
		t.Error("the digest is not the sha256 of api.json")
	}
	// Writing again gives the same bytes.
	if _, err := Write(dir, sample()); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(filepath.Join(dir, APIFile))
	if !bytes.Equal(raw, again) {
		t.Error("two writes of the same API differ")
	}
}

func TestReadRefuses(t *testing.T) {
	write := func(t *testing.T) string {
		dir := t.TempDir()
		if _, err := Write(dir, sample()); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	edit := func(t *testing.T, path string, f func([]byte) []byte) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, f(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("a tampered api.json", func(t *testing.T) {
		dir := write(t)
		edit(t, filepath.Join(dir, APIFile), func(b []byte) []byte { return bytes.Replace(b, []byte(`"dev"`), []byte(`"prd"`), 1) })
		_, _, err := Read(dir)
		if err == nil || !strings.Contains(err.Error(), "digest mismatch") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("an unknown format version", func(t *testing.T) {
		dir := write(t)
		edit(t, filepath.Join(dir, ManifestFile), func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"format_version": 1`), []byte(`"format_version": 2`), 1)
		})
		_, _, err := Read(dir)
		if err == nil || !strings.Contains(err.Error(), "format version 2 is not supported (this gwc reads version 1)") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("an unknown field with a matching digest", func(t *testing.T) {
		dir := write(t)
		var m Manifest
		b, _ := os.ReadFile(filepath.Join(dir, ManifestFile))
		_ = json.Unmarshal(b, &m)
		api := []byte(`{"format_version":1,"name":"pets","surprise":true}`)
		m.Digest = Digest(api)
		mb, _ := json.Marshal(m)
		_ = os.WriteFile(filepath.Join(dir, ManifestFile), mb, 0o644)
		_ = os.WriteFile(filepath.Join(dir, APIFile), api, 0o644)
		_, _, err := Read(dir)
		if err == nil || !strings.Contains(err.Error(), `unknown field "surprise"`) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("no manifest", func(t *testing.T) {
		_, _, err := Read(t.TempDir())
		if !errors.Is(err, ErrNotArtifact) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("a file that is not the manifest", func(t *testing.T) {
		dir := write(t)
		_, _, err := Read(filepath.Join(dir, APIFile))
		if !errors.Is(err, ErrNotArtifact) {
			t.Errorf("err = %v", err)
		}
	})
}

// TestFieldsAreSorted keeps every artifact type's fields in the order of
// their JSON names, which is what lets Encode write canonical JSON in one
// pass.
func TestFieldsAreSorted(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] {
			return
		}
		seen[typ] = true
		prev := ""
		for i := range typ.NumField() {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name < prev {
				t.Errorf("%s.%s (%q) comes after %q: declare the fields in the order of their JSON names", typ.Name(), f.Name, name, prev)
			}
			prev = name
			walk(f.Type)
		}
	}
	walk(reflect.TypeFor[API]())
	if len(seen) < 20 {
		t.Errorf("walked only %d types", len(seen))
	}
	b, _, err := Encode(sample())
	if err != nil {
		t.Fatal(err)
	}
	api := sample()
	api.FormatVersion = FormatVersion
	c, err := Canonical(api)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, c) {
		t.Errorf("Encode is not canonical:\n%s\n%s", b, c)
	}
}
