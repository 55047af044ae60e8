# Sourced by start.sh and test.sh: find Python >= 3.11, install the Debian packages a profile needs
# (when run as root; otherwise name them), create .venv and install the project into it.
# Re-running is cheap: pip runs again only when pyproject.toml or constraints.txt changed.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${ASSISTANT_VENV:-$ROOT/.venv}"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

# Debian packages: what the assistant needs at run time (voice, Qt window), and what the tests add.
RUN_PACKAGES="libportaudio2 libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shape0
  libxcb-xkb1 libwayland-cursor0 libwayland-egl1"
TEST_PACKAGES="$RUN_PACKAGES espeak-ng sox libsox-fmt-all xvfb xauth"

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3 python3.13 python3.12 python3.11; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    say "Python 3.11 or newer is needed. On Debian/Ubuntu: sudo apt-get install python3 python3-venv"
    exit 1
}

missing_debian_packages() {
    command -v dpkg-query >/dev/null 2>&1 || return 0
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || printf '%s ' "$pkg"
    done
}

install_debian_packages() {
    # shellcheck disable=SC2086
    local missing
    missing="$(missing_debian_packages $1)"
    [ -n "$missing" ] || return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing Debian packages: $missing"
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
            say "apt-get could not install: $missing (continuing; the features that need them will say so)"
    else
        say "missing Debian packages: $missing"
        say "install them with:  sudo apt-get install $missing"
        say "(continuing without them; voice and the window need them, the terminal chat does not)"
    fi
}

make_venv() {
    local python="$1"
    if [ -x "$VENV/bin/python" ]; then
        return 0
    fi
    say "creating the virtual environment in $VENV"
    if ! "$python" -m venv "$VENV" 2>/dev/null; then
        rm -rf "$VENV"
        local venv_pkg
        venv_pkg="python$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')-venv"
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            say "installing $venv_pkg"
            DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$venv_pkg" >/dev/null
            "$python" -m venv "$VENV"
        else
            say "Python cannot create virtual environments here. Install it with:  sudo apt-get install $venv_pkg"
            exit 1
        fi
    fi
}

install_project() {
    local extras="$1"
    local stamp="$VENV/.installed${extras:+-$extras}"
    local want
    want="$(cat "$ROOT/pyproject.toml" "$ROOT/constraints.txt" | sha256sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    say "installing the assistant${extras:+ with [$extras]} into $VENV (first time takes a few minutes)"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT${extras:+[$extras]}" -c "$ROOT/constraints.txt"
    echo "$want" >"$stamp"
}

bootstrap() {
    local profile="$1"
    local python
    python="$(find_python)"
    if [ "$profile" = test ]; then
        install_debian_packages "$TEST_PACKAGES"
    else
        install_debian_packages "$RUN_PACKAGES"
    fi
    make_venv "$python"
    if [ "$profile" = test ]; then
        install_project "train,dev"
    else
        install_project ""
    fi
}
