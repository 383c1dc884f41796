#!/bin/bash
# Load benchmark of gwc serve against the same small Go backend hit
# directly, behind nginx (proxy_pass, keep-alive upstream) and behind Caddy
# (reverse_proxy), measured with wrk in the same run. Prints a table of
# requests/s and p50/p99 latency, then the time to load an artifact of
# 3,000 methods. See RESULTS.md for the method and the numbers.
#
# usage: bench/serve/run.sh [-d SECONDS] [-w SECONDS] [-r ROUNDS] [-c CONNECTIONS]
#                           [-p BASE_PORT] [-o CONFIGS] [-P] [-k] [-n]
#   -d  measured duration of each wrk run (default 10)
#   -w  warm-up before each measured run, not counted (default 2)
#   -r  rounds: every configuration runs once per round, in turn; the
#       table keeps each configuration's best round (default 3)
#   -c  wrk connections (default 64; wrk runs one thread)
#   -p  first of the loopback ports used (default 18400; 8 ports)
#   -o  configurations to run, comma-separated (default all):
#       direct-get,nginx-get,caddy-get,gwc-proxy,runtime-proxy,
#       direct-post,nginx-post,caddy-post,gwc-orders,runtime-orders
#       (runtime-* is the runtime alone, bench/serve/cmd/gwcserve)
#   -P  also count each server's syscalls per request and profile the two
#       gwc routes (perf on gwc serve; Go CPU and allocation profiles of the
#       runtime alone), written to the scratch directory
#   -k  keep the scratch directory
#   -n  skip the 3,000-method load measurement
#
# Cores (the machine has two): the server under test (nginx, Caddy or gwc)
# runs on core 0 alone, wrk and the backend share core 1; the backend hit
# directly runs on core 0 as the server under test. Go servers run with
# GOMAXPROCS=1. Everything listens on 127.0.0.1 only, every process this
# script starts is stopped when it exits, and each wrk run is bounded by -d.
set -euo pipefail

duration=10 warmup=2 rounds=3 conns=64 base=18400 only="" profile=0 keep=0 load=1
while getopts "d:w:r:c:p:o:Pkn" opt; do
	case $opt in
	d) duration=$OPTARG ;;
	w) warmup=$OPTARG ;;
	r) rounds=$OPTARG ;;
	c) conns=$OPTARG ;;
	p) base=$OPTARG ;;
	o) only=$OPTARG ;;
	P) profile=1 ;;
	k) keep=1 ;;
	n) load=0 ;;
	*) sed -n '8,24p' "$0" >&2; exit 2 ;;
	esac
done

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
server_core=0 client_core=1

# Tools: installed from Debian's packages when missing.
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing+=(nginx-light)
command -v caddy >/dev/null || missing+=(caddy)
command -v taskset >/dev/null || missing+=(util-linux)
command -v curl >/dev/null || missing+=(curl)
if [ "$profile" = 1 ] && ! command -v perf >/dev/null; then missing+=(linux-perf); fi
if [ ${#missing[@]} -gt 0 ]; then
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	echo "installing ${missing[*]}" >&2
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
nginx=$(command -v nginx || echo /usr/sbin/nginx)
if [ "$(nproc)" -lt 2 ]; then
	echo "run.sh: needs two cores (the server on one, wrk on the other)" >&2
	exit 2
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/gwc-bench-serve.XXXXXX")
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	if [ "$keep" = 1 ]; then
		echo "scratch directory kept: $scratch" >&2
	else
		rm -rf "$scratch"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_backend_direct=$base
port_backend=$((base + 1))
port_nginx=$((base + 2))
port_caddy=$((base + 3))
port_gwc=$((base + 4))
port_gwcprof=$((base + 5))
port_big=$((base + 6))
port_rt=$((base + 7))
for p in $(seq "$base" $((base + 7))); do
	if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
		echo "run.sh: port $p is in use; choose other ports with -p" >&2
		exit 2
	fi
done

# Build.
bin=$scratch/bin
mkdir -p "$bin"
echo "building gwc, the backend and the helpers" >&2
(cd "$root" && go build -o "$bin/gwc" ./cmd/gwc && go build -o "$bin/backend" ./bench/serve/backend &&
	go build -o "$bin/gwcserve" ./bench/serve/cmd/gwcserve && go build -o "$bin/genbig" ./bench/serve/cmd/genbig)
"$bin/gwc" build "$here/api/bench.yaml" -o "$scratch/artifact" >/dev/null 2>&1 ||
	"$bin/gwc" build "$here/api/bench.yaml" -o "$scratch/artifact"

# wrk's body and orders.json must be the same order.
lua_body=$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" "$here/orders.lua")
if [ "$lua_body" != "$(cat "$here/orders.json")" ]; then
	echo "run.sh: the body in orders.lua differs from orders.json" >&2
	exit 2
fi

# start NAME CORE COMMAND...: runs a server pinned to CORE, logging to the
# scratch directory, and remembers its pid.
start() {
	local name=$1 core=$2
	shift 2
	taskset -c "$core" "$@" >"$scratch/$name.log" 2>&1 &
	pids+=($!)
	eval "pid_$name=$!"
}

# wait_port PORT: until something answers on 127.0.0.1:PORT (10 s at most).
wait_port() {
	local i
	for i in $(seq 1000); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
		sleep 0.01
	done
	echo "run.sh: nothing listens on port $1; logs in $scratch" >&2
	keep=1
	exit 1
}

GOMAXPROCS=1 start backend_direct $server_core "$bin/backend" -listen "127.0.0.1:$port_backend_direct"
GOMAXPROCS=1 start backend $client_core "$bin/backend" -listen "127.0.0.1:$port_backend"

mkdir -p "$scratch/nginx"
sed -e "s/@BACKEND@/127.0.0.1:$port_backend/" -e "s/@LISTEN@/127.0.0.1:$port_nginx/" \
	"$here/nginx.conf" >"$scratch/nginx/nginx.conf"
# Temporary directories under the prefix, for the modules this nginx has,
# so that nothing is created under the compiled-in /var/lib/nginx.
for m in client_body proxy fastcgi uwsgi scgi; do
	if "$nginx" -V 2>&1 | grep -q -- "--without-http_${m}_module"; then continue; fi
	echo "${m}_temp_path temp/$m;"
done >"$scratch/nginx/temp_paths.conf"
mkdir -p "$scratch/nginx/temp"
start nginx $server_core "$nginx" -p "$scratch/nginx" -c nginx.conf -e error.log -g 'daemon off;'

mkdir -p "$scratch/caddy"
HOME=$scratch/caddy XDG_DATA_HOME=$scratch/caddy/data XDG_CONFIG_HOME=$scratch/caddy/config \
	CADDY_PORT=$port_caddy CADDY_BACKEND=127.0.0.1:$port_backend GOMAXPROCS=1 \
	start caddy $server_core caddy run --adapter caddyfile --config "$here/Caddyfile"

# gwc serve as a user runs it; a gwc without the serve verb gets the
# minimal server of cmd/gwcserve instead (the table says which).
if "$bin/gwc" serve --help >/dev/null 2>&1; then
	gwc_kind="gwc serve"
	GOMAXPROCS=1 start gwc $server_core "$bin/gwc" serve "$scratch/artifact" \
		--listen "127.0.0.1:$port_gwc" --admin off --access-log off --log-level warn \
		--stage-var "backend=127.0.0.1:$port_backend"
else
	gwc_kind="bench/serve/cmd/gwcserve (this gwc has no serve verb)"
	GOMAXPROCS=1 start gwc $server_core "$bin/gwcserve" -listen "127.0.0.1:$port_gwc" \
		-stage-var "backend=127.0.0.1:$port_backend" "$scratch/artifact"
fi
# The runtime alone (cmd/gwcserve: no metrics, access log, usage plans
# or reload watcher), to tell the runtime's cost from gwc serve's.
GOMAXPROCS=1 start gwcrt $server_core "$bin/gwcserve" -listen "127.0.0.1:$port_rt" \
	-stage-var "backend=127.0.0.1:$port_backend" "$scratch/artifact"
for p in $port_backend_direct $port_backend $port_nginx $port_caddy $port_gwc $port_rt; do wait_port "$p"; done

# The configurations: name, server pid variable, port, path, wrk script.
configs=(
	"direct-get backend_direct $port_backend_direct /items/42 -"
	"nginx-get nginx $port_nginx /items/42 -"
	"caddy-get caddy $port_caddy /items/42 -"
	"gwc-proxy gwc $port_gwc /dev/items/42 -"
	"runtime-proxy gwcrt $port_rt /dev/items/42 -"
	"direct-post backend_direct $port_backend_direct /orders orders"
	"nginx-post nginx $port_nginx /orders orders"
	"caddy-post caddy $port_caddy /orders orders"
	"gwc-orders gwc $port_gwc /dev/orders orders"
	"runtime-orders gwcrt $port_rt /dev/orders orders"
)
if [ -n "$only" ]; then
	sel=()
	for c in "${configs[@]}"; do
		case ",$only," in *",${c%% *},"*) sel+=("$c") ;; esac
	done
	configs=("${sel[@]}")
fi

# Every configuration must answer the backend's body with 200 before it
# is measured: a 4XX from a validator would be cheap and meaningless.
curl -s -o "$scratch/want" "http://127.0.0.1:$port_backend/x"
for c in "${configs[@]}"; do
	read -r name _ port path script <<<"$c"
	if [ "$script" = orders ]; then
		code=$(curl -s -o "$scratch/got" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
			-H 'X-Tenant: t1' --data-binary @"$here/orders.json" "http://127.0.0.1:$port$path")
	else
		code=$(curl -s -o "$scratch/got" -w '%{http_code}' "http://127.0.0.1:$port$path")
	fi
	if [ "$code" != 200 ] || ! cmp -s "$scratch/want" "$scratch/got"; then
		echo "run.sh: $name answered $code, not 200 with the backend's body:" >&2
		cat "$scratch/got" >&2
		keep=1
		exit 1
	fi
done

# pid_tree PID: the process and its children (nginx's worker).
pid_tree() { echo "$1" $(pgrep -P "$1" || true); }
# cpu_ticks PID...: user+system clock ticks used so far.
cpu_ticks() {
	local p
	for p in "$@"; do cat "/proc/$p/stat" 2>/dev/null || true; done | sed 's/.*) //' | awk '{s += $12 + $13} END {print s + 0}'
}
# core_ticks CORE: "busy total" ticks of one core from /proc/stat.
core_ticks() { awk -v c="cpu$1" '$1 == c {t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t}' /proc/stat; }
tck=$(getconf CLK_TCK)

# run_wrk SECONDS PORT PATH SCRIPT: one wrk run on the client core.
run_wrk() {
	local args=(-t1 -c"$conns" -d"$1"s --latency)
	[ "$4" = orders ] && args+=(-s "$here/orders.lua")
	taskset -c $client_core wrk "${args[@]}" "http://127.0.0.1:$2$3"
}

results=$scratch/results
mkdir -p "$results"
echo "loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$results/loadavg" >&2
for r in $(seq "$rounds"); do
	for c in "${configs[@]}"; do
		read -r name server port path script <<<"$c"
		run_wrk "$warmup" "$port" "$path" "$script" >/dev/null
		eval "spid=\$pid_$server"
		procs=$(pid_tree "$spid")
		c0=$(cpu_ticks $procs)
		read -r b0 t0 <<<"$(core_ticks $server_core)"
		out=$results/$name.$r
		run_wrk "$duration" "$port" "$path" "$script" >"$out"
		c1=$(cpu_ticks $procs)
		read -r b1 t1 <<<"$(core_ticks $server_core)"
		awk -v c=$((c1 - c0)) -v tck="$tck" -v d="$duration" -v b=$((b1 - b0)) -v t=$((t1 - t0)) \
			'BEGIN {printf "cpu %.0f\ncore %.0f\ncpusec %.3f\n", 100 * c / tck / d, (t ? 100 * b / t : 0), c / tck}' >>"$out"
		echo "loadavg $(cut -d' ' -f1 /proc/loadavg)" >>"$out"
		printf 'round %d %-12s %s req/s\n' "$r" "$name" "$(awk '/^Requests\/sec:/ {print $2}' "$out")" >&2
	done
done
echo "loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results/loadavg" >&2

# parse FILE: "rps p50 p99 errors cpu core" in ms, from wrk --latency.
parse() {
	awk -f "$here/../wrk.awk" -f /dev/stdin "$1" <<'EOF'
	$1 == "cpu" {cpu = $2}
	$1 == "core" {core = $2}
	$1 == "cpusec" {us = n ? $2 * 1e6 / n : 0}
	END {printf "%s %s %s %d %s %s %.0f\n", rps, p50, p99, err, cpu, core, us}
EOF
}

declare -A best_rps best_us
echo
echo "gwc is $gwc_kind; $conns connections, ${duration}s per run after ${warmup}s of warm-up, best of $rounds rounds"
echo "$(nproc) cores; $(head -1 "$results/loadavg"), $(tail -1 "$results/loadavg")"
changes=$(cd "$root" && git status --porcelain -- runtime plugins vtl internal artifact cmd go.mod 2>/dev/null |
	awk '{print $2}' | awk 'n++ < 8' | tr '\n' ' ')
[ -n "$changes" ] && changes=" with uncommitted changes in ${changes% }"
echo "gwc built from commit $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$changes"
echo
echo "| configuration | req/s | p50 | p99 | server CPU | server CPU µs/req | core $server_core busy | × nginx | req/s of each round |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
rows=$scratch/rows
: >"$rows"
for c in "${configs[@]}"; do
	read -r name _ _ _ _ <<<"$c"
	best="" all=""
	for r in $(seq "$rounds"); do
		read -r rps p50 p99 err cpu core us <<<"$(parse "$results/$name.$r")"
		all="$all ${rps%.*}"
		[ "$err" -gt 0 ] && all="$all(${err} errors)"
		if [ -z "$best" ] || awk -v a="$rps" -v b="${best%% *}" 'BEGIN {exit !(a > b)}'; then
			best="$rps $p50 $p99 $err $cpu $core $us"
		fi
	done
	best_rps[$name]=${best%% *}
	best_us[$name]=${best##* }
	echo "$name $best |$all" >>"$rows"
done
while read -r name rps p50 p99 err cpu core us rest; do
	case $name in
	*-get | *-proxy) ref=nginx-get ;;
	*) ref=nginx-post ;;
	esac
	ratio=-
	if [ -n "${best_rps[$ref]:-}" ]; then
		ratio=$(awk -v a="$rps" -v b="${best_rps[$ref]}" 'BEGIN {printf "%.2f", a / b}')
	fi
	printf '| %s | %.0f | %.2f ms | %.2f ms | %s%% | %s | %s%% | %s | %s |\n' \
		"$name" "$rps" "$p50" "$p99" "$cpu" "$us" "$core" "$ratio" "${rest#| }"
done <"$rows"
echo
echo "(nginx-get is the reference of the GET and proxy rows, nginx-post of the POST and orders rows;"
echo "runtime-* is the runtime alone, without gwc serve's metrics, access log, usage plans and watcher.)"
if [ -n "${best_rps[gwc-proxy]:-}" ] && [ -n "${best_rps[nginx-get]:-}" ]; then
	awk -v a="${best_rps[gwc-proxy]}" -v b="${best_rps[nginx-get]}" \
		'BEGIN {r = a / b; printf "goal: HTTP_PROXY route >= 0.90 x nginx: %.2f x, %s\n", r, (r >= 0.9 ? "met" : "not met")}'
fi
if [ -n "${best_rps[gwc-orders]:-}" ] && [ -n "${best_rps[nginx-post]:-}" ]; then
	awk -v a="${best_rps[gwc-orders]}" -v b="${best_rps[nginx-post]}" \
		'BEGIN {r = a / b; printf "goal: validation + template route >= 0.60 x nginx: %.2f x, %s\n", r, (r >= 0.6 ? "met" : "not met")}'
fi
for pair in gwc-proxy:nginx-get gwc-orders:nginx-post; do
	g=${pair%:*} n=${pair#*:}
	if [ -n "${best_us[$g]:-}" ] && [ -n "${best_us[$n]:-}" ] && [ "${best_us[$g]}" -gt 0 ]; then
		awk -v g="${best_us[$g]}" -v n="${best_us[$n]}" -v gn="$g" -v nn="$n" \
			'BEGIN {printf "server CPU per request: %s %d µs, %s %d µs (the rate each could reach on a whole core: %s %.2f x %s)\n", gn, g, nn, n, gn, n / g, nn}'
	fi
done
if [ -n "${best_rps[nginx-get]:-}" ] && [ -n "${best_rps[caddy-get]:-}" ]; then
	awk -v a="${best_rps[nginx-get]}" -v b="${best_rps[caddy-get]}" \
		'BEGIN {printf "nginx / Caddy (GET): %.2f x\n", a / b}'
fi

# Profiles of the two gwc routes, under the same load.
if [ "$profile" = 1 ]; then
	prof=$scratch/profiles
	mkdir -p "$prof"
	# System calls and context switches per request of each server under
	# test, counted by perf over one more run of each configuration.
	echo
	echo "| configuration | syscalls/req | context switches/req | server CPU µs/req (perf task-clock) |"
	echo "|---|---:|---:|---:|"
	for c in "${configs[@]}"; do
		read -r name server port path script <<<"$c"
		eval "spid=\$pid_$server"
		plist=$(pid_tree "$spid" | tr ' ' ',')
		run_wrk "$warmup" "$port" "$path" "$script" >/dev/null
		perf stat -x, -e raw_syscalls:sys_enter,context-switches,task-clock -p "$plist" \
			-o "$prof/stat.$name" -- sleep "$duration" 2>/dev/null &
		perfpid=$!
		run_wrk "$duration" "$port" "$path" "$script" >"$prof/wrk.stat.$name"
		wait "$perfpid" || true
		n=$(awk '/ requests in / {print $1}' "$prof/wrk.stat.$name")
		awk -F, -v n="$n" -v name="$name" '
			$3 == "raw_syscalls:sys_enter" {s = $1}
			$3 == "context-switches" {c = $1}
			$3 == "task-clock" {t = $1}
			END {if (n) printf "| %s | %.1f | %.2f | %.0f |\n", name, s / n, c / n, t * 1000 / n}' "$prof/stat.$name"
	done
	for route in proxy:/dev/items/42:- orders:/dev/orders:orders; do
		IFS=: read -r rname rpath rscript <<<"$route"
		# perf on gwc serve as it runs above.
		run_wrk "$warmup" "$port_gwc" "$rpath" "$rscript" >/dev/null
		perf record -q -F 999 -g -p "$pid_gwc" -o "$prof/perf.$rname.data" -- sleep "$duration" 2>/dev/null &
		perfpid=$!
		run_wrk "$duration" "$port_gwc" "$rpath" "$rscript" >"$prof/wrk.perf.$rname"
		wait "$perfpid" || true
		perf report -i "$prof/perf.$rname.data" --no-children --stdio --sort symbol 2>/dev/null |
			grep -E '^ +[0-9.]+%' | sed 's/[ -]*$//' | awk 'n++ < 40' >"$prof/perf.$rname.top"
		perf report -i "$prof/perf.$rname.data" --no-children --stdio --sort dso 2>/dev/null |
			grep -E '^ +[0-9.]+%' | sed 's/[ -]*$//' | awk 'n++ < 10' >"$prof/perf.$rname.dso"
		# A Go CPU profile of the runtime alone (cmd/gwcserve).
		GOMAXPROCS=1 start "gwcprof_$rname" $server_core "$bin/gwcserve" -listen "127.0.0.1:$port_gwcprof" \
			-cpuprofile "$prof/cpu.$rname.pprof" -memprofile "$prof/mem.$rname.pprof" -stage-var "backend=127.0.0.1:$port_backend" "$scratch/artifact"
		wait_port "$port_gwcprof"
		run_wrk "$warmup" "$port_gwcprof" "$rpath" "$rscript" >/dev/null
		run_wrk "$duration" "$port_gwcprof" "$rpath" "$rscript" >"$prof/wrk.pprof.$rname"
		eval "gp=\$pid_gwcprof_$rname"
		kill "$gp"
		wait "$gp" 2>/dev/null || true
		(cd "$root" && go tool pprof -top -nodecount=25 "$bin/gwcserve" "$prof/cpu.$rname.pprof" >"$prof/pprof.$rname.flat" 2>/dev/null &&
			go tool pprof -top -cum -nodecount=40 "$bin/gwcserve" "$prof/cpu.$rname.pprof" >"$prof/pprof.$rname.cum" 2>/dev/null &&
			go tool pprof -sample_index=alloc_space -top -nodecount=25 "$bin/gwcserve" "$prof/mem.$rname.pprof" >"$prof/pprof.$rname.alloc" 2>/dev/null)
	done
	echo
	echo "profiles in $prof (perf.*.top, perf.*.dso, pprof.*.flat, pprof.*.cum, pprof.*.alloc)"
	keep=1
fi

# Loading an artifact of 3,000 methods (bench/genapi's API).
if [ "$load" = 1 ]; then
	mkdir -p "$scratch/big"
	"$bin/genbig" -o "$scratch/big/big.cue"
	"$bin/gwc" build "$scratch/big/big.cue" -o "$scratch/big/artifact" >/dev/null 2>&1
	echo
	if grep -q 'func BenchmarkLoad3000' "$root"/runtime/*_test.go 2>/dev/null; then
		# The test binary is built first so that the CPU time measured
		# (user + system, all threads, GC included) is the loads' only.
		(cd "$root" && go test -c -o "$bin/runtime.test" ./runtime)
		TIMEFORMAT="%U %S"
		{ time (cd "$root/runtime" && GWC_BENCH_ARTIFACT="$scratch/big/artifact" "$bin/runtime.test" \
			-test.run '^$' -test.bench Load3000 -test.benchtime 20x -test.count 3 -test.benchmem \
			>"$scratch/big/bench.out"); } 2>"$scratch/big/cpu"
		unset TIMEFORMAT
		# b.Loop runs the function once per count: 3 x 20 loads, and one
		# more artifact.Read per count before the loop (so an upper bound).
		awk '{printf "load 3,000 methods: %.1f ms of CPU per load (user + system of every thread, GC included, / 60 loads)\n", ($1 + $2) * 1000 / 60}' "$scratch/big/cpu"
		awk '/^BenchmarkLoad3000/ {
				for (i = 3; i < NF; i += 2) v[$(i + 1)] = $i
				ms = v["ns/op"] / 1e6
				all = all sprintf(" %.1f", ms)
				if (best == "" || ms < best) best = ms
			}
			END {printf "load 3,000 methods (artifact.Read + runtime.Load): best %.1f ms/op of%s; %.1f MB/op, %d allocs/op\n", best, all, v["B/op"] / 1e6, v["allocs/op"]}' "$scratch/big/bench.out"
	else
		echo "load 3,000 methods: runtime has no BenchmarkLoad3000; skipped"
	fi
	# What a user sees: gwc serve started on it until it answers.
	if [ "$gwc_kind" = "gwc serve" ]; then
		for i in 1 2 3; do
			t0=$(date +%s%N)
			GOMAXPROCS=1 start "big$i" $server_core "$bin/gwc" serve "$scratch/big/artifact" \
				--listen "127.0.0.1:$port_big" --admin off --access-log off --log-level warn
			for _ in $(seq 2000); do
				curl -s -o /dev/null "http://127.0.0.1:$port_big/dev/" && break
				sleep 0.005
			done
			t1=$(date +%s%N)
			eval "bp=\$pid_big$i"
			kill "$bp"
			wait "$bp" 2>/dev/null || true
			echo "gwc serve of 3,000 methods, start to first answer (GOMAXPROCS=1): $(((t1 - t0) / 1000000)) ms"
		done
	fi
fi
