#!/usr/bin/env bash
# bench/lint/run.sh times gwc lint on the generated API of 1,000 resources
# and 3,000 methods (bench/genapi), and in the same run vacuum and Spectral
# on the same API exported as OpenAPI by gwc export. It installs vacuum
# (a Go build of several minutes) and Spectral once, into
# $GWC_BENCH_TOOLS (default ~/.cache/gwc), and reuses them afterwards.
#
#   bench/lint/run.sh            # 5 runs of each, medians printed as a table
#   RUNS=9 bench/lint/run.sh
#
# Not part of CI: the numbers depend on the machine and its load.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs="${RUNS:-5}"
tools="${GWC_BENCH_TOOLS:-$HOME/.cache/gwc}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

vacuum="$tools/bin/vacuum"
if [ ! -x "$vacuum" ]; then
	echo "run.sh: installing vacuum v0.29.9 into $tools/bin (a few minutes)" >&2
	mkdir -p "$tools/bin"
	( d="$(mktemp -d)" && cd "$d" && go mod init tools >/dev/null 2>&1 &&
		GONOSUMDB=github.com/daveshanley/vacuum go get github.com/daveshanley/vacuum@v0.29.9 &&
		GOBIN="$tools/bin" go install github.com/daveshanley/vacuum && rm -rf "$d" )
fi
spectral="$tools/spectral/node_modules/.bin/spectral"
if [ ! -x "$spectral" ]; then
	echo "run.sh: installing @stoplight/spectral-cli into $tools/spectral" >&2
	mkdir -p "$tools/spectral"
	npm install --prefix "$tools/spectral" --no-audit --no-fund --loglevel=error @stoplight/spectral-cli@6.16.3 >/dev/null
fi

echo "run.sh: building gwc and generating the API" >&2
go build -o "$work/gwc" ./cmd/gwc
go run ./bench/lint/gen -out "$work"
"$work/gwc" export "$work/api" -o "$work/exported.json"
printf 'extends: ["spectral:oas"]\n' >"$work/.spectral.yaml"

# median runs a command $runs times and prints the median wall time and
# the median CPU time (user + system) in seconds, and the peak memory of
# the largest run in MB. CPU time says what the work costs when other
# processes share the machine; wall time what a user waits.
median() {
	local walls=() cpus=() mems=()
	for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e %U %S %M' -o "$work/t" "$@" >/dev/null 2>&1 || true
		read -r e u s m < <(tail -n 1 "$work/t")
		walls+=("$e")
		cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.2f", u+s}')")
		mems+=("$m")
	done
	mid() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
	local m
	m=$(printf '%s\n' "${mems[@]}" | sort -n | tail -1)
	printf '%s %s %d\n' "$(mid "${walls[@]}")" "$(mid "${cpus[@]}")" "$((m / 1024))"
}

size() { du -k "$1" | awk '{printf "%.1f MB", $1/1024}'; }

echo "run.sh: $runs runs each (load average $(cut -d' ' -f1 /proc/loadavg))" >&2
read -r gwc_cue_t gwc_cue_c gwc_cue_m < <(median "$work/gwc" lint "$work/api" --fail-severity error)
read -r gwc_oas_t gwc_oas_c gwc_oas_m < <(median "$work/gwc" lint "$work/exported.json" --fail-severity error)
read -r vac_t vac_c vac_m < <(median "$vacuum" lint --no-style "$work/exported.json")
read -r spe_t spe_c spe_m < <(median "$spectral" lint --ruleset "$work/.spectral.yaml" "$work/exported.json")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", b/a}'; }
cat <<TABLE
| tool | input | median wall time | median CPU time | peak RSS |
|---|---|---:|---:|---:|
| gwc lint | CUE ($(size "$work/api/api.cue")) | ${gwc_cue_t} s | ${gwc_cue_c} s | ${gwc_cue_m} MB |
| gwc lint | exported OpenAPI ($(size "$work/exported.json")) | ${gwc_oas_t} s | ${gwc_oas_c} s | ${gwc_oas_m} MB |
| vacuum lint $("$vacuum" version 2>/dev/null | head -1) | exported OpenAPI | ${vac_t} s | ${vac_c} s | ${vac_m} MB |
| spectral lint $("$spectral" --version 2>/dev/null) | exported OpenAPI | ${spe_t} s | ${spe_c} s | ${spe_m} MB |

Wall time: gwc (CUE) is $(ratio "$gwc_cue_t" "$vac_t")x faster than vacuum and $(ratio "$gwc_cue_t" "$spe_t")x faster than Spectral;
gwc (OpenAPI) is $(ratio "$gwc_oas_t" "$vac_t")x faster than vacuum and $(ratio "$gwc_oas_t" "$spe_t")x faster than Spectral.
CPU time: gwc (CUE) $(ratio "$gwc_cue_c" "$vac_c")x less than vacuum, $(ratio "$gwc_cue_c" "$spe_c")x less than Spectral;
gwc (OpenAPI) $(ratio "$gwc_oas_c" "$vac_c")x less than vacuum, $(ratio "$gwc_oas_c" "$spe_c")x less than Spectral.
TABLE
