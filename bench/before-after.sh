#!/usr/bin/env bash
# Token and ingest throughput of two versions of the Worker, measured in one run on the same machine, alternating.
#   bash bench/before-after.sh <git-ref-before> [rounds]
# The "before" version is checked out into a temporary worktree that borrows this checkout's node_modules; each
# round runs bench/tokens.ts and bench/ingest.ts against one version, then the other. Figures: bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
REF="${1:?usage: bench/before-after.sh <git-ref-before> [rounds]}"
ROUNDS="${2:-2}"
BEFORE="$(mktemp -d)/before"
git worktree add -q --detach "$BEFORE" "$REF"
trap 'git worktree remove --force "$BEFORE"' EXIT
ln -s "$PWD/node_modules" "$BEFORE/node_modules"
for i in $(seq "$ROUNDS"); do
  for side in before after; do
    dir="$PWD"; [ "$side" = before ] && dir="$BEFORE"
    mkdir -p "$dir/web/dist"  # the benches run a snapshot without assets; wrangler only checks the folder exists
    echo "=== round $i: $side ($(git -C "$dir" rev-parse --short HEAD))"
    (cd "$dir" && npx tsx bench/tokens.ts --clients 20 --requests 25 --rounds 1 2>&1 | grep -E '^\s*(mint|refresh)|median|phase' || true)
    (cd "$dir" && npx tsx bench/ingest.ts --users 4 --batches 8 --rounds 1 2>&1 | grep -E 'records/s|ratio|median' || true)
  done
done
