#!/bin/bash
# usage: scripts/bench/experiments/tier-rss.sh WORKTREE [COP NODE FLAGS] (after npx tsc -b in WORKTREE): starts one
# instance on a fresh runtime directory and port with the cop run as `node FLAGS bin.js` (default: the shim's flags,
# TIER_NODE_FLAGS.cop), prints RSS, PSS and private MiB of the cop and the manager at 8, 12 and 16 s (docs/memory.md),
# then stops the cop it started (SIGTERM: the instance stops with it).
WT=$1; FLAGS=${2---lite-mode --max-semi-space-size=1}; D=$(mktemp -d /tmp/tier-rss-XXXX); PORT=$((20000 + RANDOM % 20000))
node $FLAGS $WT/packages/cop/dist/src/bin.js --runtime-dir $D --listen 127.0.0.1:$PORT > $D/out.log 2>&1 &
COP=$!
sleep 8
MGR=$(head -1 $D/manager.lock 2>/dev/null)
r() { awk '/^Rss/{r=$2} /^Pss:/{p=$2} /^Private_Clean/{pc=$2} /^Private_Dirty/{pd=$2} END{printf "rss %.1f pss %.1f private %.1f", r/1024, p/1024, (pc+pd)/1024}' /proc/$1/smaps_rollup; }
for t in 8 12 16; do
  echo "t=${t}s cop $(r $COP) | manager $(r $MGR)"
  [ $t != 16 ] && sleep 4
done
kill -TERM $COP; wait $COP; rm -rf $D
