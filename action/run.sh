#!/usr/bin/env bash
# Runs `cname-preflight check` for the GitHub Action. Every input arrives as
# an environment variable (never interpolated into this script), so plan
# names and arguments cannot inject shell.
#
# Only the flags whose inputs the user set are passed, so that the config
# file (.cname-preflight.hcl; on a pull request, the base commit's, see
# config-from.sh) decides the rest. `args` and `paths` hold one
# argument per line: a value with spaces stays one argument, and nothing is
# evaluated.
#
# Writes the chosen format to the log, GitHub annotations, the Markdown
# summary appended to $GITHUB_STEP_SUMMARY (and, with `comment`, as the
# pull request's one cname-preflight comment), SARIF when asked, and the outputs
# exit-code, findings and sarif-file (an absolute path) to $GITHUB_OUTPUT.
# Exits with the tool's exit code.
set -uo pipefail

bin=${CNAME_PREFLIGHT_BIN:-}
if [ -z "$bin" ]; then
  dir=${CNAME_PREFLIGHT_BIN_DIR:-}
  for candidate in "$dir/cname-preflight" "$dir/cname-preflight.exe"; do
    if [ -n "$dir" ] && [ -x "$candidate" ]; then bin=$candidate; break; fi
  done
fi
[ -n "$bin" ] || bin=cname-preflight
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One argument per non-empty line, with the line's outer white space and a
# Windows line end removed.
lines() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    line=${line#"${line%%[![:space:]]*}"}
    line=${line%"${line##*[![:space:]]}"}
    [ -n "$line" ] && printf '%s\0' "$line"
  done <<< "$1"
}

sarif=${INPUT_SARIF_FILE:-}
# The path goes to $GITHUB_OUTPUT as one `key=value` line.
case "$sarif" in
  *$'\n'* | *$'\r'*)
    echo "::error title=cname-preflight::sarif-file must be one line"
    exit 1 ;;
esac
case "$sarif" in
  "" | /* | [A-Za-z]:[\\/]*) ;;
  *) sarif="$PWD/$sarif" ;;
esac

args=(check
  --report "github=$work/annotations"
  --report "markdown=$work/summary.md"
  --report "compact=$work/compact")
[ -n "${INPUT_FORMAT:-}" ] && args+=(--format "$INPUT_FORMAT")
[ -n "${INPUT_MINIMUM_FAILURE_SEVERITY:-}" ] && args+=(--minimum-failure-severity "$INPUT_MINIMUM_FAILURE_SEVERITY")
[ -n "${INPUT_ON_API_ERROR:-}" ] && args+=(--on-api-error "$INPUT_ON_API_ERROR")
# The config file the `config-from` input asks for (config-from.sh): the
# base commit's on a pull request, so the pull request cannot switch its
# own checks off.
bash "$(dirname "$0")/config-from.sh" "$work" || exit 1
config=${INPUT_CONFIG:-}
[ -f "$work/config" ] && config=$(cat "$work/config")
[ -n "$config" ] && args+=(--config "$config")
[ -n "$sarif" ] && args+=(--report "sarif=$sarif")
while IFS= read -r -d '' arg; do args+=("$arg"); done < <(lines "${INPUT_ARGS:-}")
[ -n "${INPUT_PLAN:-}" ] && args+=("$INPUT_PLAN")
while IFS= read -r -d '' arg; do args+=("$arg"); done < <(lines "${INPUT_PATHS:-}")

# The token is for the pull-request comment only: the tool, which reads
# the pull request's files, runs without it.
env -u GITHUB_TOKEN "$bin" "${args[@]}" | tee "$work/log"
code=${PIPESTATUS[0]}

# The log may be in the `github` format already (the input, or the config
# file's `format`): annotate only once.
if [ -f "$work/annotations" ] && ! grep -Eq '^::(error|warning|notice)[ :]' "$work/log"; then
  cat "$work/annotations"
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$work/summary.md" ]; then
  cat "$work/summary.md" >> "$GITHUB_STEP_SUMMARY"
fi
# The one pull-request comment, created or updated (comment.sh).
if [ "${INPUT_COMMENT:-false}" = true ] && [ -f "$work/summary.md" ]; then
  bash "$(dirname "$0")/comment.sh" "$work/summary.md"
fi
findings=0
if [ -f "$work/compact" ]; then
  findings=$(grep -c . "$work/compact" || true)
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$code"
    echo "findings=$findings"
    echo "sarif-file=$sarif"
  } >> "$GITHUB_OUTPUT"
fi
exit "$code"
