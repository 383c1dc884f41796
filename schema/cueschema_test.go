package schema

import "testing"

func TestSchemaReads(t *testing.T) {
	s, err := LoadSchema()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range s.Definitions() {
		if s.Def(name) == nil {
			t.Errorf("%s did not read", name)
		}
	}
	m := s.Def("#Method")
	if f := m.field("apiKeyRequired"); f == nil || f.Type.Default != false {
		t.Errorf("apiKeyRequired default = %#v", f)
	}
	h := s.Def("#HTTPIntegration")
	for _, name := range []string{"uri", "timeout", "passthrough", "templates", "responses", "connection"} {
		if h.field(name) == nil {
			t.Errorf("#HTTPIntegration lacks %s", name)
		}
	}
	if h.Open {
		t.Error("#HTTPIntegration should be closed")
	}
	if d := h.field("timeout").Type.Default; d != int64(29000) {
		t.Errorf("timeout default = %#v", d)
	}
}
