#!/usr/bin/env bash
# Runs every test of EditorBridge from a clean checkout: installs what is missing, restores,
# builds (Release) and runs the .NET test projects, then the editor-plugin suites that exist.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/prerequisites.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build EditorBridge.sln -c Release
dotnet test EditorBridge.sln -c Release --no-build --logger "console;verbosity=minimal"

export EDITORBRIDGE_CLI="$PWD/src/EditorBridge.Cli/bin/Release/net10.0/editorbridge.dll"
for suite in plugins/editors/*/tests/run-tests.sh; do
  [ -f "$suite" ] || continue
  echo "== $suite"
  bash "$suite"
done
echo "all tests passed"
