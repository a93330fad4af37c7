"""How quiz answers are normalised, digested and compared, without a plain-text key."""
from __future__ import annotations

import base64
import hashlib
import hmac
import math
import zlib

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class AnswerError(ValueError):
    """An answer that cannot be read for this kind of question."""


def public_salt(assignment: str, qid: str) -> str:
    """Return the salt that makes a question's digest unique to it.

    Parameters
    ----------
    assignment, qid : str
        The assignment folder name and the question id.

    Returns
    -------
    str
        A hexadecimal salt, stable across builds so that ``release/`` is reproducible.
    """
    return hashlib.sha256(f"mlcourse:{assignment}:{qid}".encode()).hexdigest()[:16]


def canonical(kind: str, answer, n_options: int = 0, tolerance: float | None = None) -> str:
    """Turn a learner's answer into the canonical text that is digested.

    Single-choice answers are one letter, multiple-choice answers the sorted letters, and numeric
    answers the index of the tolerance-wide bucket the number falls into.
    """
    if kind in ("single", "multiple"):
        letters = "".join(answer) if isinstance(answer, (list, tuple, set, frozenset)) else str(answer)
        letters = "".join(sorted(set(letters.replace(",", "").replace(" ", "").upper())))
        allowed = LETTERS[:n_options]
        if not letters:
            raise AnswerError("No option is selected: pick one before checking.")
        if any(ch not in allowed for ch in letters):
            raise AnswerError(f"Answer {answer!r} names an option that does not exist: use letters {allowed[0]}-{allowed[-1]}.")
        if kind == "single" and len(letters) != 1:
            raise AnswerError("This question takes exactly one option.")
        return letters
    if kind == "numeric":
        try:
            value = float(str(answer).strip().replace(",", "")) if not isinstance(answer, (int, float)) else float(answer)
        except ValueError:
            raise AnswerError(f"{answer!r} is not a number: type digits such as 0.75.") from None
        if not math.isfinite(value):
            raise AnswerError("The answer must be a finite number.")
        return str(math.floor(value / tolerance + 0.5))
    raise AnswerError(f"Unknown question kind {kind!r}.")


def digest(salt: str, qid: str, canonical_answer: str) -> str:
    """Return the keyed digest of a canonical answer (HMAC-SHA256, hexadecimal)."""
    return hmac.new(salt.encode(), f"{qid}|{canonical_answer}".encode(), hashlib.sha256).hexdigest()


def matches(kind: str, salt: str, qid: str, canonical_answer: str, key_digest: str) -> bool:
    """Tell whether a canonical answer matches the key digest.

    Numeric answers also match the neighbouring buckets, so every answer within the tolerance of
    the key is accepted and every answer more than twice the tolerance away is rejected.
    """
    candidates = [canonical_answer]
    if kind == "numeric":
        k = int(canonical_answer)
        candidates = [str(k - 1), str(k), str(k + 1)]
    return any(hmac.compare_digest(digest(salt, qid, c), key_digest) for c in candidates)


def seal(text: str) -> str:
    """Encode an explanation so that it is not readable in the released files."""
    return base64.b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii")


def unseal(blob: str) -> str:
    """Decode a text sealed with :func:`seal`."""
    return zlib.decompress(base64.b64decode(blob)).decode("utf-8")
