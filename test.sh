#!/usr/bin/env bash
# Run the test suite:
#
#     bash test.sh                                   # everything (about 20 minutes on 2 cores)
#     bash test.sh -m "not browser and not slow"     # the quick tests only
#     bash test.sh -k quiz -x                        # any other pytest arguments
#
# Sets up .venv like start.sh, with the test tools; installs Debian's chromium for the browser test
# when it is missing and this runs as root with apt-get (otherwise that test is skipped, saying why).
# Exits with pytest's status.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

MLCOURSE_EXTRAS=test bash "$here/start.sh" --setup-only

if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "test.sh: installing Debian's chromium for the browser test" >&2
        { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
            && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
            || echo "test.sh: could not install chromium; the browser test will be skipped." >&2
    else
        echo "test.sh: chromium is not installed, so the browser test will be skipped (as root: apt-get install chromium)." >&2
    fi
fi

# As if .venv were activated: tools that run nbgrader in-process find its helpers (alembic, jupyter).
export VIRTUAL_ENV="$here/.venv" PATH="$here/.venv/bin:$PATH"
exec "$here/.venv/bin/python" -m pytest "$@"
