"""The session: the daemon connection, the settings, and the jobs the painter started.

Role: *model*. Pure Python (no Qt import): it talks to a client object (``client.DaemonClient``
in Krita, a fake in the unit tests) through callbacks, and to Krita through ``krita.Krita``.
The docker (``ui``) only reads this state and calls :meth:`BridgeModel.run` / :meth:`cancel`.
Each job is a :class:`jobs.Job`; :class:`pipeline.JobRunner` moves it from click to result.
"""

import logging
import random
import time

from . import document
from .jobs import ACTIVE_STATES, FINAL_STATES, Batch, Job, JobOptions, JobState  # noqa: F401 (re-exported)
from .pipeline import JobRunner
from .wire import OPERATION_LABELS

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
        self.reactivate_after_ms = (0, 250, 1000)  # see JobRunner.keep_source_active
        self.runner = JobRunner(self)
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

    def document(self, key):
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
        """Starts ``options.count`` jobs for the active document (seeds s, s+1, ... when more than
        one); returns the first Job (its state says how it went; ``job.batch`` holds the others)."""
        self.last_options = options
        doc = self.app.activeDocument()
        node = doc.activeNode() if doc is not None else None
        # Only keys are kept while waiting: a libkis Node keeps its image alive, and an image
        # that outlives its closed document crashes Krita 5.1 when the wrapper is freed.
        doc_key = document.document_key(doc) if doc is not None else None
        node_key = document.node_key(node) if node is not None else None
        del doc, node
        if options.count > 1:
            first = options.seed if options.seed is not None else random.randrange(2 ** 31)
            batch = Batch(options, first)
            batch.jobs = [Job(options.copy(seed=first + i), batch) for i in range(options.count)]
            new = batch.jobs
        else:
            new = [Job(options)]
        clicked = self.clock()
        for job in new:
            job.timings["click"] = clicked
            job.doc_key, job.node_key = doc_key, node_key
        self.jobs.extend(new)
        self._trim()
        self.jobs_changed.emit()
        if self.client.state == "connected" and self.client.info is not None:
            for job in new:
                self.runner.prepare(job)
        else:
            for job in new:
                job.message = "waiting for the daemon"
                self.update(job)

            def connected(error):
                for job in new:
                    if job.finished:
                        continue
                    if error is not None:
                        self.runner.fail(job, error)
                    else:
                        self.runner.prepare(job)

            self.connect(connected)
        return new[0]

    def run_operation(self, operation):
        """A menu action: ``operation`` with the docker's last settings (its model, inputs and
        point only when that run was the same operation: another operation's would not serve this one)."""
        last = self.last_options
        same = last.operation == operation
        return self.run(last.copy(operation=operation, model=last.model if same else "",
                                  inputs=last.inputs if same else {}, point=last.point if same else None,
                                  parameters=last.parameters if same else {}))

    def _trim(self):
        finished = [j for j in self.jobs if j.finished]
        for j in finished[:max(0, len(finished) - self.max_finished_jobs)]:
            self.jobs.remove(j)

    def update(self, job):
        self.job_updated.emit(job)

    def cancel(self, job, why="cancelled"):
        """Stops a job: tells the daemon (when it has an id) and drops the connection."""
        if job.finished:
            return
        job.cancel_requested = True
        if job.daemon_id and self.client.state == "connected":
            self.client.cancel_job(job.daemon_id)
        self.runner.cancelled(job, why)

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
