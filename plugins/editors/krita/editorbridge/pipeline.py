"""Moves one job from the click to its result: prepare, upload, run, download, place.

Role: *model*. Pure Python (no Qt import). Each step takes the :class:`jobs.Job` and leaves it in
its next :class:`jobs.JobState`; a step that finds the job finished (cancelled meanwhile) stops.
The typed :class:`request.JobRequest` is built once in :meth:`JobRunner.prepare`; the uploads only
add their blob references to it, or, with a daemon on this machine, the pictures go into a pixel
region (:mod:`shared_memory`, kept for the next job by :mod:`region_keeper`) and the request names
that instead; the result is read straight from the mapping.
"""

import base64
import logging

from . import document, placing, shared_memory, shared_upload
from .jobs import JobState
from .placement import place_batch, place_result
from .request import ImageRef, JobRequest, build_parameters
from .wire import BridgeError, OPERATION_LABELS, int64

log = logging.getLogger("editorbridge")

# Operations whose result is the whole layer anew (not only the pixels the engine changed).
_WHOLE_RESULT = ("colorize",)


def _label(operation):
    return OPERATION_LABELS.get(operation, operation)


def segment_target(options, cap):
    """Select Subject's canvas-coordinate parameters: the painter's point (x, y), else the selection's
    box; BridgeError when there is neither."""
    if options.point is not None:
        x, y = options.point
        return {"x": float(x), "y": float(y), "width": 0.0, "height": 0.0}
    if cap.mask_rect is not None:
        x, y, w, h = cap.mask_rect
        return {"x": float(x), "y": float(y), "width": float(w), "height": float(h)}
    raise BridgeError("input", "Select Subject needs a box around the subject (a selection) or a point on it: "
                      "draw a selection around the subject, or click 'Pick point' and then on the subject.",
                      "parameters.x", hint="")


class JobRunner:
    def __init__(self, model):
        self.model = model

    @property
    def client(self):
        return self.model.client

    def _set_state(self, job, state):
        job.state = state
        self.model.update(job)

    # ------------------------------------------------------------------ prepare

    def prepare(self, job):
        if job.finished:
            return
        model = self.model
        doc = model.document(job.doc_key) if job.doc_key is not None else None
        node = document.find_node(doc, job.node_key) if doc is not None and job.node_key is not None else None
        if job.doc_key is not None and doc is None:
            return self.cancelled(job, "the document was closed")
        info = self.client.info
        options = job.options
        self._set_state(job, JobState.PREPARING)
        try:
            if doc is None:
                raise BridgeError("input", "Open an image first.", hint="")
            op = options.operation
            if not info.offers(op):
                raise BridgeError("precondition", "The daemon does not offer %s yet (offered: %s)." % (
                    _label(op), ", ".join(_label(o) for o in info.operations()) or "nothing"), "operation", hint="")
            if options.engine and options.engine not in info.engines_for(op):
                raise BridgeError("precondition", "Engine '%s' does not offer %s." % (options.engine, op), "engine", hint="")
            if options.model and options.model not in info.models_for(op, options.engine):
                raise BridgeError("precondition", "Model '%s' does not serve %s%s (installed for it: %s)." % (
                    options.model, _label(op), " on engine '%s'" % options.engine if options.engine else "",
                    ", ".join(info.models_for(op, options.engine)) or "none"), "model",
                    hint="Open Models... to download or import one.")
            op_info = info.operation(op, options.engine, options.model)
            values = dict(options.parameters)
            build_parameters(op_info, values)  # refuse bad values before reading any pixel
            cap = document.capture(doc, op, options.source,
                                   requires_mask=info.requires_mask(op, options.engine, options.model),
                                   context_rule=info.context_rule(op, options.engine, options.model), info=info, node=node)
            if op == "segment":
                values.update(segment_target(options, cap))
            for spec in info.inputs(op, options.engine, options.model):
                name = spec["name"]
                key = options.inputs.get(name)
                if not key:
                    if spec.get("required"):
                        raise BridgeError("input", "%s needs the %s layer: pick it in the docker's '%s' box."
                                          % (_label(op), name, name.capitalize()), "inputs." + name, hint="")
                    continue
                cap.inputs.append(document.capture_input(doc, cap, name, key, bool(spec.get("canvasAligned")), name))
            job.request = JobRequest(op, build_parameters(op_info, values), options.seed, options.engine, options.model,
                                     options.prompt, options.negative_prompt, cap.label(op), outpaint=cap.outpaint)
        except BridgeError as e:
            return self.fail(job, e)
        job.capture = cap
        self.background(job, lambda: document.encode(cap), lambda _: self.upload(job))

    def background(self, job, work, then):
        """Runs pure-Python pixel work off the GUI thread (when the client can), then ``then(result)`` back on it."""
        def done(result, error):
            if job.finished:
                return
            if error is not None:
                return self.fail(job, error if isinstance(error, BridgeError) else
                                 BridgeError("engine", "Converting pixels failed: %s" % error, hint=""))
            then(result)

        runner = getattr(self.client, "run_in_background", None)
        if runner is None:
            try:
                result = work()
            except Exception as e:
                return done(None, e)
            return done(result, None)
        runner(work, done)

    # ------------------------------------------------------------------ upload and run

    def upload(self, job):
        cap, request = job.capture, job.request
        job.timings["captured"] = self.model.clock()
        if cap.clipped:
            self.model.tell("%d float channel values outside 0..1 were clipped to travel as 16-bit (the source layer is unchanged)."
                            % cap.clipped, "warning")
        job.label = "%s - %s" % (_label(job.operation), cap.label(job.operation).replace("Krita: ", ""))
        self._set_state(job, JobState.UPLOADING)
        # (blob bytes, where its reference goes) in upload order: the layer, the mask, each input
        pending = [(cap.wire, lambda ref: setattr(request, "layer", ref),
                    lambda blob: ImageRef(cap.rect[2], cap.rect[3], cap.rect[0], cap.rect[1], blob, cap.layout.wire_format))]
        if cap.mask is not None:
            mx, my, mw, mh = cap.mask_rect
            pending.append((cap.mask, lambda ref: setattr(request, "mask", ref), lambda blob: ImageRef(mw, mh, mx, my, blob)))
        for item in cap.inputs:
            x, y, w, h = item.rect
            pending.append((item.wire, lambda ref, name=item.name: request.inputs.__setitem__(name, ref),
                            lambda blob, x=x, y=y, w=w, h=h, fmt=item.layout.wire_format: ImageRef(w, h, x, y, blob, fmt)))

        def next_upload():
            if not job.pixels_path:
                job.pixels_path = "blobs"
            if not pending:
                job.timings["uploaded"] = self.model.clock()
                return self.submit(job)
            data, assign, ref = pending.pop(0)

            def uploaded(blob_id, error):
                if error is not None:
                    return self.fail(job, error)
                assign(ref(blob_id))
                next_upload()

            job.calls.append(self.client.put_blob(data, uploaded))

        if not job.bytes_only and getattr(self.client, "create_region", None) is not None and self.client.shares_memory():
            return shared_upload.upload_shared(self, job, pending, next_upload)
        next_upload()

    def submit(self, job):
        if job.finished:
            return
        try:
            body = job.request.to_json()
        except BridgeError as e:
            return self.fail(job, e)
        self._set_state(job, JobState.QUEUED)
        job.calls.append(self.client.run_job(body, lambda e: self.event(job, e), lambda err: self.stream_done(job, err)))

    def event(self, job, event):
        if job.finished:
            return
        data = event.data
        if event.job_id and not job.daemon_id:
            job.daemon_id = event.job_id
            if job.cancel_requested:
                return self.model.cancel(job)
        if event.kind == "queued":
            job.state, job.position = JobState.QUEUED, int(data.get("position") or 0)
        elif event.kind == "started":
            job.state = JobState.RUNNING
            job.engine, job.device = data.get("engine", ""), data.get("device", "")
            job.timings.setdefault("started", self.model.clock())
        elif event.kind == "progress":
            job.state = JobState.RUNNING
            job.fraction = float(data.get("fraction") or 0.0)
            job.stage = data.get("stage", "")
            job.progress_events += 1
        elif event.kind == "preview":
            picture = data.get("image") or {}
            try:
                pixels = base64.b64decode(picture.get("data") or "")
                w, h = int(picture.get("width") or 0), int(picture.get("height") or 0)
                if w > 0 and h > 0 and len(pixels) == w * h * 4:
                    job.preview = (w, h, pixels)
            except (ValueError, TypeError):
                pass
        elif event.kind == "result":
            job.result = data
            job.timings["result"] = self.model.clock()
            provenance = data.get("provenance") or {}
            if provenance.get("seed") not in (None, ""):
                job.seed = int64(provenance.get("seed"))
            job.model = provenance.get("model", "") or ""
            job.device = provenance.get("device", "") or job.device
            job.engine = provenance.get("engine", "") or job.engine
        self.model.update(job)

    def stream_done(self, job, error):
        if job.finished:
            return
        if error is not None:
            if job.region is not None and "region" in (error.field or "") and not job.bytes_only:
                # the region went before the job used it (its connection closed, or it expired): a kept
                # one once more through a new region, else with blobs
                retry, job.region_reused = job.region_reused and not job.region_retried, False
                job.region_retried = True  # once at most
                self.let_go_of_region(job)
                job.request.result_region, job.request.release_blobs = None, True
                if not retry:
                    job.bytes_only = True
                    job.pixels_path = "bytes (shared memory refused: %s)" % error.message
                return self.upload(job)
            return self.fail(job, error)
        self.download(job)

    def download(self, job):
        result = job.result or {}
        if job.operation == "segment" or (result.get("mask") and not result.get("layer")):
            part, expect = result.get("mask") or {}, "mask"
        else:
            part, expect = result.get("layer") or {}, "layer"
        if not part:
            return self.fail(job, BridgeError("protocol", "The result has no %s." % expect))
        self._set_state(job, JobState.DOWNLOADING)

        def got(data, error):
            if error is not None:
                return self.fail(job, error)
            job.timings["downloaded"] = self.model.clock()
            self.convert(job, expect, part, data)

        inline = part.get("data") or part.get("coverage")
        if part.get("region"):
            try:
                data = shared_memory.read_back(job.region, part["region"])
            except BridgeError as e:
                return self.fail(job, e)
            got(data, None)
        elif part.get("blobId"):
            job.calls.append(self.client.get_blob(part["blobId"], got))
        elif inline:
            got(base64.b64decode(inline), None)
        else:
            self.fail(job, BridgeError("protocol", "The result's %s has neither blobId nor data." % expect))

    # ------------------------------------------------------------------ place

    def convert(self, job, expect, part, data):
        if job.finished:
            return
        doc = self.model.document(job.doc_key)
        if doc is None:
            return self.cancelled(job, "the document was closed")
        self._set_state(job, JobState.PLACING)
        cap = job.capture
        rect = (int(part.get("offsetX") or 0), int(part.get("offsetY") or 0), int(part.get("width") or 0), int(part.get("height") or 0))
        if expect == "mask":
            return self.place(job, expect, rect, data, None)
        fmt = part.get("format") or cap.layout.wire_format
        if fmt != cap.layout.wire_format:
            return self.fail(job, BridgeError("protocol", "The result is %s, but %s was sent." % (fmt, cap.layout.wire_format)))
        try:
            note = placing.ensure_rgb(doc) if job.operation == "colorize" else ""
            target = placing.new_layer_layout(doc)
        except BridgeError as e:
            return self.fail(job, e)
        if note:
            job.undo_steps += 1
            job.warning = note
        whole = job.operation in _WHOLE_RESULT
        self.background(job, lambda: placing.result_pixels(cap, rect, data, target, changed_only=not whole),
                        lambda converted: self.place(job, expect, rect, converted, target))

    def place(self, job, expect, rect, converted, target):
        """Back on the GUI thread: the result goes into the document (one undo step)."""
        place_result(self, job, expect, rect, converted, target)

    # ------------------------------------------------------------------ endings

    def finish(self, job):
        job.timings["placed"] = self.model.clock()
        _finish_timings(job)
        job.state = JobState.DONE
        job.fraction = 1.0
        job.calls = []
        job.capture = None  # let go of the pixels
        region, job.region, job.region_id = job.region, None, ""
        keeper = getattr(self.client, "regions", None)
        if keeper is not None and keeper.holds(region):
            region.release_views()  # the result is placed: the region serves the next job
            keeper.give_back(region)
        elif region is not None:
            region.close()  # a one-off region: the daemon freed its side when the job ended
        self.model.update(job)
        self.model.jobs_changed.emit()

    def _abort_calls(self, job):
        for call in job.calls:
            call.abort()
        job.calls = []
        self.let_go_of_region(job)

    def let_go_of_region(self, job):
        """A job that did not end well unmaps its region, kept one included (the daemon may still write
        that job's result into it), and frees it on the daemon (already gone: ignored)."""
        region, job.region = job.region, None
        region_id, job.region_id = job.region_id, ""
        keeper = getattr(self.client, "regions", None)
        if region is not None:
            region_id = (keeper.drop(region) if keeper is not None and keeper.holds(region) else "") or region.region_id
            region.close()
        if region_id:
            self.client.release_region(region_id)

    def fail(self, job, error):
        if job.finished:
            return
        if error.kind == "cancelled":
            return self.cancelled(job, "cancelled" if job.cancel_requested else error.message)
        self._abort_calls(job)
        job.state = JobState.FAILED
        job.error = error
        job.message = error.user_text()
        job.capture = None
        if error.kind == "unavailable" and hasattr(self.client, "mark_lost"):
            self.client.mark_lost(error)
        self.model.tell("%s failed: %s" % (job.label, error.user_text()), "error")
        self._ended(job)

    def cancelled(self, job, why):
        if job.finished:
            return
        self._abort_calls(job)
        job.state = JobState.CANCELLED
        job.message = why
        job.capture = None
        self.model.tell("%s cancelled: %s." % (job.label, why), "info")
        self._ended(job)

    def _ended(self, job):
        self.model.update(job)
        self.model.jobs_changed.emit()
        if job.batch is not None:
            place_batch(self, job.batch)


def _finish_timings(job):
    t = job.timings
    provenance = (job.result or {}).get("provenance") or {}
    engine = provenance.get("timings") or {}
    t["engine_ms"] = float(engine.get("engineMs") or 0.0)
    t["daemon_total_ms"] = float(engine.get("totalMs") or 0.0)
    t["queued_ms"] = float(engine.get("queuedMs") or 0.0)
    t["pixels_in"] = job.pixels_path if job.pixels_path.startswith("bytes") else engine.get("pixelsIn", "")
    t["pixels_out"] = engine.get("pixelsOut", "")
    t["click_to_layer_ms"] = (t["placed"] - t["click"]) * 1000.0
    t["overhead_ms"] = t["click_to_layer_ms"] - t["engine_ms"]
    spans = (("capture_ms", "click", "captured"), ("upload_ms", "captured", "uploaded"), ("job_ms", "uploaded", "result"),
             ("download_ms", "result", "downloaded"), ("place_ms", "downloaded", "placed"))
    for name, start, end in spans:
        if start in t and end in t:
            t[name] = (t[end] - t[start]) * 1000.0
    if "converted" in t and "inserted" in t:
        t["convert_back_ms"] = (t["converted"] - t["downloaded"]) * 1000.0
        t["insert_ms"] = (t["inserted"] - t["converted"]) * 1000.0
        t["render_wait_ms"] = (t["placed"] - t["inserted"]) * 1000.0
