"""Coding tasks of assignment 2 for question S15: approximate nearest-neighbour retrieval (an IVF index) and recall@k."""
from __future__ import annotations

import numpy as np

from .._expect import CheckFailure, as_array, call, expect, unpack
from .._task import Task
from . import A


# A hand-worked example: six items in 2-D (item 3 has no vector), five (query, target) pairs, ks = 1, 2, 3, 5.
# Query 0 -> target 1 (same direction): rank 0. Query 2 -> target 4 (45°): rank 0. Query 4 -> target 2: items 0, 1
# and 2 tie at cos 45°, lower ids first: rank 2. Query 5 -> target 0 (opposite): items 2, 3 and 4 beat it, item 1
# ties with a higher id: rank 3. Query 3 (zero vector) -> target 1: every similarity is 0, item 0 comes first: rank 1.
_TINY = {"embeddings": np.array([[1.0, 0.0], [2.0, 0.0], [0.0, 1.0], [0.0, 0.0], [1.0, 1.0], [-1.0, 0.0]]),
         "queries": np.array([0, 2, 4, 5, 3]), "targets": np.array([1, 4, 2, 0, 1]), "ks": [1, 2, 3, 5]}
_TINY_RECALL = [0.4, 0.6, 0.8, 1.0]


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
    tiny = as_array(call(fn, *_TINY.values()), "retrieval_recall_at_k on a six-item example", ndim=1)
    if tiny.shape != (len(_TINY_RECALL),) or not np.allclose(tiny, _TINY_RECALL):
        raise CheckFailure("The recalls of a small hand-worked example are wrong: rank by cosine similarity (normalize the "
                           "vectors; a zero vector has similarity 0), skip the query item, and break ties by the lower item id.")
    scaled = as_array(call(fn, E * np.arange(1, len(E) + 1)[:, None], q, t, ks), "recalls after rescaling the vectors")
    expect(np.allclose(scaled, r), "Rescaling each item's vector by a positive number changed the recalls: cosine "
                                   "similarity ignores vector lengths, so normalize the rows first.")


# --- an inverted-file (IVF) index: probe the nearest clusters only ---------------------------------

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
    from sklearn.neighbors import NearestNeighbors

    V, Cc, assignment, queries, k, nprobe = (data[key] for key in ("vectors", "centroids", "assignment", "queries", "k", "nprobe"))
    neighbours, scanned = unpack(call(fn, V, Cc, assignment, queries, k, nprobe), 2, "ivf_search")
    neighbours = as_array(neighbours, "neighbours", ndim=2)
    scanned = as_array(scanned, "scanned", ndim=1)
    expect(neighbours.shape == (len(queries), k), f"neighbours should have shape (n_queries, k) = ({len(queries)}, {k}), got {neighbours.shape}.")
    expect(scanned.shape == (len(queries),), f"scanned should have one count per query, got shape {scanned.shape}.")
    expect(not np.any(neighbours == np.asarray(queries)[:, None]), "A query item should not be its own neighbour.")
    # The coarse search, with scikit-learn as the oracle: the nprobe centroids nearest to each query vector.
    probed = NearestNeighbors(n_neighbors=nprobe).fit(Cc).kneighbors(V[queries], return_distance=False)
    ids = np.arange(len(V))
    for row, q in enumerate(queries):
        pool = ids[np.isin(assignment, probed[row]) & (ids != q)]
        expect(scanned[row] == len(pool), f"scanned is wrong: count the items (other than the query) in the nprobe={nprobe} "
                                          "clusters whose centroids are nearest to the query vector (Euclidean distance).")
        found = neighbours[row]
        n_found = min(k, len(pool))
        expect(np.all(found[n_found:] == -1) and np.all(found[:n_found] >= 0),
               "Each row should hold min(k, number of candidates) item ids, then -1 for the missing ones.")
        hits = found[:n_found].astype(int)
        expect(len(set(hits.tolist())) == n_found and np.isin(hits, pool).all(),
               "The neighbours are wrong: search only the items of the probed clusters (each item once).")
        score = V[hits] @ V[q]
        expect(np.all(np.diff(score) <= 1e-12),
               "The right items in the wrong order: sort by dot product, highest first, ties by the lower id.")
        rest = np.setdiff1d(pool, hits)
        expect(len(rest) == 0 or (V[rest] @ V[q]).max() <= score.min() + 1e-12,
               "The neighbours are not the best candidates: rank every item of the probed clusters by the dot product "
               "with the query vector and keep the k highest.")


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
