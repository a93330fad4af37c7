"""Coding task of assignment 2 for question S7: item embeddings from co-occurrence (PPMI + truncated SVD)."""
from __future__ import annotations

import numpy as np

from .._expect import as_array, call, expect, expect_close
from .._task import Task
from . import A


def baskets(seed: int = 0, n_users: int = 600, n_items: int = 40, n_genres: int = 4):
    """A user × item 0/1 matrix with planted structure: each user mostly picks items of one genre.

    Returns ``(interactions, genre)`` where ``genre[j]`` is item j's hidden genre.
    """
    rng = np.random.default_rng(seed)
    genre = rng.permutation(np.arange(n_items) % n_genres)
    favourite = rng.integers(0, n_genres, size=n_users)
    popularity = rng.lognormal(0.0, 0.8, size=n_items)         # a few blockbusters, many niche items
    p = np.minimum(np.where(genre[None, :] == favourite[:, None], 0.25, 0.04) * popularity[None, :], 1.0)
    return (rng.random((n_users, n_items)) < p).astype(int), genre


def reference_embeddings(interactions, dim):
    X = (np.asarray(interactions) > 0).astype(float)
    C = X.T @ X
    np.fill_diagonal(C, 0.0)
    E = np.zeros((C.shape[0], dim))
    if C.sum() == 0:
        return E
    counts = C.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(C * C.sum() / np.outer(counts, counts))
    ppmi = np.where(C > 0, np.maximum(pmi, 0.0), 0.0)
    U, S, _ = np.linalg.svd(ppmi)
    E = U[:, :dim] * np.sqrt(S[:dim])
    norms = np.linalg.norm(E, axis=1, keepdims=True)
    return np.divide(E, norms, out=np.zeros_like(E), where=norms > 1e-10)


def _embedding_data(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    X, _ = baskets(seed, n_users=int(rng.integers(400, 600)), n_items=int(rng.integers(25, 40)))
    return {"interactions": X, "dim": int(rng.choice([4, 6, 8]))}


def _embeddings_match(fn, data):
    X, dim = data["interactions"], data["dim"]
    E = as_array(call(fn, X, dim), "cooccurrence_embeddings(interactions, dim)", ndim=2)
    expect(E.shape == (X.shape[1], dim), f"The embeddings should have one row per item and dim columns: shape ({X.shape[1]}, {dim}), got {E.shape}.")
    expect(np.isfinite(E).all(), "The embeddings contain NaN or inf: pairs that never co-occur have PMI = log(0); their PPMI is 0.")
    norms = np.linalg.norm(E, axis=1)
    expect(np.allclose(norms[norms > 0], 1.0, atol=1e-9), "Each item's embedding should have unit length (divide each row by its norm).")
    ref = reference_embeddings(X, dim)
    expect_close(E @ E.T, ref @ ref.T, "The cosine similarities between your embeddings", rtol=1e-6, atol=1e-8,
                 hint="Binarize the interactions, count co-occurrences with a zero diagonal, transform to positive PMI, "
                      "then keep the first dim columns of U·sqrt(S) from np.linalg.svd.")


TASKS = [
    Task(
        id="cooccurrence_embeddings",
        assignment=A,
        question="S7",
        title="Item embeddings from co-occurrence (PPMI + SVD)",
        function="cooccurrence_embeddings",
        points=3,
        hints=(
            "Two items are similar when the same users pick both more often than their popularity alone "
            "predicts: count co-occurrences, then correct for popularity with pointwise mutual information.",
            "With X the 0/1 interaction matrix: C = XᵀX with its diagonal set to 0; PMI(i, j) = "
            "log(C_ij · ΣC / (c_i · c_j)) where c = C.sum(axis=1); PPMI = max(PMI, 0) and 0 where C_ij = 0.",
            "`U, S, _ = np.linalg.svd(ppmi)`; E = U[:, :dim] * np.sqrt(S[:dim]); divide each row by its norm "
            "(rows with norm below 1e-10 stay 0). Check 1 <= dim <= n_items first and silence the log(0) warnings with "
            "`np.errstate`.",
        ),
        checks=(_embeddings_match,),
        make_data=_embedding_data,
    ),
]
