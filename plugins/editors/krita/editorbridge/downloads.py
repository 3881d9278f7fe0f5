"""The Models dialog's state: the installed models, the daemon's catalog, and one download at a time.

Role: *model*. Pure Python (no Qt): it talks to the client (``client.DaemonClient`` in Krita, a
fake in the unit tests) through callbacks, and asks the painter through ``ask_licence`` (the
dialog shows a yes/no question; the tests answer it).

A download: *asking* (the catalog says the licence must be accepted: licence id and URL shown,
yes/no) -> *downloading* (PullModel streamed: bytes, speed, time left) -> *installed* (GetInfo is
read again so the docker offers the new model); or *cancelled* (the stream is closed: the daemon
keeps the bytes and the next download resumes), *declined*, *failed*. When the daemon itself
answers ``licence_needed`` (the catalog changed meanwhile) the question is asked then, and a yes
pulls again with ``accept_licence``.
"""

from . import pull_wire, wire
from .wire import BridgeError


class ModelRow:
    """One line of the dialog: an installed model, a catalog model, or both."""

    __slots__ = ("name", "kind", "size_bytes", "licence_id", "licence_url", "licence_requires_acceptance",
                 "installed", "in_catalog", "version")

    def __init__(self, name):
        self.name = name
        self.kind = ""
        self.size_bytes = 0
        self.licence_id = ""
        self.licence_url = ""
        self.licence_requires_acceptance = False
        self.installed = False
        self.in_catalog = False
        self.version = ""

    def take(self, data):
        self.kind = data.get("kind", "") or self.kind
        self.size_bytes = wire.int64(data.get("sizeBytes")) or self.size_bytes
        self.licence_id = data.get("licenceId", "") or self.licence_id
        self.licence_url = data.get("licenceUrl", "") or self.licence_url
        self.licence_requires_acceptance = self.licence_requires_acceptance or bool(data.get("licenceRequiresAcceptance"))
        self.version = data.get("installedVersion") or data.get("version") or self.version


def model_rows(installed, catalog):
    """Rows for the installed models (GetInfo's ModelInfo list) and the catalog (CatalogModel list):
    catalog order first, then installed models the catalog does not know, by name."""
    rows = {}
    order = []
    for entry in catalog or []:
        row = rows.setdefault(entry.get("name", ""), ModelRow(entry.get("name", "")))
        if row.name not in order:
            order.append(row.name)
        row.take(entry)
        row.in_catalog = True
        row.installed = row.installed or bool(entry.get("installed"))
    for entry in sorted(installed or [], key=lambda m: m.get("name", "")):
        row = rows.setdefault(entry.get("name", ""), ModelRow(entry.get("name", "")))
        if row.name not in order:
            order.append(row.name)
        row.take(entry)
        row.installed = True
    return [rows[name] for name in order]


class Download:
    """One PullModel: its state and the last progress the daemon sent."""

    def __init__(self, name):
        self.name = name
        self.state = "starting"  # asking, downloading, installed, cancelled, declined, failed
        self.accepted = False
        self.bytes_done = 0
        self.bytes_total = 0
        self.bytes_per_second = 0.0
        self.seconds_left = -1.0
        self.file = ""
        self.error = None
        self.already_installed = False
        self.first_use_hashes = []
        self.licence = None  # the LicenceNeeded JSON, when the daemon asked
        self.call = None

    @property
    def finished(self):
        return self.state in ("installed", "cancelled", "declined", "failed")

    @property
    def fraction(self):
        return min(1.0, self.bytes_done / float(self.bytes_total)) if self.bytes_total > 0 else 0.0

    def text(self):
        if self.state == "downloading" and self.bytes_total > 0:
            return "%s: %s" % (self.name, pull_wire.progress_text(self._progress_event()))
        if self.state == "installed":
            extra = " (it was installed already)" if self.already_installed else ""
            if self.first_use_hashes:
                extra += "; the publisher gives no checksum for %d file(s): their SHA-256 was recorded now" % len(self.first_use_hashes)
            return "%s is installed%s." % (self.name, extra)
        if self.state == "cancelled":
            return "%s: download cancelled; the part downloaded is kept, Download resumes it." % self.name
        if self.state == "declined":
            return "%s: not downloaded (the licence was not accepted)." % self.name
        if self.state == "failed":
            return "%s: %s" % (self.name, self.error.user_text() if self.error else "failed")
        if self.state == "asking":
            return "%s: waiting for the licence to be accepted." % self.name
        return "%s: starting the download..." % self.name

    def _progress_event(self):
        return pull_wire.PullEvent("progress", {"bytesDone": self.bytes_done, "bytesTotal": self.bytes_total,
                                           "bytesPerSecond": self.bytes_per_second, "secondsLeft": self.seconds_left})


class ModelLibrary:
    """What the Models dialog shows and does. ``changed(download_or_None)`` after every change;
    ``ask_licence(name, licence_id, licence_url) -> bool`` asks the painter."""

    def __init__(self, client, ask_licence, changed=lambda download: None):
        self.client = client
        self.ask_licence = ask_licence
        self.changed = changed
        self.catalog = []
        self.catalog_error = None
        self.download = None

    # ------------------------------------------------------------------ listing

    def installed(self):
        info = self.client.info
        return info.models if info is not None else []

    def rows(self):
        return model_rows(self.installed(), self.catalog)

    def row(self, name):
        return next((r for r in self.rows() if r.name == name), None)

    def reload(self):
        """GetInfo again (models imported meanwhile, e.g. with 'editorbridge models import'), then the catalog."""
        self.client.refresh_info(lambda error: self.load_catalog())

    def load_catalog(self, on_done=lambda error: None):
        def got(models, error):
            self.catalog, self.catalog_error = (models or []) if error is None else self.catalog, error
            self.changed(None)
            on_done(error)

        return self.client.list_catalog(got)

    # ------------------------------------------------------------------ downloading

    @property
    def busy(self):
        return self.download is not None and not self.download.finished

    def pull(self, name):
        """Starts downloading catalog model ``name``: asks for the licence first when it needs acceptance."""
        if self.busy:
            raise BridgeError("precondition", "%s is downloading: wait or cancel it first." % self.download.name, hint="")
        download = self.download = Download(name)
        row = self.row(name)
        if row is not None and row.licence_requires_acceptance:
            if not self._ask(download, name, row.licence_id, row.licence_url):
                return download
        self._start(download)
        return download

    def _ask(self, download, name, licence_id, licence_url):
        download.state = "asking"
        self.changed(download)
        download.accepted = bool(self.ask_licence(name, licence_id or "unknown", licence_url or ""))
        if not download.accepted:
            download.state = "declined"
            self.changed(download)
        return download.accepted

    def _start(self, download):
        download.state = "downloading"
        download.licence = None
        self.changed(download)
        download.call = self.client.pull_model(download.name, download.accepted,
                                               lambda event: self._event(download, event),
                                               lambda error: self._ended(download, error))

    def _event(self, download, event):
        if download.finished:
            return
        if event.kind == "progress":
            download.bytes_done, download.bytes_total = event.bytes_done, event.bytes_total
            download.bytes_per_second, download.seconds_left = event.bytes_per_second, event.seconds_left
            download.file = event.data.get("file", "")
        elif event.kind == "licence_needed":
            download.licence = event.data
        elif event.kind == "done":
            download.already_installed = bool(event.data.get("alreadyInstalled"))
            download.first_use_hashes = list(event.data.get("firstUseHashes") or [])
            download.bytes_done = download.bytes_total or download.bytes_done
        self.changed(download)

    def _ended(self, download, error):
        if download.finished:
            return
        licence = download.licence
        if error is not None and licence is not None and not download.accepted:
            if self._ask(download, download.name, licence.get("licenceId"), licence.get("licenceUrl")):
                self._start(download)
            return
        if error is not None:
            download.state, download.error = "failed", error
            self.changed(download)
            return
        download.state = "installed"
        self.changed(download)
        self.client.refresh_info(lambda error: self.changed(download))

    def cancel(self):
        """Closes the download's stream: the daemon stops and keeps what it has for a resume."""
        download = self.download
        if download is None or download.finished:
            return
        if download.call is not None:
            download.call.abort()
        download.state = "cancelled"
        self.changed(download)
