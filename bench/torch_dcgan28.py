"""PyTorch reference for bench/main.ts: the same workloads as bench/workloads.ts.

DCGAN-28 and DCGAN-64 (64x64x3; batch 64, Adam 2e-4 b1 0.5) and the 2D MLP GAN
(batch 256, Adam 1e-3 b1 0.5; --batch overrides every batch), one D step then one G step, non-saturating loss written with softplus
on logits. Prints one JSON object per workload: median ms/step over --steps
steps after --warmup steps, and peak RSS. Run with /usr/bin/python3 and
OPENBLAS_NUM_THREADS=1 (OpenBLAS threads fight PyTorch's own otherwise).
"""
import argparse
import json
import os
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_blas import require_fast_blas


def init_dcgan(m):
    # N(0, 0.02) weights, batch-norm gamma N(1, 0.02) and beta 0, as gankit's preset.
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(m.weight, 0.0, 0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


class Reshape(nn.Module):
    def __init__(self, *shape):
        super().__init__()
        self.shape = shape

    def forward(self, x):
        return x.view(x.shape[0], *self.shape)


def dcgan28(batch=64):
    G = nn.Sequential(
        nn.Linear(100, 7 * 7 * 128, bias=False),                 # [B, 6272]
        nn.BatchNorm1d(7 * 7 * 128, eps=1e-5, momentum=0.1),
        nn.ReLU(),
        Reshape(128, 7, 7),                                       # [B, 128, 7, 7]
        nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False),         # [B, 64, 14, 14]
        nn.BatchNorm2d(64, eps=1e-5, momentum=0.1),
        nn.ReLU(),
        nn.ConvTranspose2d(64, 1, 4, 2, 1, bias=False),           # [B, 1, 28, 28]
        nn.Tanh(),
    )
    D = nn.Sequential(
        nn.Conv2d(1, 64, 4, 2, 1, bias=False),                    # [B, 64, 14, 14]
        nn.LeakyReLU(0.2),
        nn.Conv2d(64, 128, 4, 2, 1, bias=False),                  # [B, 128, 7, 7]
        nn.BatchNorm2d(128, eps=1e-5, momentum=0.1),
        nn.LeakyReLU(0.2),
        nn.Flatten(),                                             # [B, 6272]
        nn.Linear(7 * 7 * 128, 1),                                # [B, 1] logit
    )
    G.apply(init_dcgan)
    D.apply(init_dcgan)
    real = torch.tanh(torch.randn(batch, 1, 28, 28))
    return G, D, real, 100, batch, 2e-4


def dcgan64(batch=64):
    # gankit's 64-pixel preset: 4x4x512 -> 8 -> 16 -> 32 -> 64, 3 channels; D mirrors it.
    widths = [512, 256, 128, 64]
    g = [nn.Linear(100, 4 * 4 * 512, bias=False), nn.BatchNorm1d(4 * 4 * 512, eps=1e-5, momentum=0.1), nn.ReLU(),
         Reshape(512, 4, 4)]
    for i, w in enumerate(widths[1:] + [3]):
        g.append(nn.ConvTranspose2d(widths[i], w, 4, 2, 1, bias=False))
        if w != 3:
            g += [nn.BatchNorm2d(w, eps=1e-5, momentum=0.1), nn.ReLU()]
    g.append(nn.Tanh())
    d = []
    channels = [3] + widths[::-1]  # 3 -> 64 -> 128 -> 256 -> 512
    for i in range(4):
        d.append(nn.Conv2d(channels[i], channels[i + 1], 4, 2, 1, bias=False))
        if i > 0:
            d.append(nn.BatchNorm2d(channels[i + 1], eps=1e-5, momentum=0.1))
        d.append(nn.LeakyReLU(0.2))
    d += [nn.Flatten(), nn.Linear(4 * 4 * 512, 1)]
    G, D = nn.Sequential(*g), nn.Sequential(*d)
    G.apply(init_dcgan)
    D.apply(init_dcgan)
    real = torch.tanh(torch.randn(batch, 3, 64, 64))
    return G, D, real, 100, batch, 2e-4


def mlp2d(batch=256):
    G = nn.Sequential(nn.Linear(8, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 2))
    D = nn.Sequential(nn.Linear(2, 128), nn.LeakyReLU(0.2), nn.Linear(128, 128), nn.LeakyReLU(0.2), nn.Linear(128, 1))
    k = torch.randint(0, 8, (batch,)).float() * (2 * torch.pi / 8)
    real = torch.stack([torch.cos(k), torch.sin(k)], 1) + 0.01 * torch.randn(batch, 2)
    return G, D, real, 8, batch, 1e-3


def bench(make, steps, warmup, batch):
    G, D, real, zdim, batch, lr = make(batch) if batch else make()
    optG = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999))
    optD = torch.optim.Adam(D.parameters(), lr=lr, betas=(0.5, 0.999))

    def step():
        z = torch.randn(batch, zdim)
        fake = G(z)
        lossD = F.softplus(-D(real)).mean() + F.softplus(D(fake.detach())).mean()
        optD.zero_grad(set_to_none=True)
        lossD.backward()
        optD.step()
        lossG = F.softplus(-D(fake)).mean()
        optG.zero_grad(set_to_none=True)
        lossG.backward()
        optG.step()
        return lossD.item(), lossG.item()

    # Same rules as bench/child.ts: warm up for at least `warmup` steps and
    # 1.5 s; time at least `steps` steps and 2 s, at most 1000 steps.
    start = time.perf_counter()
    i = 0
    while i < warmup or (time.perf_counter() - start < 1.5 and i < 1000):
        step()
        i += 1
    times = []
    start = time.perf_counter()
    while len(times) < steps or (time.perf_counter() - start < 2.0 and len(times) < 1000):
        t = time.perf_counter()
        step()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), len(times), batch


def main():
    require_fast_blas()
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--workloads", default="dcgan28,mlp2d")
    ap.add_argument("--batch", type=int, default=0, help="every workload's batch (0: each its own)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    makers = {"dcgan28": dcgan28, "dcgan64": dcgan64, "mlp2d": mlp2d}
    for name in args.workloads.split(","):
        ms, n, batch = bench(makers[name], args.steps, args.warmup, args.batch)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"workload": name, "backend": "torch", "batch": batch, "stepMs": round(ms, 2), "threads": args.threads, "steps": n,
                          "peakRssMB": round(rss, 1), "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
