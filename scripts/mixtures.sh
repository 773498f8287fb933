#!/usr/bin/env bash
# The README's 2D results: default settings on ring8 and grid25, seeds 1–3, one run
# after another (so timings are not shared), then a markdown table of metrics.json:
# the default sampler (1% Jacobian truncation) and, in brackets, G's own samples.
# Usage: bash scripts/mixtures.sh [OUT_DIR]   (default runs/mixtures)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-runs/mixtures}
for data in ring8 grid25; do
  for seed in 1 2 3; do
    node dist/src/cli/main.js train --data "$data" --seed "$seed" --force --out "$out/$data-$seed" >/dev/null
  done
done
echo "| data | seed | modes | high quality | reverse KL | seconds | backend |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
# Each cell: the truncated sampler's number (G alone's in brackets).
for data in ring8 grid25; do
  for seed in 1 2 3; do
    node -e '
      const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const u = m.untruncated ?? m;
      const modes = `${m.modes}/${m.totalModes} (${u.modes})`;
      const hq = `${(100 * m.highQuality).toFixed(1)}% (${(100 * u.highQuality).toFixed(1)}%)`;
      const kl = `${m.reverseKL.toFixed(4)} (${u.reverseKL.toFixed(4)})`;
      console.log(`| ${process.argv[2]} | ${process.argv[3]} | ${modes} | ${hq} | ${kl} | ${m.seconds.toFixed(0)} | ${m.backend} |`);
    ' "$out/$data-$seed/metrics.json" "$data" "$seed"
  done
done
