"""A studio's shared daemon: the URL, pinned fingerprint and token this machine uses instead of its own daemon.

Role: *client*. The same two files the CLI (``editorbridge remote set``) and the Paint.NET plugin
read, in the user's state folder: ``studio.json`` (``{"url": ..., "fingerprint": ...}``) and the
owner-only ``studio-token``. The token is never shown again nor logged. A remote daemon is never
started by the plugin; it speaks JSON over TLS on the URL's port, and the certificate must have the
pinned SHA-256 fingerprint (or, with none pinned, be trusted by the system).
"""

import hashlib
import json
import os
import re
import stat

from .wire import BridgeError

CONFIG_FILE = "studio.json"
TOKEN_FILE = "studio-token"
TOKEN_VARIABLE = "EDITORBRIDGE_TOKEN"


class Remote:
    """Where a studio daemon answers; stands where :class:`discovery.Discovery` stands for the local one."""

    __slots__ = ("url", "fingerprint", "pid", "version")

    def __init__(self, url, fingerprint=None):
        self.url = url.rstrip("/")
        self.fingerprint = fingerprint
        self.pid = 0
        self.version = ""

    @property
    def base_url(self):
        return self.url


def normalize_pin(text):
    """The fingerprint as serve prints it (``AB:CD:...``, 32 pairs), or None when ``text`` is not one."""
    hexes = re.sub(r"[\s:]", "", text or "")
    if hexes.lower().startswith("sha256"):
        hexes = hexes[6:].lstrip("=")
    if not re.fullmatch(r"[0-9a-fA-F]{64}", hexes):
        return None
    return ":".join(hexes[i:i + 2].upper() for i in range(0, 64, 2))


def pin_of(certificate_der):
    """The SHA-256 fingerprint of a certificate's DER bytes, in the printed form."""
    return normalize_pin(hashlib.sha256(bytes(certificate_der)).hexdigest())


def read(folder, environ=None):
    """The saved :class:`Remote` and its token, or ``(None, None)`` when this machine uses its own daemon.

    Raises BridgeError (kind "auth") when a studio is set but its token is missing or readable by others."""
    environ = os.environ if environ is None else environ
    try:
        with open(os.path.join(folder, CONFIG_FILE), "r", encoding="utf-8") as f:
            data = json.load(f)
        url = str(data.get("url") or "").strip()
        pin = data.get("fingerprint") or None
    except (OSError, ValueError, AttributeError):
        return None, None
    if not url:
        return None, None
    if not url.startswith("https://"):
        # the token must never travel in clear, whatever the file says (save() refuses such a URL too)
        raise BridgeError("protocol", "The studio daemon's address in %s must start with https:// (it is %s)."
                          % (os.path.join(folder, CONFIG_FILE), url),
                          hint="Set it again in the docker's Studio settings, e.g. https://gpu1.studio:7443.")
    remote = Remote(url, normalize_pin(pin) if pin else None)
    token = (environ.get(TOKEN_VARIABLE) or "").strip()
    if token:
        return remote, token
    path = os.path.join(folder, TOKEN_FILE)
    try:
        if os.name == "posix" and os.stat(path).st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise BridgeError("auth", "The studio token file %s may be read by other users." % path,
                              hint="Run 'chmod 600 %s', and ask your admin for a new token if others may have read it." % path)
        with open(path, "r", encoding="utf-8") as f:
            token = f.read().strip()
    except FileNotFoundError:
        raise BridgeError("auth", "No studio token for %s." % url,
                          hint="Enter the token your admin gave you in the docker's Studio settings.")
    return remote, token


def save(folder, url, fingerprint, token):
    """Saves the studio connection (an empty ``url`` goes back to the local daemon). ``token`` None keeps the saved one."""
    url = (url or "").strip()
    if not url:
        for name in (CONFIG_FILE, TOKEN_FILE):
            try:
                os.remove(os.path.join(folder, name))
            except FileNotFoundError:
                pass
        return None
    if not url.startswith("https://"):
        raise BridgeError("protocol", "The studio daemon's address must start with https:// (got %s)." % url,
                          hint="A studio daemon serves only over TLS, e.g. https://gpu1.studio:7443.")
    pin = None
    if (fingerprint or "").strip():
        pin = normalize_pin(fingerprint)
        if pin is None:
            raise BridgeError("protocol", "The fingerprint is not a SHA-256 fingerprint (32 hex pairs).",
                              hint="Copy it as 'editorbridge serve' printed it, e.g. AB:CD:...")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    with open(os.path.join(folder, CONFIG_FILE), "w", encoding="utf-8") as f:
        json.dump({"url": url.rstrip("/"), "fingerprint": pin}, f, indent=2)
    if token is not None and token.strip():
        path = os.path.join(folder, TOKEN_FILE)
        temp = "%s.%s.new" % (path, os.urandom(8).hex())  # created exclusively: a planted file or link is never written through
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(token.strip())
        os.replace(temp, path)
    return Remote(url, pin)
