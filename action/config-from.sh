#!/usr/bin/env bash
# Chooses the config file of the Action's check, as the `config-from` input
# says, so that a pull request cannot switch its own checks off by editing
# `.cname-preflight.hcl`:
#
#   base   the config file of the pull request's base commit (the same path
#          the tool would find from the working directory up, or the
#          `config` input's path inside the repository), copied out of git;
#          when the base has none, no config file at all (the defaults)
#   head   the config file of the checkout, found as the tool finds it (or
#          the `config` input)
#   none   no config file: the defaults and the inputs only
#   (empty) base for `pull_request` and `pull_request_target` events when
#          the base commit has a config file, else head
#
#   config-from.sh DIR
#
# Writes the file to pass as `--config` to DIR/config (the file itself is
# written in DIR when it comes from git); no DIR/config means the tool looks
# for the config file as usual. The base commit is the event's
# `pull_request.base.sha` (else origin's GITHUB_BASE_REF); actions/checkout
# fetches one commit only, so a base that is not in the clone is fetched
# from `origin`, that one commit at depth 1. A base that cannot be read
# stops the step (exit 1): it never falls back to the pull request's own
# file.
#
# Reads INPUT_CONFIG_FROM, INPUT_CONFIG, GITHUB_EVENT_NAME,
# GITHUB_EVENT_PATH and GITHUB_BASE_REF; runs in the working directory.
set -uo pipefail

dir=${1:?usage: config-from.sh DIR}
name=.cname-preflight.hcl
# The largest config file read from git.
limit=1048576

fail() {
  echo "::error title=cname-preflight::$*"
  exit 1
}

# Passes FILE as `--config`.
use() {
  printf '%s' "$1" > "$dir/config"
}

# An empty config file: the defaults.
defaults() {
  mkdir -p "$dir/none"
  : > "$dir/none/$name"
  use "$dir/none/$name"
}

# Sets `commit` to the base commit of the pull request, fetched if the
# clone lacks it; returns 1 when the event names no base.
base_commit() {
  local sha ref=${GITHUB_BASE_REF:-}
  sha=$(jq -r '.pull_request.base.sha // empty' "${GITHUB_EVENT_PATH:-/dev/null}" 2>/dev/null)
  if [ -n "$sha" ]; then
    case "$sha" in
      *[!0-9a-f]*) fail "the event's pull_request.base.sha is not a commit id" ;;
    esac
    if ! git cat-file -e "$sha^{commit}" 2>/dev/null; then
      git fetch --quiet --no-tags --no-recurse-submodules --depth=1 origin "$sha" ||
        fail "cannot fetch the base commit $sha from origin to read its $name; let actions/checkout keep its credentials, or set config-from: head"
    fi
    commit=$sha
  elif [ -n "$ref" ]; then
    git check-ref-format --branch "$ref" >/dev/null 2>&1 || fail "GITHUB_BASE_REF is not a branch name"
    if ! commit=$(git rev-parse --verify -q "refs/remotes/origin/$ref^{commit}"); then
      git fetch --quiet --no-tags --no-recurse-submodules --depth=1 origin "refs/heads/$ref" ||
        fail "cannot fetch the base branch $ref from origin to read its $name; set config-from: head"
      commit=$(git rev-parse --verify -q "FETCH_HEAD^{commit}") || fail "cannot read the base branch $ref"
    fi
  else
    return 1
  fi
}

# Sets `paths` to the repository paths where the tool would look for the
# config file, in its order: the `config` input inside the repository,
# else `.cname-preflight.hcl` from the working directory up to the root.
# An absolute `config` outside the repository is no file of the pull
# request's: `paths` is then empty and the input is used as it is.
candidates() {
  local prefix top config=${INPUT_CONFIG:-}
  prefix=$(git rev-parse --show-prefix) || fail "cannot find the working directory in the repository"
  paths=()
  if [ -n "$config" ]; then
    case "$config" in
      /*) top=$(git rev-parse --show-toplevel)
          case "$config" in "$top"/*) config=${config#"$top"/} ;; *) return 0 ;; esac ;;
      *) config=$prefix${config#./} ;;
    esac
    case "/$config/" in
      */../* | */./* | *//*) fail "with config-from: base, the config input must be a plain path (no '.', '..' or empty parts)" ;;
    esac
    paths=("$config")
    return 0
  fi
  while :; do
    paths+=("$prefix$name")
    [ -n "$prefix" ] || break
    prefix=${prefix%/}
    case "$prefix" in */*) prefix=${prefix%/*}/ ;; *) prefix= ;; esac
  done
}

# Copies the first config file of `commit` at one of `paths` to DIR and
# passes it; fails when it is not a regular file or is too large; returns
# 1 when the commit has none.
from_commit() {
  local path mode type object size
  for path in "${paths[@]}"; do
    read -r mode type object < <(git ls-tree --full-tree "$commit" -- "$path" | cut -f1)
    [ -n "${object:-}" ] || continue
    case "$mode/$type" in
      100644/blob | 100755/blob) ;;
      *) fail "$path in the base commit is not a regular file (git mode $mode); refusing to read it" ;;
    esac
    size=$(git cat-file -s "$object")
    [ "$size" -le "$limit" ] || fail "$path in the base commit is larger than $limit bytes"
    mkdir -p "$dir/base"
    git cat-file blob "$object" > "$dir/base/$name" || fail "cannot read $path from the base commit"
    echo "config-from: base: using $path of the base commit ${commit:0:12}"
    use "$dir/base/$name"
    return 0
  done
  return 1
}

mode=${INPUT_CONFIG_FROM:-}
case "$mode" in
  head) exit 0 ;;
  none) defaults; exit 0 ;;
  base | "") ;;
  *) fail "config-from must be base, head or none" ;;
esac
case "${GITHUB_EVENT_NAME:-}" in
  pull_request | pull_request_target) pull=yes ;;
  *) pull=no ;;
esac
[ "$mode" = base ] || [ "$pull" = yes ] || exit 0
if ! git rev-parse --git-dir >/dev/null 2>&1; then
  # No checkout (a plan from an artifact): no file of the pull request's.
  [ "$mode" = base ] || exit 0
  fail "config-from: base needs the working directory in a git checkout"
fi
commit=
if ! base_commit; then
  [ "$mode" = base ] || exit 0
  fail "config-from: base needs a pull request (no base commit in the event, no GITHUB_BASE_REF)"
fi
paths=()
candidates
[ "${#paths[@]}" -gt 0 ] || exit 0
from_commit && exit 0
if [ "$mode" = base ]; then
  echo "config-from: base: the base commit has no $name; checking with the defaults"
  defaults
fi
exit 0
