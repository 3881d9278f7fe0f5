"""A real HTTP server (``FakeDaemonServer``) speaking the JSON side of the contract for the client
tests, with the fake engine of :mod:`fakedaemon`. Run as a program
(``fakeserver.py serve --background --state-dir DIR``) it behaves like ``editorbridge serve``: writes
``token`` and ``daemon.json`` and serves until killed.
"""

import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fakedaemon import CATALOG, TOKEN, fake_result, load_info, pull_lines


class FakeDaemonServer(ThreadingHTTPServer):
    """Serves the JSON side of the contract on 127.0.0.1. Knobs: ``event_delay`` (seconds between
    streamed events), ``drop_mid_stream`` (close the connection after the first events),
    ``fail_with`` (a last ``{"code","message"}`` line instead of a result)."""

    daemon_threads = True

    def __init__(self, token=TOKEN, info=None):
        ThreadingHTTPServer.__init__(self, ("127.0.0.1", 0), _Handler)
        self.token = token
        self.info = info if info is not None else load_info()
        self.blobs = {}
        self.event_delay = 0.0
        self.drop_mid_stream = False
        self.fail_with = None
        self.requests = []
        self.pulls = []
        self.cut_pull = False
        self.cancelled = []
        self.stream_times = []
        self.connections = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self):
        return self.server_address[1]

    def start(self):
        self.thread.start()
        return self

    def process_request(self, request, client_address):
        self.connections.append(request)
        ThreadingHTTPServer.process_request(self, request, client_address)

    def stop(self):
        """Stops like a killed daemon: the port closes and every open connection drops."""
        self.shutdown()
        self.server_close()
        for connection in self.connections:
            try:
                connection.shutdown(2)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _json(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _refuse(self, status, code, message, field=""):
        details = [{"@type": "type.googleapis.com/google.rpc.BadRequest",
                    "fieldViolations": [{"field": field, "description": message}]}] if field else []
        self._json(status, {"code": code, "message": message, "details": details})

    def _authorized(self):
        if self.headers.get("Authorization") != "Bearer " + self.server.token:
            self._refuse(401, 16, "authorization: missing or wrong token")
            return False
        if self.headers.get("Origin") is not None:
            self._refuse(403, 7, "origin: not allowed")
            return False
        return True

    def _body(self):
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self):
        if not self._authorized():
            return
        if self.path == "/v1/info":
            return self._json(200, self.server.info)
        if self.path.startswith("/v1/blobs/"):
            blob = self.server.blobs.get(self.path[len("/v1/blobs/"):])
            if blob is None:
                return self._refuse(404, 5, "blob_id: no blob", "blob_id")
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(blob)))
            self.end_headers()
            self.wfile.write(blob)
            return
        if self.path == "/v1/jobs":
            return self._json(200, {"jobs": []})
        if self.path == "/v1/catalog":
            return self._json(200, CATALOG)
        self._refuse(404, 5, "no route")

    def do_POST(self):
        body = self._body()
        if not self._authorized():
            return
        if self.path == "/v1/blobs":
            if not body:
                return self._refuse(400, 3, "content: empty body; send the raw bytes", "content")
            blob_id = "blob-%d" % (len(self.server.blobs) + 1)
            self.server.blobs[blob_id] = body
            return self._json(200, {"blobId": blob_id, "sizeBytes": str(len(body)), "expiresUnixMs": "0"})
        if self.path.startswith("/v1/models/") and self.path.endswith("/pull"):
            request = json.loads(body)
            self.server.pulls.append(request)
            try:
                return self._pull(request)
            except (BrokenPipeError, ConnectionResetError):
                return  # the client closed the stream (Cancel)
        if self.path.endswith("/cancel"):
            self.server.cancelled.append(self.path.split("/")[3])
            return self._json(200, {"state": "JOB_STATE_CANCELLED"})
        if self.path == "/v1/jobs":
            request = json.loads(body)
            self.server.requests.append(request)
            if request.get("operation") not in [op["name"] for e in self.server.info["engines"] for op in e["operations"]]:
                return self._refuse(400, 9, "operation: no installed engine offers '%s'" % request.get("operation"), "operation")
            try:
                return self._stream(request)
            except (BrokenPipeError, ConnectionResetError):
                return  # the client went away (aborted or cancelled)
        self._refuse(404, 5, "no route")

    def _chunked(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def _send_line(self, obj):
        line = json.dumps(obj).encode() + b"\n"
        self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
        self.wfile.flush()

    def _pull(self, request):
        """PullModel: ``pull_lines``; ``cut_pull`` drops the connection after the progress lines;
        ``event_delay`` between lines (the client may close the stream meanwhile)."""
        self._chunked()
        lines = pull_lines(request["name"], request.get("acceptLicence", False), fail=self.server.fail_with)
        for obj in lines:
            if self.server.cut_pull and "progress" not in obj:
                self.close_connection = True
                self.connection.shutdown(2)
                return
            self._send_line(obj)
            time.sleep(self.server.event_delay)
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _stream(self, request):
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def send(obj):
            line = json.dumps(obj).encode() + b"\n"
            self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
            self.wfile.flush()
            self.server.stream_times.append(time.monotonic())

        job_id = "job-%d" % len(self.server.requests)
        send({"jobId": job_id, "started": {"engine": "fake", "device": "cpu"}})
        for step in range(3):
            time.sleep(self.server.event_delay)
            send({"jobId": job_id, "progress": {"step": step, "total": 3, "fraction": step / 3.0, "stage": "filling"}})
        if self.server.drop_mid_stream:
            self.close_connection = True
            self.wfile.flush()
            self.connection.shutdown(2)
            return
        if self.server.fail_with is not None:
            code, message = self.server.fail_with
            send({"jobId": job_id, "error": {"code": code, "message": message, "field": ""}})
            send({"code": code, "message": message, "details": []})
        else:
            result, data = fake_result(request, self.server.blobs)
            part = result.get("layer") or result.get("mask")
            part["blobId"] = "result-%d" % len(self.server.requests)
            self.server.blobs[part["blobId"]] = data
            time.sleep(self.server.event_delay)
            send({"jobId": job_id, "result": result})
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def main(argv):
    """``fakedaemon.py serve --background --state-dir DIR``: a stand-in for ``editorbridge serve``."""
    folder = argv[argv.index("--state-dir") + 1]
    if os.environ.get("FAKE_DAEMON_EXIT"):
        sys.exit(int(os.environ["FAKE_DAEMON_EXIT"]))
    os.makedirs(folder, exist_ok=True)
    server = FakeDaemonServer()
    time.sleep(float(os.environ.get("FAKE_DAEMON_DELAY", "0")))
    with open(os.path.join(folder, "token"), "w") as f:
        f.write(TOKEN)
    with open(os.path.join(folder, "daemon.json.tmp"), "w") as f:
        json.dump({"grpc_port": 1, "http_port": server.port, "pid": os.getpid(), "version": "fake", "started_unix_ms": 0}, f)
    os.replace(os.path.join(folder, "daemon.json.tmp"), os.path.join(folder, "daemon.json"))
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
