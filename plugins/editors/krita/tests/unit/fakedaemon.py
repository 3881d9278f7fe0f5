"""Test doubles of the daemon: what it computes (``fake_result``) and a client (``FakeClient``) for
the model tests. The real HTTP server speaking the JSON side of the contract is :mod:`fakeserver`.

The fake engine keeps the daemon's promises the plugin relies on: the result covers the mask's
bounding box (the real daemon grows it a little first) at exact canvas offsets, pixels outside
the selection are the source's bit for bit, pixels inside are changed.
"""

import base64
import collections
import json
import os
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOKEN = "t" * 64
FILL_COLOUR = {"PIXEL_FORMAT_RGBA8": bytes([250, 10, 20, 255]),
               "PIXEL_FORMAT_RGBA16": bytes([0x40, 0xFA, 0x10, 0x0A, 0x20, 0x14, 0xFF, 0xFF])}
BPP = {"PIXEL_FORMAT_RGBA8": 4, "PIXEL_FORMAT_RGBA16": 8}


def load_info(name="info_walking_skeleton.json"):
    with open(os.path.join(HERE, "fixtures", name), encoding="utf-8") as f:
        return json.load(f)


def info_with_everything():
    """GetInfo as it will look once colorize, segment and the others are served."""
    info = load_info()
    ops = info["engines"][0]["operations"]
    strength = {"name": "strength", "kind": "PARAMETER_KIND_NUMBER", "defaultValue": 0.5, "minimum": 0, "maximum": 1, "choices": []}
    inputs = {"colorize": [{"name": "hints", "description": "colour hints", "canvasAligned": True},
                           {"name": "reference", "description": "a picture whose palette to use"}],
              "compose": [{"name": "object", "description": "the pasted object", "required": True, "canvasAligned": True}]}
    for name in ("colorize", "restore", "stylize", "compose"):
        ops.append({"name": name, "description": name, "parameters": [strength], "inputs": inputs.get(name, []), "requiresMask": False})
    ops[-3]["parameters"] = [{"name": "method", "kind": "PARAMETER_KIND_CHOICE", "defaultValue": "auto", "choices": ["auto", "denoise"]},
                             {"name": "iterations", "kind": "PARAMETER_KIND_INTEGER", "defaultValue": 30, "minimum": 1, "maximum": 200}]
    number = lambda n, d: {"name": n, "kind": "PARAMETER_KIND_NUMBER", "defaultValue": d, "choices": [], "canvasAxis": "CANVAS_AXIS_" + {"x": "X", "y": "Y", "width": "WIDTH", "height": "HEIGHT"}[n]}
    ops.append({"name": "segment", "description": "segment", "requiresMask": False, "parameters": [
        number("x", 0.0), number("y", 0.0), number("width", 0.0), number("height", 0.0),
        {"name": "iterations", "kind": "PARAMETER_KIND_INTEGER", "defaultValue": 5, "minimum": 1, "maximum": 20}]})
    info["engines"].append({"name": "diffusion", "version": "0.1.0", "description": "", "devices": ["cpu"], "operations": [
        {"name": "generate", "description": "", "requiresMask": False, "parameters": [
            {"name": "style_preset", "kind": "PARAMETER_KIND_CHOICE", "defaultValue": "none", "choices": ["none", "watercolour", "ink"]},
            {"name": "steps", "kind": "PARAMETER_KIND_INTEGER", "defaultValue": 20, "minimum": 1, "maximum": 100, "choices": []},
            {"name": "tiled", "kind": "PARAMETER_KIND_BOOLEAN", "defaultValue": False, "choices": []}]}]})
    return info


def info_with_models():
    """GetInfo with model-backed engines: classic fill, an onnx fill served by 'lama-tiny', and the
    diffusion engine's fill and generate served by 'sd-tiny' (the daemon routes fill to onnx first)."""
    info = load_info()
    fill = info["engines"][0]["operations"][0]
    prompt_free = {"name": "fill", "description": "", "parameters": [], "requiresMask": True, "models": ["lama-tiny"]}
    info["engines"].append({"name": "onnx", "version": "0.1.0", "devices": ["cpu"], "operations": [prompt_free]})
    info["engines"].append({"name": "diffusion", "version": "0.1.0", "devices": ["cpu"], "operations": [
        dict(fill, parameters=[], models=["sd-tiny"]),
        {"name": "generate", "description": "", "requiresMask": False, "models": ["sd-tiny"], "parameters": [
            {"name": "steps", "kind": "PARAMETER_KIND_INTEGER", "defaultValue": 4, "minimum": 1, "maximum": 50, "choices": []}]}]})
    info["models"] = [
        {"name": "lama-tiny", "kind": "inpaint", "operations": ["fill"], "sizeBytes": "2048", "licenceId": "Apache-2.0"},
        {"name": "sd-tiny", "kind": "diffusion", "operations": ["fill", "generate"], "sizeBytes": "4096",
         "licenceId": "CreativeML-OpenRAIL-M", "licenceRequiresAcceptance": True}]
    info["operationRoutes"] = [{"operation": "fill", "engines": ["onnx", "diffusion", "classic"]},
                               {"operation": "generate", "engines": ["diffusion"]}]
    return info


CATALOG = {"models": [
    {"name": "lama-tiny", "kind": "inpaint", "version": "1", "operations": ["fill"], "sizeBytes": "2048",
     "licenceId": "Apache-2.0", "licenceUrl": "https://example.org/apache", "installed": True, "installedVersion": "1"},
    {"name": "sd-big", "kind": "diffusion", "version": "2", "operations": ["generate", "fill"], "sizeBytes": "1717986918",
     "licenceId": "CreativeML-OpenRAIL-M", "licenceUrl": "https://example.org/openrail", "licenceRequiresAcceptance": True,
     "checksumsPublished": True, "installed": False},
    {"name": "upscale-free", "kind": "upscale", "version": "1", "operations": ["restore"], "sizeBytes": "1000",
     "licenceId": "MIT", "licenceUrl": "", "installed": False}]}


def pull_lines(name, accept_licence, needs_acceptance=("sd-big",), fail=None):
    """The PullModel stream the fake daemon answers with: progress, then done; ``licence_needed`` and
    FAILED_PRECONDITION for a model whose licence was not accepted; ``fail`` = (code, message) instead of done."""
    if name in needs_acceptance and not accept_licence:
        message = "accept_licence: model '%s' is published under CreativeML-OpenRAIL-M" % name
        return [{"licenceNeeded": {"model": name, "licenceId": "CreativeML-OpenRAIL-M", "licenceUrl": "https://example.org/openrail"}},
                {"error": {"code": 9, "message": message}}, {"code": 9, "message": message}]
    lines = [{"progress": {"file": "unet/model.onnx", "bytesDone": str(done), "bytesTotal": "3000",
                           "bytesPerSecond": 1500.0, "secondsLeft": (3000 - done) / 1500.0}} for done in (0, 1000, 2000)]
    if fail is not None:
        return lines + [{"error": {"code": fail[0], "message": fail[1]}}, {"code": fail[0], "message": fail[1]}]
    return lines + [{"done": {"model": {"name": name, "kind": "diffusion", "sizeBytes": "3000"}, "firstUseHashes": []}}]


def fake_result(request, blobs):
    """(result JSON, result bytes) the fake engine answers ``request`` with."""
    layer = request["layer"]
    fmt = layer["format"]
    bpp = BPP[fmt]
    data = blobs[layer["blobId"]]
    lx, ly, lw, lh = layer["offsetX"], layer["offsetY"], layer["width"], layer["height"]
    assert len(data) == lw * lh * bpp, "layer blob size"
    mask = request.get("mask")
    if mask is not None:
        mx, my, mw, mh = mask["offsetX"], mask["offsetY"], mask["width"], mask["height"]
        coverage = blobs[mask["blobId"]]
        assert len(coverage) == mw * mh, "mask blob size"
        assert lx <= mx and ly <= my and mx + mw <= lx + lw and my + mh <= ly + lh, "mask inside layer"
    else:
        mx, my, mw, mh, coverage = lx, ly, lw, lh, b"\xff" * (lw * lh)
    op = request["operation"]
    if op == "segment":
        out = bytearray(mw * mh)
        for row in range(mh):
            for col in range(mw):
                i = ((my - ly + row) * lw + (mx - lx + col)) * bpp
                out[row * mw + col] = 255 if data[i] >= 128 else 0  # "subject": red-ish pixels
        return {"mask": {"width": mw, "height": mh, "offsetX": mx, "offsetY": my, "blobId": "mask-result"}}, bytes(out)
    clean = op == "restore" and request["parameters"].get("method") == "auto"  # "a clean photo": nothing to fix
    out = bytearray()
    for row in range(mh):
        start = ((my - ly + row) * lw + (mx - lx)) * bpp
        src = data[start:start + mw * bpp]
        for col in range(mw):
            if op == "stylize" and fmt == "PIXEL_FORMAT_RGBA8":  # each seed its own look
                px = bytes((b + int(request.get("seed", "7"))) % 256 for b in src[col * 4:col * 4 + 3]) + src[col * 4 + 3:col * 4 + 4]
            elif clean:
                px = src[col * bpp:(col + 1) * bpp]
            elif op == "colorize":
                px = bytes(255 - b for b in src[col * bpp:(col + 1) * bpp - bpp // 4]) + src[(col + 1) * bpp - bpp // 4:(col + 1) * bpp]
            elif coverage[row * mw + col]:
                px = FILL_COLOUR[fmt]
            else:
                px = src[col * bpp:(col + 1) * bpp]
            out += px
    result = {"layer": {"width": mw, "height": mh, "format": fmt, "offsetX": mx, "offsetY": my, "blobId": "layer-result"},
              "provenance": {"operation": op, "engine": "fake", "seed": request.get("seed", "7"),
                             "parameters": {"method": "none", "noise_sigma": 1.2, "blur_sigma": 0.4} if clean else {},
                             "model": request.get("model", ""), "device": "cpu",
                             "timings": {"queuedMs": 0.5, "engineMs": 12.5, "totalMs": 15.0}}}
    return result, bytes(out)


class FakeCall:
    def __init__(self):
        self.aborted = False
        self.done = False

    def abort(self):
        self.aborted = True


class FakeClient:
    """The client interface the model uses, answering from ``fake_result`` through a queue that
    ``pump()`` drains, so callbacks come later, as with Qt's event loop."""

    def __init__(self, info=None, connect_error=None):
        self.state = "disconnected"
        self.error = None
        self.info = None
        self._info_json = info if info is not None else load_info()
        self.connect_error = connect_error
        self.blobs = {}
        self.requests = []
        self.uploads = []
        self.cancelled = []
        self.queue = collections.deque()
        self.stream_failure = None  # BridgeError delivered instead of a result
        self.events_before_result = True
        self.connect_calls = 0
        self.hold_stream = False  # keep the stream open until release()
        self._held = []

    def _later(self, fn, *args):
        self.queue.append((fn, args))

    def pump(self):
        while self.queue:
            fn, args = self.queue.popleft()
            fn(*args)

    def connect_daemon(self, on_done=None, autostart=True):
        from editorbridge.wire import DaemonInfo
        self.connect_calls += 1
        self.state = "connecting"

        def finish():
            if self.connect_error is not None:
                self.state, self.error = "failed", self.connect_error
            else:
                self.state, self.info = "connected", DaemonInfo(self._info_json)
            if on_done:
                on_done(self.connect_error)

        self._later(finish)

    def later(self, delay_ms, fn):
        self._later(fn)

    def run_in_background(self, work, on_done):
        """Like the real client: the work's result comes back later (here: on pump())."""
        try:
            result, error = work(), None
        except Exception as e:
            result, error = None, e
        self._later(on_done, result, error)

    def mark_lost(self, error):
        self.state, self.error, self.info = "failed", error, None

    def put_blob(self, data, on_done):
        call = FakeCall()
        blob_id = "blob-%d" % (len(self.blobs) + 1)
        self.blobs[blob_id] = bytes(data)
        self.uploads.append(blob_id)
        self._later(lambda: None if call.aborted else on_done(blob_id, None))
        return call

    def get_blob(self, blob_id, on_done):
        call = FakeCall()
        self._later(lambda: None if call.aborted else on_done(self.blobs[blob_id], None))
        return call

    def cancel_job(self, job_id, on_done=None):
        self.cancelled.append(job_id)
        return FakeCall()

    def run_job(self, request, on_event, on_done):
        from editorbridge.wire import JobEvent
        call = FakeCall()
        self.requests.append(request)
        job_id = "job-%d" % len(self.requests)

        def stream():
            if call.aborted:
                return
            if self.events_before_result:
                on_event(JobEvent(job_id, "queued", {"position": 1}))
                on_event(JobEvent(job_id, "started", {"engine": "fake", "device": "cpu"}))
                on_event(JobEvent(job_id, "progress", {"step": 1, "total": 2, "fraction": 0.5, "stage": "filling"}))
                on_event(JobEvent(job_id, "preview", {"image": {"width": 2, "height": 1, "format": "PIXEL_FORMAT_RGBA8",
                                                                 "data": base64.b64encode(bytes(8)).decode()}}))
            if self.stream_failure is not None:
                return on_done(self.stream_failure)
            result, data = fake_result(request, self.blobs)
            part = result.get("layer") or result.get("mask")
            part["blobId"] += "-" + job_id  # each job its own result blob
            self.blobs[part["blobId"]] = data
            on_event(JobEvent(job_id, "result", result))
            on_done(None)

        if self.hold_stream:
            self._held.append(stream)
        else:
            self._later(stream)
        return call

    def refresh_info(self, on_done=lambda error: None):
        from editorbridge.wire import DaemonInfo
        self.refreshes = getattr(self, "refreshes", 0) + 1
        self.info = DaemonInfo(self._info_json)
        self._later(on_done, None)

    def list_catalog(self, on_done):
        self._later(on_done, CATALOG["models"], None)
        return FakeCall()

    def pull_model(self, name, accept_licence, on_event, on_done):
        """Feeds the PullModel lines (``pull_lines``) through the plugin's own stream reader, one per pump."""
        from editorbridge import pull_wire
        call = FakeCall()
        self.pulls = getattr(self, "pulls", []) + [(name, accept_licence)]
        reader = pull_wire.PullStreamReader(on_event)
        lines = [json.dumps(obj).encode() + b"\n" for obj in pull_lines(name, accept_licence, fail=getattr(self, "pull_failure", None))]

        def next_line():
            if call.aborted:
                return
            if lines:
                reader.feed(lines.pop(0))
                return self._later(next_line)
            on_done(reader.finish())

        self._later(next_line)
        return call

    def release(self):
        held, self._held = self._held, []
        for stream in held:
            self._later(stream)


class SharedMemoryClient(FakeClient):
    """A fake client of a daemon on this machine: pixel regions are real files in a private folder,
    mapped by the plugin; the fake daemon reads the pictures out of them and writes the result in.
    ``refuse_regions``: CreatePixelRegion fails (shared memory off); ``lose_region``: the first job
    naming a region finds it gone (its connection closed), as a real daemon answers then;
    ``answer_path``: the answer names another path than the region's file (a lying server)."""

    def __init__(self, info=None, connect_error=None):
        FakeClient.__init__(self, info=info, connect_error=connect_error)
        import tempfile
        self.state_folder = tempfile.mkdtemp(prefix="ebstate-")
        self.folder = os.path.join(self.state_folder, "regions")  # as the daemon makes it: 0700
        os.mkdir(self.folder, 0o700)
        self.region_files = {}  # id -> path
        from editorbridge.region_keeper import RegionKeeper
        self.regions = RegionKeeper()  # as DaemonClient.regions
        self.region_ttl_s = 600.0  # the daemon's Limits.blob_ttl_seconds
        self.made = 0  # regions made so far
        self.released = []
        self.refuse_regions = None
        self.lose_region = False
        self.answer_path = None  # a lying server: turns the region's real path into the one answered

    def shares_memory(self):
        return True

    def create_region(self, size, on_done):
        from editorbridge.wire import BridgeError
        call = FakeCall()
        if self.refuse_regions:
            self._later(lambda: on_done(None, BridgeError("precondition", self.refuse_regions)))
            return call
        self.made += 1
        region_id = "rgn-%024x" % self.made
        path = os.path.join(self.folder, "px-%032x" % self.made)
        with open(path, "wb") as f:
            f.truncate(int(size))
        self.region_files[region_id] = path
        answered = self.answer_path(path) if self.answer_path else path
        self._later(lambda: None if call.aborted else on_done({
            "regionId": region_id, "path": answered, "sizeBytes": str(size), "expiresUnixMs": str(int((time.time() + self.region_ttl_s) * 1000))}, None))
        return call

    def release_region(self, region_id, on_done=lambda body, error: None):
        self.released.append(region_id)
        path = self.region_files.pop(region_id, None)
        if path is not None:
            os.unlink(path)
        return FakeCall()

    def close_connection(self):
        """The connection that made the regions closed (idle): the daemon frees them, the plugin is not told."""
        for path in self.region_files.values():
            os.unlink(path)
        self.region_files.clear()

    def _read(self, ref):
        with open(self.region_files[ref["regionId"]], "rb") as f:
            f.seek(int(ref["offset"]))
            return f.read(int(ref["length"]))

    def run_job(self, request, on_event, on_done):
        from editorbridge.wire import BridgeError
        sent, request = request, json.loads(json.dumps(request))  # the test sees what was sent
        place = request.get("resultRegion")
        named = [part["region"]["regionId"] for part in [request.get("layer"), request.get("mask")] + list((request.get("inputs") or {}).values())
                 if part is not None and "region" in part]
        gone = [rid for rid in named + ([place["regionId"]] if place else []) if rid not in self.region_files]
        if (self.lose_region and place is not None) or gone:  # unknown, released, or its connection closed
            self.lose_region = False
            call = FakeCall()
            self.requests.append(sent)
            self._later(lambda: on_done(BridgeError("not_found", "layer.region: no pixel region", "layer.region")))
            return call
        # the pictures out of their regions, as the daemon's own copies
        for part in [request.get("layer"), request.get("mask")] + list((request.get("inputs") or {}).values()):
            if part is not None and "region" in part:
                blob_id = "from-%s-%s" % (part["region"]["regionId"], part["region"]["offset"])
                self.blobs[blob_id] = self._read(part["region"])
                part["blobId"] = blob_id
        if place is None:
            call = FakeClient.run_job(self, request, on_event, on_done)
            self.requests[-1] = sent
            return call

        def answered(event):
            if event.kind == "result":
                part = event.data.get("layer") or event.data.get("mask")
                data = self.blobs.pop(part.pop("blobId"))
                with open(self.region_files[place["regionId"]], "r+b") as f:
                    f.write(data)
                part["region"] = {"regionId": place["regionId"], "length": str(len(data))}
                event.data.setdefault("provenance", {}).setdefault("timings", {}).update({"pixelsIn": "shared-memory", "pixelsOut": "shared-memory"})
            on_event(event)

        def ended(error):
            if request.get("releaseBlobs"):  # the job's end frees the region
                path = self.region_files.pop(place["regionId"], None)
                if path is not None:
                    os.unlink(path)
            on_done(error)

        call = FakeClient.run_job(self, request, answered, ended)
        self.requests[-1] = sent
        return call
