"""Shared fixtures of the Python tests: the shared data sets (skip when absent) and the CLI built
beside the package (SEGMINT_EXE, default build/segmint; skip when absent)."""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
# $SEGMINT_DATASETS as for the C++ tests (checkouts elsewhere), else ../shared/datasets.
DATASETS = pathlib.Path(os.environ.get("SEGMINT_DATASETS", os.environ.get(
    "SEGMINT_SHARED_DATASETS", ROOT.parent / "shared" / "datasets")))
RETAIL = DATASETS / "online_retail_II_2009-2010.csv.gz"


@pytest.fixture(scope="session")
def retail_csv():
    if not RETAIL.exists():
        pytest.skip(f"shared data set absent: {RETAIL}")
    return RETAIL


@pytest.fixture(scope="session")
def segmint_exe():
    exe = pathlib.Path(os.environ.get("SEGMINT_EXE", ROOT / "build" / "segmint"))
    if not exe.exists():
        pytest.skip(f"segmint CLI not built: {exe}")
    return exe


def run_cli(exe, *args):
    """Runs the CLI; returns the completed process (stdout, stderr as text)."""
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True)


@pytest.fixture(scope="session")
def retail_table(retail_csv):
    """The Online Retail II CSV as a pyarrow Table (typed columns: int64 ids and quantities,
    timestamp[s] dates, double prices)."""
    import pyarrow.csv as pacsv

    return pacsv.read_csv(retail_csv)


@pytest.fixture(scope="session")
def retail_cli_run(retail_csv, segmint_exe, tmp_path_factory):
    """`segmint run --k 6` on the CSV: the reference outputs."""
    out = tmp_path_factory.mktemp("cli_run")
    p = run_cli(segmint_exe, "run", "--events", retail_csv, "--k", "6", "--device", "cpu",
                "--out", out)
    assert p.returncode == 0, p.stderr
    return out
