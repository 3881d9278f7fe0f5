#!/usr/bin/env bash
# Makes the release archive of EditorBridge for one platform, in one command:
#
#   bash installer/package.sh [RID] [--krita-plugin DIR] [--paintdotnet-plugin DIR] [--framework-dependent] [--output DIR]
#
#   RID   linux-x64 (default: this machine's), win-x64, osx-arm64, ...
#   --krita-plugin DIR        take the Krita bridge from DIR instead of plugins/editors/krita
#   --paintdotnet-plugin DIR  a built Paint.NET effect folder (EditorBridge.PaintDotNet.dll and its files)
#   --framework-dependent     no runtime in the archive (the painter then needs .NET 10)
#
# Result: artifacts/editorbridge-<version>-<RID>.tar.gz (.zip for win-*), holding
#
#   editorbridge-<version>-<RID>/
#     editorbridge-setup[.exe]   the installer: self-contained single file (no .NET needed)
#     README.txt                 how to install and uninstall
#     payload/payload.json       version, runtime identifier, commit
#     payload/app/               editorbridge (daemon + CLI), self-contained, not single-file,
#                                with engines/<name>/ (each engine's whole folder: deps.json, natives)
#     payload/krita/             the Krita bridge in pykrita layout, when plugins/editors/krita has it
#     payload/paintdotnet/       the Paint.NET effect, when built (Windows + Paint.NET) or given
#
# Engines and editor plugins are never single-filed: they load from their own folders.
# See docs/install.md.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

rid=""
pdn_plugin=""
krita_src=plugins/editors/krita
self_contained=true
out="$repo/artifacts"
while [ $# -gt 0 ]; do
  case "$1" in
    --paintdotnet-plugin) pdn_plugin=$(cd "$2" && pwd); shift 2 ;;
    --krita-plugin) krita_src=$(cd "$2" && pwd); shift 2 ;;
    --framework-dependent) self_contained=false; shift ;;
    --output) mkdir -p "$2"; out=$(cd "$2" && pwd); shift 2 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    -*) echo "package.sh: unknown option $1" >&2; exit 2 ;;
    *) rid=$1; shift ;;
  esac
done

host_rid() {
  local os arch
  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=osx ;; MINGW*|MSYS*|CYGWIN*) os=win ;; *) os=linux ;; esac
  case "$(uname -m)" in x86_64|amd64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) arch=x64 ;; esac
  echo "$os-$arch"
}
[ -n "$rid" ] || rid=$(host_rid)
exe=""
case "$rid" in win-*) exe=".exe" ;; esac

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
version=$(dotnet msbuild src/EditorBridge.Cli -getProperty:Version | tail -1 | tr -d '\r')
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
name="editorbridge-$version-$rid"
stage="$out/$name"
notes=()
note() { notes+=("$1"); echo "package.sh: NOTE: $1" >&2; }

echo "== EditorBridge $version ($commit) for $rid -> $stage"
rm -rf "$stage"
mkdir -p "$stage/payload"

# 1. The program: daemon + CLI, and the bundled engines (copied by BundledEngines.targets into the
#    CLI's output folder during the build; publish does not carry them, so they are copied here).
publish() { # project output [extra properties...]
  local project=$1 output=$2; shift 2
  if $self_contained; then
    if dotnet publish "$project" -c Release -r "$rid" --self-contained -o "$output" -p:DebugType=none "$@"; then
      return 0
    fi
    note "self-contained publish of $project for $rid failed (the runtime packs Microsoft.NETCore.App.Runtime.$rid / Microsoft.AspNetCore.App.Runtime.$rid must restore from the NuGet feed); falling back to a framework-dependent build: the painter's machine then needs the .NET 10 runtime (ASP.NET Core) installed"
    self_contained=false
  fi
  dotnet publish "$project" -c Release -r "$rid" --no-self-contained -o "$output" -p:DebugType=none "$@"
}

# TargetFrameworks=net10.0: the client libraries also target net9.0 (for Paint.NET); a self-contained
# restore would otherwise want the net9.0 runtime pack of the RID too, which the feed may not serve.
# ReadyToRun: the program's and its libraries' code precompiled, so a CLI command does not spend its
# time in the JIT (a 1024² fill's own CPU: see docs/benchmarks.md, the CLI's own cost). It needs the
# crossgen package of the build machine (Microsoft.NETCore.App.Crossgen2.<host RID>) from the feed.
if ! publish src/EditorBridge.Cli "$stage/payload/app" -f net10.0 -p:TargetFrameworks=net10.0 -p:PublishReadyToRun=true; then
  note "ReadyToRun publish of the program failed (the crossgen package must restore from the NuGet feed); the program is published without it: every command then spends about twice the CPU starting up"
  publish src/EditorBridge.Cli "$stage/payload/app" -f net10.0 -p:TargetFrameworks=net10.0
fi
engines_built="src/EditorBridge.Cli/bin/Release/net10.0/$rid/engines"
[ -d "$engines_built" ] || { echo "package.sh: no engines were built into $engines_built" >&2; exit 1; }
mkdir -p "$stage/payload/app/engines"
cp -a "$engines_built/." "$stage/payload/app/engines/"
find "$stage/payload/app" -name '*.pdb' -delete
for engine in "$stage/payload/app/engines"/*/; do
  if [ -d "$engine/runtimes" ] && [ ! -d "$engine/runtimes/$rid" ]; then
    note "engine $(basename "$engine") carries no native libraries for $rid (only: $(ls "$engine/runtimes" | tr '\n' ' ')); it will not load there until its project references the $rid runtime package"
  fi
done

# 2. The Krita bridge: every NAME.desktop in plugins/editors/krita with its module NAME/ (or NAME.py).
shopt -s nullglob
desktops=("$krita_src"/*.desktop)
if [ ${#desktops[@]} -gt 0 ]; then
  mkdir -p "$stage/payload/krita"
  for desktop in "${desktops[@]}"; do
    lib=$(sed -n 's/^[[:space:]]*X-KDE-Library[[:space:]]*=[[:space:]]*//p' "$desktop" | head -1 | tr -d '\r')
    [ -n "$lib" ] || { echo "package.sh: $desktop names no X-KDE-Library" >&2; exit 1; }
    cp "$desktop" "$stage/payload/krita/"
    if [ -d "$krita_src/$lib" ]; then
      (cd "$krita_src" && find "$lib" -type f ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 | xargs -0 -I{} cp --parents {} "$stage/payload/krita/")
    elif [ -f "$krita_src/$lib.py" ]; then
      cp "$krita_src/$lib.py" "$stage/payload/krita/"
    else
      echo "package.sh: $desktop names module $lib, but $krita_src/$lib/ is missing" >&2; exit 1
    fi
  done
else
  note "no Krita plugin in $krita_src (no NAME.desktop): the archive has none"
fi
shopt -u nullglob

# 3. The Paint.NET effect: given, or built where Paint.NET is installed (Windows).
pdn_project=plugins/editors/paintdotnet/EditorBridge.PaintDotNet
if [ -z "$pdn_plugin" ] && [[ "$rid" == win-* ]]; then
  dotnet build "$pdn_project" -c Release
  if [ -f "$pdn_project/bin/Release/net9.0-windows/EditorBridge.PaintDotNet.dll" ]; then
    pdn_plugin="$pdn_project/bin/Release/net9.0-windows"
  fi
fi
if [ -n "$pdn_plugin" ]; then
  [ -f "$pdn_plugin/EditorBridge.PaintDotNet.dll" ] || { echo "package.sh: $pdn_plugin has no EditorBridge.PaintDotNet.dll" >&2; exit 1; }
  mkdir -p "$stage/payload/paintdotnet"
  cp -a "$pdn_plugin/." "$stage/payload/paintdotnet/"
  find "$stage/payload/paintdotnet" -name '*.pdb' -delete
elif [[ "$rid" == win-* ]]; then
  note "no Paint.NET plugin: it builds only where Paint.NET is installed (set PaintDotNetDir), or pass --paintdotnet-plugin DIR with a built one"
fi

# 4. The installer itself, one file.
publish installer/EditorBridge.Installer "$stage" -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=$self_contained
rm -f "$stage"/*.pdb

cat > "$stage/payload/payload.json" <<EOF
{"version": "$version", "runtime": "$rid", "commit": "$commit", "selfContained": $self_contained}
EOF

{
  echo "EditorBridge $version for $rid"
  echo
  echo "Install (for your user; no administrator rights):"
  echo "  ./editorbridge-setup$exe             see what it will do first: ./editorbridge-setup$exe --dry-run"
  echo "Options: --autostart (start the daemon at login), --no-krita, --no-paintdotnet."
  echo
  echo "Uninstall: editorbridge-setup$exe --uninstall   (add --purge to delete your settings and models too)"
  echo "The installed copy of the setup is in the program folder; the install prints its path."
  for n in "${notes[@]}"; do echo; echo "Note: $n"; done
} > "$stage/README.txt"

# 5. A dry run of the packaged setup on this machine (when it can run here): the package is complete.
if [ "$rid" = "$(host_rid)" ]; then
  check_home=$(mktemp -d)
  code=0
  HOME="$check_home" XDG_DATA_HOME="" XDG_CONFIG_HOME="" XDG_STATE_HOME="" EDITORBRIDGE_STATE_DIR="" \
    "$stage/editorbridge-setup$exe" --dry-run > "$check_home/dry-run.txt" 2>&1 || code=$?
  if [ "$code" -ne 0 ] && [ "$code" -ne 3 ]; then   # 3: done with something to read (e.g. Krita running here)
    cat "$check_home/dry-run.txt" >&2
    echo "package.sh: the packaged setup's dry run failed" >&2
    rm -rf "$check_home"; exit 1
  fi
  "$stage/payload/app/editorbridge$exe" --help > /dev/null
  rm -rf "$check_home"
  echo "== checked: the packaged setup's dry run and the packaged program run here"
fi

cd "$out"
rm -f "$name.tar.gz" "$name.zip"
if [[ "$rid" == win-* ]]; then
  if command -v zip > /dev/null; then zip -qr "$name.zip" "$name"; else python3 -m zipfile -c "$name.zip" "$name"; fi
  archive="$out/$name.zip"
else
  tar -czf "$name.tar.gz" "$name"
  archive="$out/$name.tar.gz"
fi
echo "== $archive ($(du -h "$archive" | cut -f1))"
for n in "${notes[@]}"; do echo "   note: $n"; done
