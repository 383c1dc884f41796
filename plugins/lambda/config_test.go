package lambda

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// Words are split as a POSIX shell splits them (quote removal, backslash
// escapes, no expansion).
func TestSplitCommand(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"./bootstrap", []string{"./bootstrap"}},
		{"  node   index.js  ", []string{"node", "index.js"}},
		{`python3 -c 'print("hi there")'`, []string{"python3", "-c", `print("hi there")`}},
		{`a "b c" d`, []string{"a", "b c", "d"}},
		{`a "x\"y\\z\$w\n"`, []string{"a", `x"y\z$w\n`}},
		{`a\ b c`, []string{"a b", "c"}},
		{`'' x`, []string{"", "x"}},
		{`a'b'"c"d`, []string{"abcd"}},
		{`echo $HOME *`, []string{"echo", "$HOME", "*"}},
		{"a \\\nb", []string{"a", "b"}},
		{"", nil},
	} {
		got, err := SplitCommand(c.in)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("SplitCommand(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{`a 'b`, `a "b`, `"a\"`} {
		if _, err := SplitCommand(bad); err == nil {
			t.Errorf("SplitCommand(%q): no error", bad)
		}
	}
}

func TestParseFunctionFlag(t *testing.T) {
	f, err := ParseFunctionFlag(`arn:aws:lambda:us-east-1:123456789012:function:pets=go run ./cmd/pets -v "a b"`)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "arn:aws:lambda:us-east-1:123456789012:function:pets" ||
		!reflect.DeepEqual([]string(f.Command), []string{"go", "run", "./cmd/pets", "-v", "a b"}) {
		t.Fatalf("got %+v", f)
	}
	for _, bad := range []string{"pets", "=./x", "pets=", "pets=  ", `pets='x`} {
		if _, err := ParseFunctionFlag(bad); err == nil {
			t.Errorf("ParseFunctionFlag(%q): no error", bad)
		}
	}
}

// The configuration reads from the serve config file, JSON or YAML, with
// a command as a string or a list and durations as text or seconds.
func TestConfigDecoding(t *testing.T) {
	want := Config{
		Functions: []LocalFunction{
			{Name: "pets", Command: Argv{"./bin/pets", "--verbose"}, Memory: 256, Timeout: Duration(3 * time.Second),
				Env: map[string]string{"TABLE": "pets"}, Concurrency: 2},
			{Name: "auth", Command: Argv{"node", "auth.js"}, Timeout: Duration(1500 * time.Millisecond), InitTimeout: Duration(5 * time.Second)},
		},
		Endpoint: "http://127.0.0.1:3001",
		Region:   "eu-west-1",
	}
	js := `{"functions":[
		{"name":"pets","command":"./bin/pets --verbose","memory":256,"timeout":3,"env":{"TABLE":"pets"},"concurrency":2},
		{"name":"auth","command":["node","auth.js"],"timeout":"1.5s","init_timeout":"5s"}],
		"endpoint":"http://127.0.0.1:3001","region":"eu-west-1"}`
	var got Config
	if err := json.Unmarshal([]byte(js), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("JSON: got %+v\nwant %+v", got, want)
	}
	y := `
functions:
  - name: pets
    command: ./bin/pets --verbose
    memory: 256
    timeout: 3s
    env: {TABLE: pets}
    concurrency: 2
  - name: auth
    command: [node, auth.js]
    timeout: 1.5
    init_timeout: 5s
endpoint: http://127.0.0.1:3001
region: eu-west-1
`
	got = Config{}
	if err := yaml.Unmarshal([]byte(y), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("YAML: got %+v\nwant %+v", got, want)
	}
	// And back: durations as text.
	b, _ := json.Marshal(want.Functions[1])
	if !strings.Contains(string(b), `"timeout":"1.5s"`) {
		t.Errorf("marshalled %s", b)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []struct {
		fn   LocalFunction
		want string
	}{
		{LocalFunction{Command: Argv{"x"}}, "needs a name"},
		{LocalFunction{Name: "f"}, "no command"},
		{LocalFunction{Name: "f", Command: Argv{"x"}, Env: map[string]string{"AWS_REGION": "eu-west-1"}}, "AWS_REGION is reserved"},
		{LocalFunction{Name: "f", Command: Argv{"x"}, Memory: -1}, "memory"},
		{LocalFunction{Name: "arn:aws:lambda:us-east-1:1:layer:x", Command: Argv{"x"}}, "not a function name or ARN"},
	} {
		if _, err := New(Config{Functions: []LocalFunction{c.fn}}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want an error about %q", c.fn, err, c.want)
		}
	}
	if _, err := New(Config{Functions: []LocalFunction{{Name: "f", Command: Argv{"x"}}, {Name: "f", Command: Argv{"y"}}}}); err == nil {
		t.Error("a function configured twice: no error")
	}
	if _, err := New(Config{Endpoint: "localhost:3001"}); err == nil {
		t.Error("an endpoint that is not a URL: no error")
	}
}

// A call's ARN names a local function by full ARN, qualified or not, or
// by the function's name.
func TestRouting(t *testing.T) {
	r, err := New(Config{Functions: []LocalFunction{
		{Name: "pets", Command: Argv{"x"}},
		{Name: "arn:aws:lambda:eu-west-1:111111111111:function:auth", Command: Argv{"x"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	pets, auth := r.byName["pets"], r.byARN["arn:aws:lambda:eu-west-1:111111111111:function:auth"]
	for ref, want := range map[string]*function{
		"pets":      pets,
		"pets:live": pets,
		"arn:aws:lambda:us-east-1:123456789012:function:pets":      pets,
		"arn:aws:lambda:us-west-2:999999999999:function:pets:7":    pets,
		"123456789012:function:pets":                               pets,
		"arn:aws:lambda:eu-west-1:111111111111:function:auth":      auth,
		"arn:aws:lambda:eu-west-1:111111111111:function:auth:prod": auth,
		// Configured by ARN, the function answers only to that ARN.
		"auth": nil,
		"arn:aws:lambda:us-east-1:111111111111:function:auth": nil,
		"arn:aws:lambda:us-east-1:123456789012:function:cats": nil,
	} {
		if got := r.local(ref); got != want {
			t.Errorf("%s: got %v, want %v", ref, got, want)
		}
	}
	// A function configured by ARN runs in that ARN's region and account.
	if auth.region != "eu-west-1" || auth.account != "111111111111" || pets.region != DefaultRegion {
		t.Errorf("regions %s and %s", auth.region, pets.region)
	}
}
