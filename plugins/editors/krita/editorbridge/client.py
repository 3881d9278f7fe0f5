"""HTTP/JSON client of the daemon over Qt's QNetworkAccessManager: asynchronous, no extra packages.

Role: *client*. The public side (:class:`DaemonClient`) lives on Krita's main thread and never
waits: every call takes callbacks and returns a :class:`Call` that can be aborted. The job stream
is read as it arrives (``readyRead``) and cut into NDJSON lines, so progress and previews show
while the job runs.

The QNetworkAccessManager itself lives in a network thread of its own (:mod:`transport` says why).

Connecting (:meth:`DaemonClient.connect_daemon`): read ``daemon.json`` and the token, ask
``GET /v1/info``; when nothing answers, start ``editorbridge serve --background`` detached and
poll until ``daemon.json`` names a live pid and GetInfo answers (or a timeout / early exit gives a
clear message).
"""

import itertools
import json
import os
import threading
import time

from PyQt5.QtCore import QCoreApplication, QObject, QProcess, QThread, QTimer, pyqtSignal, pyqtSlot
from PyQt5.QtNetwork import QNetworkReply

from . import discovery, studio, pull_wire, region_keeper, stream, wire
from .transport import Call, _Transport, network_error
from .wire import BridgeError

class DaemonClient(QObject):
    """The daemon as seen from Krita. ``state`` is "disconnected", "connecting", "starting", "connected" or "failed"."""

    stateChanged = pyqtSignal()
    _backgroundDone = pyqtSignal(int, object, object)

    def __init__(self, parent=None, daemon_path_setting=lambda: "", environ=None,
                 start_timeout=45.0, poll_interval_ms=250, request_timeout_ms=5000):
        QObject.__init__(self, parent)
        self._daemon_path_setting = daemon_path_setting
        self._environ = environ
        self.start_timeout = start_timeout
        self.poll_interval_ms = poll_interval_ms
        self.request_timeout_ms = request_timeout_ms
        self.state = "disconnected"
        self.error = None
        self.info = None
        self.discovery = None
        self.token = None
        self.started_pid = None
        self._waiters = []
        self.regions = region_keeper.RegionKeeper()  # the pixel region kept for the next job (shared memory)
        self._calls = {}  # number -> Call
        self._numbers = itertools.count(1)
        self._scheduled = []  # (due, callable) run by _tick
        self._ticker = QTimer(self)
        self._ticker.setInterval(25)
        self._ticker.timeout.connect(self._tick)
        self._thread = QThread()
        self._thread.setObjectName("EditorBridge network")
        self._transport = _Transport()
        self._transport.moveToThread(self._thread)
        self._transport.chunk.connect(self._on_chunk)
        self._transport.done.connect(self._on_done)
        self._thread.finished.connect(self._transport.deleteLater)
        self._background = {}  # number -> on_done
        self._backgroundDone.connect(self._on_background_done)
        self._thread.start()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close)

    def close(self):
        """Aborts every call and stops the network thread (Krita quitting, tests tearing down)."""
        self.regions.close()  # unmapped; the daemon frees it when the connection closes
        for call in list(self._calls.values()):
            call.abort()
        self._ticker.stop()
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait(3000)

    # --------------------------------------------------------------------------- pixel work

    def run_in_background(self, work, on_done):
        """Runs ``work()`` (pure Python, no Qt or Krita calls) in a worker thread; ``on_done(result,
        error)`` comes back on the GUI thread. Pixel conversions of a big float layer take seconds:
        there they do not freeze Krita."""
        number = next(self._numbers)
        self._background[number] = on_done

        def run():
            try:
                result, error = work(), None
            except Exception as e:  # handed to on_done on the GUI thread
                result, error = None, e
            self._backgroundDone.emit(number, result, error)

        threading.Thread(target=run, name="EditorBridge pixels", daemon=True).start()

    @pyqtSlot(int, object, object)
    def _on_background_done(self, number, result, error):
        on_done = self._background.pop(number, None)
        if on_done is not None:
            on_done(result, error)

    # --------------------------------------------------------------------------- scheduling

    def _after(self, delay_ms, fn):
        """Runs ``fn()`` on the GUI thread after ``delay_ms`` (and after the Qt events queued before it; one client-owned timer)."""
        self._scheduled.append((time.monotonic() + delay_ms / 1000.0, fn))
        if not self._ticker.isActive():
            self._ticker.start()
    later = _after

    def _tick(self):
        now = time.monotonic()
        due = [item for item in self._scheduled if item[0] <= now]
        self._scheduled = [item for item in self._scheduled if item[0] > now]
        for call in [c for c in self._calls.values() if c.deadline is not None and c.deadline <= now and not c.timed_out]:
            call.expire()
        for _, fn in due:
            fn()
        if not self._scheduled and not any(c.deadline is not None for c in self._calls.values()):
            self._ticker.stop()

    # --------------------------------------------------------------------------- connecting

    @property
    def state_folder(self):
        return discovery.state_dir(self._environ)

    def _set_state(self, state, error=None):
        if state != "connected":  # disconnected, reconnecting, lost: the kept pixel region goes
            stale = self.regions.close()
            if stale and self.state == "connected":
                self.release_region(stale)
        self.state = state
        self.error = error
        self.stateChanged.emit()

    def connect_daemon(self, on_done=None, autostart=True):
        """Finds (and when allowed starts) the daemon; ``on_done(error_or_None)`` once connected or failed."""
        if on_done is not None:
            self._waiters.append(on_done)
        if self.state in ("connecting", "starting"):
            return
        self._set_state("connecting")
        self._try_existing(lambda ok, err: self._after_first_try(ok, err, autostart))

    def _after_first_try(self, ok, error, autostart):
        if ok:
            return self._finish(None)
        if error is not None and error.kind not in ("unavailable",):
            return self._finish(error)
        if getattr(self, "remote", None) is not None:
            # a studio daemon is never started from here
            return self._finish(error or BridgeError("unavailable", "The studio daemon at %s does not answer." % self.remote.url,
                                                     hint="Check the address in the docker's Studio settings, or ask your admin."))
        if not autostart:
            return self._finish(error or BridgeError("unavailable", "The EditorBridge daemon is not running.",
                                                     hint="Start it with 'editorbridge serve' or click Reconnect."))
        self._start_daemon()

    def _try_existing(self, on_result):
        """``on_result(ok, error)``: ok when daemon.json + token (or the studio daemon this machine
        is set to use) lead to a daemon that answers GetInfo."""
        folder = self.state_folder
        try:
            remote, remote_token = studio.read(folder, self._environ)
        except BridgeError as e:
            return on_result(False, e)
        self.remote = remote
        self._transport.repin.emit(remote.fingerprint if remote is not None else None)
        if remote is not None:
            found, token = remote, remote_token
            self.discovery, self.token = found, token
            return self._ask_info(on_result)
        found = discovery.read_discovery(folder)
        if found is None or not discovery.pid_alive(found.pid):
            return on_result(False, None)
        try:
            token = discovery.read_token(folder)
        except BridgeError as e:
            return on_result(False, e)
        self.discovery, self.token = found, token
        self._ask_info(on_result)

    def _ask_info(self, on_result):
        def got(data, error):
            if error is None:
                self.info = wire.DaemonInfo(data)
                return on_result(True, None)
            if error.kind == "auth":
                return on_result(False, error)
            on_result(False, error if error.kind not in ("unavailable", "protocol") else None)

        self.get_json("/v1/info", got, timeout_ms=self.request_timeout_ms)

    def _start_daemon(self):
        try:
            program, base = discovery.daemon_command(self._daemon_path_setting() or "", self._environ)
        except BridgeError as e:
            return self._finish(e)
        folder = self.state_folder
        arguments = discovery.serve_arguments(base, folder)
        result = QProcess.startDetached(program, arguments, "")
        ok, pid = (result if isinstance(result, tuple) else (result, 0))
        if not ok:
            return self._finish(BridgeError("unavailable", "Could not start the daemon: %s %s." % (program, " ".join(arguments)),
                                            hint="Check the program path in the docker's settings, or run 'editorbridge serve' yourself."))
        self.started_pid = pid
        self._set_state("starting")
        deadline = time.monotonic() + self.start_timeout

        def poll():
            if self.state != "starting":
                return
            if pid and not discovery.pid_alive(pid) and discovery.read_discovery(folder) is None:
                return self._finish(BridgeError(
                    "unavailable", "The daemon exited while starting.",
                    hint="See %s, or run 'editorbridge serve' in a terminal to see why." % os.path.join(folder, "daemon.log")))

            def tried(ok, error):
                if self.state != "starting":
                    return
                if ok:
                    return self._finish(None)
                if error is not None and error.kind == "auth":
                    return self._finish(error)
                if time.monotonic() > deadline:
                    return self._finish(BridgeError(
                        "unavailable", "The daemon did not answer within %d s of starting." % self.start_timeout,
                        hint="See %s." % os.path.join(folder, "daemon.log")))
                self._after(self.poll_interval_ms, poll)

            self._try_existing(tried)

        self._after(self.poll_interval_ms, poll)

    def _finish(self, error):
        if error is None:
            self._set_state("connected")
        else:
            self.info = None
            self._set_state("failed", error)
        waiters, self._waiters = self._waiters, []
        for w in waiters:
            w(error)

    def mark_lost(self, error):
        """A call found the daemon gone: the next action reconnects (and restarts it)."""
        if self.state == "connected":
            self.info = None
            self._set_state("failed", error)

    # --------------------------------------------------------------------------- requests

    def _start(self, method, path, body=None, content_type=None, on_finished=None, on_chunk=None, timeout_ms=None):
        if self.discovery is None or self.token is None:
            raise BridgeError("unavailable", "Not connected to the daemon.")
        headers = {"Authorization": "Bearer " + self.token}
        if content_type:
            headers["Content-Type"] = content_type
        number = next(self._numbers)
        deadline = time.monotonic() + timeout_ms / 1000.0 if timeout_ms else None
        call = Call(self, number, on_finished, on_chunk, deadline)
        self._calls[number] = call
        if deadline is not None and not self._ticker.isActive():
            self._ticker.start()
        self._transport.send.emit(number, method, self.discovery.base_url + path, headers,
                                  bytes(body) if body is not None else None, on_chunk is not None)
        return call

    def _on_chunk(self, number, status, data):
        call = self._calls.get(number)
        if call is not None and not call.aborted and call.on_chunk is not None:
            call.on_chunk(call, status, data)

    def _on_done(self, number, outcome):
        call = self._calls.pop(number, None)
        if call is None or call.aborted:
            return
        call.done = True
        call.on_finished(call, outcome)

    def _simple(self, method, path, body, content_type, on_done, during, timeout_ms=None):
        """Calls ``on_done(body_bytes, error)`` once the request finishes (or times out)."""

        def finished(call, outcome):
            status = outcome["status"]
            if call.timed_out:
                return on_done(None, BridgeError("unavailable", "The daemon did not answer %s within %d s." % (during, timeout_ms // 1000)))
            if status is not None and status != 200:
                return on_done(None, wire.error_from_http(status, outcome["body"]))
            if outcome["error"] != QNetworkReply.NoError:
                return on_done(None, network_error(outcome["error"], outcome["error_text"], during))
            on_done(outcome["body"], None)

        try:
            return self._start(method, path, body, content_type, finished, timeout_ms=timeout_ms)
        except BridgeError as e:
            return self._failed_call(on_done, e)

    def _json_answer(self, path, on_done):
        def parsed(body, error):
            if error is not None:
                return on_done(None, error)
            try:
                on_done(json.loads(body.decode("utf-8")) if body.strip() else {}, None)
            except ValueError:
                on_done(None, BridgeError("protocol", "The daemon answered %s with something that is not JSON." % path))

        return parsed

    def get_json(self, path, on_done, timeout_ms=None):
        return self._simple("GET", path, None, None, self._json_answer(path, on_done), "GET " + path, timeout_ms)

    def post_json(self, path, obj, on_done, timeout_ms=None):
        return self._simple("POST", path, wire.encode(obj), "application/json", self._json_answer(path, on_done), "POST " + path, timeout_ms)

    def put_blob(self, data, on_done):
        """Uploads raw bytes; ``on_done(blob_id, error)``."""

        def parsed(body, error):
            if error is not None:
                return on_done(None, error)
            try:
                blob_id = json.loads(body.decode("utf-8"))["blobId"]
            except (ValueError, KeyError, TypeError):
                return on_done(None, BridgeError("protocol", "The daemon's answer to an upload has no blobId."))
            on_done(blob_id, None)

        return self._simple("POST", "/v1/blobs", data, "application/octet-stream", parsed, "the upload")

    def get_blob(self, blob_id, on_done):
        """Downloads a blob's raw bytes; ``on_done(bytes, error)``."""
        return self._simple("GET", "/v1/blobs/" + blob_id, None, None, on_done, "the download")

    def create_region(self, size, on_done):
        """Asks the daemon for a pixel region of ``size`` bytes; ``on_done(PixelRegion JSON, error)``.
        Refused (``error``) when the daemon is elsewhere or has shared memory off: upload blobs then."""
        if not self.shares_memory():
            return self._failed_call(on_done, BridgeError("unavailable", "shared memory is off on this daemon", hint=""))
        return self.post_json("/v1/regions", {"sizeBytes": str(int(size))}, on_done, timeout_ms=self.request_timeout_ms)

    def release_region(self, region_id, on_done=lambda body, error: None):
        """Frees a region now (a job that never ran); errors are ignored by default."""
        return self._simple("DELETE", "/v1/regions/" + region_id, None, None, on_done, "releasing a region",
                            timeout_ms=self.request_timeout_ms)

    def shares_memory(self):
        """The daemon is on this machine (discovery names loopback) and offers pixel regions."""
        return (self.info is not None and self.info.shared_memory and self.discovery is not None
                and self.discovery.base_url.startswith("http://127.0.0.1:"))

    def cancel_job(self, job_id, on_done=lambda result, error: None):
        return self.post_json("/v1/jobs/%s/cancel" % job_id, {}, on_done, timeout_ms=self.request_timeout_ms)

    def list_jobs(self, on_done):
        return self.get_json("/v1/jobs", on_done, timeout_ms=self.request_timeout_ms)

    def run_job(self, request, on_event, on_done):
        """Starts a job (``request``: the JobRequest JSON). ``on_event(JobEvent)`` for each streamed
        line as it arrives; ``on_done(error_or_None)`` once at the end (None only after a ``result``)."""
        reader = stream.StreamReader(wire.parse_event, on_event, "result", BridgeError(
            "unavailable", "The daemon ended the job without a result: it stopped or crashed."))
        return self._stream("/v1/jobs", request, reader, on_done, "the job")

    def _stream(self, path, body, reader, on_done, during):
        """POSTs ``body`` and reads the NDJSON answer with ``reader`` (a stream.StreamReader)."""
        def chunk(call, status, data):
            reader.closed = call.aborted
            reader.chunk(status, data)

        def finished(call, outcome):
            if call.aborted:
                return
            broken = None
            if outcome["error"] != QNetworkReply.NoError:
                broken = network_error(outcome["error"], outcome["error_text"], during)
            on_done(reader.finish(outcome["status"], outcome["body"], broken))

        try:
            return self._start("POST", path, wire.encode(body), "application/json", finished, chunk)
        except BridgeError as e:
            return self._failed_call(lambda _, err: on_done(err), e)

    # --------------------------------------------------------------------------- models

    def refresh_info(self, on_done=lambda error: None):
        """Reads GetInfo again (after a pull or import the engines describe themselves anew);
        ``on_done(error_or_None)`` once ``self.info`` is the new one."""

        def got(data, error):
            if error is None:
                self.info = wire.DaemonInfo(data)
                self.stateChanged.emit()
            on_done(error)

        return self.get_json("/v1/info", got, timeout_ms=self.request_timeout_ms)

    def list_catalog(self, on_done):
        """``on_done(list of CatalogModel JSON, error)``."""
        return self.get_json("/v1/catalog", lambda data, error: on_done(pull_wire.catalog_models(data) if error is None else None, error),
                             timeout_ms=self.request_timeout_ms)

    def pull_model(self, name, accept_licence, on_event, on_done):
        """Streams PullModel. ``on_event(PullEvent)`` for each progress / licence_needed / done line
        as it arrives; ``on_done(error_or_None)`` once at the end (None only after ``done``).
        Aborting the returned Call closes the stream: the daemon stops and keeps the bytes for a resume."""
        try:
            path, body = pull_wire.pull_request(name, accept_licence)
        except BridgeError as e:
            return self._failed_call(lambda _, err: on_done(err), e)
        return self._stream(path, body, pull_wire.PullStreamReader(on_event), on_done, "the download")

    def _failed_call(self, on_done, error):
        call = Call()
        call.done = True
        self._after(0, lambda: on_done(None, error))
        return call
