#!/usr/bin/env bash
# Regenerates the golden images (tests/data/golden/*.png) after an intended change to what an
# operation paints, then shows which ones changed. Review them (git diff --stat, open the PNGs)
# before committing:  bash tests/update-goldens.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build tests/EditorBridge.Engines.Classic.Tests -c Release -nologo -v quiet
EDITORBRIDGE_UPDATE_GOLDENS=1 dotnet test tests/EditorBridge.Engines.Classic.Tests -c Release --no-build --filter "FullyQualifiedName~GoldenTests" --logger "console;verbosity=minimal"
git status --short tests/data/golden
