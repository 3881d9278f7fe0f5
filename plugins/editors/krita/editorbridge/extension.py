"""Wiring inside Krita: the docker factory, the menu actions, and the session hooks.

The session's one model lives in :mod:`session`, which both this module and the docker (:mod:`ui`)
import: neither imports the other.

Closing a document (or its last view) cancels that document's jobs; closing Krita cancels all.
"""

import logging
import sys

from krita import DockWidgetFactory, DockWidgetFactoryBase, Extension, Krita
from PyQt5.QtCore import QTimer

from .session import get_model

DOCKER_ID = "editorbridge_docker"

def _setup_logging():
    logger = logging.getLogger("editorbridge")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(name)s %(levelname)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


class EditorBridgeExtension(Extension):
    def __init__(self, parent):
        Extension.__init__(self, parent)

    def setup(self):
        _setup_logging()
        notifier = Krita.instance().notifier()
        notifier.setActive(True)
        # Qt calls only bound methods of this long-lived object (see client.Call).
        notifier.imageClosed.connect(self._document_closed)
        notifier.viewClosed.connect(self._document_closed)
        notifier.applicationClosing.connect(self._closing)
        self._prune_timer = QTimer(self)
        self._prune_timer.setSingleShot(True)
        self._prune_timer.timeout.connect(self._prune)

    def _document_closed(self, *args):
        # Deferred: while these signals run, the closing document is still listed.
        self._prune_timer.start(0)

    def _prune(self):
        get_model().prune_closed_documents()

    def _closing(self):
        get_model().shutdown()

    def createActions(self, window):
        action = window.createAction("editorbridge_fill", "EditorBridge: Fill Selection", "tools/scripts")
        action.setToolTip("Fill the selection with EditorBridge, with the docker's settings")
        action.triggered.connect(self._fill_selection)
        generate = window.createAction("editorbridge_generate", "EditorBridge: Generate Layer", "tools/scripts")
        generate.setToolTip("Paint a new layer (the canvas, or the selection's bounds) from the docker's prompt")
        generate.triggered.connect(self._generate)

    def _fill_selection(self, *args):
        get_model().run_operation("fill")


    def _generate(self, *args):
        get_model().run_operation("generate")


_keep = []  # the extension and factory stay reachable from Python for the whole session


def register():
    from .ui import EditorBridgeDocker

    app = Krita.instance()
    extension = EditorBridgeExtension(app)
    factory = DockWidgetFactory(DOCKER_ID, DockWidgetFactoryBase.DockRight, EditorBridgeDocker)
    _keep.extend([extension, factory])
    app.addExtension(extension)
    app.addDockWidgetFactory(factory)
