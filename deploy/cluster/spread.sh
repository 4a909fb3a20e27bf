#!/usr/bin/env bash
# Spreads the engine's 16 shards evenly over the primaries of a new, empty Redis Cluster.
#
# The shards' hash tags ("s00" … "s15") fall into four groups of nearby slots, so the even slot
# split of `redis-cli --cluster create` gives three primaries 8, 4 and 4 shards. Only those 16
# slots (and "auth" and "lease", of the logins and the leases) hold the engine's keys: this gives
# each of them to the primaries in turn (6/5/5 over three), leaving every other slot where it is.
# A slot that already holds keys is refused by Redis (move it with MIGRATE instead); run it once,
# right after creating the cluster.
#
# Usage: REDISCLI_AUTH=… deploy/cluster/spread.sh HOST:PORT   (any node of the cluster)
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 HOST:PORT" >&2; exit 2; }
cli() {  # cli HOST:PORT ARGS…
  local at=$1
  shift
  redis-cli --no-auth-warning -h "${at%:*}" -p "${at##*:}" "$@"
}

# The live primaries that serve slots, as "id host:port", in a stable order.
mapfile -t primaries < <(cli "$1" CLUSTER NODES |
  awk '$3 ~ /master/ && $3 !~ /fail/ && NF > 8 { split($2, a, "@"); print $1, a[1] }' | sort -k2)
n=${#primaries[@]}
[ "$n" -gt 0 ] || { echo "spread: no primary serving slots at $1" >&2; exit 1; }

# The node that serves SLOT, as the node at HOST:PORT sees it ("" when none does).
owner_of() {  # owner_of HOST:PORT SLOT
  cli "$1" CLUSTER NODES | awk -v slot="$2" '{
    for (f = 9; f <= NF; f++) {
      if ($f ~ /^\[/) continue                       # a slot being migrated, not served
      n = split($f, r, "-"); lo = r[1]; hi = (n == 2) ? r[2] : r[1]
      if (slot + 0 >= lo + 0 && slot + 0 <= hi + 0) { print $1; exit }
    }
  }'
}

i=0
for tag in s00 s01 s02 s03 s04 s05 s06 s07 s08 s09 s10 s11 s12 s13 s14 s15 auth lease; do
  slot=$(cli "$1" CLUSTER KEYSLOT "$tag")
  read -r id to <<<"${primaries[$((i % n))]}"
  # The new owner first marks the slot as importing: its SETSLOT NODE then raises its configuration
  # epoch above every other, so a ping the old owner sent before it heard of the move (claiming the
  # slot under its own, lower epoch) cannot take the slot back. Without it the new owner may give
  # the slot back to the old one, which no longer claims it, and the cluster disagrees for good.
  from=$(owner_of "$to" "$slot")
  if [ -n "$from" ] && [ "$from" != "$id" ]; then
    out=$(cli "$to" CLUSTER SETSLOT "$slot" IMPORTING "$from")
    [ "$out" = OK ] || { echo "spread: slot $slot ($tag) importing at $to: $out" >&2; exit 1; }
  fi
  # Every primary is told, the new owner first, as Redis asks of a slot changing hands.
  order=("${primaries[$((i % n))]}" "${primaries[@]}")
  for p in "${order[@]}"; do
    read -r _ at <<<"$p"
    out=$(cli "$at" CLUSTER SETSLOT "$slot" NODE "$id")
    [ "$out" = OK ] || { echo "spread: slot $slot ($tag) to $id at $at: $out" >&2; exit 1; }
  done
  echo "$tag slot $slot -> $to"
  i=$((i + 1))
done
# Each primary takes a configuration epoch above every other: the replicas, which learn slots from
# gossip, then believe the new owners, and a replica promoted later claims only its primary's.
for p in "${primaries[@]}"; do
  read -r _ at <<<"$p"
  cli "$at" CLUSTER BUMPEPOCH >/dev/null
done
