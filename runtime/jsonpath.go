package runtime

import (
	"github.com/ohler55/ojg/jp"
	"github.com/ohler55/ojg/oj"
)

// jsonPathString evaluates a JSONPath on a JSON body, for the body
// sources of parameter mappings (§7.2, §10.3): a string selects its value,
// anything else its JSON text. ok is false when nothing matches; err when
// the body is not JSON.
func jsonPathString(body []byte, path string) (string, bool, error) {
	doc, err := oj.Parse(body)
	if err != nil {
		return "", false, err
	}
	x, err := jp.ParseString(path)
	if err != nil {
		return "", false, nil
	}
	res := x.Get(doc)
	if len(res) == 0 {
		return "", false, nil
	}
	if s, ok := res[0].(string); ok {
		return s, true, nil
	}
	return oj.JSON(res[0], &oj.Options{Sort: false}), true, nil
}
