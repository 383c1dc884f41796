# wrk.awk reads the output of `wrk --latency` for the bench scripts:
# requests/s (rps), the 50th and 99th percentile latencies in milliseconds
# (p50, p99), the failed requests (err) and the requests made (n). Each
# script adds the rules for the lines it appends to wrk's output and an
# END that prints what it needs, as a second program file:
#   awk -f bench/wrk.awk -f /dev/stdin FILE <<'EOF' ... EOF

# ms converts one of wrk's durations (750us, 1.2ms, 3s, 1m) to milliseconds.
function ms(v) {
	if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
	if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
	if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
	if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
	return v
}
/^Requests\/sec:/ {rps = $2}
$1 == "50%" {p50 = ms($2)}
$1 == "99%" {p99 = ms($2)}
/Non-2xx or 3xx responses:/ {err += $NF}
/Socket errors:/ {gsub(/,/, ""); err += $4 + $6 + $8 + $10}
/ requests in / {n = $1}
