"""A layer picker per extra picture the operation takes (hints, reference, object, control layers:
line art, scribble and depth guides for the diffusion engine's ControlNets), and Select
Subject's point picker.

Role: *ui* (widgets only). Which pickers show comes from GetInfo (``OperationInfo.inputs``); the
layers listed are the active document's, read again each time a list opens. The choice is kept
per operation and input.
"""

from PyQt5.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QToolButton, QWidget

from .canvas_point import PointPicker

_LAYER_TYPES = ("paintlayer", "grouplayer", "vectorlayer", "filelayer", "clonelayer", "filllayer")


def document_layers(doc):
    """``(name, key)`` of every layer of ``doc``, top first, group members indented."""
    from .document import node_key
    out = []

    def walk(node, depth):
        for child in reversed(node.childNodes()):
            if child.type() in _LAYER_TYPES:
                out.append(("  " * depth + child.name(), node_key(child)))
            walk(child, depth + 1)

    if doc is not None:
        walk(doc.rootNode(), 0)
    return out


def input_label(name):
    """The picker's label: 'Hints layer', 'Object layer'; control layers (``control_TYPE``) 'Scribble guide'."""
    if name.startswith("control_"):
        kind = name[len("control_"):]
        return {"lineart": "Line art", "depth": "Depth"}.get(kind, kind.capitalize()) + " guide"
    return name.capitalize() + " layer"


class LayerCombo(QComboBox):
    """'None' and the active document's layers, listed anew whenever the list opens."""

    def __init__(self, app_getter, parent=None):
        QComboBox.__init__(self, parent)
        self.app_getter = app_getter
        self.refresh()

    def refresh(self, keep=None):
        keep = self.currentData() if keep is None else keep
        self.blockSignals(True)
        self.clear()
        self.addItem("None", "")
        try:
            doc = self.app_getter().activeDocument()
        except Exception:
            doc = None
        for name, key in document_layers(doc):
            self.addItem(name, key)
        index = self.findData(keep)
        self.setCurrentIndex(index if index >= 0 else 0)
        self.blockSignals(False)

    def showPopup(self):
        self.refresh()
        QComboBox.showPopup(self)


class InputsForm(QWidget):
    """One LayerCombo per input of the operation, and the point row for Select Subject."""

    def __init__(self, app_getter, parent=None):
        QWidget.__init__(self, parent)
        self.app_getter = app_getter
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.combos = {}  # input name -> LayerCombo
        self.chosen = {}  # (operation, input name) -> layer key
        self.operation = None
        self.point = None
        self.picker = PointPicker(self)
        self.point_label = None
        self.pick_button = None

    def rebuild(self, operation, inputs):
        self._remember()
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos = {}
        self.point_label = self.pick_button = None
        self.picker.disarm()
        self.operation = operation
        for spec in inputs or []:
            name = spec.get("name", "")
            combo = LayerCombo(self.app_getter)
            combo.setObjectName("input_" + name)
            combo.refresh(self.chosen.get((operation, name), ""))
            tip = spec.get("description", "") + (" (required)" if spec.get("required") else "")
            combo.setToolTip(tip)
            label = QLabel(input_label(name))
            label.setToolTip(tip)
            self.form.addRow(label, combo)
            self.combos[name] = combo
        if operation == "segment":
            row = QHBoxLayout()
            self.point_label = QLabel()
            self.pick_button = QToolButton()
            self.pick_button.setText("Pick point")
            self.pick_button.setToolTip("Click this, then click on the subject in the canvas; without a point "
                                        "the selection is the box around the subject")
            self.pick_button.clicked.connect(self.pick_clicked)
            clear = QToolButton()
            clear.setText("Clear")
            clear.clicked.connect(lambda: self.set_point(None))
            row.addWidget(self.point_label, 1)
            row.addWidget(self.pick_button)
            row.addWidget(clear)
            self.form.addRow("Point", row)
            self.set_point(self.point)

    def _remember(self):
        for name, combo in self.combos.items():
            self.chosen[(self.operation, name)] = combo.currentData() or ""

    def current(self):
        """``{input name: layer key}`` for the inputs with a layer chosen."""
        self._remember()
        return {name: combo.currentData() for name, combo in self.combos.items() if combo.currentData()}

    def choose(self, name, key):
        combo = self.combos[name]
        combo.refresh(key)

    def set_point(self, point, message=""):
        self.point = tuple(point) if point else None
        if self.point_label is not None:
            self.point_label.setText(message or ("%d, %d" % self.point if self.point else "none: the selection is the box"))

    def pick_clicked(self):
        if self.picker.arm(self.app_getter(), self._picked):
            self.point_label.setText("click on the subject in the canvas...")

    def _picked(self, point, message):
        self.set_point(point, message)
