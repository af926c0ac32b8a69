#!/usr/bin/env python3
"""GPU k-means peers at our shapes (small k, huge n) and theirs (k >= 1024, d = 128): ms per
Lloyd iteration of flash-kmeans 0.3.1 (Triton, tf32 dot products), fast-pytorch-kmeans 0.2.2,
fastkmeans 0.5.0 (host data streamed in chunks, as it is used) and a plain PyTorch Lloyd loop,
each skipped when it cannot be imported or fails (the reason is printed). With --ours FILE (the
table printed by gpu_kmeans_bench) it adds the ratio peer / segmint for matching shapes.

usage: peers_kmeans.py [--iters 5] [--ours ours.md] [--quick]
"""
import argparse
import re
import sys
import time

OUR_SHAPES = [(10_000_000, 16, 8), (10_000_000, 32, 16), (10_000_000, 32, 64),
              (10_000_000, 32, 256), (50_000_000, 32, 16)]
QUICK_SHAPES = [(10_000_000, 32, 16), (10_000_000, 32, 64)]
THEIR_SHAPES = [(1_000_000, 128, 1024), (1_000_000, 128, 4096)]


def make_data(torch, n, d, seed=0):
    """Blobs: 64 random centres plus uniform noise, on the GPU, float32 (never zeros)."""
    g = torch.Generator(device="cuda").manual_seed(seed)
    centres = torch.rand(64, d, device="cuda", generator=g) * 20 - 10
    pick = torch.randint(0, 64, (n,), device="cuda", generator=g)
    return centres[pick] + torch.rand(n, d, device="cuda", generator=g) * 2 - 1


def timed(torch, fn):
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    out = fn()
    torch.cuda.synchronize()
    return (time.perf_counter() - t0) * 1e3, out


def plain_torch_lloyd(torch, x, k, iters, chunk=1 << 22):
    """Lloyd with ||x||^2 - 2 x.c + ||c||^2 in chunks, index_add_ for the update."""
    n, d = x.shape
    c = x[:k].clone()
    for _ in range(iters):
        sums = torch.zeros(k, d, device=x.device, dtype=torch.float64)
        counts = torch.zeros(k, device=x.device, dtype=torch.float64)
        cn = (c * c).sum(1)
        for s in range(0, n, chunk):
            xb = x[s:s + chunk]
            lab = torch.argmin(cn[None, :] - 2 * xb @ c.T, dim=1)
            sums.index_add_(0, lab, xb.double())
            counts.index_add_(0, lab, torch.ones_like(lab, dtype=torch.float64))
        c = torch.where(counts[:, None] > 0, sums / counts.clamp(min=1)[:, None], c.double()).float()
    return c


def peer_flash(torch, x, k, iters):
    from flash_kmeans import batch_kmeans_Euclid
    run = lambda: batch_kmeans_Euclid(x[None], k, max_iters=iters, tol=-1.0)
    run()  # compile / autotune outside the timing
    ms, out = timed(torch, run)
    return ms / out[2]


def peer_fast_pytorch(torch, x, k, iters):
    from fast_pytorch_kmeans import KMeans
    def run():
        km = KMeans(n_clusters=k, max_iter=iters, tol=-1.0, mode="euclidean", verbose=0)
        km.fit(x)
    run()
    ms, _ = timed(torch, run)
    return ms / iters


def peer_fastkmeans(torch, x, k, iters):
    from fastkmeans import FastKMeans
    host = x.cpu().numpy()
    def run():
        km = FastKMeans(d=host.shape[1], k=k, niter=iters, tol=-1.0, gpu=True, verbose=False)
        km.train(host)
    run()
    ms, _ = timed(torch, run)
    return ms / iters


def peer_plain(torch, x, k, iters):
    plain_torch_lloyd(torch, x, k, 1)
    ms, _ = timed(torch, lambda: plain_torch_lloyd(torch, x, k, iters))
    return ms / iters


def read_ours(path):
    """(n, d, k) -> best ms/iter from gpu_kmeans_bench's Markdown table."""
    ours = {}
    for line in open(path):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 5 or not re.fullmatch(r"\d+", cells[0]):
            continue
        times = [float(c) for c in cells[3:5] if re.fullmatch(r"[\d.]+", c)]
        if times:
            ours[(int(cells[0]), int(cells[1]), int(cells[2]))] = min(times)
    return ours


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iters", type=int, default=5)
    ap.add_argument("--ours", help="gpu_kmeans_bench output to compare with")
    ap.add_argument("--quick", action="store_true",
                    help="two of our shapes and 1M x 128, k = 4096 only")
    a = ap.parse_args()
    try:
        import torch
        if not torch.cuda.is_available():
            raise RuntimeError("torch sees no CUDA device")
    except Exception as e:  # no torch, or no GPU: nothing to compare
        print(f"peers_kmeans: skipped: {e}")
        return 0
    ours = read_ours(a.ours) if a.ours else {}
    shapes = QUICK_SHAPES + THEIR_SHAPES[1:] if a.quick else OUR_SHAPES + THEIR_SHAPES
    peers = [("flash-kmeans", peer_flash), ("fast-pytorch-kmeans", peer_fast_pytorch),
             ("fastkmeans", peer_fastkmeans), ("plain PyTorch Lloyd", peer_plain)]
    print(f"device: {torch.cuda.get_device_name()}, torch {torch.__version__}, float32, "
          f"{a.iters} iterations, ms per iteration")
    print("| n | d | k | peer | ms/iter | segmint ms/iter | peer / segmint |")
    print("|---|---|---|---|---|---|---|")
    for n, d, k in shapes:
        x = make_data(torch, n, d)
        for name, fn in peers:
            try:
                ms = fn(torch, x, k, a.iters)
                cell = f"{ms:.3f}"
            except ImportError as e:
                ms, cell = None, f"not importable ({e.name})"
            except Exception as e:  # OOM and the like: report, keep going
                ms, cell = None, f"failed: {type(e).__name__}: {str(e).splitlines()[0][:80]}"
                torch.cuda.empty_cache()
            mine = ours.get((n, d, k))
            ratio = f"{ms / mine:.2f}x" if ms and mine else "n/a"
            print(f"| {n} | {d} | {k} | {name} | {cell} | {mine if mine else 'n/a'} | {ratio} |")
            sys.stdout.flush()
        del x
        torch.cuda.empty_cache()
    return 0


if __name__ == "__main__":
    sys.exit(main())
