"""Coding task of assignment 2 for question S7: item embeddings from co-occurrence (PPMI + truncated SVD)."""
from __future__ import annotations

import numpy as np

from .._expect import as_array, call, expect
from .._task import Task
from . import A


def _embedding_data(seed: int) -> dict:
    from ...datasets.production import baskets

    rng = np.random.default_rng(seed)
    X, _ = baskets(seed, n_users=int(rng.integers(400, 600)), n_items=int(rng.integers(25, 40)))
    return {"interactions": X, "dim": int(rng.choice([4, 6, 8]))}


# A small worked example: 10 users × 7 items (the last item is never picked), dim = 2, and the cosine
# similarities of its embeddings (E Eᵀ), computed once with PPMI + SVD. The two largest singular values of
# its PPMI matrix are well separated from the third, so E Eᵀ does not depend on the SVD's signs.
_TINY = np.array([[1, 1, 0, 0, 1, 1, 0], [0, 1, 0, 1, 1, 0, 0], [1, 0, 0, 0, 1, 0, 0], [0, 1, 1, 0, 1, 1, 0],
                  [0, 0, 0, 0, 1, 0, 0], [1, 1, 0, 0, 1, 0, 0], [1, 0, 0, 1, 0, 0, 0], [0, 0, 1, 0, 0, 1, 0],
                  [0, 1, 0, 1, 0, 1, 0], [0, 1, 0, 1, 0, 1, 0]])
_TINY_COSINES = np.array([
    [1.0, 0.994301196301, 0.976112174509, 0.859633106861, 0.151411545749, 0.106038738456, 0.0],
    [0.994301196301, 1.0, 0.947387221663, 0.909201194758, 0.255926953121, 0.211440760669, 0.0],
    [0.976112174509, 0.947387221663, 1.0, 0.728093969239, -0.06696760165, -0.112536513119, 0.0],
    [0.859633106861, 0.909201194758, 0.728093969239, 1.0, 0.635179831122, 0.599185741928, 0.0],
    [0.151411545749, 0.255926953121, -0.06696760165, 0.635179831122, 1.0, 0.998953301127, 0.0],
    [0.106038738456, 0.211440760669, -0.112536513119, 0.599185741928, 0.998953301127, 1.0, 0.0],
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
])


def _embed(fn, X, dim, what):
    E = as_array(call(fn, X, dim), what, ndim=2)
    expect(E.shape == (X.shape[1], dim), f"The embeddings should have one row per item and dim columns: shape ({X.shape[1]}, {dim}), got {E.shape}.")
    expect(np.isfinite(E).all(), "The embeddings contain NaN or inf: pairs that never co-occur have PMI = log(0); their PPMI is 0.")
    norms = np.linalg.norm(E, axis=1)
    expect(np.allclose(norms[norms > 1e-6], 1.0, atol=1e-9), "Each item's embedding should have unit length (divide each row by its norm).")
    return E


def _embeddings_match(fn, data):
    X, dim = data["interactions"], data["dim"]
    E = _embed(fn, X, dim, "cooccurrence_embeddings(interactions, dim)")
    tiny = _embed(fn, _TINY, 2, "cooccurrence_embeddings on a 10 × 7 example")
    expect(np.allclose(np.linalg.norm(tiny[-1]), 0.0, atol=1e-8),
           "An item nobody picked co-occurs with nothing: its PPMI row is 0, so its embedding should stay 0.")
    expect(np.allclose(tiny @ tiny.T, _TINY_COSINES, rtol=1e-6, atol=1e-8),
           "The cosine similarities of a small worked example are wrong: binarize the interactions, count "
           "co-occurrences with a zero diagonal, transform to positive PMI, then keep the first dim columns of "
           "U·sqrt(S) from np.linalg.svd.")
    twice = np.vstack([X, X])
    counts = twice * (1 + np.arange(len(twice)) % 3)[:, None]      # the same 0/1 pattern, as counts 1, 2 or 3
    again = _embed(fn, counts, dim, "cooccurrence_embeddings on every user twice, with counts")
    expect(np.allclose(again @ again.T, E @ E.T, rtol=1e-6, atol=1e-8),
           "Repeating every user, with purchase counts instead of 0/1, changed the similarities: PMI compares "
           "co-occurrence with popularity, so it does not depend on the number of users, and interactions are "
           "binarized first (any count > 0 is 1).")


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
