#!/usr/bin/env bash
# Installs cname-preflight for the GitHub Action, in two steps around the
# cache:
#
#   install.sh resolve   picks the version and the runner's archive, and
#                        writes `version`, `target`, `asset`, `mode` and the
#                        cache `key` to $GITHUB_OUTPUT (and standard output)
#   install.sh install   on a cache miss, puts the binary in $INSTALL_ROOT/bin
#
# The version is $INPUT_VERSION, or the action's own (its Cargo.toml). When
# the release of that version has the runner's archive, the archive is
# downloaded, its SHA-256 checked (against action/checksums.txt when that
# pins it, else against the release's sha256sums.txt) and the binary
# unpacked, if it is a regular file: nothing is compiled. Only a version with no release is built:
# `cargo install --locked` of that crates.io version when one was asked
# for, else of the action's own checkout (cached under a hash of its
# sources, so a new commit is never served an old build).
#
# Inputs arrive as environment variables: INSTALL_ROOT, ACTION_PATH,
# INPUT_VERSION, RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, and RELEASE_BASE_URL
# (where releases are served; tests point it at loopback).
set -euo pipefail
: "${INSTALL_ROOT:?}" "${ACTION_PATH:?}"
base=${RELEASE_BASE_URL:-https://github.com/cname-preflight/cname-preflight/releases/download}
scratch=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/cname-preflight-install
mkdir -p "$scratch"

# A workflow command's message, escaped as GitHub reads them (`%`, CR, LF),
# so a value in it cannot end the line and start another command.
command_data() {
  local m=$*
  m=${m//'%'/'%25'}
  m=${m//$'\r'/'%0D'}
  m=${m//$'\n'/'%0A'}
  printf '%s' "$m"
}

fail() {
  echo "::error title=cname-preflight::$(command_data "$*")"
  exit 1
}

# The Rust target of the release archive for a GitHub runner (RUNNER_OS and
# RUNNER_ARCH as GitHub names them), or of this machine outside Actions.
target() {
  case "${RUNNER_OS:-$(uname -s)}/${RUNNER_ARCH:-$(uname -m)}" in
    Linux/X64 | Linux/x86_64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64 | Linux/aarch64) echo aarch64-unknown-linux-musl ;;
    macOS/X64 | Darwin/x86_64) echo x86_64-apple-darwin ;;
    macOS/ARM64 | Darwin/arm64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) echo none ;;
  esac
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

# The digest a file's lines give for NAME (`<sha256>  NAME` or
# `<sha256> *NAME`), if any.
listed() {
  awk -v name="$2" '$1 !~ /^#/ && ($2 == name || $2 == "*" name) { print $1; exit }' "$1" 2>/dev/null || true
}

# One digest over the action's sources: the key of a build from them.
source_hash() {
  (cd "$ACTION_PATH" && find Cargo.toml Cargo.lock src -type f -print0 | LC_ALL=C sort -z |
    xargs -0 cat | if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi | cut -c1-16)
}

output() {
  echo "$1=$2"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1=$2" >> "$GITHUB_OUTPUT"; fi
}

resolve() {
  local version target ext asset sums mode key
  version=${INPUT_VERSION:-}
  version=${version#v}
  if [ -z "$version" ]; then
    version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$ACTION_PATH/Cargo.toml" | head -n 1)
    [ -n "$version" ] || fail "cannot read the action's version from $ACTION_PATH/Cargo.toml"
  fi
  case "$version" in
    *[!0-9A-Za-z.+-]*) fail "version '$version' is not a version number" ;;
  esac
  target=$(target)
  case "$target" in *-windows-*) ext=zip ;; *) ext=tar.gz ;; esac
  asset=cname-preflight-$target.$ext
  sums="$scratch/sha256sums-$version.txt"
  rm -f "$sums"
  if [ "$target" != none ] &&
    curl --fail --silent --show-error --location --retry 3 -o "$sums" "$base/v$version/sha256sums.txt" 2>/dev/null &&
    [ -n "$(listed "$sums" "$asset")" ]; then
    mode=release
    key="cname-preflight-v$version-$target"
  elif [ -n "${INPUT_VERSION:-}" ]; then
    mode=cargo
    key="cname-preflight-v$version-$(uname -s)-$(uname -m)-cargo"
  else
    mode=source
    key="cname-preflight-v$version-$(uname -s)-$(uname -m)-source-$(source_hash)"
  fi
  output version "$version"
  output target "$target"
  output asset "$asset"
  output mode "$mode"
  output key "$key"
}

install_release() {
  local version=$1 asset=$2 sums expected how actual
  sums="$scratch/sha256sums-$version.txt"
  expected=$(listed "$ACTION_PATH/action/checksums.txt" "v$version/$asset")
  how="action/checksums.txt"
  if [ -z "$expected" ]; then
    [ -f "$sums" ] || curl --fail --silent --show-error --location --retry 3 -o "$sums" "$base/v$version/sha256sums.txt" ||
      fail "cannot download the checksums of release v$version"
    expected=$(listed "$sums" "$asset")
    how="the release's sha256sums.txt"
  fi
  [ -n "$expected" ] || fail "release v$version lists no checksum for $asset; refusing to install it unchecked"
  curl --fail --silent --show-error --location --retry 3 -o "$scratch/$asset" "$base/v$version/$asset" ||
    fail "cannot download $asset of release v$version"
  actual=$(sha256 "$scratch/$asset")
  if [ "$actual" != "$expected" ]; then
    rm -f "$scratch/$asset"
    fail "checksum mismatch for $asset: expected $expected ($how), got $actual; refusing to install it"
  fi
  # The binary is unpacked into an empty directory of its own and installed
  # only if it is a regular file: a symlink (to a file of the runner's) or a
  # directory by that name is refused, never followed or copied.
  local unpack exe
  unpack=$(mktemp -d "$scratch/unpack.XXXXXX")
  case "$asset" in
    *.zip) exe=cname-preflight.exe
       unzip -o -q -j "$scratch/$asset" "$exe" -d "$unpack" ||
         fail "cannot unpack $exe from $asset" ;;
    *) exe=cname-preflight
       tar -xzf "$scratch/$asset" -C "$unpack" "$exe" ||
         fail "cannot unpack $exe from $asset" ;;
  esac
  rm -f "$scratch/$asset"
  if [ -L "$unpack/$exe" ] || [ ! -f "$unpack/$exe" ]; then
    rm -rf "$unpack"
    fail "$exe in $asset of release v$version is not a regular file (a symlink or a directory); refusing to install it"
  fi
  mkdir -p "$INSTALL_ROOT/bin"
  rm -rf "${INSTALL_ROOT:?}/bin/$exe"
  mv "$unpack/$exe" "$INSTALL_ROOT/bin/$exe"
  chmod +x "$INSTALL_ROOT/bin/$exe"
  rm -rf "$unpack"
  echo "installed $asset of release v$version (sha256 $actual, checked against $how)"
}

install() {
  local version=$1 asset=$2 mode=$3
  case "$mode" in
    release) install_release "$version" "$asset" ;;
    cargo | source)
      command -v cargo >/dev/null 2>&1 ||
        fail "release v$version has no binary for this runner and cargo is not installed to build it; add dtolnay/rust-toolchain before this action, or ask for a released version"
      echo "release v$version has no binary for this runner; building it with cargo"
      if [ "$mode" = cargo ]; then
        cargo install --locked --root "$INSTALL_ROOT" cname-preflight --version "$version"
      else
        cargo install --locked --root "$INSTALL_ROOT" --path "$ACTION_PATH"
      fi ;;
    *) fail "unknown install mode '$mode'" ;;
  esac
}

case "${1:-}" in
  resolve) resolve ;;
  install) install "${VERSION:?}" "${ASSET:?}" "${MODE:?}" ;;
  *) echo "usage: install.sh resolve | install" >&2; exit 2 ;;
esac
