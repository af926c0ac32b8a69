#!/usr/bin/env python3
"""Checks that `segmint generate` planted separable archetypes: computes the behavioral features
of every user from DIR/events.csv (independently of segmint), applies log1p to heavy-tailed ones,
z-scores, runs scikit-learn k-means with k = number of archetypes and prints the adjusted Rand
index against DIR/truth.csv.  Usage: check_planted.py DIR [--min-ari 0.9] [--features FILE]
(exit 1 below the minimum).  With --features, the table written by `segmint features` is used
instead, transformed as segmint's default log1p-zscore does (docs/FEATURES.md)."""
import csv
import json
import math
import sys
from collections import defaultdict
from datetime import datetime, timezone

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

LOG_FEATURES = {"recency_days", "frequency", "monetary", "avg_order_value", "tenure_days",
                "active_days", "views", "carts", "purchases", "sessions", "events_per_session",
                "session_minutes", "distinct_categories"}


def parse_time(text):
    return int(datetime.strptime(text, "%Y-%m-%d %H:%M:%S UTC")
               .replace(tzinfo=timezone.utc).timestamp())


def user_features(rows, as_of):
    times = [r[0] for r in rows]
    counts = defaultdict(int)
    monetary = 0.0
    buy_sessions, sessions, cats, days = set(), defaultdict(list), defaultdict(int), set()
    weekend, parts = 0, [0, 0, 0, 0]
    for t, kind, cat, price, sess in rows:
        counts[kind] += 1
        sessions[sess].append(t)
        cats[cat] += 1
        days.add(t // 86400)
        weekend += ((t // 86400 + 3) % 7) >= 5
        parts[(t % 86400) // 21600] += 1
        if kind == "purchase":
            monetary += price
            buy_sessions.add(sess)
    n = len(rows)
    views, carts, purchases = counts["view"], counts["cart"], counts["purchase"]
    freq = len(buy_sessions)
    total = sum(cats.values())
    entropy = -sum(c / total * math.log(c / total) for c in cats.values())
    return {
        "recency_days": (as_of - max(times)) / 86400,
        "frequency": freq,
        "monetary": monetary,
        "avg_order_value": monetary / freq if freq else 0.0,
        "tenure_days": (as_of - min(times)) / 86400,
        "active_days": len(days),
        "views": views, "carts": carts, "purchases": purchases,
        "view_to_cart": carts / views if views else 0.0,
        "cart_to_purchase": min(1.0, purchases / carts) if carts else 0.0,
        "cart_abandonment": 1 - min(1.0, purchases / carts) if carts else 0.0,
        "sessions": len(sessions),
        "events_per_session": n / len(sessions),
        "session_minutes": sum((max(s) - min(s)) / 60 for s in sessions.values()) / len(sessions),
        "weekend_share": weekend / n,
        "night_share": parts[0] / n, "morning_share": parts[1] / n,
        "afternoon_share": parts[2] / n, "evening_share": parts[3] / n,
        "distinct_categories": len(cats),
        "category_entropy": entropy,
    }


# Columns segmint's log1p-zscore logs: units count, currency and events/session (docs/FEATURES.md).
SEGMINT_LOG_COLUMNS = {"frequency", "monetary", "avg_order_value", "active_days", "views", "carts",
                       "purchases", "sessions", "events_per_session", "distinct_categories"}


def segmint_features(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    names = [n for n in rows[0] if n != "user_id"]
    x = np.array([[float(r[n]) for n in names] for r in rows], dtype=float)
    for j, n in enumerate(names):
        if n in SEGMINT_LOG_COLUMNS:
            x[:, j] = np.sign(x[:, j]) * np.log1p(np.abs(x[:, j]))
    return [r["user_id"] for r in rows], x


def main():
    out_dir = sys.argv[1]
    min_ari = float(sys.argv[sys.argv.index("--min-ari") + 1]) if "--min-ari" in sys.argv else 0.9
    meta = json.load(open(f"{out_dir}/generate.json"))
    as_of = meta["window"]["end_unix"]
    per_user = defaultdict(list)
    with open(f"{out_dir}/events.csv" if "--features" not in sys.argv else "/dev/null",
              newline="") as f:
        for r in csv.DictReader(f):
            per_user[r["user_id"]].append((parse_time(r["event_time"]), r["event_type"],
                                           r["category_id"], float(r["price"]), r["user_session"]))
    with open(f"{out_dir}/truth.csv", newline="") as f:
        truth = {r["user_id"]: r["archetype"] for r in csv.DictReader(f)}
    if "--features" in sys.argv:
        users, x = segmint_features(sys.argv[sys.argv.index("--features") + 1])
    else:
        users = sorted(truth)
        feats = [user_features(per_user[u], as_of) for u in users]
        names = list(feats[0])
        x = np.array([[f[n] for n in names] for f in feats], dtype=float)
        for j, n in enumerate(names):
            if n in LOG_FEATURES:
                x[:, j] = np.log1p(x[:, j])
    sd = x.std(axis=0)
    x = (x[:, sd > 0] - x.mean(axis=0)[sd > 0]) / sd[sd > 0]  # constant columns dropped
    k = len(meta["archetypes"])
    labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(x)
    ari = adjusted_rand_score([truth[u] for u in users], labels)
    print(json.dumps({"users": len(users), "k": k, "ari": round(ari, 4)}))
    # Which archetypes got mixed up: the contingency of truth x cluster.
    table = defaultdict(lambda: defaultdict(int))
    for u, l in zip(users, labels):
        table[truth[u]][int(l)] += 1
    for name in sorted(table):
        print(f"  {name:20s}", dict(sorted(table[name].items())), file=sys.stderr)
    return 0 if ari >= min_ari else 1


if __name__ == "__main__":
    sys.exit(main())
