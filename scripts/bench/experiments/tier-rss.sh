#!/bin/bash
# usage: scripts/bench/experiments/tier-rss.sh WORKTREE [NODE_OPTIONS] (after npx tsc -b in WORKTREE): starts one instance
# on a fresh runtime directory and port, prints RSS and private (anonymous) MiB of the cop and the manager at 8, 12
# and 16 s, then stops the cop it started (SIGTERM: the instance stops with it).
WT=$1; D=$(mktemp -d /tmp/pool2-rss-XXXX); PORT=$((20000 + RANDOM % 20000))
NODE_OPTIONS="$2" node $WT/packages/cop/dist/src/bin.js --runtime-dir $D --listen 127.0.0.1:$PORT > $D/out.log 2>&1 &
COP=$!
sleep 8
MGR=$(head -1 $D/manager.lock 2>/dev/null)
for t in 8 12 16; do
  r() { awk '/^Rss/{r=$2} /^Anonymous/{a=$2} END{printf "%d/%d", r/1024, a/1024}' /proc/$1/smaps_rollup; }
  echo "t=${t}s cop rss/anon MiB $(r $COP) manager $(r $MGR)"
  [ $t != 16 ] && sleep 4
done
kill -TERM $COP; wait $COP; rm -rf $D
