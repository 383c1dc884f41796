#!/bin/bash
# Lambda proxy benchmark: requests/s and latency of GET /dev/hello (a Lambda
# proxy integration to a warm local function) and GET /dev/secure (the same
# behind a TOKEN authorizer), through gwc serve with aws-lambda-go
# functions and through serverless-offline with the equivalent Node
# handlers, measured with wrk in the same run; then the gateway overhead
# of a warm call (see RESULTS.md for its definition). Prints a table.
#
# usage: bench/lambda/run.sh [-d SECONDS] [-w SECONDS] [-r ROUNDS] [-c CONNECTIONS]
#                            [-n CALLS] [-p BASE_PORT] [-o TOOLS] [-P] [-k]
#   -d  measured duration of each wrk run (default 10)
#   -w  warm-up before each measured run, not counted (default 2)
#   -r  rounds: each tool is started, measured and stopped once per round,
#       in turn; the table keeps each configuration's best round (default 3)
#   -c  wrk connections of the load runs (default 32; wrk runs one thread)
#   -n  calls of each kind in the direct (overhead) measurement (default 20000)
#   -p  first of the loopback ports used (default 18600; 5 ports)
#   -o  tools to run, comma-separated (default gwc,sls)
#   -P  also profile gwc under the load of /dev/hello: perf on gwc serve and
#       its functions, and a Go CPU profile (lambdabench serve), written to
#       the scratch directory, which is then kept
#   -k  keep the scratch directory (logs, wrk outputs)
#
# Cores (the machine has two): the server under test runs on core 0 with
# its functions, wrk on core 1. serverless-offline runs its handlers in
# worker threads of its own process, so they share the server's core
# whatever is done; gwc's function processes inherit gwc's affinity, so
# they run on core 0 too: each tool gets one core for all of its work.
#
# serverless@3 and serverless-offline@13 are installed with npm into
# ${GWC_BENCH_SLS_DIR:-~/.cache/gwc/bench-sls}, never into the repository;
# serverless-offline runs on a copy of bench/lambda/sls in the scratch
# directory, with HOME there too, so that nothing it writes lands in the
# repository or the user's home. Everything listens on 127.0.0.1 only,
# every wrk run is bounded by -d, and every process this script starts is
# stopped when it exits.
set -euo pipefail

duration=10 warmup=2 rounds=3 conns=32 calls=20000 base=18600 only=gwc,sls profile=0 keep=0
while getopts "d:w:r:c:n:p:o:Pk" opt; do
	case $opt in
	d) duration=$OPTARG ;;
	w) warmup=$OPTARG ;;
	r) rounds=$OPTARG ;;
	c) conns=$OPTARG ;;
	n) calls=$OPTARG ;;
	p) base=$OPTARG ;;
	o) only=$OPTARG ;;
	P) profile=1 ;;
	k) keep=1 ;;
	*) sed -n '9,23p' "$0" >&2; exit 2 ;;
	esac
done
want() { case ",$only," in *",$1,"*) return 0 ;; esac; return 1; }

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
server_core=0 client_core=1
sls_versions="serverless@3.40.0 serverless-offline@13.10.1"
token="Bearer bench-token"
body='{"message":"hello from Lambda"}'

if [ "$(nproc)" -lt 2 ]; then
	echo "run.sh: needs two cores (the server on one, wrk on the other)" >&2
	exit 2
fi

# Tools: installed from Debian's packages when missing.
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v taskset >/dev/null || missing+=(util-linux)
command -v curl >/dev/null || missing+=(curl)
if want sls; then
	command -v node >/dev/null || missing+=(nodejs)
	command -v npm >/dev/null || missing+=(npm)
fi
if [ "$profile" = 1 ] && ! command -v perf >/dev/null; then missing+=(linux-perf); fi
if [ ${#missing[@]} -gt 0 ]; then
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	echo "installing ${missing[*]}" >&2
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

sls_dir=${GWC_BENCH_SLS_DIR:-$HOME/.cache/gwc/bench-sls}
if want sls && [ ! -x "$sls_dir/node_modules/.bin/serverless" ]; then
	echo "installing $sls_versions into $sls_dir" >&2
	mkdir -p "$sls_dir"
	npm install --prefix "$sls_dir" --no-audit --no-fund --loglevel=error $sls_versions >/dev/null
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/gwc-bench-lambda.XXXXXX")
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	if [ "$keep" = 1 ]; then
		echo "scratch directory kept: $scratch" >&2
	else
		rm -rf "$scratch"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_gwc=$base port_sls=$((base + 1)) port_sls_lambda=$((base + 2)) port_sls_ws=$((base + 3)) port_sls_alb=$((base + 4))
for p in $(seq "$base" $((base + 4))); do
	if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
		echo "run.sh: port $p is in use; choose other ports with -p" >&2
		exit 2
	fi
done

# Build.
bin=$scratch/bin
mkdir -p "$bin"
echo "building gwc, the functions and lambdabench" >&2
(cd "$root" && go build -o "$bin/gwc" ./cmd/gwc &&
	go build -o "$bin/hello" ./bench/lambda/functions/hello &&
	go build -o "$bin/authorizer" ./bench/lambda/functions/authorizer &&
	go build -o "$bin/lambdabench" ./bench/lambda/cmd/lambdabench)
"$bin/gwc" build "$here/api" -o "$scratch/artifact" >/dev/null
functions=(--function "hello=$bin/hello" --function "authorizer=$bin/authorizer")

# The serverless-offline project, outside the repository.
mkdir -p "$scratch/sls" "$scratch/home"
cp "$here/sls/serverless.yml" "$here/sls/handler.js" "$scratch/sls/"
ln -s "$sls_dir/node_modules" "$scratch/sls/node_modules"

# start NAME COMMAND...: runs a server pinned to the server core, logging
# to the scratch directory, and remembers its pid in pid_NAME.
start() {
	local name=$1
	shift
	taskset -c $server_core "$@" >"$scratch/$name.log" 2>&1 &
	pids+=($!)
	eval "pid_$name=$!"
}

# stop NAME: SIGTERM, then SIGKILL after 10 s.
stop() {
	local p
	eval "p=\$pid_$1"
	kill "$p" 2>/dev/null || true
	for _ in $(seq 100); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
}

# wait_port PORT SECONDS: until something answers on 127.0.0.1:PORT.
wait_port() {
	local i
	for i in $(seq $(($2 * 20))); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
		sleep 0.05
	done
	echo "run.sh: nothing listens on port $1; logs in $scratch" >&2
	keep=1
	exit 1
}

# check URL [HEADER]: the route must answer 200 with the function's body
# before it is measured.
check() {
	local code
	code=$(curl -s -o "$scratch/got" -w '%{http_code}' ${2:+-H "$2"} "$1")
	if [ "$code" != 200 ] || [ "$(cat "$scratch/got")" != "$body" ]; then
		echo "run.sh: $1 answered $code, not 200 with $body:" >&2
		cat "$scratch/got" >&2
		keep=1
		exit 1
	fi
}

start_gwc() {
	start gwc "$bin/gwc" serve "$scratch/artifact" --listen "127.0.0.1:$port_gwc" \
		--admin off --access-log off --log-level warn "${functions[@]}"
	wait_port $port_gwc 10
}

start_sls() {
	start sls env -C "$scratch/sls" HOME="$scratch/home" SLS_TELEMETRY_DISABLED=1 SLS_NOTIFICATIONS_MODE=off \
		SLS_DEPRECATION_DISABLE='*' SLS_INTERACTIVE_SETUP_DISABLE=1 \
		AWS_ACCESS_KEY_ID=AKIDBENCHMARK AWS_SECRET_ACCESS_KEY=benchmark AWS_REGION=us-east-1 \
		node "$sls_dir/node_modules/.bin/serverless" offline --host 127.0.0.1 \
		--httpPort $port_sls --lambdaPort $port_sls_lambda --websocketPort $port_sls_ws \
		--albPort $port_sls_alb --noSponsor
	wait_port $port_sls 90
}

# pid_tree PID: the process and its children (gwc's function instances).
pid_tree() { echo "$1" $(pgrep -P "$1" || true); }
# cpu_ticks PID...: user+system clock ticks used so far.
cpu_ticks() {
	local p
	for p in "$@"; do cat "/proc/$p/stat" 2>/dev/null || true; done | sed 's/.*) //' | awk '{s += $12 + $13} END {print s + 0}'
}
# core_ticks CORE: "busy total" ticks of one core from /proc/stat.
core_ticks() { awk -v c="cpu$1" '$1 == c {t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t}' /proc/stat; }
tck=$(getconf CLK_TCK)

# run_wrk SECONDS CONNECTIONS URL [HEADER]: one wrk run on the client core.
run_wrk() {
	taskset -c $client_core wrk -t1 -c"$2" -d"$1"s --latency ${4:+-H "$4"} "$3"
}

# measure NAME SERVER_PID CONNECTIONS URL [HEADER]: a warm-up run, then a
# measured one, with the CPU time of the server's process tree and how
# busy the server core was.
measure() {
	local name=$1 spid=$2 c=$3 url=$4 hdr=${5:-} procs c0 c1 b0 b1 t0 t1 out
	run_wrk "$warmup" "$c" "$url" "$hdr" >/dev/null
	procs=$(pid_tree "$spid")
	c0=$(cpu_ticks $procs)
	read -r b0 t0 <<<"$(core_ticks $server_core)"
	out=$results/$name.$r
	run_wrk "$duration" "$c" "$url" "$hdr" >"$out"
	c1=$(cpu_ticks $procs)
	read -r b1 t1 <<<"$(core_ticks $server_core)"
	awk -v c=$((c1 - c0)) -v tck="$tck" -v b=$((b1 - b0)) -v t=$((t1 - t0)) \
		'BEGIN {printf "cputicks %d\ncore %.0f\n", c, (t ? 100 * b / t : 0)}' >>"$out"
	echo "loadavg $(cut -d' ' -f1 /proc/loadavg)" >>"$out"
	printf 'round %d %-14s %8s req/s  load %s\n' "$r" "$name" "$(awk '/^Requests\/sec:/ {print $2}' "$out")" \
		"$(cut -d' ' -f1 /proc/loadavg)" >&2
}

configs=()
want gwc && configs+=(gwc-hello-c1 gwc-secure-c1 gwc-hello gwc-secure)
want sls && configs+=(sls-hello-c1 sls-secure-c1 sls-hello sls-secure)
results=$scratch/results
mkdir -p "$results"
echo "loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$results/loadavg" >&2
# measure_tool TOOL PID PORT: check both routes answer, then measure
# each with one connection and with $conns.
measure_tool() {
	local tool=$1 pid=$2 url=http://127.0.0.1:$3/dev
	check "$url/hello"
	check "$url/secure" "Authorization: $token"
	measure "$tool-hello-c1" "$pid" 1 "$url/hello"
	measure "$tool-secure-c1" "$pid" 1 "$url/secure" "Authorization: $token"
	measure "$tool-hello" "$pid" "$conns" "$url/hello"
	measure "$tool-secure" "$pid" "$conns" "$url/secure" "Authorization: $token"
}
for r in $(seq "$rounds"); do
	if want gwc; then
		start_gwc
		measure_tool gwc "$pid_gwc" "$port_gwc"
		echo "instances $(pgrep -c -P "$pid_gwc" || true)" >>"$results/gwc-hello.$r"
		stop gwc
	fi
	if want sls; then
		start_sls
		measure_tool sls "$pid_sls" "$port_sls"
		echo "threads $(ls /proc/"$pid_sls"/task | wc -l)" >>"$results/sls-hello.$r"
		stop sls
	fi
done

# The direct measurement: the same warm function and event, one call at a
# time, straight through plugins/lambda, and through the runtime's
# lifecycle in-process; on the server core, with no server running.
if want gwc; then
	echo "direct invocations ($calls calls of each kind, twice)" >&2
	taskset -c $server_core "$bin/lambdabench" direct -n "$calls" -log "$scratch/direct.log" \
		-auth-path /dev/secure -auth "$token" "${functions[@]}" "$scratch/artifact" >"$results/direct"
fi
echo "loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results/loadavg" >&2

# parse FILE: "rps p50 p99 errors cpu_us_per_req core loadavg" (ms) from wrk --latency.
parse() {
	awk -v tck="$tck" -f "$here/../wrk.awk" -f /dev/stdin "$1" <<'EOF'
	$1 == "cputicks" {ticks = $2}
	$1 == "core" {core = $2}
	$1 == "loadavg" {load = $2}
	END {printf "%s %s %s %d %.0f %s %s\n", rps, p50, p99, err, (n ? ticks * 1e6 / tck / n : 0), core, load}
EOF
}

declare -A best_rps best_p50
echo
echo "$conns connections (c1: one), ${duration}s per run after ${warmup}s of warm-up, best of $rounds rounds"
echo "$(nproc) cores; $(head -1 "$results/loadavg"), $(tail -1 "$results/loadavg")"
changes=$(cd "$root" && git status --porcelain -- runtime plugins vtl internal artifact cmd go.mod 2>/dev/null |
	awk '{print $2}' | awk 'n++ < 8' | tr '\n' ' ')
[ -n "$changes" ] && changes=" with uncommitted changes in ${changes% }"
echo "gwc built from commit $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$changes"
want sls && echo "serverless $(node -p "require('$sls_dir/node_modules/serverless/package.json').version"), serverless-offline $(sed -n 's/^ *"version": "\(.*\)",$/\1/p' "$sls_dir/node_modules/serverless-offline/package.json"), node $(node --version), handlers in worker threads (its default)"
echo
echo "| configuration | req/s | p50 | p99 | server CPU µs/req | core $server_core busy | load (1 min) | req/s of each round |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
for name in "${configs[@]}"; do
	best="" all=""
	for r in $(seq "$rounds"); do
		read -r rps p50 p99 err us core load <<<"$(parse "$results/$name.$r")"
		all="$all ${rps%.*}"
		[ "$err" -gt 0 ] && all="$all(${err} errors)"
		if [ -z "$best" ] || awk -v a="$rps" -v b="${best%% *}" 'BEGIN {exit !(a > b)}'; then
			best="$rps $p50 $p99 $err $us $core $load"
		fi
	done
	read -r rps p50 p99 err us core load <<<"$best"
	best_rps[$name]=$rps best_p50[$name]=$p50
	printf '| %s | %.0f | %.2f ms | %.2f ms | %s | %s%% | %s | %s |\n' "$name" "$rps" "$p50" "$p99" "$us" "$core" "$load" "${all# }"
done
echo
want gwc && grep -h '^instances' "$results"/gwc-hello.* | sort | uniq -c | awk '{printf "gwc: %s hello+authorizer function processes after the runs (per round)\n", $3}' | head -1
want sls && grep -h '^threads' "$results"/sls-hello.* | awk '{print $2}' | sort -n | tail -1 | awk '{printf "serverless-offline: %s threads after the runs, at most\n", $1}'
if want gwc && want sls; then
	for route in hello secure hello-c1 secure-c1; do
		awk -v a="${best_rps[gwc-$route]}" -v b="${best_rps[sls-$route]}" -v r="$route" \
			'BEGIN {x = a / b; printf "gwc / serverless-offline, %s: %.1f x the requests/s%s\n", r, x, (r ~ /c1$/ ? "" : (x >= 10 ? " (goal >= 10 x: met)" : " (goal >= 10 x: not met)"))}'
	done
fi
if want gwc; then
	echo
	echo "warm call, one at a time (µs; self_cpu is this process's CPU per call, fn_cpu the function's):"
	sed 's/^/  /' "$results/direct"
	# best_p50 KIND: the lower p50 of the two measurements of a kind.
	best_p50() { awk -v k="$1" '$1 == k {for (i = 2; i <= NF; i++) if ($i ~ /^p50=/) {v = substr($i, 5) + 0; if (b == "" || v < b) b = v}} END {print b}' "$results/direct"; }
	direct_p50=$(best_p50 direct)
	for route in hello secure; do
		kind=lifecycle
		[ $route = secure ] && kind=lifecycle-auth
		awk -v g="${best_p50[gwc-$route-c1]}" -v d="$direct_p50" -v l="$(best_p50 $kind)" -v r="$route" 'BEGIN {
			o = g * 1000 - d
			printf "gateway overhead of a warm call, /dev/%s: p50 through gwc serve (one connection) %.0f µs - p50 of the direct call %.0f µs = %.0f µs (goal < 1000 µs: %s)\n", r, g * 1000, d, o, (o < 1000 ? "met" : "not met")
			printf "  of which the lifecycle in-process (no sockets): %.0f µs - %.0f µs = %.0f µs\n", l, d, l - d
		}'
	done
fi

# Profiles of gwc under the load of /dev/hello.
if [ "$profile" = 1 ] && want gwc; then
	prof=$scratch/profiles
	mkdir -p "$prof"
	start_gwc
	run_wrk "$warmup" "$conns" "http://127.0.0.1:$port_gwc/dev/hello" >/dev/null
	kids=$(pgrep -P "$pid_gwc" | tr '\n' ',')
	perf stat -x, -e raw_syscalls:sys_enter,context-switches,task-clock -p "$pid_gwc" -o "$prof/stat.gwc" -- sleep "$duration" 2>/dev/null &
	s1=$!
	perf stat -x, -e raw_syscalls:sys_enter,context-switches,task-clock -p "${kids%,}" -o "$prof/stat.fn" -- sleep "$duration" 2>/dev/null &
	s2=$!
	run_wrk "$duration" "$conns" "http://127.0.0.1:$port_gwc/dev/hello" >"$prof/wrk.stat"
	wait $s1 $s2 || true
	n=$(awk '/ requests in / {print $1}' "$prof/wrk.stat")
	echo
	echo "| process | syscalls/req | context switches/req | CPU µs/req (perf task-clock) |"
	echo "|---|---:|---:|---:|"
	for p in gwc fn; do
		awk -F, -v n="$n" -v name="$p" '
			$3 == "raw_syscalls:sys_enter" {s = $1}
			$3 == "context-switches" {c = $1}
			$3 == "task-clock" {t = $1}
			END {if (n) printf "| %s | %.1f | %.2f | %.0f |\n", (name == "fn" ? "function instances" : "gwc serve"), s / n, c / n, t * 1000 / n}' "$prof/stat.$p"
	done
	perf record -q -F 999 -g -p "$pid_gwc" -o "$prof/perf.gwc.data" -- sleep "$duration" 2>/dev/null &
	s1=$!
	perf record -q -F 999 -g -p "${kids%,}" -o "$prof/perf.fn.data" -- sleep "$duration" 2>/dev/null &
	s2=$!
	run_wrk "$duration" "$conns" "http://127.0.0.1:$port_gwc/dev/hello" >"$prof/wrk.perf"
	wait $s1 $s2 || true
	for p in gwc fn; do
		perf report -i "$prof/perf.$p.data" --no-children --stdio --sort symbol 2>/dev/null |
			grep -E '^ +[0-9.]+%' | sed 's/[ -]*$//' | awk 'n++ < 40' >"$prof/perf.$p.top"
		perf report -i "$prof/perf.$p.data" --no-children --stdio --sort dso 2>/dev/null |
			grep -E '^ +[0-9.]+%' | sed 's/[ -]*$//' | awk 'n++ < 10' >"$prof/perf.$p.dso"
	done
	stop gwc
	# A Go CPU profile of the runtime and the Lambda plugin alone.
	start gwcprof "$bin/lambdabench" serve -listen "127.0.0.1:$port_gwc" -cpuprofile "$prof/cpu.pprof" "${functions[@]}" "$scratch/artifact"
	wait_port $port_gwc 10
	run_wrk "$warmup" "$conns" "http://127.0.0.1:$port_gwc/dev/hello" >/dev/null
	run_wrk "$duration" "$conns" "http://127.0.0.1:$port_gwc/dev/hello" >"$prof/wrk.pprof"
	stop gwcprof
	(cd "$root" && go tool pprof -top -nodecount=30 "$bin/lambdabench" "$prof/cpu.pprof" >"$prof/pprof.flat" 2>/dev/null &&
		go tool pprof -top -cum -nodecount=60 "$bin/lambdabench" "$prof/cpu.pprof" >"$prof/pprof.cum" 2>/dev/null)
	echo
	echo "profiles in $prof (perf.{gwc,fn}.top, perf.{gwc,fn}.dso, pprof.flat, pprof.cum)"
	keep=1
fi
