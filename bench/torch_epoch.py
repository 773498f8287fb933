"""PyTorch reference for training epochs of DCGAN-28 on Fashion-MNIST (one by default).

The same model as bench/torch_dcgan28.py, trained the way `gankit train --data
fashion-mnist --epochs 1` trains it: batches of 64 from a shuffled epoch (the last
batch holds the remaining 32 images: 938 steps), pixels scaled to [-1, 1], one D
step on real and G(z) then one G step on the same G(z) (Algorithm 1 of Goodfellow
et al. 2014 with k = 1, G's batch reused as in PyTorch's DCGAN example), Adam 2e-4
b1 0.5, non-saturating loss written with softplus.
Each epoch reshuffles. Prints one JSON object: seconds for all epochs (data loading
included) and steps.
Run with /usr/bin/python3 and OPENBLAS_NUM_THREADS=1.
"""
import argparse
import gzip
import json
import os
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F

from torch_blas import require_fast_blas
from torch_dcgan28 import dcgan28


def read_idx_images(path):
    with gzip.open(path, "rb") as f:
        magic, n, h, w = struct.unpack(">IIII", f.read(16))
        assert magic == 0x803, f"bad magic {magic:#x} in {path}"
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(n, 1, h, w)


def main():
    require_fast_blas()
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    began = time.perf_counter()
    images = torch.from_numpy(read_idx_images(os.path.join(args.data, "train-images-idx3-ubyte.gz")).copy())
    G, D, _, zdim, batch, lr = dcgan28()
    optG = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999))
    optD = torch.optim.Adam(D.parameters(), lr=lr, betas=(0.5, 0.999))
    steps = 0
    for _ in range(args.epochs):
        order = torch.randperm(images.shape[0])
        for first in range(0, images.shape[0], batch):
            real = images[order[first:first + batch]].float() / 127.5 - 1
            n = real.shape[0]
            fake = G(torch.randn(n, zdim))
            lossD = F.softplus(-D(real)).mean() + F.softplus(D(fake.detach())).mean()
            optD.zero_grad(set_to_none=True)
            lossD.backward()
            optD.step()
            lossG = F.softplus(-D(fake)).mean()
            optG.zero_grad(set_to_none=True)
            lossG.backward()
            optG.step()
            lossD.item()
            lossG.item()
            steps += 1
    seconds = time.perf_counter() - began
    print(json.dumps({"workload": "fashion-epoch", "backend": "torch", "seconds": round(seconds, 1), "steps": steps,
                      "epochs": args.epochs, "threads": args.threads, "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
