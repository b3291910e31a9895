#!/usr/bin/env bash
# HCL mode on a generated monorepo (2,002 .tf files, 200 root modules, 50
# CloudFront distributions): times `cname-preflight check --recursive`, the
# pre-commit path, against `checkov -d` on the same tree in the same run,
# and reports wall time, peak memory and the ratio.
#
#   bash benches/hcl-bench.sh [RUNS]
#
# checkov comes from PyPI into bench-out/venv on the first run.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
out=bench-out
mkdir -p "$out"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
if [ ! -x "$out/venv/bin/checkov" ]; then
  python3 -m venv "$out/venv"
  "$out/venv/bin/pip" install -q checkov
fi

cargo build --release --quiet
tree="$out/monorepo"
rm -rf "$tree"
python3 benches/make_monorepo.py "$tree"
# Read the tree once so both tools start from a warm page cache.
find "$tree" -name '*.tf' -exec cat {} + > /dev/null

measure() { # label runs command...: median "seconds max_rss_kib" of the runs
  local label=$1 n=$2; shift 2
  local results=()
  for _ in $(seq "$n"); do
    /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > "$out/$label.out" 2> "$out/$label.err" || true
    results+=("$(cat "$out/time.txt" | tail -1)")
  done
  printf '%s\n' "${results[@]}" | sort -n | sed -n "$(( (n + 1) / 2 ))p"
}

tool=$(measure tool "$runs" ./target/release/cname-preflight check --offline --recursive --format json "$tree")
checkov=$(measure checkov 1 "$out/venv/bin/checkov" -d "$tree" --framework terraform --skip-download --quiet --compact -o json)

python3 - "$tool" "$checkov" "$out/tool.out" <<'PY'
import json, sys
t_s, t_kb = map(float, sys.argv[1].split())
c_s, c_kb = map(float, sys.argv[2].split())
report = json.load(open(sys.argv[3]))
print(f"tree: 2002 .tf files; cname-preflight read {len(report['inputs'])} root modules, "
      f"{report['summary']['resources']} distributions, {report['summary']['claims']} aliases")
print(f"cname-preflight --recursive: {t_s:.2f} s, peak {t_kb / 1024:.0f} MiB (median of the runs)")
print(f"checkov -d:                  {c_s:.2f} s, peak {c_kb / 1024:.0f} MiB")
print(f"cname-preflight takes {t_s / max(c_s, 0.01):.3f}x checkov's time "
      f"({c_s / max(t_s, 0.01):.0f}x faster); target: under 0.3 s")
PY
