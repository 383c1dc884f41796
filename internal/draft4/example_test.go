package draft4_test

import (
	"fmt"

	"gwc.dev/gwc/internal/draft4"
)

// Models refer to each other by API Gateway's URLs; each is added once,
// then compiled.
func Example() {
	const base = "https://apigateway.amazonaws.com/restapis/a1b2c3/models/"
	c := draft4.NewCompiler()
	c.AddResource(base+"Item", []byte(`{"type":"object","required":["sku"],"properties":{"quantity":{"type":"integer","minimum":1}}}`))
	c.AddResource(base+"Order", []byte(`{"type":"object","required":["id","items"],
		"properties":{"id":{"type":"string","pattern":"^o-[0-9]+$"},"items":{"type":"array","items":{"$ref":"`+base+`Item"}}}}`))
	order, err := c.Compile(base + "Order")
	if err != nil {
		panic(err)
	}
	for _, body := range []string{
		`{"id": "o-1", "items": [{"sku": "a", "quantity": 2}]}`,
		`{"id": "x", "items": [{"quantity": 0}]}`,
		``,
		`id=1`,
	} {
		if r := order.Validate([]byte(body)); r.Valid {
			fmt.Println("valid")
		} else {
			fmt.Println(r.Details()) // $context.error.validationErrorString
		}
	}
	// Output:
	// valid
	// [ECMA 262 regex "^o-[0-9]+$" does not match input string "x", numeric instance is lower than the required minimum (minimum: 1, found: 0), object has missing required properties (["sku"])]
	// [object has missing required properties (["id","items"])]
	// [Invalid input: not valid JSON]
}
