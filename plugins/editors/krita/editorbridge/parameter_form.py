"""Editors for one operation's parameters, built from GetInfo; values kept per operation and engine.

Role: *ui* (widgets only).
"""

from PyQt5.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget


class ParameterForm(QWidget):
    """Editors for one operation's ParameterInfo list. What the painter set is remembered under the
    (operation, engine, model) it was set for: Restore's ``iterations`` never becomes Select
    Subject's. :meth:`reset` puts the engine's defaults back. Canvas-coordinate parameters get no
    editor: the selection or a click on the canvas gives them."""

    def __init__(self, parent=None):
        QWidget.__init__(self, parent)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.editors = {}
        self.key = None  # (operation, engine, model) of the editors shown
        self.values = {}  # key -> {name: value} the painter set
        self.parameters = []

    def rebuild(self, parameters, key=None):
        self._remember()
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors = {}
        self.key = key
        self.parameters = list(parameters or [])
        kept = self.values.get(key, {})
        for info in self.parameters:
            if info.get("canvasAxis", "CANVAS_AXIS_UNSPECIFIED") != "CANVAS_AXIS_UNSPECIFIED":
                continue  # canvas coordinates (Select Subject's box or point) come from the selection or a click
            editor = self._editor(info, kept.get(info.get("name"), info.get("defaultValue")))
            if editor is None:
                continue
            label = QLabel(info.get("name", "").replace("_", " ").capitalize())
            tip = info.get("description", "")
            label.setToolTip(tip)
            editor.setToolTip(tip)
            editor.setObjectName("param_" + info.get("name", ""))
            self.form.addRow(label, editor)
            self.editors[info.get("name")] = (info, editor)

    def reset(self):
        """The engine's defaults for the parameters shown (and forgets what was set for them)."""
        self.values.pop(self.key, None)
        for name, (info, _) in self.editors.items():
            default = info.get("defaultValue")
            if default is not None:
                self.set_value(name, default)
        self.values.pop(self.key, None)

    def _editor(self, info, default):
        kind = info.get("kind", "")
        low, high = info.get("minimum"), info.get("maximum")
        if kind == "PARAMETER_KIND_CHOICE":
            box = QComboBox()
            box.addItems(info.get("choices") or [])
            if default is not None and box.findText(str(default)) >= 0:
                box.setCurrentText(str(default))
            return box
        if kind == "PARAMETER_KIND_INTEGER":
            box = QSpinBox()
            box.setRange(int(low) if low is not None else -2 ** 31, int(high) if high is not None else 2 ** 31 - 1)
            if default is not None:
                box.setValue(int(default))
            return box
        if kind == "PARAMETER_KIND_NUMBER":
            box = QDoubleSpinBox()
            box.setDecimals(3)
            box.setRange(float(low) if low is not None else -1e9, float(high) if high is not None else 1e9)
            if high is not None and low is not None:
                box.setSingleStep(max((float(high) - float(low)) / 100.0, 0.001))
            if default is not None:
                box.setValue(float(default))
            return box
        if kind == "PARAMETER_KIND_BOOLEAN":
            box = QCheckBox()
            box.setChecked(bool(default))
            return box
        edit = QLineEdit()
        if default is not None:
            edit.setText(str(default))
        return edit

    def _remember(self):
        if self.editors:
            self.values.setdefault(self.key, {}).update(self.current())

    def current(self):
        out = {}
        for name, (info, editor) in self.editors.items():
            if isinstance(editor, QComboBox):
                out[name] = editor.currentText()
            elif isinstance(editor, (QSpinBox, QDoubleSpinBox)):
                out[name] = editor.value()
            elif isinstance(editor, QCheckBox):
                out[name] = editor.isChecked()
            else:
                out[name] = editor.text()
        return out

    def set_value(self, name, value):
        info, editor = self.editors[name]
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(value))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(value))
        elif isinstance(editor, QDoubleSpinBox):
            editor.setValue(float(value))
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        else:
            editor.setText(str(value))
