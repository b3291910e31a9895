#!/usr/bin/env bash
# Installs cname-preflight for the GitHub Action into $INSTALL_ROOT/bin.
#
# With $INPUT_VERSION set: the release binary for this runner when
# action/checksums.txt pins its SHA-256 (downloaded from $RELEASE_BASE_URL,
# verified, refused on a mismatch); otherwise `cargo install --locked` of
# that crates.io version. Without a version: `cargo install --locked` of the
# action's own checkout.
set -euo pipefail
: "${INSTALL_ROOT:?}" "${ACTION_PATH:?}"
base=${RELEASE_BASE_URL:-https://github.com/cname-preflight/cname-preflight/releases/download}

target() {
  case "${RUNNER_OS:-$(uname -s)}/${RUNNER_ARCH:-$(uname -m)}" in
    Linux/X64 | Linux/x86_64) echo x86_64-unknown-linux-gnu ;;
    Linux/ARM64 | Linux/aarch64) echo aarch64-unknown-linux-gnu ;;
    macOS/X64 | Darwin/x86_64) echo x86_64-apple-darwin ;;
    macOS/ARM64 | Darwin/arm64) echo aarch64-apple-darwin ;;
    *) echo unknown ;;
  esac
}

if [ -n "${INPUT_VERSION:-}" ]; then
  asset="v${INPUT_VERSION#v}/cname-preflight-$(target).tar.gz"
  pinned=$(awk -v a="$asset" '$2 == a { print $1 }' "$ACTION_PATH/action/checksums.txt" 2>/dev/null || true)
  if [ -n "$pinned" ]; then
    tmp=$(mktemp -d)
    curl --fail --silent --show-error --location --retry 3 -o "$tmp/asset.tar.gz" "$base/$asset"
    actual=$(sha256sum "$tmp/asset.tar.gz" | cut -d' ' -f1)
    if [ "$actual" != "$pinned" ]; then
      echo "::error title=cname-preflight::checksum mismatch for $asset: expected $pinned, got $actual; refusing to install it"
      exit 1
    fi
    mkdir -p "$INSTALL_ROOT/bin"
    tar -xzf "$tmp/asset.tar.gz" -C "$INSTALL_ROOT/bin" cname-preflight
    chmod +x "$INSTALL_ROOT/bin/cname-preflight"
    echo "installed the release binary $asset (sha256 $actual)"
    exit 0
  fi
  echo "no pinned release binary for $asset; building it with cargo"
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "::error title=cname-preflight::cargo is needed to install cname-preflight; add dtolnay/rust-toolchain before this action"
  exit 1
fi
if [ -n "${INPUT_VERSION:-}" ]; then
  cargo install --locked --root "$INSTALL_ROOT" cname-preflight --version "${INPUT_VERSION#v}"
else
  cargo install --locked --root "$INSTALL_ROOT" --path "$ACTION_PATH"
fi
