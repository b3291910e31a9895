#!/usr/bin/env bash
# Creates or updates the one pull-request comment of cname-preflight, as
# infracost's `--behavior update` does: the Markdown report starts with a
# hidden marker, the comment that starts with it is edited in place, and a
# new one is posted only when there is none. Runs with the job's token
# (`pull-requests: write`); a failure to comment is a warning, never the
# check's result.
#
#   comment.sh REPORT.md
#
# Reads GITHUB_TOKEN, GITHUB_EVENT_PATH, GITHUB_REPOSITORY and
# GITHUB_API_URL (tests point it at loopback).
set -uo pipefail

report=${1:?usage: comment.sh REPORT.md}
marker='<!-- cname-preflight comment -->'
api=${GITHUB_API_URL:-https://api.github.com}
# GitHub refuses comments over 65,536 characters.
limit=60000

warn() {
  echo "::warning title=cname-preflight::$*"
  exit 0
}

[ -n "${GITHUB_TOKEN:-}" ] || warn "no token to comment with; set the github-token input"
[ -n "${GITHUB_REPOSITORY:-}" ] || warn "GITHUB_REPOSITORY is not set; not commenting"
[ -f "$report" ] || warn "no Markdown report to comment with"
number=$(jq -r '.pull_request.number // .issue.number // empty' "${GITHUB_EVENT_PATH:-/dev/null}" 2>/dev/null)
case "$number" in
  '' ) echo "this run is not for a pull request; no comment"; exit 0 ;;
  *[!0-9]*) warn "the event's pull request number is not a number" ;;
esac

request() { # METHOD URL [BODY-FILE]: prints the response body, fails on HTTP errors
  local args=(--fail --silent --show-error --location --retry 2 -X "$1"
    -H "Authorization: Bearer $GITHUB_TOKEN"
    -H "Accept: application/vnd.github+json"
    -H "X-GitHub-Api-Version: 2022-11-28")
  if [ -n "${3:-}" ]; then args+=(-H "Content-Type: application/json" --data-binary "@$3"); fi
  curl "${args[@]}" "$2"
}

# The comment that starts with the marker, on at most 30 pages of 100: one
# by an app (the job's token comments as github-actions[bot]) wins, as anyone
# can post a comment that starts with the marker; else the first one (a
# personal token comments as its user).
existing="" first=""
for page in $(seq 1 30); do
  list=$(request GET "$api/repos/$GITHUB_REPOSITORY/issues/$number/comments?per_page=100&page=$page") ||
    warn "cannot list the comments of pull request #$number"
  marked='[.[] | select((.body // "") | startswith($m))]'
  existing=$(jq -r --arg m "$marker" "$marked"' | map(select(.user.type == "Bot")) | first | .id // empty' <<< "$list")
  [ -n "$existing" ] && break
  [ -n "$first" ] || first=$(jq -r --arg m "$marker" "$marked"' | first | .id // empty' <<< "$list")
  [ "$(jq length <<< "$list")" -lt 100 ] && break
done
[ -n "$existing" ] || existing=$first

body=$(mktemp)
trap 'rm -f "$body"' EXIT
if [ "$(wc -c < "$report")" -gt "$limit" ]; then
  # Cut at the end of a line: a cut inside a line could leave a value's
  # code span open, and the rest of that value would be read as Markdown
  # (a link, an image that loads from anywhere). The report never starts a
  # code span on one line and ends it on another.
  { head -c "$limit" "$report" | sed '$d'; printf '\n_The report is cut short here; the job summary has all of it._\n'; } |
    jq -Rs '{body: .}' > "$body"
else
  jq -Rs '{body: .}' < "$report" > "$body"
fi

case "$existing" in *[!0-9]*) existing="" ;; esac
# A comment that cannot be edited (someone else's) is left alone.
if [ -n "$existing" ] &&
  request PATCH "$api/repos/$GITHUB_REPOSITORY/issues/comments/$existing" "$body" > /dev/null; then
  echo "updated the cname-preflight comment on pull request #$number"
elif request POST "$api/repos/$GITHUB_REPOSITORY/issues/$number/comments" "$body" > /dev/null; then
  echo "commented on pull request #$number"
else
  warn "cannot comment on pull request #$number; the job needs 'pull-requests: write'"
fi
