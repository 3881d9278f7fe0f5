#!/usr/bin/env bash
# Krita bridge tests: the unit tests (plain python3) and the integration test inside real Krita.
#
#   bash plugins/editors/krita/tests/run-tests.sh        (from the repository root)
#
# EDITORBRIDGE_CLI: the built editorbridge.dll (or editorbridge program) the integration test
# lets the plugin start; when unset it is built with `dotnet build src/EditorBridge.Cli -c Release`.
# Installs krita, xvfb, xauth, python3-pyqt5 and python3-sip with apt when they are missing
# (with sudo when not root). Uses /usr/bin/python3: Debian's Krita and PyQt5 live there.
# Exits non-zero when anything fails.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
python=/usr/bin/python3
started=$SECONDS

say() { printf 'krita-tests: %s\n' "$*"; }

# --- system packages, only when missing
packages=(krita xvfb xauth python3-pyqt5 python3-sip)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    say "installing ${missing[*]}"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/tmp/krita-tests-apt.log 2>&1; then
        $sudo apt-get update >>/tmp/krita-tests-apt.log 2>&1
        $sudo apt-get install -y --no-install-recommends "${missing[@]}" >>/tmp/krita-tests-apt.log 2>&1 \
            || { tail -20 /tmp/krita-tests-apt.log; say "FAIL: could not install ${missing[*]}"; exit 1; }
    fi
fi

# --- unit tests
say "unit tests"
unit_log=$(mktemp)
$python "$here/run_unit.py" -q >"$unit_log" 2>&1
unit_rc=$?
if [ $unit_rc -ne 0 ]; then cat "$unit_log"; fi
unit_summary=$(grep '^unit:' "$unit_log" | head -1)
grep '^unit: skipped' "$unit_log"
rm -f "$unit_log"

# --- the daemon the plugin will start
cli="${EDITORBRIDGE_CLI:-}"
if [ -z "$cli" ]; then
    cli="$repo/src/EditorBridge.Cli/bin/Release/net10.0/editorbridge.dll"
    say "EDITORBRIDGE_CLI is not set: dotnet build src/EditorBridge.Cli -c Release"
    if ! (cd "$repo" && dotnet build src/EditorBridge.Cli -c Release -nologo -v quiet >/tmp/krita-tests-build.log 2>&1); then
        tail -30 /tmp/krita-tests-build.log
        say "FAIL: the CLI did not build"
        exit 1
    fi
fi

# --- integration test in real Krita
say "integration test in Krita ($(dpkg-query -W -f='${Version}' krita 2>/dev/null)) with $cli"
$python "$here/integration/run_integration.py" --cli "$cli"
integration_rc=$?

say "summary: ${unit_summary:-unit: no summary}; integration $([ $integration_rc -eq 0 ] && echo passed || echo FAILED); $((SECONDS - started)) s"
if [ $unit_rc -ne 0 ] || [ $integration_rc -ne 0 ]; then
    exit 1
fi
