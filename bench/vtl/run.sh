#!/bin/sh
# Side-by-side benchmark of the typical request template (request.vm over
# the 2 KB body.json): gwc, Apache Velocity 1.7 (Java, after JIT warm-up)
# and velocityjs, measured in the same run. Prints a table.
#
# Needs: Go, java + javac with the Debian packages velocity and
# libjsonpath-java, node + npm. velocityjs is installed into a scratch
# directory (never committed).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
scratch=${VELOCITYJS_DIR:-${TMPDIR:-/tmp}/gwc-bench-velocityjs}
if [ ! -d "$scratch/node_modules/velocityjs" ]; then
	mkdir -p "$scratch"
	(cd "$scratch" && npm install --no-audit --no-fund --silent velocityjs >/dev/null)
fi
cd "$root"
VELOCITYJS_DIR="$scratch" go test ./vtl/internal/oracle -run TestSideBySide -count=1 -v -sidebyside "$@" | grep -v '^=== RUN'
