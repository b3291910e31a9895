#!/usr/bin/env bash
# Builds a base revision and the working tree from clean, one after the
# other in the same run, each in a target directory of its own, and reports
# the release binary's size and the clean build's wall time of both, and
# their ratio (this machine is shared: compare ratios, not seconds).
#
#   bash benches/release-size.sh [BASE_REVISION]   (default: HEAD)
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-HEAD}
out=$(pwd)/bench-out/release-size
rm -rf "$out"
mkdir -p "$out"
git worktree add --detach --force "$out/base" "$base" >/dev/null
trap 'git worktree remove --force "$out/base" >/dev/null 2>&1 || true' EXIT
cargo fetch --locked >/dev/null
(cd "$out/base" && cargo fetch --locked >/dev/null)

build() { # label, directory: clean release build; prints "seconds bytes"
  local start end
  start=$(date +%s.%N)
  (cd "$2" && CARGO_TARGET_DIR="$out/target-$1" cargo build --release --locked --quiet)
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc) $(stat -c %s "$out/target-$1/release/cname-preflight")"
}

read -r base_s base_b < <(build base "$out/base")
read -r new_s new_b < <(build new .)
mib() { echo "scale=1; $1 / 1048576" | bc; }
printf '%-22s %10s %12s\n' "" "build (s)" "binary (MiB)"
printf '%-22s %10.0f %12s\n' "base ($(git rev-parse --short "$base"))" "$base_s" "$(mib "$base_b")"
printf '%-22s %10.0f %12s\n' "working tree" "$new_s" "$(mib "$new_b")"
printf 'ratio (working / base): build time %.2f, size %.2f\n' \
  "$(echo "$new_s / $base_s" | bc -l)" "$(echo "$new_b / $base_b" | bc -l)"
for t in base new; do
  printf '%s: ' "$t"
  { cargo tree --locked -e normal --target all --manifest-path "$([ $t = base ] && echo "$out/base/" || echo ./)Cargo.toml" 2>/dev/null || true; } |
    grep -oE '(^|[ ─└├│])(hyper|rustls|ring|aws-lc-rs) v[0-9.]+' | sed 's/^[ ─└├│]*//' | sort -u | tr '\n' ' '
  echo
done
