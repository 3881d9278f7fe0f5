"""The JSON side of the EditorBridge contract (protos/editorbridge/v1/editorbridge.proto).

Role: *client* (the transport-free half). Pure Python: reads DaemonInfo and the JobEvent lines
(:mod:`stream` reads the stream, :mod:`request` builds the JobRequest), and turns every refusal (HTTP status +
``{"code","message","details"}``, a last stream line ``{"code":N,...}``, a network failure) into
one :class:`BridgeError` with a message a painter can act on.

Field names are the proto's JSON names (lowerCamelCase); 64-bit integers travel as strings.
"""

import json

from .context_rule import ContextRule

# Operations in the order the docker lists them: (wire name, label).
OPERATIONS = (
    ("fill", "Fill"),
    ("colorize", "Colorize"),
    ("restore", "Restore"),
    ("stylize", "Stylize"),
    ("generate", "Generate"),
    ("compose", "Compose"),
    ("segment", "Select Subject"),
)
OPERATION_LABELS = dict(OPERATIONS)

# gRPC status codes that reach us (google.rpc.Code).
CANCELLED = 1
INVALID_ARGUMENT = 3
DEADLINE_EXCEEDED = 4
NOT_FOUND = 5
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
INTERNAL = 13
UNAVAILABLE = 14
UNAUTHENTICATED = 16

_KIND_BY_CODE = {
    CANCELLED: "cancelled",
    INVALID_ARGUMENT: "invalid",
    DEADLINE_EXCEEDED: "unavailable",
    NOT_FOUND: "not_found",
    PERMISSION_DENIED: "forbidden",
    RESOURCE_EXHAUSTED: "limit",
    FAILED_PRECONDITION: "precondition",
    INTERNAL: "engine",
    UNAVAILABLE: "unavailable",
    UNAUTHENTICATED: "auth",
}

_HINTS = {
    "unavailable": "Click Reconnect: EditorBridge starts the daemon again.",
    "auth": "The daemon's token changed (it was restarted, or another state folder is in use): click Reconnect.",
    "forbidden": "The daemon only answers local, same-user clients.",
    "limit": "Select a smaller region, or raise the daemon's limits (editorbridge serve --help).",
    "not_found": "",
    "precondition": "",
    "engine": "See the daemon's log (daemon.log in its state folder) for details.",
    "protocol": "The plugin and the daemon may be different versions; update both.",
}


class BridgeError(Exception):
    """A refusal or failure, ready to show: ``kind`` sorts it, ``field`` names the request field."""

    def __init__(self, kind, message, field="", code=None, hint=None):
        Exception.__init__(self, message)
        self.kind = kind
        self.message = message
        self.field = field or ""
        self.code = code
        self.hint = _HINTS.get(kind, "") if hint is None else hint

    def user_text(self):
        return self.message + (" " + self.hint if self.hint else "")

    def __str__(self):
        return self.user_text()


def _field_from_details(details):
    for detail in details or ():
        for violation in (detail or {}).get("fieldViolations", ()) or ():
            if violation.get("field"):
                return violation["field"]
    return ""


def error_from_status(code, message, field="", details=None):
    """A gRPC status (code + message) -> BridgeError."""
    try:
        code = int(code)
    except (TypeError, ValueError):
        code = INTERNAL
    kind = _KIND_BY_CODE.get(code, "engine")
    message = message or "the daemon answered status %d without a message" % code
    return BridgeError(kind, message, field or _field_from_details(details), code)


def error_from_http(status, body):
    """An HTTP refusal (non-200 answer) -> BridgeError, reading the JSON error body when there is one."""
    try:
        payload = json.loads(bytes(body).decode("utf-8")) if body else None
    except (ValueError, UnicodeDecodeError):
        payload = None
    if isinstance(payload, dict) and "code" in payload:
        error = error_from_status(payload.get("code"), payload.get("message", ""), details=payload.get("details"))
        if status == 413 and error.kind != "limit":
            error.kind, error.hint = "limit", _HINTS["limit"]
        return error
    text = bytes(body or b"")[:200].decode("utf-8", "replace").strip()
    if status == 401:
        return BridgeError("auth", "the daemon refused the token (HTTP 401)")
    if status == 403:
        return BridgeError("forbidden", "the daemon refused the request (HTTP 403)%s" % (": " + text if text else ""))
    if status == 413:
        return BridgeError("limit", "the request is larger than the daemon accepts (HTTP 413)")
    if status == 404:
        return BridgeError("protocol", "the daemon does not know this route (HTTP 404)%s" % (": " + text if text else ""))
    return BridgeError("protocol", "unexpected answer from the daemon: HTTP %s%s" % (status, (": " + text) if text else ""))


EVENT_KINDS = ("queued", "started", "progress", "preview", "result", "error")


class JobEvent:
    """One line of the RunJob stream. ``kind`` is one of EVENT_KINDS or "status" (the last-line error)."""

    __slots__ = ("job_id", "kind", "data")

    def __init__(self, job_id, kind, data):
        self.job_id = job_id
        self.kind = kind
        self.data = data

    def __repr__(self):
        return "JobEvent(%r, %r)" % (self.job_id, self.kind)


def parse_event(line):
    """One NDJSON line -> JobEvent; a malformed line raises BridgeError(kind="protocol")."""
    try:
        obj = json.loads(bytes(line).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise BridgeError("protocol", "the daemon sent a line that is not JSON: %r" % bytes(line)[:80])
    if not isinstance(obj, dict):
        raise BridgeError("protocol", "the daemon sent a JSON line that is not an object")
    for kind in EVENT_KINDS:
        if kind in obj:
            return JobEvent(obj.get("jobId", ""), kind, obj[kind] or {})
    if "code" in obj:
        return JobEvent(obj.get("jobId", ""), "status", obj)
    raise BridgeError("protocol", "the daemon sent an event this plugin does not know: %s" % ", ".join(sorted(obj)))


def int64(value, default=0):
    """A proto int64/uint64 from JSON (a string, or a number from lenient writers)."""
    if value is None or value == "":
        return default
    return int(value)


# ------------------------------------------------------------------------------------------
# DaemonInfo


class DaemonInfo:
    """Read-only view of GetInfo's JSON: engines, operations, parameters, limits, geometry defaults."""

    def __init__(self, data):
        self.data = data or {}

    @property
    def version(self):
        return self.data.get("version", "?")

    @property
    def engines(self):
        return list(self.data.get("engines") or [])

    @property
    def problems(self):
        return list(self.data.get("pluginProblems") or [])

    def engine_names(self):
        return [e.get("name", "") for e in self.engines]

    def operations(self):
        """Names of every operation some engine offers."""
        names = []
        for engine in self.engines:
            for op in engine.get("operations") or []:
                if op.get("name") not in names:
                    names.append(op.get("name"))
        return names

    def offers(self, operation):
        return operation in self.operations()

    def engines_for(self, operation):
        return [e.get("name", "") for e in self.engines
                if any(op.get("name") == operation for op in e.get("operations") or [])]

    def operation(self, operation, engine="", model=""):
        """The OperationInfo of ``operation`` on the engine that serves it: ``engine``, else the first
        in the daemon's route order (whose operation lists ``model``, when one is named); or None."""
        for e in self._engines_in_route_order(operation):
            if engine and e.get("name") != engine:
                continue
            for op in e.get("operations") or []:
                if op.get("name") == operation and (not model or model in (op.get("models") or [])):
                    return op
        return None

    @property
    def models(self):
        """The installed models (ModelInfo JSON objects), by name."""
        return list(self.data.get("models") or [])

    def models_for(self, operation, engine=""):
        """Installed models that serve ``operation`` (on ``engine``, or on any engine in the daemon's
        route order), the default first, without repeats."""
        names = []
        for e in self._engines_in_route_order(operation):
            if engine and e.get("name") != engine:
                continue
            for op in e.get("operations") or []:
                if op.get("name") == operation:
                    names.extend(m for m in op.get("models") or [] if m not in names)
        return names

    def _engines_in_route_order(self, operation):
        route = next((r.get("engines") or [] for r in self.data.get("operationRoutes") or []
                      if r.get("operation") == operation), [])
        rank = {name: i for i, name in enumerate(route)}
        return sorted(self.engines, key=lambda e: rank.get(e.get("name"), len(rank)))

    def takes_prompt(self, operation, engine="", model=""):
        """True when the engine that would serve the job runs on a diffusion model (it reads the
        prompt): the chosen model's kind, else any diffusion model listed for the operation."""
        kinds = {m.get("name"): m.get("kind", "") for m in self.models}
        if model:
            return kinds.get(model) == "diffusion"
        return any(kinds.get(m) == "diffusion" for m in self.models_for(operation, engine))

    def inputs(self, operation, engine="", model=""):
        """The extra pictures (InputInfo JSON: name, description, required, canvasAligned) the
        operation on the engine that would serve it takes, in the order it lists them."""
        op = self.operation(operation, engine, model)
        return [i for i in (op or {}).get("inputs") or [] if i.get("name")]

    def requires_mask(self, operation, engine="", model=""):
        op = self.operation(operation, engine, model)
        if op is None:
            return operation == "fill"
        return bool(op.get("requiresMask"))

    @property
    def limits(self):
        raw = self.data.get("limits") or {}
        return {
            "max_pixels": int64(raw.get("maxPixels")),
            "max_side": int(raw.get("maxSide") or 0),
            "max_request_bytes": int64(raw.get("maxRequestBytes")),
            "blob_budget_bytes": int64(raw.get("blobBudgetBytes")),
        }

    @property
    def shared_memory(self):
        """The daemon offers pixel regions (CreatePixelRegion) to clients on its machine."""
        return bool((self.data.get("limits") or {}).get("sharedMemory"))

    @property
    def geometry_defaults(self):
        return dict(self.data.get("geometryDefaults") or {})

    def context_rule(self, operation, engine="", model=""):
        """The daemon's context rule for ``operation`` (OperationInfo.contextRule); a daemon that does
        not publish one gets None: send the whole canvas, which is always right."""
        op = self.operation(operation, engine, model)
        raw = (op or {}).get("contextRule")
        return ContextRule.from_json(raw) if raw is not None else None

    def check_size(self, width, height, bytes_per_pixel, what="the layer"):
        """None when the daemon accepts a width x height upload, else a BridgeError(kind="limit")."""
        limits = self.limits
        if limits["max_side"] and max(width, height) > limits["max_side"]:
            return BridgeError("limit", "%s is %dx%d pixels; the daemon accepts at most %d pixels a side."
                               % (what, width, height, limits["max_side"]), "layer")
        if limits["max_pixels"] and width * height > limits["max_pixels"]:
            return BridgeError("limit", "%s is %dx%d = %d pixels; the daemon accepts at most %d."
                               % (what, width, height, width * height, limits["max_pixels"]), "layer")
        size = width * height * bytes_per_pixel
        if limits["max_request_bytes"] and size > limits["max_request_bytes"]:
            return BridgeError("limit", "%s is %d MB; the daemon accepts requests up to %d MB."
                               % (what, size >> 20, limits["max_request_bytes"] >> 20), "layer")
        return None


def encode(obj):
    return json.dumps(obj, separators=(",", ":")).encode("utf-8")

