"""HTTP/JSON client of the daemon over Qt's QNetworkAccessManager: asynchronous, no extra packages.

Role: *client*. Everything here runs on the Qt main thread and never waits: each call takes
callbacks and returns a :class:`Call` that can be aborted. The job stream is read as it arrives
(``readyRead``) and cut into NDJSON lines, so progress and previews show while the job runs.

Connecting (:meth:`DaemonClient.connect_daemon`): read ``daemon.json`` and the token, ask
``GET /v1/info``; when nothing answers, start ``editorbridge serve --background`` detached and
poll until ``daemon.json`` names a live pid and GetInfo answers (or a timeout / early exit gives a
clear message).
"""

import os
import time

from PyQt5.QtCore import QByteArray, QObject, QProcess, QTimer, QUrl, pyqtSignal
from PyQt5.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest

from . import discovery, wire
from .wire import BridgeError

_NETWORK_DOWN = {
    QNetworkReply.ConnectionRefusedError,
    QNetworkReply.RemoteHostClosedError,
    QNetworkReply.HostNotFoundError,
    QNetworkReply.TimeoutError,
    QNetworkReply.TemporaryNetworkFailureError,
    QNetworkReply.NetworkSessionFailedError,
    QNetworkReply.UnknownNetworkError,
}


def network_error(reply, during=""):
    """A BridgeError for a reply that failed below HTTP (connection refused, closed mid-stream, ...)."""
    code = reply.error()
    text = reply.errorString()
    where = (" during " + during) if during else ""
    if code == QNetworkReply.ConnectionRefusedError:
        return BridgeError("unavailable", "The daemon is not answering%s (connection refused)." % where)
    if code == QNetworkReply.RemoteHostClosedError:
        return BridgeError("unavailable", "The daemon closed the connection%s: it stopped or crashed." % where)
    if code == QNetworkReply.OperationCanceledError:
        return BridgeError("cancelled", "Cancelled%s." % where, hint="")
    if code in _NETWORK_DOWN:
        return BridgeError("unavailable", "Lost the daemon%s: %s." % (where, text))
    return BridgeError("protocol", "Network error%s: %s." % (where, text))


class Call:
    """One request in flight. ``abort()`` stops it; its callbacks are then not called.

    Qt signals connect only to this object's bound methods, and the client keeps every live
    Call in a set: nothing Qt can still call is left to Python's cycle collector (closures
    connected straight to a reply's or a timer's signal crash Krita when the collector frees
    them while the reply is alive).
    """

    def __init__(self, client=None, reply=None, on_finished=None, on_ready=None, deadline=None):
        self.client = client
        self.reply = reply
        self.on_finished = on_finished
        self.on_ready = on_ready
        self.deadline = deadline
        self.aborted = False
        self.done = False
        self.timed_out = False
        if reply is not None:
            client._live.add(self)
            reply.finished.connect(self._finished)
            if on_ready is not None:
                reply.readyRead.connect(self._ready)

    def _ready(self):
        if not self.aborted and self.on_ready is not None:
            self.on_ready(self)

    def _finished(self):
        on_finished = self.on_finished
        self._release()
        if on_finished is not None and not self.aborted:
            on_finished(self)

    def _release(self):
        if self.done:
            return
        self.done = True
        reply = self.reply
        try:
            reply.finished.disconnect(self._finished)
            if self.on_ready is not None:
                reply.readyRead.disconnect(self._ready)
        except (TypeError, RuntimeError):
            pass
        reply.deleteLater()
        self.client._live.discard(self)
        self.on_finished = self.on_ready = None

    def expire(self):
        self.timed_out = True
        self.reply.abort()  # finished() follows at once, with OperationCanceledError

    def abort(self):
        if self.done or self.aborted:
            return
        self.aborted = True
        if self.reply is not None:
            self.reply.abort()
            if not self.done:
                self._release()


class DaemonClient(QObject):
    """The daemon as seen from Krita. ``state`` is "disconnected", "connecting", "starting", "connected" or "failed"."""

    stateChanged = pyqtSignal()

    def __init__(self, parent=None, daemon_path_setting=lambda: "", environ=None,
                 start_timeout=45.0, poll_interval_ms=250, request_timeout_ms=5000):
        QObject.__init__(self, parent)
        self._nam = QNetworkAccessManager(self)
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
        self._live = set()  # calls in flight (see Call)
        self._scheduled = []  # (due, callable) run by _tick
        self._ticker = QTimer(self)
        self._ticker.setInterval(25)
        self._ticker.timeout.connect(self._tick)

    def _after(self, delay_ms, fn):
        """Runs ``fn`` after ``delay_ms`` on the Qt event loop (one client-owned timer, see Call)."""
        self._scheduled.append((time.monotonic() + delay_ms / 1000.0, fn))
        if not self._ticker.isActive():
            self._ticker.start()

    def _tick(self):
        now = time.monotonic()
        due = [item for item in self._scheduled if item[0] <= now]
        self._scheduled = [item for item in self._scheduled if item[0] > now]
        for call in [c for c in self._live if c.deadline is not None and c.deadline <= now and not c.done]:
            call.expire()
        for _, fn in due:
            fn()
        if not self._scheduled and not any(c.deadline is not None for c in self._live):
            self._ticker.stop()

    # --------------------------------------------------------------------------- connecting

    @property
    def state_folder(self):
        return discovery.state_dir(self._environ)

    def _set_state(self, state, error=None):
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
        if not autostart:
            return self._finish(error or BridgeError("unavailable", "The EditorBridge daemon is not running.",
                                                     hint="Start it with 'editorbridge serve' or click Reconnect."))
        self._start_daemon()

    def _try_existing(self, on_result):
        """``on_result(ok, error)``: ok when daemon.json + token lead to a daemon that answers GetInfo."""
        folder = self.state_folder
        found = discovery.read_discovery(folder)
        if found is None or not discovery.pid_alive(found.pid):
            return on_result(False, None)
        try:
            token = discovery.read_token(folder)
        except BridgeError as e:
            return on_result(False, e)
        self.discovery, self.token = found, token

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

    def _request(self, path, content_type=None):
        if self.discovery is None or self.token is None:
            raise BridgeError("unavailable", "Not connected to the daemon.")
        request = QNetworkRequest(QUrl(self.discovery.base_url + path))
        request.setRawHeader(b"Authorization", b"Bearer " + self.token.encode("ascii"))
        if content_type:
            request.setHeader(QNetworkRequest.ContentTypeHeader, content_type)
        request.setAttribute(QNetworkRequest.CacheLoadControlAttribute, QNetworkRequest.AlwaysNetwork)
        return request

    def _send(self, reply, on_done, during, timeout_ms=None):
        """Calls ``on_done(body_bytes, error)`` once ``reply`` finishes (or times out)."""

        def finished(call):
            reply = call.reply
            body = bytes(reply.readAll())
            status = reply.attribute(QNetworkRequest.HttpStatusCodeAttribute)
            if call.timed_out:
                return on_done(None, BridgeError("unavailable", "The daemon did not answer %s within %d s." % (during, timeout_ms // 1000)))
            if status is not None and int(status) != 200:
                return on_done(None, wire.error_from_http(int(status), body))
            if reply.error() != QNetworkReply.NoError:
                return on_done(None, network_error(reply, during))
            on_done(body, None)

        deadline = time.monotonic() + timeout_ms / 1000.0 if timeout_ms else None
        call = Call(self, reply, finished, deadline=deadline)
        if deadline is not None and not self._ticker.isActive():
            self._ticker.start()
        return call

    def get_json(self, path, on_done, timeout_ms=None):
        try:
            reply = self._nam.get(self._request(path))
        except BridgeError as e:
            return self._failed_call(on_done, e)

        def parsed(body, error):
            if error is not None:
                return on_done(None, error)
            try:
                import json
                on_done(json.loads(body.decode("utf-8")), None)
            except ValueError:
                on_done(None, BridgeError("protocol", "The daemon answered %s with something that is not JSON." % path))

        return self._send(reply, parsed, "GET " + path, timeout_ms)

    def post_json(self, path, obj, on_done, timeout_ms=None):
        try:
            reply = self._nam.post(self._request(path, "application/json"), QByteArray(wire.encode(obj)))
        except BridgeError as e:
            return self._failed_call(on_done, e)

        def parsed(body, error):
            if error is not None:
                return on_done(None, error)
            import json
            try:
                on_done(json.loads(body.decode("utf-8")) if body.strip() else {}, None)
            except ValueError:
                on_done(None, BridgeError("protocol", "The daemon answered %s with something that is not JSON." % path))

        return self._send(reply, parsed, "POST " + path, timeout_ms)

    def put_blob(self, data, on_done):
        """Uploads raw bytes; ``on_done(blob_id, error)``."""
        try:
            reply = self._nam.post(self._request("/v1/blobs", "application/octet-stream"), QByteArray(bytes(data)))
        except BridgeError as e:
            return self._failed_call(on_done, e)

        def parsed(body, error):
            if error is not None:
                return on_done(None, error)
            import json
            try:
                blob_id = json.loads(body.decode("utf-8"))["blobId"]
            except (ValueError, KeyError, TypeError):
                return on_done(None, BridgeError("protocol", "The daemon's answer to an upload has no blobId."))
            on_done(blob_id, None)

        return self._send(reply, parsed, "the upload")

    def get_blob(self, blob_id, on_done):
        """Downloads a blob's raw bytes; ``on_done(bytes, error)``."""
        try:
            reply = self._nam.get(self._request("/v1/blobs/" + blob_id))
        except BridgeError as e:
            return self._failed_call(on_done, e)
        return self._send(reply, on_done, "the download")

    def cancel_job(self, job_id, on_done=lambda result, error: None):
        return self.post_json("/v1/jobs/%s/cancel" % job_id, {}, on_done, timeout_ms=self.request_timeout_ms)

    def list_jobs(self, on_done):
        return self.get_json("/v1/jobs", on_done, timeout_ms=self.request_timeout_ms)

    def run_job(self, request, on_event, on_done):
        """Starts a job. ``on_event(JobEvent)`` for each streamed line as it arrives;
        ``on_done(error_or_None)`` once at the end (None only after a ``result`` event)."""
        try:
            reply = self._nam.post(self._request("/v1/jobs", "application/json"), QByteArray(wire.encode(request)))
        except BridgeError as e:
            return self._failed_call(lambda _, err: on_done(err), e)
        splitter = wire.NdjsonSplitter()
        state = {"result": False, "error": None, "ended": False}

        def end(call, error):
            if state["ended"] or call.aborted:
                return
            state["ended"] = True
            on_done(error)

        def handle(call, lines):
            for line in lines:
                if call.aborted or state["ended"]:
                    return
                try:
                    event = wire.parse_event(line)
                except BridgeError as e:
                    state["error"] = e
                    continue
                if event.kind in ("error", "status"):
                    state["error"] = state["error"] or wire.event_error(event)
                    continue
                if event.kind == "result":
                    state["result"] = True
                on_event(event)

        def ready_read(call):
            if call.reply.attribute(QNetworkRequest.HttpStatusCodeAttribute) not in (None, 200):
                return  # a refusal: its JSON body is read whole in finished()
            handle(call, splitter.feed(bytes(call.reply.readAll())))

        def finished(call):
            reply = call.reply
            status = reply.attribute(QNetworkRequest.HttpStatusCodeAttribute)
            if status is not None and int(status) != 200:
                return end(call, wire.error_from_http(int(status), bytes(reply.readAll())))
            handle(call, splitter.feed(bytes(reply.readAll())) + splitter.finish())
            if state["error"] is not None:
                return end(call, state["error"])
            if reply.error() != QNetworkReply.NoError:
                return end(call, network_error(reply, "the job"))
            if not state["result"]:
                return end(call, BridgeError("unavailable", "The daemon ended the job without a result: it stopped or crashed."))
            end(call, None)

        return Call(self, reply, finished, on_ready=ready_read)

    def _failed_call(self, on_done, error):
        call = Call()
        call.done = True
        self._after(0, lambda: on_done(None, error))
        return call
