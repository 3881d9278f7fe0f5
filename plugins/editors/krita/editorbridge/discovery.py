"""Finding the local daemon: its state folder, discovery file, token, and the program to start it.

Role: *client* (the transport-free half). Pure Python; mirrors EditorBridge.LocalState:

* state folder: ``EDITORBRIDGE_STATE_DIR`` if set; else Linux ``$XDG_STATE_HOME/editorbridge`` or
  ``~/.local/state/editorbridge``, Windows ``%LOCALAPPDATA%\\EditorBridge``, macOS
  ``~/Library/Application Support/EditorBridge``;
* ``daemon.json`` there: ``grpc_port``, ``http_port``, ``pid``, ``version``, ``started_unix_ms``;
* ``token`` there: the secret sent as ``Authorization: Bearer <token>``;
* the program: the plugin setting, else ``EDITORBRIDGE_DAEMON``, else ``editorbridge`` on PATH;
  a ``.dll`` path is run with ``dotnet``. It is started as ``serve --background``.
"""

import json
import os
import shutil
import sys

from .wire import BridgeError

STATE_DIR_VARIABLE = "EDITORBRIDGE_STATE_DIR"
DAEMON_VARIABLE = "EDITORBRIDGE_DAEMON"


def state_dir(environ=None, platform=None, home=None):
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    home = os.path.expanduser("~") if home is None else home
    override = (environ.get(STATE_DIR_VARIABLE) or "").strip()
    if override:
        return os.path.abspath(override)
    if platform.startswith("win"):
        base = environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
        return os.path.join(base, "EditorBridge")
    if platform == "darwin":
        return os.path.join(home, "Library", "Application Support", "EditorBridge")
    xdg = environ.get("XDG_STATE_HOME") or os.path.join(home, ".local", "state")
    return os.path.join(xdg, "editorbridge")


class Discovery:
    """What daemon.json says."""

    __slots__ = ("http_port", "grpc_port", "pid", "version", "started_unix_ms")

    def __init__(self, http_port, grpc_port=0, pid=0, version="", started_unix_ms=0):
        self.http_port = http_port
        self.grpc_port = grpc_port
        self.pid = pid
        self.version = version
        self.started_unix_ms = started_unix_ms

    @property
    def base_url(self):
        return "http://127.0.0.1:%d" % self.http_port


def read_discovery(folder):
    """The discovery file's content, or None when it is missing or unreadable (no daemon has run)."""
    path = os.path.join(folder, "daemon.json")
    try:
        with open(path, "r", encoding="utf-8") as f:
            data = json.load(f)
        port = int(data["http_port"])
        if not 0 < port < 65536:
            return None
        return Discovery(port, int(data.get("grpc_port") or 0), int(data.get("pid") or 0),
                         str(data.get("version") or ""), int(data.get("started_unix_ms") or 0))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def read_token(folder):
    """The token, or BridgeError(kind="auth") saying what is wrong with the file and how to fix it."""
    path = os.path.join(folder, "token")
    try:
        with open(path, "r", encoding="utf-8") as f:
            token = f.read().strip()
    except FileNotFoundError:
        raise BridgeError("auth", "The daemon's token file is missing (%s)." % path,
                          hint="The daemon writes it when it starts: stop the daemon and click Reconnect, "
                               "or run 'editorbridge serve'.")
    except OSError as e:
        raise BridgeError("auth", "Cannot read the daemon's token file %s: %s." % (path, e.strerror or e),
                          hint="It must belong to you (it is private to your user account).")
    if len(token) < 32:
        raise BridgeError("auth", "The daemon's token file %s is damaged." % path,
                          hint="Delete it, stop the daemon, and click Reconnect.")
    return token


def pid_alive(pid):
    """True when a process with this id exists (a stale daemon.json outlives a killed daemon)."""
    if not pid or pid <= 0:
        return False
    if sys.platform.startswith("win"):
        try:
            import ctypes
            kernel32 = ctypes.windll.kernel32
            handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
            if not handle:
                return False
            code = ctypes.c_ulong()
            ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            kernel32.CloseHandle(handle)
            return bool(ok) and code.value == 259  # STILL_ACTIVE
        except Exception:
            return True  # cannot tell: let GetInfo decide
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def daemon_command(configured="", environ=None, which=shutil.which):
    """``(program, arguments)`` that start the daemon, or BridgeError(kind="unavailable") saying how to fix it."""
    environ = os.environ if environ is None else environ
    tried = []
    for source, candidate in (("the plugin setting", configured), (DAEMON_VARIABLE, environ.get(DAEMON_VARIABLE, ""))):
        candidate = (candidate or "").strip()
        if not candidate:
            continue
        if os.path.isfile(candidate):
            return _command_for(candidate, which)
        tried.append("%s points to %s, which does not exist" % (source, candidate))
    for name in ("editorbridge", "editorbridge.exe"):
        found = which(name)
        if found:
            return _command_for(found, which)
    tried.append("no 'editorbridge' program on PATH")
    # Krita started from a desktop menu often has a PATH without ~/.local/bin: look where
    # editorbridge-setup installs.
    for candidate in installed_locations(environ):
        if os.path.isfile(candidate):
            return _command_for(candidate, which)
    if installed_locations(environ):
        tried.append("none in the per-user install folders")
    raise BridgeError("unavailable", "The EditorBridge daemon is not running and cannot be started: %s." % "; ".join(tried),
                      hint="Install EditorBridge, or set the path of the 'editorbridge' program in the docker's "
                           "settings (the ... button), or start it yourself with 'editorbridge serve'.")


def installed_locations(environ):
    """Where ``editorbridge-setup`` puts the program for this user (from HOME / LOCALAPPDATA in ``environ``)."""
    places = []
    local = environ.get("LOCALAPPDATA", "")
    if local:
        places.append(os.path.join(local, "Programs", "EditorBridge", "editorbridge.exe"))
    home = environ.get("HOME", "")
    if home:
        places.append(os.path.join(home, ".local", "bin", "editorbridge"))
        places.append(os.path.join(home, ".local", "share", "editorbridge", "app", "editorbridge"))
        places.append(os.path.join(home, "Library", "Application Support", "EditorBridge", "app", "editorbridge"))
    return places


def _command_for(path, which):
    if path.lower().endswith(".dll"):
        dotnet = which("dotnet") or "dotnet"
        return dotnet, [path]
    return path, []


def serve_arguments(base_arguments, folder=None):
    args = list(base_arguments) + ["serve", "--background"]
    if folder:
        args += ["--state-dir", folder]
    return args
