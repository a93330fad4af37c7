#!/usr/bin/env bash
# Set up the course and open it in JupyterLab:
#
#     bash start.sh                  # then work in the browser window that opens
#     bash start.sh --no-browser     # on a server: open the address it prints
#
# Creates .venv with python3 (3.10 or newer), installs the course into it (pip install -e .) and starts
# `mlcourse lab`, passing on its arguments: it copies the notebooks you work in into my-work/ (never
# over a file you have there) and opens the orientation notebook. Running it again is quick: it installs only when
# pyproject.toml (or the Python, or the folder) changed since the last installation.
#
# For scripts: `bash start.sh --setup-only` stops after the installation; MLCOURSE_EXTRAS=test also
# installs the test tools (test.sh does both); PYTHON=/path/to/python3.x chooses the interpreter.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
venv="$here/.venv"
python="${PYTHON:-python3}"
extras="${MLCOURSE_EXTRAS:-}"

die() { echo "start.sh: $*" >&2; exit 1; }

version_ok() {  # does interpreter $1 run and is it Python 3.10 or newer?
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' >/dev/null 2>&1
}

command -v "$python" >/dev/null 2>&1 \
    || die "$python was not found: install Python 3.10 or newer (Debian/Ubuntu: apt-get install python3 python3-venv) and run this again."
if ! version_ok "$python"; then
    found="$("$python" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || echo unknown)"
    die "the course needs Python 3.10 or newer, but $python is $found: install a newer Python, or run PYTHON=/path/to/python3.x bash start.sh."
fi

# A .venv left by another (or a removed) Python is rebuilt rather than repaired.
if [ -e "$venv" ] && ! version_ok "$venv/bin/python"; then
    echo "start.sh: .venv does not work with this Python; making a new one." >&2
    rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
    echo "start.sh: creating .venv with $("$python" -c 'import sys; print("Python", sys.version.split()[0])')"
    "$python" -m venv "$venv" \
        || die "could not create .venv (Debian/Ubuntu: apt-get install python3-venv), then run this again."
fi

# Install when what the installation depends on changed: pyproject.toml, the interpreter, this folder.
key="$({ cat pyproject.toml; echo "python=$("$venv/bin/python" -c 'import sys; print(sys.version)')"; echo "root=$here"; } \
        | "$venv/bin/python" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"
stamp="$venv/.mlcourse-installed${extras:+-$extras}"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$key" ] || [ ! -x "$venv/bin/mlcourse" ]; then
    target="."
    [ -n "$extras" ] && target=".[$extras]"
    echo "start.sh: installing the course into .venv (pip install -e '$target'; the first time takes a few minutes)"
    "$venv/bin/python" -m pip install --disable-pip-version-check --quiet -e "$target" \
        || die "pip could not install the course (see the messages above); fix that and run this again."
    echo "$key" > "$stamp"
    [ -n "$extras" ] && echo "$key" > "$venv/.mlcourse-installed"  # .[extras] includes the plain install
fi

if [ "${1:-}" = "--setup-only" ]; then
    exit 0
fi
exec "$venv/bin/mlcourse" lab "$@"
