"""Refuses to time PyTorch on the reference BLAS.

Debian's python3-torch calls libblas.so.3, which Debian's alternatives point at whichever
BLAS is installed. With only libblas3 (Netlib's reference implementation, which
python3-torch's dependencies allow) DCGAN-28's training step took 558 ms instead of the
127 ms it takes on OpenBLAS (2 threads, quiet 2-core machine, 2026-11-30), and 5 epochs ran
past 23 minutes: a comparison against that would flatter gankit 4-fold. So the PyTorch
references stop, saying what to install. Call require_fast_blas() after importing torch.
"""
import os
import sys


def loaded_blas():
    """The file this process maps for libblas.so.3, or None (e.g. a torch with MKL inside)."""
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            name = os.path.basename(path)
            if name.startswith("libblas.so"):
                return path
    return None


def require_fast_blas():
    path = loaded_blas()
    # Debian installs the reference implementation as .../blas/libblas.so.3, the others
    # under their own folder (openblas-pthread/, blis-pthread/, atlas/).
    if path and os.path.basename(os.path.dirname(path)) == "blas":
        sys.exit(
            f"Expected PyTorch to use an optimised BLAS but it loaded the reference one ({path}), about 4x slower "
            "for DCGAN-28; apt-get install libopenblas0-pthread, then run the bench again"
        )
