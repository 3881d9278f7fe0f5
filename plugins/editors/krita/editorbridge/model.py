"""State and actions of the bridge: the daemon connection, the jobs, and what each one does.

Role: *model*. Pure Python (no Qt import): it talks to a client object (``client.DaemonClient``
in Krita, a fake in the unit tests) through callbacks, and to Krita through ``krita.Krita``.
The docker (``ui``) only reads this state and calls :meth:`BridgeModel.run` / :meth:`cancel`.

A job's life: *preparing* (read the layer and selection, convert) -> *uploading* (layer and
mask blobs) -> *queued* / *running* (the streamed events: queue position, progress, previews)
-> *downloading* (the result blob) -> *placing* (new layer / colours under the line art /
selection) -> *done*; or *failed* / *cancelled* at any point, with a message. Nothing in the
document changes before *placing*, and the source layer never changes.
"""

import base64
import logging
import time

from . import document, wire
from .wire import BridgeError, OPERATION_LABELS

log = logging.getLogger("editorbridge")

SETTINGS_GROUP = "EditorBridge"


class Signal:
    """A minimal observer list (the model stays free of Qt)."""

    def __init__(self):
        self._slots = []

    def connect(self, slot):
        self._slots.append(slot)

    def disconnect(self, slot):
        if slot in self._slots:
            self._slots.remove(slot)

    def emit(self, *args):
        for slot in list(self._slots):
            try:
                slot(*args)
            except Exception:  # a broken listener must not break the job
                log.exception("EditorBridge: a listener failed")


class JobOptions:
    """What the painter chose in the docker for one run."""

    def __init__(self, operation="fill", source=document.SOURCE_LAYER, placement=document.PLACE_BELOW,
                 prompt="", negative_prompt="", engine="", parameters=None, seed=None, model=""):
        self.operation = operation
        self.model = model  # an installed model's name; "" lets the daemon choose
        self.source = source
        self.placement = placement  # colorize only: PLACE_BELOW or PLACE_REPLACE
        self.prompt = prompt
        self.negative_prompt = negative_prompt
        self.engine = engine
        self.parameters = dict(parameters or {})
        self.seed = seed  # None: the daemon picks one and reports it

    def copy(self, **changes):
        other = JobOptions(self.operation, self.source, self.placement, self.prompt, self.negative_prompt,
                           self.engine, self.parameters, self.seed, self.model)
        for k, v in changes.items():
            setattr(other, k, v)
        return other


ACTIVE_STATES = ("waiting", "preparing", "uploading", "queued", "running", "downloading", "placing")
FINAL_STATES = ("done", "failed", "cancelled")


class Job:
    _next = 1

    def __init__(self, options):
        self.number = Job._next
        Job._next += 1
        self.options = options
        self.operation = options.operation
        self.state = "waiting"
        self.doc_key = None
        self.label = OPERATION_LABELS.get(options.operation, options.operation)
        self.daemon_id = ""
        self.position = -1
        self.fraction = 0.0
        self.stage = ""
        self.engine = ""
        self.device = ""
        self.model = ""  # the model the result's provenance names
        self.message = ""
        self.error = None
        self.preview = None  # (width, height, rgba8 bytes)
        self.seed = options.seed
        self.result = None  # the JobResult JSON
        self.layer_name = ""
        self.undo_steps = 0
        self.changed_pixels = 0
        self.timings = {}
        self.capture = None
        self.calls = []
        self.cancel_requested = False

    @property
    def finished(self):
        return self.state in FINAL_STATES

    def provenance_text(self):
        """'model sd-tiny on cpu' / 'on cuda:0' / '' from the result's provenance."""
        parts = []
        if self.model:
            parts.append("model " + self.model)
        if self.device:
            parts.append("on " + self.device)
        return " ".join(parts)

    def summary(self):
        text = "#%d %s" % (self.number, self.label)
        if self.state == "queued":
            text += " - queued" + (" (%d ahead)" % self.position if self.position > 0 else " (next)")
        elif self.state == "running":
            text += " - %d%%%s" % (round(self.fraction * 100), " " + self.stage if self.stage else "")
        elif self.state == "done":
            text += " - done" + (": " + self.layer_name if self.layer_name else "")
            if self.provenance_text():
                text += " (%s)" % self.provenance_text()
        elif self.state in ("failed", "cancelled"):
            text += " - " + self.state + (": " + self.message if self.message else "")
        else:
            text += " - " + self.state
        return text


class BridgeModel:
    """One per Krita session, shared by the dockers of every window."""

    def __init__(self, client, app=None, clock=time.perf_counter):
        self.client = client
        self._app = app
        self.clock = clock
        self.jobs = []
        self.max_finished_jobs = 20
        self.status_changed = Signal()  # ()
        self.jobs_changed = Signal()  # ()
        self.job_updated = Signal()  # (job)
        self.message = Signal()  # (text, level): level "info", "warning" or "error"
        self.last_message = ("", "info")
        self.last_options = JobOptions()
        self.reactivate_after_ms = (0, 250, 1000)  # see _keep_source_active
        if hasattr(client, "stateChanged"):
            client.stateChanged.connect(self.status_changed.emit)

    # ------------------------------------------------------------------ Krita access

    @property
    def app(self):
        if self._app is None:
            from krita import Krita
            self._app = Krita.instance()
        return self._app

    def setting(self, key, default=""):
        try:
            return self.app.readSetting(SETTINGS_GROUP, key, default)
        except Exception:
            return default

    def set_setting(self, key, value):
        self.app.writeSetting(SETTINGS_GROUP, key, str(value))

    def _document(self, key):
        for doc in self.app.documents():
            if document.document_key(doc) == key:
                return doc
        return None

    # ------------------------------------------------------------------ status

    @property
    def info(self):
        return self.client.info if self.client.state == "connected" else None

    @property
    def known_info(self):
        """The last GetInfo seen: the docker keeps its operations and parameter editors (and what
        the painter set in them) while the daemon restarts."""
        if self.client.state == "connected" and self.client.info is not None:
            self._known_info = self.client.info
        return getattr(self, "_known_info", None)

    def status(self):
        """``(text, level)`` describing the daemon connection for the docker."""
        state = self.client.state
        if state == "connected" and self.client.info is not None:
            info = self.client.info
            ops = ", ".join(OPERATION_LABELS.get(o, o) for o in info.operations()) or "none"
            text = "Connected to EditorBridge %s (%s). Operations: %s." % (
                info.version, ", ".join(info.engine_names()) or "no engines", ops)
            if info.problems:
                text += " %d engine plugin(s) failed to load." % len(info.problems)
            return text, "info"
        if state == "connecting":
            return "Looking for the EditorBridge daemon...", "info"
        if state == "starting":
            return "Starting the EditorBridge daemon...", "info"
        if state == "failed" and self.client.error is not None:
            return self.client.error.user_text(), "error"
        return "Not connected to the EditorBridge daemon.", "warning"

    def connect(self, on_done=None, autostart=True):
        def done(error):
            if error is not None:
                log.warning("EditorBridge: %s", error.user_text())
            self.status_changed.emit()
            if on_done is not None:
                on_done(error)

        self.client.connect_daemon(done, autostart=autostart)
        self.status_changed.emit()

    def tell(self, text, level="info"):
        self.last_message = (text, level)
        (log.error if level == "error" else log.warning if level == "warning" else log.info)("EditorBridge: %s", text)
        self.message.emit(text, level)

    # ------------------------------------------------------------------ jobs

    def active_jobs(self):
        return [j for j in self.jobs if not j.finished]

    def run(self, options):
        """Starts a job for the active document with ``options``; returns the Job (its state says how it went)."""
        self.last_options = options
        job = Job(options)
        job.timings["click"] = self.clock()
        # Only keys are kept while waiting: a libkis Node keeps its image alive, and an image
        # that outlives its closed document crashes Krita 5.1 when the wrapper is freed.
        doc = self.app.activeDocument()
        node = doc.activeNode() if doc is not None else None
        doc_key = document.document_key(doc) if doc is not None else None
        node_key = document.node_key(node) if node is not None else None
        del doc, node
        job.doc_key = doc_key
        self.jobs.append(job)
        self._trim()
        self.jobs_changed.emit()
        if self.client.state == "connected" and self.client.info is not None:
            self._prepare(job, doc_key, node_key)
        else:
            job.message = "waiting for the daemon"
            self._update(job)

            def connected(error):
                if job.finished:
                    return
                if error is not None:
                    return self._fail(job, error)
                self._prepare(job, doc_key, node_key)

            self.connect(connected)
        return job

    def run_operation(self, operation):
        """A menu action: ``operation`` with the docker's last settings (its model only when that
        run was the same operation: another operation's model would not serve this one)."""
        last = self.last_options
        return self.run(last.copy(operation=operation, model=last.model if last.operation == operation else ""))

    def _trim(self):
        finished = [j for j in self.jobs if j.finished]
        for j in finished[:max(0, len(finished) - self.max_finished_jobs)]:
            self.jobs.remove(j)

    def _update(self, job):
        self.job_updated.emit(job)

    def _set_state(self, job, state):
        job.state = state
        self._update(job)

    def _prepare(self, job, doc_key, node_key):
        if job.finished:
            return
        doc = self._document(doc_key) if doc_key is not None else None
        node = document.find_node(doc, node_key) if doc is not None and node_key is not None else None
        if doc_key is not None and doc is None:
            return self._cancelled(job, "the document was closed")
        info = self.client.info
        options = job.options
        self._set_state(job, "preparing")
        try:
            if doc is None:
                raise BridgeError("input", "Open an image first.", hint="")
            if not info.offers(options.operation):
                raise BridgeError("precondition", "The daemon does not offer %s yet (offered: %s)." % (
                    OPERATION_LABELS.get(options.operation, options.operation),
                    ", ".join(OPERATION_LABELS.get(o, o) for o in info.operations()) or "nothing"), "operation", hint="")
            if options.engine and options.engine not in info.engines_for(options.operation):
                raise BridgeError("precondition", "Engine '%s' does not offer %s." % (options.engine, options.operation), "engine", hint="")
            if options.model and options.model not in info.models_for(options.operation, options.engine):
                raise BridgeError("precondition", "Model '%s' does not serve %s%s (installed for it: %s)." % (
                    options.model, OPERATION_LABELS.get(options.operation, options.operation),
                    " on engine '%s'" % options.engine if options.engine else "",
                    ", ".join(info.models_for(options.operation, options.engine)) or "none"), "model",
                    hint="Open Models... to download or import one.")
            op_info = info.operation(options.operation, options.engine, options.model)
            parameters = wire.build_parameters(op_info, options.parameters)
            cap = document.capture(doc, options.operation, options.source,
                                   requires_mask=info.requires_mask(options.operation, options.engine, options.model),
                                   context_rule=info.context_rule(options.operation, options.engine, options.model), info=info, node=node)
        except BridgeError as e:
            return self._fail(job, e)
        job.capture = cap
        self._background(job, lambda: document.encode(cap), lambda _: self._upload(job, parameters))

    def _background(self, job, work, then):
        """Runs pure-Python pixel work off the GUI thread (when the client can), then ``then(result)`` back on it."""
        def done(result, error):
            if job.finished:
                return
            if error is not None:
                return self._fail(job, error if isinstance(error, BridgeError) else
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

    def _upload(self, job, parameters):
        cap = job.capture
        options = job.options
        job.timings["captured"] = self.clock()
        if cap.clipped:
            self.tell("%d float channel values outside 0..1 were clipped to travel as 16-bit (the source layer is unchanged)."
                      % cap.clipped, "warning")
        job.label = "%s - %s" % (OPERATION_LABELS.get(options.operation, options.operation),
                                 cap.label(options.operation).replace("Krita: ", ""))
        x, y, w, h = cap.rect
        request = {"operation": options.operation, "parameters": parameters, "seed": options.seed,
                   "engine": options.engine, "model": options.model, "prompt": options.prompt, "negative_prompt": options.negative_prompt,
                   "client_label": cap.label(options.operation)}
        self._set_state(job, "uploading")

        def layer_uploaded(blob_id, error):
            if error is not None:
                return self._fail(job, error)
            request["layer"] = wire.image_json(w, h, x, y, blob_id, cap.layout.wire_format)
            if cap.mask is None:
                return uploaded()
            job.calls.append(self.client.put_blob(cap.mask, mask_uploaded))

        def mask_uploaded(blob_id, error):
            if error is not None:
                return self._fail(job, error)
            mx, my, mw, mh = cap.mask_rect
            request["mask"] = wire.image_json(mw, mh, mx, my, blob_id)
            uploaded()

        def uploaded():
            job.timings["uploaded"] = self.clock()
            self._submit(job, request)

        job.calls.append(self.client.put_blob(cap.wire, layer_uploaded))

    def _submit(self, job, r):
        if job.finished:
            return
        try:
            body = wire.build_job_request(r["operation"], r["layer"], r.get("mask"), r["parameters"], r["seed"],
                                          r["engine"], r["prompt"], r["negative_prompt"], r["client_label"], r["model"])
        except BridgeError as e:
            return self._fail(job, e)
        self._set_state(job, "queued")
        job.calls.append(self.client.run_job(body, lambda e: self._event(job, e), lambda err: self._stream_done(job, err)))

    def _event(self, job, event):
        if job.finished:
            return
        data = event.data
        if event.job_id and not job.daemon_id:
            job.daemon_id = event.job_id
            if job.cancel_requested:
                return self.cancel(job)
        if event.kind == "queued":
            job.state, job.position = "queued", int(data.get("position") or 0)
        elif event.kind == "started":
            job.state = "running"
            job.engine, job.device = data.get("engine", ""), data.get("device", "")
            job.timings.setdefault("started", self.clock())
        elif event.kind == "progress":
            job.state = "running"
            job.fraction = float(data.get("fraction") or 0.0)
            job.stage = data.get("stage", "")
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
            job.timings["result"] = self.clock()
            provenance = data.get("provenance") or {}
            if provenance.get("seed") not in (None, ""):
                job.seed = wire.int64(provenance.get("seed"))
            job.model = provenance.get("model", "") or ""
            job.device = provenance.get("device", "") or job.device
            job.engine = provenance.get("engine", "") or job.engine
        self._update(job)

    def _stream_done(self, job, error):
        if job.finished:
            return
        if error is not None:
            return self._fail(job, error)
        self._download(job)

    def _download(self, job):
        result = job.result or {}
        if job.operation == "segment" or (result.get("mask") and not result.get("layer")):
            part, expect = result.get("mask") or {}, "mask"
        else:
            part, expect = result.get("layer") or {}, "layer"
        if not part:
            return self._fail(job, BridgeError("protocol", "The result has no %s." % expect))
        self._set_state(job, "downloading")

        def got(data, error):
            if error is not None:
                return self._fail(job, error)
            job.timings["downloaded"] = self.clock()
            self._place(job, expect, part, data)

        inline = part.get("data") or part.get("coverage")
        if part.get("blobId"):
            job.calls.append(self.client.get_blob(part["blobId"], got))
        elif inline:
            got(base64.b64decode(inline), None)
        else:
            self._fail(job, BridgeError("protocol", "The result's %s has neither blobId nor data." % expect))

    def _place(self, job, expect, part, data):
        if job.finished:
            return
        if self._document(job.doc_key) is None:
            return self._cancelled(job, "the document was closed")
        self._set_state(job, "placing")
        cap = job.capture
        rect = (int(part.get("offsetX") or 0), int(part.get("offsetY") or 0), int(part.get("width") or 0), int(part.get("height") or 0))
        if expect == "mask":
            return self._insert(job, expect, rect, data, None)
        fmt = part.get("format") or cap.layout.wire_format
        if fmt != cap.layout.wire_format:
            return self._fail(job, BridgeError("protocol", "The result is %s, but %s was sent." % (fmt, cap.layout.wire_format)))
        try:
            target = document.new_layer_layout(self._document(job.doc_key))
        except BridgeError as e:
            return self._fail(job, e)
        colorize = job.operation == "colorize"
        self._background(job, lambda: document.result_pixels(cap, rect, data, target, changed_only=not colorize),
                         lambda converted: self._insert(job, expect, rect, converted, target))

    def _insert(self, job, expect, rect, converted, target):
        """Back on the GUI thread: the result goes into the document (one undo step)."""
        doc = self._document(job.doc_key)
        if doc is None:
            return self._cancelled(job, "the document was closed")
        cap = job.capture
        try:
            if expect == "mask":
                document.set_selection(doc, rect, converted)
                job.layer_name = "selection"
                job.undo_steps = 1
            else:
                job.timings["converted"] = self.clock()
                pixels, changed = converted
                name = document.result_name(job.operation, job.seed)
                layer, layout = document.new_layer(doc, name)
                if (layout.model, layout.depth) != (target.model, target.depth):
                    raise BridgeError("input", "The image's colour space changed while the job ran; run it again.", hint="")
                colorize = job.operation == "colorize"
                if colorize:
                    placement = job.options.placement if cap.node_key else document.PLACE_TOP
                else:
                    placement = document.PLACE_ABOVE if cap.node_key else document.PLACE_TOP
                job.undo_steps, note = document.place_layer(doc, cap, layer, rect, pixels, placement)
                if placement == document.PLACE_ABOVE:
                    self._keep_source_active(job.doc_key, cap.node_key, document.node_key(layer))
                job.timings["inserted"] = self.clock()
                job.layer_name = name
                job.changed_pixels = changed
                if note:
                    self.tell(note, "info")
                if not changed and not colorize and job.operation != "generate":
                    self.tell("%s returned the selection unchanged: the new layer '%s' is empty." % (job.label, name), "warning")
            doc.waitForDone()
        except BridgeError as e:
            return self._fail(job, e)
        except Exception as e:  # Krita refused something: say so, never leave a half-done job
            log.exception("EditorBridge: placing the result failed")
            return self._fail(job, BridgeError("engine", "Placing the result failed: %s" % e, hint=""))
        now = self.clock()
        job.timings["placed"] = now
        self._finish_timings(job)
        job.state = "done"
        job.fraction = 1.0
        job.calls = []
        job.capture = None  # let go of the pixels
        if job.provenance_text():
            self.tell("%s done (%s, %s)." % (job.label, job.provenance_text(), job.engine or "engine unknown"), "info")
        self._update(job)
        self.jobs_changed.emit()

    def _keep_source_active(self, doc_key, source_key, result_key):
        """The next Fill should work on the source again, not on the mostly transparent result.
        Krita 5.1.5 activates an inserted layer from a queued signal, a few event-loop turns
        after ``addChildNode``: the source is made active again once that has happened, unless
        the painter picked another layer meanwhile."""
        def again():
            doc = self._document(doc_key)
            active = doc.activeNode() if doc is not None else None
            if active is not None and document.node_key(active) == result_key:
                document.keep_active(doc, source_key)

        later = getattr(self.client, "later", None)
        if later is None:
            return again()
        for delay_ms in self.reactivate_after_ms:
            later(delay_ms, again)

    def _finish_timings(self, job):
        t = job.timings
        provenance = (job.result or {}).get("provenance") or {}
        engine = provenance.get("timings") or {}
        t["engine_ms"] = float(engine.get("engineMs") or 0.0)
        t["daemon_total_ms"] = float(engine.get("totalMs") or 0.0)
        t["queued_ms"] = float(engine.get("queuedMs") or 0.0)
        t["click_to_layer_ms"] = (t["placed"] - t["click"]) * 1000.0
        t["overhead_ms"] = t["click_to_layer_ms"] - t["engine_ms"]
        if "captured" in t:
            t["capture_ms"] = (t["captured"] - t["click"]) * 1000.0
        if "uploaded" in t and "captured" in t:
            t["upload_ms"] = (t["uploaded"] - t["captured"]) * 1000.0
        if "result" in t and "uploaded" in t:
            t["job_ms"] = (t["result"] - t["uploaded"]) * 1000.0
        if "downloaded" in t and "result" in t:
            t["download_ms"] = (t["downloaded"] - t["result"]) * 1000.0
        if "downloaded" in t:
            t["place_ms"] = (t["placed"] - t["downloaded"]) * 1000.0
        if "converted" in t and "inserted" in t:
            t["convert_back_ms"] = (t["converted"] - t["downloaded"]) * 1000.0
            t["insert_ms"] = (t["inserted"] - t["converted"]) * 1000.0
            t["render_wait_ms"] = (t["placed"] - t["inserted"]) * 1000.0

    def _abort_calls(self, job):
        for call in job.calls:
            call.abort()
        job.calls = []

    def _fail(self, job, error):
        if job.finished:
            return
        if error.kind == "cancelled":
            return self._cancelled(job, "cancelled" if job.cancel_requested else error.message)
        self._abort_calls(job)
        job.state = "failed"
        job.error = error
        job.message = error.user_text()
        job.capture = None
        if error.kind == "unavailable" and hasattr(self.client, "mark_lost"):
            self.client.mark_lost(error)
        self.tell("%s failed: %s" % (job.label, error.user_text()), "error")
        self._update(job)
        self.jobs_changed.emit()

    def _cancelled(self, job, why):
        if job.finished:
            return
        self._abort_calls(job)
        job.state = "cancelled"
        job.message = why
        job.capture = None
        self.tell("%s cancelled: %s." % (job.label, why), "info")
        self._update(job)
        self.jobs_changed.emit()

    def cancel(self, job, why="cancelled"):
        """Stops a job: tells the daemon (when it has an id) and drops the connection."""
        if job.finished:
            return
        job.cancel_requested = True
        if job.daemon_id and self.client.state == "connected":
            self.client.cancel_job(job.daemon_id)
        self._cancelled(job, why)

    def cancel_all(self, doc_key=None, why="cancelled"):
        for job in list(self.jobs):
            if not job.finished and (doc_key is None or job.doc_key == doc_key):
                self.cancel(job, why)

    def prune_closed_documents(self):
        """Cancels the jobs of documents that are no longer open (called when an image or view closes)."""
        try:
            open_keys = {document.document_key(d) for d in self.app.documents()}
        except Exception:
            return
        for job in list(self.jobs):
            if not job.finished and job.doc_key is not None and job.doc_key not in open_keys:
                self.cancel(job, "the document was closed")

    def shutdown(self):
        self.cancel_all(why="Krita is closing")
