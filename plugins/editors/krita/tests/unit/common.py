"""Import paths for the unit tests: the plugin package and the stand-in ``krita`` module."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PLUGIN_ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
STANDIN = os.path.normpath(os.path.join(HERE, "..", "standin"))
for path in (STANDIN, PLUGIN_ROOT, HERE):
    if path not in sys.path:
        sys.path.insert(0, path)


def have_pyqt5():
    try:
        import PyQt5.QtCore  # noqa: F401
        import PyQt5.QtNetwork  # noqa: F401
        return True
    except ImportError:
        return False


_app = []


def qt_app():
    """One QApplication for the Qt tests (offscreen, no display needed)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PyQt5.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(["editorbridge-tests"])
    _app.append(app)
    return app


def spin(condition, timeout=10.0):
    """Runs the Qt event loop until ``condition()`` is true; False on timeout.

    It also runs Python's cycle collector on every turn: anything Qt can still call must stay
    reachable (a collected slot crashes the process, as it would crash Krita).
    """
    import gc
    import time
    from PyQt5.QtCore import QCoreApplication, QEventLoop
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        gc.collect()
        QCoreApplication.processEvents(QEventLoop.AllEvents, 20)
        time.sleep(0.002)
    return condition()


def build_request(operation, layer, mask=None, parameters=None, seed=None, engine="", prompt="",
                  negative_prompt="", client_label="", model=""):
    """A JobRequest's JSON from keyword arguments (layer/mask: request.ImageRef)."""
    from editorbridge.request import JobRequest
    return JobRequest(operation, parameters, seed, engine, model, prompt, negative_prompt, client_label, layer, mask).to_json()


import logging  # noqa: E402

# The plugin logs every refusal (Krita shows it in its log); keep test output quiet.
logging.getLogger("editorbridge").addHandler(logging.NullHandler())
logging.getLogger("editorbridge").propagate = False
