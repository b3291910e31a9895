#!/usr/bin/env bash
# Times `cname-preflight check` on a generated plan of 200+ MiB against jq
# extracting the same resources from the same file, in the same run, and
# reports the ratio and peak memory against the file size.
#
#   bash benches/plan-bench.sh [SIZE_MIB] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-220}
runs=${2:-3}
out=bench-out
mkdir -p "$out"

need() { command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
need jq jq
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

cargo build --release --quiet
plan="$out/plan-${size}mb.json"
[ -s "$plan" ] || python3 benches/make_big_plan.py "$plan" "$size"
bytes=$(stat -c %s "$plan")

# Read the file once so both tools start from a warm page cache.
cat "$plan" > /dev/null

filter='[.resource_changes[] | select(.type == "aws_cloudfront_distribution" or .type == "aws_cloudfront_distribution_tenant" or .type == "aws_acm_certificate")] | length'

measure() { # label, command...: prints "seconds max_rss_kib" per run, keeps the median
  local label=$1; shift
  local results=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > "$out/$label.out"
    results+=("$(cat "$out/time.txt")")
  done
  printf '%s\n' "${results[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

tool=$(measure tool ./target/release/cname-preflight check --offline --format json "$plan" || true)
jqr=$(measure jq jq "$filter" "$plan")

claims=$(python3 -c "import json,sys; d=json.load(open('$out/tool.out')); print(d['summary']['resources'])")
jq_count=$(cat "$out/jq.out")
python3 - "$bytes" "$tool" "$jqr" "$claims" "$jq_count" <<'PY'
import sys
size = int(sys.argv[1])
t_s, t_kb = map(float, sys.argv[2].split())
j_s, j_kb = map(float, sys.argv[3].split())
print(f"plan: {size / 2**20:.0f} MiB; resources read: cname-preflight {sys.argv[4]}, jq {sys.argv[5]}")
print(f"cname-preflight: {t_s:.2f} s, peak {t_kb / 1024:.0f} MiB ({t_kb * 1024 / size:.2f}x the file)")
print(f"jq:              {j_s:.2f} s, peak {j_kb / 1024:.0f} MiB ({j_kb * 1024 / size:.2f}x the file)")
print(f"speed-up: {j_s / max(t_s, 0.01):.1f}x faster than jq (median of the runs)")
PY
