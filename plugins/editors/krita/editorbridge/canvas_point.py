"""A point on the image from one click on Krita's canvas (Select Subject's "Pick point").

Role: *ui* (Qt). Krita 5.1's scripting API has no widget-to-image transform, so the click is read
by an event filter on the active view's canvas widget and mapped with what the API does give,
checked in Krita 5.1.5 against where known image pixels appear on the canvas (the integration
test clicks a painted marker):

    image = (widget position + scroll bar values) / effective zoom,
    effective zoom = Canvas.zoomLevel() * 72 / the document's resolution.

A rotated or mirrored canvas is refused with a message (reset the rotation first). The click is
consumed: the active tool does not paint or select with it.
"""

from PyQt5.QtCore import QEvent, QObject, Qt
from PyQt5.QtWidgets import QAbstractScrollArea, QMdiArea, QWidget

_CANVAS_CLASSES = ("KisOpenGLCanvas2", "KisQPainterCanvas")


def canvas_parts(window):
    """``(controller, canvas widget)`` of the window's active view, or ``(None, None)``."""
    mdi = window.qwindow().findChild(QMdiArea) if window is not None else None
    sub = mdi.currentSubWindow() if mdi is not None else None
    if sub is None:
        return None, None
    controller = next((a for a in sub.findChildren(QAbstractScrollArea)
                       if a.metaObject().className() == "KisCanvasController"), None)
    if controller is None:
        return None, None
    widget = next((w for w in controller.viewport().findChildren(QWidget)
                   if w.metaObject().className() in _CANVAS_CLASSES), None)
    return controller, widget


def effective_zoom(canvas, doc):
    resolution = float(doc.resolution() or 72)
    return canvas.zoomLevel() * 72.0 / resolution


def widget_to_image(controller, canvas, doc, x, y):
    """The image pixel under widget position (x, y); ValueError on a rotated or mirrored canvas."""
    if abs(canvas.rotation()) > 1e-6 or canvas.mirror():
        raise ValueError("the canvas is rotated or mirrored: reset its rotation and mirroring, then pick again")
    zoom = effective_zoom(canvas, doc)
    h, v = controller.horizontalScrollBar().value(), controller.verticalScrollBar().value()
    return int((x + h) / zoom), int((y + v) / zoom)


def image_to_widget(controller, canvas, doc, x, y):
    """The widget position of the centre of image pixel (x, y) (the inverse of :func:`widget_to_image`)."""
    zoom = effective_zoom(canvas, doc)
    h, v = controller.horizontalScrollBar().value(), controller.verticalScrollBar().value()
    return int((x + 0.5) * zoom - h), int((y + 0.5) * zoom - v)


class PointPicker(QObject):
    """Arms a one-shot click on the canvas; ``on_point((x, y) or None, message)`` says what came of it."""

    def __init__(self, parent=None):
        QObject.__init__(self, parent)
        self.widget = None
        self.on_point = None
        self._parts = None

    @property
    def armed(self):
        return self.widget is not None

    def arm(self, app, on_point):
        self.disarm()
        window = app.activeWindow()
        view = window.activeView() if window is not None else None
        doc = app.activeDocument()
        controller, widget = canvas_parts(window)
        if view is None or doc is None or widget is None:
            on_point(None, "Open an image first: the point is picked on its canvas.")
            return False
        self.widget, self.on_point, self._parts = widget, on_point, (controller, view.canvas(), doc)
        widget.installEventFilter(self)
        return True

    def disarm(self):
        if self.widget is not None:
            try:
                self.widget.removeEventFilter(self)
            except RuntimeError:  # the view was closed meanwhile
                pass
        self.widget, self._parts = None, None

    def eventFilter(self, watched, event):
        if watched is not self.widget or event.type() != QEvent.MouseButtonPress or event.button() != Qt.LeftButton:
            return False
        controller, canvas, doc = self._parts
        on_point = self.on_point
        self.disarm()
        try:
            point = widget_to_image(controller, canvas, doc, event.pos().x(), event.pos().y())
        except ValueError as e:
            on_point(None, "No point picked: %s." % e)
            return True
        if not (0 <= point[0] < doc.width() and 0 <= point[1] < doc.height()):
            on_point(None, "No point picked: the click was outside the image.")
            return True
        on_point(point, "")
        return True
