"""The suite works on copies: after every other test, the repository's files are as they were."""
from __future__ import annotations

import _support as S


def test_the_suite_wrote_nothing_into_the_repository(repository_snapshot):
    now = S.snapshot(S.REPO)
    changed = sorted(name for name in set(now) | set(repository_snapshot) if now.get(name) != repository_snapshot.get(name))
    assert not changed, f"the tests created, changed or deleted files in the repository: {changed[:20]}"
