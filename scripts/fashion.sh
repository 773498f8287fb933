#!/usr/bin/env bash
# The README's Fashion-MNIST pictures: DCGAN-28, seed 1, the sample grid after epoch 1,
# then the same run resumed to epoch 5 (938 steps an epoch) and a latent walk.
# Usage: bash scripts/fashion.sh [RUN_DIR]   (default runs/fashion5; ~9 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
run=${1:-runs/fashion5}
node dist/src/cli/main.js train --data fashion-mnist --model dcgan --epochs 1 --seed 1 --force --out "$run"
cp "$run/samples.png" docs/images/fashion-epoch1.png
node dist/src/cli/main.js train --resume --out "$run" --steps $((5 * 938))
cp "$run/samples.png" docs/images/fashion-epoch5.png
node dist/src/cli/main.js interpolate --run "$run" --out docs/images/fashion-walk.png --rows 6 --steps 10 --gif docs/images/fashion-walk.gif --frames 48
cat "$run/metrics.json"
