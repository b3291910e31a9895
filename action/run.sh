#!/usr/bin/env bash
# Runs `cname-preflight check` for the GitHub Action. Every input arrives as
# an environment variable (never interpolated into this script), so plan
# names and arguments cannot inject shell.
#
# Writes the chosen format to the log, GitHub annotations, the Markdown
# summary appended to $GITHUB_STEP_SUMMARY, SARIF when asked, and the outputs
# exit-code, findings and sarif-file to $GITHUB_OUTPUT. Exits with the
# tool's exit code.
set -uo pipefail

bin=${CNAME_PREFLIGHT_BIN:-cname-preflight}
[ -x "$bin" ] || bin=cname-preflight
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

args=(check --format "${INPUT_FORMAT:-human}"
  --minimum-failure-severity "${INPUT_MINIMUM_FAILURE_SEVERITY:-error}"
  --on-api-error "${INPUT_ON_API_ERROR:-fail}"
  --report "github=$work/annotations"
  --report "markdown=$work/summary.md"
  --report "compact=$work/compact")
if [ -n "${INPUT_CONFIG:-}" ]; then
  args+=(--config "$INPUT_CONFIG")
fi
if [ -n "${INPUT_SARIF_FILE:-}" ]; then
  args+=(--report "sarif=$INPUT_SARIF_FILE")
fi
# Extra arguments and paths are split on white space, never evaluated.
read -r -a extra <<< "${INPUT_ARGS:-}"
args+=("${extra[@]}")
if [ -n "${INPUT_PLAN:-}" ]; then
  args+=("$INPUT_PLAN")
fi
read -r -d '' -a paths <<< "${INPUT_PATHS:-}"
args+=("${paths[@]}")

"$bin" "${args[@]}"
code=$?

# The format already on the log may be `github`; annotate only once.
if [ "${INPUT_FORMAT:-human}" != github ] && [ -f "$work/annotations" ]; then
  cat "$work/annotations"
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$work/summary.md" ]; then
  cat "$work/summary.md" >> "$GITHUB_STEP_SUMMARY"
fi
findings=0
if [ -f "$work/compact" ]; then
  findings=$(grep -c . "$work/compact" || true)
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$code"
    echo "findings=$findings"
    echo "sarif-file=${INPUT_SARIF_FILE:-}"
  } >> "$GITHUB_OUTPUT"
fi
exit "$code"
