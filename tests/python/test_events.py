"""segmint.features / segment / Model over pandas, polars, pyarrow and Parquet: the same bytes as
the CLI on the CSV, and bad input reported with the CLI's file:line text."""
import json
import pathlib
import subprocess
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import segmint
from conftest import run_cli


def assert_same_run(seg, cli_out, tmp_path):
    seg.save(tmp_path)
    for name in ("assignments.csv", "centroids.csv", "model.json"):
        assert (tmp_path / name).read_bytes() == (cli_out / name).read_bytes(), name


def test_segment_on_the_csv_path_matches_cli(retail_csv, retail_cli_run, tmp_path):
    assert_same_run(segmint.segment(retail_csv, k=6, device="cpu"), retail_cli_run, tmp_path)


def test_segment_on_pyarrow_table_matches_cli(retail_table, retail_cli_run, tmp_path):
    seg = segmint.segment(retail_table, k=6, device="cpu")
    assert_same_run(seg, retail_cli_run, tmp_path)
    reader = pa.RecordBatchReader.from_batches(retail_table.schema,
                                               retail_table.to_batches(max_chunksize=50_000))
    assert_same_run(segmint.segment(reader, k=6, device="cpu"), retail_cli_run, tmp_path)


def test_segment_on_pandas_matches_cli(retail_table, retail_cli_run, tmp_path):
    df = retail_table.to_pandas()  # int64 ids, datetime64 dates, float prices, object strings
    assert_same_run(segmint.segment(df, k=6, device="cpu"), retail_cli_run, tmp_path)


def test_segment_on_pandas_read_csv_matches_cli(retail_csv, retail_cli_run, tmp_path):
    import pandas as pd

    # read_csv's own types: Customer ID becomes float64 with NaN, dates stay strings.
    df = pd.read_csv(retail_csv, dtype={"Invoice": str, "StockCode": str})
    assert df["Customer ID"].dtype == np.float64
    assert_same_run(segmint.segment(df, k=6, device="cpu"), retail_cli_run, tmp_path)


def test_segment_on_polars_matches_cli(retail_table, retail_cli_run, tmp_path):
    import polars as pl

    df = pl.from_arrow(retail_table)
    assert_same_run(segmint.segment(df, k=6, device="cpu"), retail_cli_run, tmp_path)


def test_segment_on_parquet_matches_cli(retail_table, retail_cli_run, tmp_path):
    path = tmp_path / "retail.parquet"
    pq.write_table(retail_table, path, row_group_size=100_000)
    assert_same_run(segmint.segment(path, k=6, device="cpu"), retail_cli_run, tmp_path / "o")


def test_cli_reads_parquet_or_says_why_not(retail_table, retail_cli_run, segmint_exe, tmp_path):
    path = tmp_path / "retail.parquet"
    pq.write_table(retail_table, path)
    p = run_cli(segmint_exe, "run", "--events", path, "--k", "6", "--device", "cpu",
                "--out", tmp_path / "o")
    if p.returncode == 2:
        assert "Parquet input is not supported by this build" in p.stderr
        pytest.skip("this CLI was built without Arrow C++")
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "o/assignments.csv").read_bytes() == \
        (retail_cli_run / "assignments.csv").read_bytes()


def test_in_memory_tables_match_the_files(retail_table, retail_cli_run):
    import pyarrow.csv as pacsv

    seg = segmint.segment(retail_table, k=6, device="cpu")
    ref = pacsv.read_csv(retail_cli_run / "assignments.csv",
                         convert_options=pacsv.ConvertOptions(column_types={"user_id": pa.string()}))
    a = seg.assignments
    assert a.column_names == ["user_id", "segment", "segment_name", "distance"]
    assert a["user_id"].to_pylist() == ref["user_id"].to_pylist()
    assert a["segment"].to_pylist() == ref["segment"].to_pylist()
    assert a["segment_name"].to_pylist() == ref["segment_name"].to_pylist()
    np.testing.assert_allclose(a["distance"].to_numpy(), ref["distance"].to_numpy(), rtol=1e-6)
    assert seg.centroids.column_names[:3] == ["segment", "segment_name", "size"]
    assert seg.summary["k"] == 6 and seg.summary["users"] == a.num_rows
    assert seg.profiles.num_rows == 6
    assert seg.features.num_rows == a.num_rows


def test_features_match_cli(retail_csv, retail_table, segmint_exe, tmp_path):
    import pyarrow.csv as pacsv

    out = tmp_path / "features.csv"
    p = run_cli(segmint_exe, "features", "--events", retail_csv, "--out", out)
    assert p.returncode == 0, p.stderr
    ref = pacsv.read_csv(out, convert_options=pacsv.ConvertOptions(
        column_types={"user_id": pa.string()}))
    for events in (retail_csv, retail_table):
        table = segmint.features(events)
        assert table.column_names == ref.column_names
        assert table["user_id"].to_pylist() == ref["user_id"].to_pylist()
        for c in table.column_names[1:]:
            np.testing.assert_array_equal(table[c].to_numpy(), ref[c].to_numpy().astype(np.float32))


def test_model_save_load_assign_matches_cli(retail_csv, retail_table, retail_cli_run,
                                            segmint_exe, tmp_path):
    model = segmint.Model.load(retail_cli_run / "model.json")
    assert model.k == 6 and len(model.segment_names) == 6
    model.save(tmp_path / "model.json")
    assert (tmp_path / "model.json").read_bytes() == (retail_cli_run / "model.json").read_bytes()
    p = run_cli(segmint_exe, "assign", "--model", tmp_path / "model.json", "--events", retail_csv,
                "--device", "cpu", "--out", tmp_path / "assigned.csv")
    assert p.returncode == 0, p.stderr
    table = model.assign(retail_table, device="cpu")
    import pyarrow.csv as pacsv

    ref = pacsv.read_csv(tmp_path / "assigned.csv", convert_options=pacsv.ConvertOptions(
        column_types={"user_id": pa.string()}))
    assert table["user_id"].to_pylist() == ref["user_id"].to_pylist()
    assert table["segment"].to_pylist() == ref["segment"].to_pylist()


def test_bad_row_raises_with_the_cli_text(segmint_exe, tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("user_id,item_id,category_id,behavior_type,timestamp\n"
                   "1,10,100,pv,1511544070\n2,11,100,buy,yesterday\n")
    p = run_cli(segmint_exe, "run", "--events", csv, "--k", "1", "--out", tmp_path / "o")
    assert p.returncode == 2
    message = f"{csv}:3: cannot parse time 'yesterday' in column 'timestamp'"
    assert message in p.stderr
    with pytest.raises(ValueError, match="cannot parse time 'yesterday'") as e:
        segmint.segment(csv, k=1)
    assert str(e.value) == message
    # The same row from a table: named by the table's kind and the row's CSV line.
    table = pa.table({"user_id": ["1", "2"], "item_id": [10, 11], "category_id": [100, 100],
                      "behavior_type": ["pv", "buy"], "timestamp": ["1511544070", "yesterday"]})
    with pytest.raises(ValueError, match=r"pyarrow.Table:3: cannot parse time 'yesterday'"):
        segmint.features(table)


def test_bad_options_and_sources_raise():
    table = pa.table({"user_id": ["1"], "behavior_type": ["pv"], "timestamp": [1511544070],
                      "item_id": [1], "category_id": [2]})
    with pytest.raises(ValueError, match="--transform"):
        segmint.segment(table, k=1, transform="cube")
    with pytest.raises(ValueError, match="cannot detect the schema"):
        segmint.features(pa.table({"a": [1], "b": [2]}))
    with pytest.raises(ValueError, match="column 'nope'"):
        segmint.features(table, mapping={"user": "nope"}, schema="custom")
    with pytest.raises(TypeError, match="events must be"):
        segmint.features(42)
    with pytest.raises(ValueError, match="no such file|cannot open|No such"):
        segmint.features("/nonexistent/events.csv")


def test_typed_columns_read_like_their_text():
    # Timestamps, dictionaries, string views, nulls and float ids mean what their CSV text would.
    t0 = 1511544070
    text = pa.table({"user_id": ["7", "7", "8", None], "item_id": ["1", "2", "3", "4"],
                     "category_id": ["5", "5", "6", "6"],
                     "behavior_type": ["pv", "buy", "cart", "pv"],
                     "timestamp": [str(t0), str(t0 + 60), str(t0 + 120), str(t0)]})
    typed = pa.table({"user_id": pa.array([7.0, 7.0, 8.0, None]),
                      "item_id": pa.array([1, 2, 3, 4], pa.int32()),
                      "category_id": pa.array(["5", "5", "6", "6"]).dictionary_encode(),
                      "behavior_type": pa.array(["pv", "buy", "cart", "pv"], pa.string_view()),
                      "timestamp": pa.array([t0 * 1000, (t0 + 60) * 1000, (t0 + 120) * 1000, t0 * 1000],
                                            pa.timestamp("ms", tz="UTC"))})
    a, b = segmint.features(text), segmint.features(typed)
    assert a.equals(b)
    assert a["user_id"].to_pylist() == ["7", "8"]


def small_events():
    t0 = 1511544070
    return pa.table({"user_id": [str(i % 5) for i in range(50)], "item_id": list(range(50)),
                     "category_id": [1] * 50,
                     "behavior_type": ["pv", "cart", "buy", "pv", "fav"] * 10,
                     "timestamp": [t0 + 60 * i for i in range(50)]})


def test_quiet_by_default_verbose_shows_the_cli_info_lines(capfd):
    segmint.segment(small_events(), k=2, device="cpu")
    segmint.features(small_events())
    assert capfd.readouterr().err == ""
    segmint.segment(small_events(), k=2, device="cpu", verbose=True)
    err = capfd.readouterr().err
    assert "segmint: device: cpu" in err and "segmint: read 50 events of 5 users" in err


def test_the_parquet_example_runs(retail_table, tmp_path):
    example = pathlib.Path(__file__).resolve().parents[2] / "examples" / "segments_from_parquet.py"
    assert len(example.read_text().splitlines()) < 15
    pq.write_table(retail_table, tmp_path / "online_retail_II.parquet")
    p = subprocess.run([sys.executable, str(example)], cwd=tmp_path, capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stderr
    names = segmint.Model.load(tmp_path / "model.json").segment_names
    assert len(names) == 6 and all(name in p.stdout for name in names)
