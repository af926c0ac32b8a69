"""Ctrl-C during a long fit: SIGINT to a subprocess raises KeyboardInterrupt promptly."""
import signal
import subprocess
import sys
import textwrap
import time

LONG_FIT = textwrap.dedent("""
    import sys, time
    import numpy as np
    import segmint
    X = np.random.default_rng(0).normal(size=(200_000, 16)).astype(np.float32)
    print("fitting", flush=True)
    t = time.monotonic()
    try:
        segmint.KMeans(64, init="random", n_init=1000, max_iter=1000, tol=0, device="cpu",
                       random_state=0).fit(X)
    except KeyboardInterrupt:
        print(f"interrupted {time.monotonic() - t:.3f}", flush=True)
        sys.exit(0)
    print("finished", flush=True)
""")


def test_sigint_interrupts_a_long_fit():
    p = subprocess.Popen([sys.executable, "-c", LONG_FIT], stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "fitting"
        time.sleep(1.0)  # inside the fit, GIL released
        sent = time.monotonic()
        p.send_signal(signal.SIGINT)
        out, _ = p.communicate(timeout=30)
        elapsed = time.monotonic() - sent
    finally:
        p.kill()
    assert out.startswith("interrupted"), out
    assert p.returncode == 0
    assert elapsed < 5.0, f"took {elapsed:.1f}s to stop"
