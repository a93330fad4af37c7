"""Coding tasks of assignment 2 for question S4: content-hashed model versions, and checkpoint/resume."""
from __future__ import annotations

import os
import pickle
import tempfile

import numpy as np

from .._expect import CheckFailure, call, expect
from .._task import Task
from . import A


# --- a content hash of a fitted model and its training data ---------------------------------------

def _fingerprint_data(seed: int) -> dict:
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=300, n_features=6, n_informative=4, random_state=seed)
    return {"X": X, "y": y}


def _fit(X, y, C=1.0):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=1000).fit(X, y)


def _is_sha256_hex(h) -> bool:
    return isinstance(h, str) and len(h) == 64 and set(h) <= set("0123456789abcdef")


def _fingerprint_properties(fn, data):
    X, y = data["X"], data["y"]
    model = _fit(X, y)
    h = call(fn, model, X, y)
    expect(isinstance(h, str), f"model_fingerprint should return a str (a hex digest), got {type(h).__name__}.")
    expect(_is_sha256_hex(h), "The fingerprint should be a SHA-256 hex digest: 64 lower-case hexadecimal characters "
                              "(`hashlib.sha256(...).hexdigest()`).")
    expect(call(fn, model, X, y) == h, "Two calls on the same model and data gave different fingerprints: the hash must be deterministic.")
    twin = _fit(X.copy(), y.copy())
    expect(call(fn, twin, X.copy(), y.copy()) == h,
           "A second model with the same hyperparameters, fitted on a copy of the same data, got a different "
           "fingerprint: hash the contents (values), never object identities, memory addresses or timestamps.")
    expect(call(fn, _fit(X, y, C=0.05), X, y) != h,
           "Changing a hyperparameter (C) and refitting did not change the fingerprint: include model.get_params().")
    X2 = X.copy()
    X2[0, 0] += 1e-3
    expect(call(fn, model, X2, y) != h,
           "Changing one value of X did not change the fingerprint: the training data (X and y, their dtype, shape "
           "and bytes) must be part of the hash.")
    y2 = y.copy()
    y2[0] = 1 - y2[0]
    expect(call(fn, model, X, y2) != h, "Flipping one label in y did not change the fingerprint: hash y as well as X.")
    refit = _fit(X2, y2)
    refit_twin = pickle.loads(pickle.dumps(refit))
    refit_twin.coef_ = refit_twin.coef_ + 1e-9
    expect(call(fn, refit_twin, X2, y2) != call(fn, refit, X2, y2),
           "Changing a learned coefficient (coef_) did not change the fingerprint: hash the fitted attributes "
           "(public attributes whose names end in '_').")


# --- checkpoint and resume ------------------------------------------------------------------------

def _checkpoint_data(seed: int) -> dict:
    from sklearn.datasets import make_classification

    rng = np.random.default_rng(seed)
    X, y = make_classification(n_samples=240, n_features=8, n_informative=5, flip_y=0.05, random_state=seed)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return {"X": X, "y": y, "n_epochs": int(rng.integers(5, 8)), "batch_size": int(rng.choice([24, 32, 40])),
            "seed": int(rng.integers(0, 1000)), "stop_after": int(rng.integers(2, 4))}


def _load_checkpoint(path: str, what: str) -> dict:
    if not os.path.exists(path):
        raise CheckFailure(f"{what}: no checkpoint file was written at ckpt_path.")
    try:
        with open(path, "rb") as f:
            state = pickle.load(f)
    except Exception as err:  # any unpickling problem is the learner's to fix
        raise CheckFailure(f"{what}: the checkpoint at ckpt_path could not be unpickled ({type(err).__name__}).") from None
    if not isinstance(state, dict) or not {"model", "epoch", "rng_state"} <= set(state):
        raise CheckFailure(f"{what}: the checkpoint should be a pickled dict with the keys 'model', 'epoch' and 'rng_state'.")
    return state


def _same_model(a, b) -> bool:
    return (hasattr(a, "coef_") and hasattr(b, "coef_") and np.array_equal(a.coef_, b.coef_)
            and np.array_equal(a.intercept_, b.intercept_))


def _checkpoint_resume(fn, data):
    X, y, n, b, seed, k = (data[key] for key in ("X", "y", "n_epochs", "batch_size", "seed", "stop_after"))
    with tempfile.TemporaryDirectory() as tmp:
        full_path, crash_path, ref_path = (os.path.join(tmp, f"{name}.pkl") for name in ("full", "crash", "ref"))
        full = call(fn, X, y, n, full_path, batch_size=b, seed=seed)
        expect(hasattr(full, "coef_"), "The function should return the trained SGDClassifier.")
        state = _load_checkpoint(full_path, "After an uninterrupted run")
        expect(state["epoch"] == n, f"After an uninterrupted run of n_epochs={n}, the checkpoint's 'epoch' should be {n}.")
        partial = call(fn, X, y, n, crash_path, batch_size=b, seed=seed, stop_after=k)
        state = _load_checkpoint(crash_path, f"After a run stopped with stop_after={k}")
        expect(state["epoch"] == k, f"A run stopped with stop_after={k} should leave a checkpoint whose 'epoch' is {k}.")
        expect(not _same_model(partial, full), f"With stop_after={k} the function should stop early and return the partly trained model.")
        resumed = call(fn, X, y, n, crash_path, batch_size=b, seed=seed)
        expect(_same_model(resumed, full),
               "Resuming from the checkpoint does not reproduce the uninterrupted run exactly: everything that decides "
               "the next epochs must come back from the checkpoint (the model, the epoch counter AND the random "
               "generator's state, `rng.bit_generator.state`), nothing may be re-created from the seed.")
        again = call(fn, X, y, n, full_path, batch_size=b, seed=seed)
        expect(_same_model(again, full),
               "Calling the function again on a finished checkpoint trained further: when the checkpoint already "
               "holds n_epochs epochs, return its model unchanged.")
        params = full.get_params() if hasattr(full, "get_params") else {}
        expect(type(full).__name__ == "SGDClassifier" and params.get("loss") == "log_loss" and params.get("random_state") == seed,
               "Train SGDClassifier(loss='log_loss', random_state=seed), as the task statement says.")
        expect(getattr(full, "t_", None) == n * len(y) + 1,
               f"The model should have seen every row exactly once per epoch ({n} epochs of {len(y)} rows): each epoch "
               "calls partial_fit on consecutive batches of one permutation of all the rows.")
        rng = np.random.default_rng(seed)
        for _ in range(n):
            rng.permutation(len(y))
        expect(_load_checkpoint(full_path, "After an uninterrupted run")["rng_state"] == rng.bit_generator.state,
               "The random generator was not used as the task statement says: create np.random.default_rng(seed) and "
               "draw exactly one rng.permutation(len(y)) per epoch (and store rng.bit_generator.state after each epoch).")


def _checkpoint_graded(fn, data):
    """What grading compares: the models of an uninterrupted run, of a run stopped after `stop_after`
    epochs, of its resumption and of a call on a finished checkpoint, with the epochs and generator
    state each checkpoint holds."""
    X, y, n, b, seed, k = (data[key] for key in ("X", "y", "n_epochs", "batch_size", "seed", "stop_after"))

    def summary(model, path):
        with open(path, "rb") as f:
            state = pickle.load(f)
        return {"coef": model.coef_, "intercept": model.intercept_, "t": model.t_, "checkpoint_epoch": state["epoch"],
                "checkpoint_rng": repr(state["rng_state"])}   # a string: its 128-bit integers compare exactly

    with tempfile.TemporaryDirectory() as tmp:
        full_path, crash_path = os.path.join(tmp, "full.pkl"), os.path.join(tmp, "crash.pkl")
        out = {"full": summary(fn(X, y, n, full_path, batch_size=b, seed=seed), full_path)}
        out["stopped"] = summary(fn(X, y, n, crash_path, batch_size=b, seed=seed, stop_after=k), crash_path)
        out["resumed"] = summary(fn(X, y, n, crash_path, batch_size=b, seed=seed), crash_path)
        out["finished"] = summary(fn(X, y, n, full_path, batch_size=b, seed=seed), full_path)
    return out


TASKS = [
    Task(
        id="model_fingerprint",
        assignment=A,
        question="S4",
        title="A content hash as a model version",
        function="model_fingerprint",
        points=2,
        hints=(
            "A fingerprint must change when anything that defines the model changes (hyperparameters, learned "
            "values, training data) and only then. Feed all of them, in a fixed order, into one "
            "`hashlib.sha256()` object with `.update(bytes)`.",
            "Hyperparameters: `json.dumps(model.get_params(deep=False), sort_keys=True, default=repr)`. Learned "
            "values: the names in `sorted(vars(model))` that end in '_' and do not start with '_'.",
            "Arrays: hash `str(a.dtype)`, `str(a.shape)` and `np.ascontiguousarray(a).tobytes()` for numeric "
            "dtypes; object arrays and other values by `repr(value)`. Return `h.hexdigest()`.",
        ),
        checks=(_fingerprint_properties,),
        make_data=_fingerprint_data,
    ),
    Task(
        id="checkpoint_resume",
        assignment=A,
        question="S4",
        title="Checkpoint and resume SGD training bit-for-bit",
        function="train_sgd_checkpointed",
        points=3,
        hints=(
            "A resumed run repeats the uninterrupted one only if the checkpoint holds everything that decides "
            "the remaining epochs: the model (its weights and learning-rate counter), the epoch counter and the "
            "state of the random generator that shuffles the data.",
            "At the start: if ckpt_path exists, unpickle the dict and restore the generator with "
            "`rng = np.random.default_rng(); rng.bit_generator.state = state['rng_state']`; otherwise start "
            "fresh from the seed. Then loop `while epoch < n_epochs` (and stop early at stop_after).",
            "After each epoch pickle {'model': model, 'epoch': epoch, 'rng_state': rng.bit_generator.state} to "
            "ckpt_path + '.tmp', then `os.replace(tmp, ckpt_path)`, so a crash mid-write never leaves a broken "
            "checkpoint.",
        ),
        checks=(_checkpoint_resume,),
        make_data=_checkpoint_data,
        call=_checkpoint_graded,
    ),
]
