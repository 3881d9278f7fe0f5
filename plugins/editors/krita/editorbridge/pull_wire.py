"""The JSON side of the model-download calls: ListCatalog and the streamed PullModel.

Role: *client* (the transport-free half), beside :mod:`wire`: reads the NDJSON PullModel stream
(progress, licence needed, done, error) and formats its figures for the painter.
"""

import json

from .stream import StreamReader
from .wire import BridgeError, int64

PULL_EVENT_KINDS = ("progress", "licenceNeeded", "done", "error")


class PullEvent:
    """One line of the PullModel stream: ``kind`` is "progress", "licence_needed", "done", "error"
    or "status" (the last line of a failure, ``{"code","message"}``)."""

    __slots__ = ("kind", "data")

    def __init__(self, kind, data):
        self.kind = kind
        self.data = data

    def __repr__(self):
        return "PullEvent(%r)" % self.kind

    @property
    def bytes_done(self):
        return int64(self.data.get("bytesDone"))

    @property
    def bytes_total(self):
        return int64(self.data.get("bytesTotal"))

    @property
    def bytes_per_second(self):
        return float(self.data.get("bytesPerSecond") or 0.0)

    @property
    def seconds_left(self):
        """-1 while the daemon does not know yet."""
        value = self.data.get("secondsLeft")
        return -1.0 if value is None else float(value)


def parse_pull_event(line):
    """One NDJSON line of PullModel -> PullEvent; a malformed line raises BridgeError(kind="protocol")."""
    try:
        obj = json.loads(bytes(line).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise BridgeError("protocol", "the daemon sent a download line that is not JSON: %r" % bytes(line)[:80])
    if not isinstance(obj, dict):
        raise BridgeError("protocol", "the daemon sent a download line that is not an object")
    for kind in PULL_EVENT_KINDS:
        if kind in obj:
            return PullEvent("licence_needed" if kind == "licenceNeeded" else kind, obj[kind] or {})
    if "code" in obj:
        return PullEvent("status", obj)
    raise BridgeError("protocol", "the daemon sent a download event this plugin does not know: %s" % ", ".join(sorted(obj)))


class PullStreamReader(StreamReader):
    """The shared stream reader for PullModel: hands progress, licence_needed and done events on,
    keeps the first error, and at the end says how the pull went (:meth:`finish`)."""

    def __init__(self, on_event):
        StreamReader.__init__(self, parse_pull_event, self._seen, "done", BridgeError(
            "unavailable", "The download stream ended before the model was installed: the daemon stopped. Download again to resume."))
        self._forward = on_event
        self.licence = None  # the LicenceNeeded JSON

    @property
    def done(self):
        """The PullModelDone JSON, once it came."""
        return self.final

    def _seen(self, event):
        if event.kind == "licence_needed":
            self.licence = event.data
        self._forward(event)


def pull_request(name, accept_licence=False):
    """The path and body of a PullModel call."""
    if not name or "/" in name:
        raise BridgeError("invalid", "name: '%s' is not a catalog model name" % name, "name")
    return "/v1/models/%s/pull" % name, {"name": name, "acceptLicence": bool(accept_licence)}


def catalog_models(data):
    """ListCatalog's JSON -> its CatalogModel objects, in catalog order."""
    return list((data or {}).get("models") or [])


def byte_size_text(count):
    """1536 -> '1.5 KB' (powers of 1024, one decimal from KB on)."""
    value = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return "%d bytes" % count if unit == "bytes" else "%.1f %s" % (value, unit)
        value /= 1024.0


def duration_text(seconds):
    """Seconds -> '2 min 05 s' / '45 s'; 'unknown' for a negative value."""
    if seconds is None or seconds < 0:
        return "unknown"
    seconds = int(round(seconds))
    if seconds >= 3600:
        return "%d h %02d min" % (seconds // 3600, seconds % 3600 // 60)
    if seconds >= 60:
        return "%d min %02d s" % (seconds // 60, seconds % 60)
    return "%d s" % seconds


def progress_text(event):
    """'12.0 MB of 1.6 GB, 4.2 MB/s, 6 min 10 s left' for a progress event."""
    return "%s of %s, %s/s, %s left" % (byte_size_text(event.bytes_done), byte_size_text(event.bytes_total),
                                       byte_size_text(int(event.bytes_per_second)), duration_text(event.seconds_left))
