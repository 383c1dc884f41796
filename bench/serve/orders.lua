-- wrk script for the POST /orders configurations: a valid order (the
-- Order model of api/bench.yaml) with the header the validator requires.
-- The body is the same as orders.json (run.sh checks that they agree).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Tenant"] = "t1"
wrk.body = '{"id": "o-1042", "customer": {"name": "Ada Lovelace", "email": "ada@example.com", "vip": true}, "items": [{"sku": "ABC-0001", "quantity": 2, "price": 12.5, "tags": ["gift"]}, {"sku": "XYZ-0042", "quantity": 1, "price": 17.5}], "currency": "EUR", "total": 42.5, "note": null}'
