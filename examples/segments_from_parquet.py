"""Parquet export -> named segments -> a table of segments (paste into a notebook)."""
import sys

import segmint

events = sys.argv[1] if len(sys.argv) > 1 else "online_retail_II.parquet"  # any preset's columns
seg = segmint.segment(events, k=6, seed=0)             # features -> k-means -> named segments
table = seg.centroids.to_pandas().set_index("segment")  # size and mean features per segment
print(table[["segment_name", "size", "recency_days", "frequency", "monetary"]])
users = seg.assignments.to_pandas()                     # user_id, segment, segment_name, distance
print(users.head())
seg.model.save("model.json")                            # segmint assign / Model.load(...).assign(...)
