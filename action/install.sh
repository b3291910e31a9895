#!/usr/bin/env bash
# Installs cname-preflight for the GitHub Action into $INSTALL_ROOT: the
# crates.io release $INPUT_VERSION, or the action's own checkout.
set -euo pipefail
: "${INSTALL_ROOT:?}" "${ACTION_PATH:?}"
if ! command -v cargo >/dev/null 2>&1; then
  echo "::error title=cname-preflight::cargo is needed to install cname-preflight; add dtolnay/rust-toolchain before this action"
  exit 1
fi
if [ -n "${INPUT_VERSION:-}" ]; then
  cargo install --locked --root "$INSTALL_ROOT" cname-preflight --version "$INPUT_VERSION"
else
  cargo install --locked --root "$INSTALL_ROOT" --path "$ACTION_PATH"
fi
