"""Coding tasks of assignment 2 for question S15: approximate nearest-neighbour retrieval (an IVF index) and recall@k."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, as_array, call, expect
from .._task import Task
from . import A


def shop_sessions(seed: int = 0, n_items: int = 60, n_topics: int = 6, n_sessions: int = 900):
    """Shopping sessions (lists of item ids) from a shop whose items fall into topics.

    A session picks one topic and draws 2-7 items, mostly from that topic (popular items more often),
    sometimes from anywhere. Returns ``(sessions, topic_of_item)``.
    """
    rng = np.random.default_rng(seed)
    topic = np.arange(n_items) % n_topics
    rng.shuffle(topic)
    popularity = 1.0 / np.arange(1, n_items + 1) ** 0.8
    rng.shuffle(popularity)
    sessions = []
    for _ in range(n_sessions):
        t = rng.integers(n_topics)
        in_topic = np.flatnonzero(topic == t)
        w = popularity[in_topic] / popularity[in_topic].sum()
        size = int(rng.integers(2, 8))
        items = [int(rng.choice(in_topic, p=w)) if rng.random() < 0.85 else int(rng.integers(n_items)) for _ in range(size)]
        sessions.append(items)
    return sessions, topic


def reference_recall(embeddings, queries, targets, ks) -> np.ndarray:
    E = np.asarray(embeddings, dtype=float)
    norms = np.linalg.norm(E, axis=1, keepdims=True)
    U = np.divide(E, norms, out=np.zeros_like(E), where=norms > 0)
    hits = np.zeros(len(ks))
    ids = np.arange(len(E))
    for q, t in zip(queries, targets):
        sim = U @ U[q]
        others = ids != q
        better = np.sum(others & ((sim > sim[t]) | ((sim == sim[t]) & (ids < t))))
        hits += better < np.asarray(ks)
    return hits / len(queries)


def _recall_data(seed: int) -> dict:
    rng = np.random.default_rng(100 + seed)
    E = rng.normal(size=(40, 6))
    E[rng.choice(40, 3, replace=False)] = 0.0  # items without a vector: ties everywhere
    queries = rng.integers(0, 40, 50)
    targets = (queries + rng.integers(1, 40, 50)) % 40
    return {"embeddings": E * rng.uniform(0.5, 3, (40, 1)), "queries": queries, "targets": targets, "ks": [1, 5, 10, 39]}


def _recall_checks(fn, data):
    E, q, t, ks = data["embeddings"], data["queries"], data["targets"], data["ks"]
    r = as_array(call(fn, E, q, t, ks), "retrieval_recall_at_k(...)", ndim=1)
    expect(r.shape == (len(ks),), f"Return one recall per k: shape ({len(ks)},), got {r.shape}.")
    expect(np.all((r >= 0) & (r <= 1)), "A recall is a fraction between 0 and 1.")
    expect(np.all(np.diff(r) >= 0), "recall@k can only grow with k: a longer list keeps every item of a shorter one.")
    expect(r[-1] == 1.0, "With k = n_items - 1 every other item is retrieved, so recall must be 1: is the query item "
                         "itself excluded from its own list?")
    ref = reference_recall(E, q, t, ks)
    if not np.allclose(r, ref):
        raise CheckFailure("The recalls are wrong: rank by cosine similarity (normalize the vectors; a zero vector has "
                           "similarity 0), skip the query item, and break ties by the lower item id.")


# --- an inverted-file (IVF) index: probe the nearest clusters only ---------------------------------

def reference_ivf(vectors, centroids, assignment, queries, k, nprobe):
    V = np.asarray(vectors, dtype=float)
    Cc = np.asarray(centroids, dtype=float)
    assignment = np.asarray(assignment)
    ids = np.arange(len(V))
    neighbours = np.full((len(queries), k), -1, dtype=int)
    scanned = np.zeros(len(queries), dtype=int)
    for row, q in enumerate(queries):
        dist = np.linalg.norm(Cc - V[q], axis=1)
        probe = np.lexsort((np.arange(len(Cc)), dist))[:nprobe]
        pool = ids[np.isin(assignment, probe) & (ids != q)]
        score = V[pool] @ V[q]
        order = pool[np.lexsort((pool, -score))][:k]
        neighbours[row, :len(order)] = order
        scanned[row] = len(pool)
    return neighbours, scanned


def _ivf_data(seed: int) -> dict:
    rng = np.random.default_rng(200 + seed)
    n, d, n_clusters = (80, 6, 5) if seed == 0 else (int(rng.integers(40, 90)), int(rng.integers(3, 8)), int(rng.integers(3, 7)))
    centres = rng.normal(size=(n_clusters, d)) * 2
    V = centres[rng.integers(0, n_clusters, n)] + rng.normal(size=(n, d))
    V /= np.linalg.norm(V, axis=1, keepdims=True)
    centroids = V[rng.choice(n, n_clusters, replace=False)]
    assignment = np.argmin(np.linalg.norm(V[:, None, :] - centroids[None, :, :], axis=2), axis=1)
    queries = rng.choice(n, 20, replace=False)
    if seed > 0:  # item 0 alone in its cluster and queried: a probe with fewer than k candidates
        alone = assignment == assignment[0]
        alone[0] = False
        assignment[alone] = (assignment[0] + 1) % n_clusters
        queries[0] = 0 if 0 not in queries[1:] else queries[0]
    return {"vectors": V, "centroids": centroids, "assignment": assignment,
            "queries": queries, "k": 5, "nprobe": 2 if seed % 2 == 0 else 1}


def _ivf_checks(fn, data):
    from ._returns import unpack

    V, Cc, assignment, queries, k, nprobe = (data[key] for key in ("vectors", "centroids", "assignment", "queries", "k", "nprobe"))
    neighbours, scanned = unpack(call(fn, V, Cc, assignment, queries, k, nprobe), 2, "ivf_search")
    neighbours = as_array(neighbours, "neighbours", ndim=2)
    scanned = as_array(scanned, "scanned", ndim=1)
    expect(neighbours.shape == (len(queries), k), f"neighbours should have shape (n_queries, k) = ({len(queries)}, {k}), got {neighbours.shape}.")
    expect(scanned.shape == (len(queries),), f"scanned should have one count per query, got shape {scanned.shape}.")
    expect(not np.any(neighbours == np.asarray(queries)[:, None]), "A query item should not be its own neighbour.")
    ref_n, ref_s = reference_ivf(V, Cc, assignment, queries, k, nprobe)
    expect(np.array_equal(scanned, ref_s), f"scanned is wrong: count the items (other than the query) in the nprobe={nprobe} "
                                           "clusters whose centroids are nearest to the query vector (Euclidean distance).")
    if not np.array_equal(neighbours, ref_n):
        if np.array_equal(np.sort(neighbours, axis=1), np.sort(ref_n, axis=1)):
            raise CheckFailure("The right items in the wrong order: sort by dot product, highest first, ties by the lower id.")
        raise CheckFailure("The neighbours are wrong: search only the probed clusters, rank by the dot product with the "
                           "query vector, and pad with -1 when fewer than k candidates exist.")


TASKS = [
    Task(
        id="retrieval_recall",
        assignment=A,
        question="S15",
        title="Nearest-neighbour retrieval and recall@k",
        function="retrieval_recall_at_k",
        points=2,
        hints=(
            "For each (query, target) pair: score every item by cosine similarity to the query, drop the query, "
            "and find the target's rank; a hit at k means rank < k (rank 0 is the top).",
            "Normalize rows first (a zero row stays zero). The rank of the target is the number of other items that beat "
            "it: a higher similarity, or the same similarity and a lower id.",
            "Vectorize over k: hits += rank < np.asarray(ks); divide by the number of queries at the end.",
        ),
        checks=(_recall_checks,),
        make_data=_recall_data,
    ),
    Task(
        id="ivf_search",
        assignment=A,
        question="S15",
        title="Approximate nearest neighbours with an inverted-file index",
        function="ivf_search",
        points=3,
        hints=(
            "Two stages per query: choose which clusters to open (the coarse search), then rank only the items "
            "inside them (the fine search).",
            "Coarse: distances from the query vector to every centroid; the nprobe smallest (np.lexsort((cluster_ids, "
            "dist)) breaks ties by id). Fine: the pool is the items whose assignment is one of those clusters, minus the query.",
            "Rank the pool with np.lexsort((pool, -scores)) so ties go to the lower id, keep the first k, and write them "
            "into a row of np.full((n_queries, k), -1).",
        ),
        checks=(_ivf_checks,),
        make_data=_ivf_data,
    ),
]
