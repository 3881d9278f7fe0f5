"""The one reader of the daemon's NDJSON server streams (RunJob's JobEvents, PullModel's events).

Role: *client* (the transport-free half). Pure Python. Both streams share their shape: a line per
message as it happens, a refusal as one JSON body under a non-200 status, an error as an ``error``
event or as the last line ``{"code","message"}`` under HTTP 200, and one final message (``result``,
``done``) that says the call succeeded. :class:`StreamReader` keeps that logic in one place; the
callers give it the line parser and the name of the final message.
"""

from .wire import BridgeError, error_from_http, error_from_status


class NdjsonSplitter:
    """Cuts a byte stream into complete lines as bytes arrive (a line may span several reads)."""

    def __init__(self):
        self._pending = bytearray()

    def feed(self, chunk):
        self._pending += chunk
        *lines, rest = bytes(self._pending).split(b"\n")
        self._pending = bytearray(rest)
        return [line for line in lines if line.strip()]

    def finish(self):
        rest, self._pending = bytes(self._pending), bytearray()
        return [rest] if rest.strip() else []


def status_error(data):
    """The BridgeError an ``error`` event or a last-line status (``{"code","message",...}``) carries."""
    return error_from_status(data.get("code"), data.get("message", ""), data.get("field", ""), data.get("details"))


class StreamReader:
    """Reads one server stream as its bytes arrive.

    ``parse(line)`` turns a line into an event with ``kind`` and ``data`` (BridgeError for a bad
    line); events of kind "error" or "status" are kept as the stream's error (the first one wins),
    every other event goes to ``on_event``. ``final_kind`` names the event that means success;
    ``ended_early`` is the BridgeError for a stream that closed without it.
    """

    def __init__(self, parse, on_event, final_kind, ended_early):
        self.parse = parse
        self.on_event = on_event
        self.final_kind = final_kind
        self.ended_early = ended_early
        self.refusal = bytearray()  # the body of a non-200 answer
        self.error = None
        self.final = None  # the data of the final event
        self.closed = False  # set by the caller (an aborted call): no more events
        self._splitter = NdjsonSplitter()

    def chunk(self, status, data):
        """Bytes as they arrive, with the HTTP status when known."""
        if status not in (None, 200):
            self.refusal += data
            return
        for line in self._splitter.feed(data):
            self._line(line)

    def feed(self, data):
        """Bytes of a 200 answer as they arrive."""
        self.chunk(None, data)

    def _line(self, line):
        if self.closed:
            return
        try:
            event = self.parse(line)
        except BridgeError as e:
            self.error = self.error or e
            return
        if event.kind in ("error", "status"):
            self.error = self.error or status_error(event.data)
            return
        if event.kind == self.final_kind:
            self.final = event.data
        self.on_event(event)

    def finish(self, status=None, rest=b"", broken=None):
        """The end of the stream: ``status`` its HTTP status, ``rest`` the last bytes, ``broken`` the
        network error if it broke. Returns None after the final event, else the BridgeError."""
        if status not in (None, 200):
            return error_from_http(status, bytes(self.refusal) + bytes(rest or b""))
        self.chunk(status, rest or b"")
        for line in self._splitter.finish():
            self._line(line)
        if self.error is not None:
            return self.error
        if broken is not None:
            return broken
        if self.final is None:
            return self.ended_early
        return None
