"""The network thread of the Qt client: a QNetworkAccessManager and its replies, reached only by signals.

Role: *client*. Qt moves request bodies in small pieces, one per turn of the owning thread's event
loop; on Krita's busy GUI thread a 16 MB layer took about 19 s to upload, in its own thread about
0.1 s. The two sides (:class:`client.DaemonClient` and :class:`_Transport`) talk only through queued
Qt signals carrying a call number, so no Python object is shared between threads and nothing Qt can
still call is a closure the cycle collector could free (closures connected to a reply's signal crash
Krita when the collector frees them): only bound methods of long-lived objects are connected.
"""

from PyQt5.QtCore import QByteArray, QObject, QUrl, pyqtSignal, pyqtSlot
from PyQt5.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest

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


def network_error(code, text, during=""):
    """A BridgeError for a request that failed below HTTP (connection refused, closed mid-stream, ...)."""
    where = (" during " + during) if during else ""
    if code == QNetworkReply.ConnectionRefusedError:
        return BridgeError("unavailable", "The daemon is not answering%s (connection refused)." % where)
    if code == QNetworkReply.RemoteHostClosedError:
        return BridgeError("unavailable", "The daemon closed the connection%s: it stopped or crashed." % where)
    if code == QNetworkReply.SslHandshakeFailedError:
        return BridgeError("auth", "The studio daemon's certificate was refused%s: %s." % (where, text),
                           hint="Check the fingerprint in the docker's Studio settings with your admin.")
    if code == QNetworkReply.OperationCanceledError:
        return BridgeError("cancelled", "Cancelled%s." % where, hint="")
    if code in _NETWORK_DOWN:
        return BridgeError("unavailable", "Lost the daemon%s: %s." % (where, text))
    return BridgeError("protocol", "Network error%s: %s." % (where, text))


class _Transport(QObject):
    """The QNetworkAccessManager and its replies, in the network thread. Only signals cross over."""

    send = pyqtSignal(int, str, str, object, object, bool)  # call, method, url, headers, body, streaming
    cancel = pyqtSignal(int)
    repin = pyqtSignal(object)  # the pinned fingerprint (or None) for the requests sent after it
    chunk = pyqtSignal(int, object, object)  # call, HTTP status (or None), bytes
    done = pyqtSignal(int, object)  # call, outcome dict

    def __init__(self):
        QObject.__init__(self)
        self._nam = None
        self._replies = {}  # call -> reply
        # the studio daemon's pinned certificate fingerprint (studio.pin_of form); None: the system's checks
        self.pin = None
        self.send.connect(self._send)
        self.cancel.connect(self._cancel)
        self.repin.connect(self._repin)

    # Decorated slots run in the thread the object lives in; a plain method would be called
    # through a proxy that stays in the thread that connected it (here: the main thread).
    @pyqtSlot(int, str, str, object, object, bool)
    def _send(self, number, method, url, headers, body, streaming):
        if self._nam is None:
            self._nam = QNetworkAccessManager(self)
            self._settle(self._nam)
        request = QNetworkRequest(QUrl(url))
        for name, value in headers.items():
            request.setRawHeader(name.encode("ascii"), value.encode("ascii"))
        request.setAttribute(QNetworkRequest.CacheLoadControlAttribute, QNetworkRequest.AlwaysNetwork)
        if method == "GET":
            reply = self._nam.get(request)
        elif method == "DELETE":
            reply = self._nam.deleteResource(request)
        else:
            reply = self._nam.post(request, QByteArray(body or b""))
        if url.startswith("https://"):
            reply.sslErrors.connect(self._ssl_errors)
            reply.encrypted.connect(self._encrypted)
        reply.setProperty("editorbridge_call", number)
        reply.setProperty("editorbridge_streaming", bool(streaming))
        self._replies[number] = reply
        if streaming:
            reply.readyRead.connect(self._ready)
        reply.finished.connect(self._finished)

    def _settle(self, nam):
        """Makes PyQt learn, here and now, that *nam* has no Python ``disconnectNotify``.

        A QNetworkAccessManager made from Python is PyQt's subclass: the first time Qt calls one of
        its virtual methods, PyQt takes the GIL to look for a Python override (then remembers there
        is none and never takes it again for that method). Qt calls ``disconnectNotify`` of the
        manager when a reply is destroyed, while it holds a signal-slot mutex: so the first reply's
        ``deleteLater`` waited for the GIL holding that mutex, while the GUI thread, holding the GIL,
        waited for the same mutex in a ``QLabel.setText`` (Qt shares a pool of such mutexes between
        all objects): Krita hung for good at the plugin's first request in some runs on a loaded
        machine (docs/krita.md). A disconnect made from Python calls
        ``disconnectNotify`` with the GIL already held and no mutex: after it, the manager's replies
        are destroyed without the GIL.
        """
        nam.finished.connect(self._settled)
        nam.finished.disconnect(self._settled)

    @pyqtSlot(QNetworkReply)
    def _settled(self, reply):
        pass

    @staticmethod
    def _status(reply):
        status = reply.attribute(QNetworkRequest.HttpStatusCodeAttribute)
        return int(status) if status is not None else None

    @pyqtSlot()
    def _ready(self):
        reply = self.sender()
        if reply is None:
            return
        if reply.isOpen():
            self.chunk.emit(reply.property("editorbridge_call"), self._status(reply), bytes(reply.readAll()))

    @pyqtSlot()
    def _finished(self):
        reply = self.sender()
        if reply is None:
            return
        number = reply.property("editorbridge_call")
        self._replies.pop(number, None)
        outcome = {"status": self._status(reply), "body": bytes(reply.readAll()) if reply.isOpen() else b"",
                   "error": int(reply.error()), "error_text": reply.errorString()}
        mismatch = reply.property("editorbridge_pin_mismatch")
        if mismatch:
            outcome["error"] = int(QNetworkReply.SslHandshakeFailedError)
            outcome["error_text"] = "the daemon's certificate has fingerprint %s, not the pinned %s" % (mismatch, self.pin)
        reply.deleteLater()
        self.done.emit(number, outcome)

    def _peer_pin(self, reply):
        from .studio import pin_of
        certificate = reply.sslConfiguration().peerCertificate()
        return pin_of(bytes(certificate.toDer())) if not certificate.isNull() else None

    @pyqtSlot("QList<QSslError>")
    def _ssl_errors(self, errors):
        # a self-signed studio certificate is fine when it is the pinned one, and only then
        reply = self.sender()
        if reply is None or self.pin is None:
            return
        presented = self._peer_pin(reply)
        if presented == self.pin:
            reply.ignoreSslErrors()
        else:  # the message names both fingerprints, not Qt's "self-signed certificate"
            reply.setProperty("editorbridge_pin_mismatch", presented or "none")

    @pyqtSlot()
    def _encrypted(self):
        # a certificate the system trusts must still be the pinned one: otherwise the token is not sent
        reply = self.sender()
        if reply is not None and self.pin is not None and self._peer_pin(reply) != self.pin:
            reply.setProperty("editorbridge_pin_mismatch", self._peer_pin(reply) or "none")
            reply.abort()

    @pyqtSlot(object)
    def _repin(self, pin):
        # a changed pin must be checked again: a kept-alive TLS connection would skip the handshake
        if pin != self.pin:
            self.pin = pin
            if self._nam is not None:
                self._nam.clearConnectionCache()

    @pyqtSlot(int)
    def _cancel(self, number):
        reply = self._replies.get(number)
        if reply is not None:
            reply.abort()  # finished follows, with OperationCanceledError


class Call:
    """One request in flight. ``abort()`` stops it; its callbacks are then not called."""

    def __init__(self, client=None, number=0, on_finished=None, on_chunk=None, deadline=None):
        self.client = client
        self.number = number
        self.on_finished = on_finished
        self.on_chunk = on_chunk
        self.deadline = deadline
        self.aborted = False
        self.done = False
        self.timed_out = False

    def expire(self):
        self.timed_out = True
        self.client._transport.cancel.emit(self.number)

    def abort(self):
        if self.done or self.aborted:
            return
        self.aborted = True
        if self.client is not None:
            self.client._calls.pop(self.number, None)
            self.client._transport.cancel.emit(self.number)
