"""The "EditorBridge" docker: widgets only. It shows the model's state and hands clicks to it.

Role: *ui*. Everything the daemon offers (operations, engines, parameters with their kinds,
ranges, choices and defaults) comes from GetInfo; operations it does not offer yet stay listed
but disabled, with a tooltip saying so.
"""

from PyQt5.QtCore import Qt
from PyQt5.QtGui import QImage, QPixmap, QRegExpValidator
from PyQt5.QtCore import QRegExp
from PyQt5.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                             QListWidget, QListWidgetItem, QPlainTextEdit, QProgressBar, QPushButton, QSpinBox,
                             QToolButton, QVBoxLayout, QWidget)

from . import document
from .inputs_form import InputsForm
from .jobs import COUNT_OPERATIONS, MAX_COUNT, JobOptions
from .parameter_form import ParameterForm
from .session import get_model
from .wire import OPERATIONS, OPERATION_LABELS

try:  # inside Krita
    from krita import DockWidget
except ImportError:  # outside Krita (the UI smoke test): a plain dock widget
    from PyQt5.QtWidgets import QDockWidget as DockWidget

_LEVEL_STYLE = {"info": "", "warning": "color: #b8860b;", "error": "color: #d04040;"}


class EditorBridgeDocker(DockWidget):
    """Krita creates one per window; they all share the session's BridgeModel."""

    def __init__(self, model=None):
        DockWidget.__init__(self)
        if model is None:
            model = get_model()
        self.model = model
        self.setWindowTitle("EditorBridge")
        root = QWidget(self)
        layout = QVBoxLayout(root)

        status_row = QHBoxLayout()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.reconnect_button = QToolButton()
        self.reconnect_button.setText("Reconnect")
        self.reconnect_button.setToolTip("Find the daemon again, starting it when it is not running")
        self.settings_button = QToolButton()
        self.settings_button.setText("...")
        self.settings_button.setToolTip("Choose the 'editorbridge' program used to start the daemon")
        self.studio_button = QToolButton()
        self.studio_button.setText("Studio...")
        self.studio_button.setToolTip("Use a studio's shared daemon (address, token, fingerprint) or this computer's own")
        self.models_button = QToolButton()
        self.models_button.setText("Models...")
        self.models_button.setToolTip("The installed models and the catalog; download models")
        status_row.addWidget(self.status_label, 1)
        status_row.addWidget(self.models_button)
        status_row.addWidget(self.reconnect_button)
        status_row.addWidget(self.settings_button)
        status_row.addWidget(self.studio_button)
        layout.addLayout(status_row)

        form = QFormLayout()
        self.operation_box = QComboBox()
        for name, label in OPERATIONS:
            self.operation_box.addItem(label, name)
        form.addRow("Operation", self.operation_box)
        self.source_box = QComboBox()
        self.source_box.addItem("Active layer", document.SOURCE_LAYER)
        self.source_box.addItem("Merged image", document.SOURCE_MERGED)
        form.addRow("Source", self.source_box)
        self.placement_box = QComboBox()
        self.placement_box.addItem("Automatic (on a sketch on paper: coloured above it)", document.PLACE_AUTO)
        self.placement_box.addItem("Colours under the line art", document.PLACE_BELOW)
        self.placement_box.addItem("Replace the layer", document.PLACE_REPLACE)
        self.placement_label = QLabel("Result")
        form.addRow(self.placement_label, self.placement_box)
        self.engine_box = QComboBox()
        form.addRow("Engine", self.engine_box)
        self.model_box = QComboBox()
        self.model_box.setToolTip("The installed model to use; Automatic lets the daemon choose")
        self.model_label = QLabel("Model")
        form.addRow(self.model_label, self.model_box)
        self.prompt_edit = QPlainTextEdit()
        self.prompt_edit.setPlaceholderText("What to paint")
        self.prompt_edit.setMaximumHeight(60)
        self.prompt_label = QLabel("Prompt")
        form.addRow(self.prompt_label, self.prompt_edit)
        self.negative_edit = QLineEdit()
        self.negative_edit.setPlaceholderText("What to avoid")
        self.negative_label = QLabel("Negative")
        form.addRow(self.negative_label, self.negative_edit)
        seed_row = QHBoxLayout()
        self.seed_edit = QLineEdit()
        self.seed_edit.setValidator(QRegExpValidator(QRegExp("[0-9]{1,19}")))
        self.seed_edit.setPlaceholderText("random")
        self.random_seed = QCheckBox("Random")
        self.random_seed.setChecked(True)
        self.seed_edit.setEnabled(False)
        seed_row.addWidget(self.seed_edit, 1)
        seed_row.addWidget(self.random_seed)
        form.addRow("Seed", seed_row)
        self.count_box = QSpinBox()
        self.count_box.setRange(1, MAX_COUNT)
        self.count_box.setToolTip("Results per click (seeds s, s+1, ...): they land as one group layer, the first "
                                  "one visible; show another to pick it")
        self.count_label = QLabel("Results")
        form.addRow(self.count_label, self.count_box)
        layout.addLayout(form)

        self.inputs = InputsForm(lambda: self.model.app)
        layout.addWidget(self.inputs)
        self.parameters = ParameterForm()
        layout.addWidget(self.parameters)
        self.reset_button = QToolButton()
        self.reset_button.setText("Reset parameters")
        self.reset_button.setToolTip("Put back the engine's defaults for this operation's parameters")
        self.reset_button.clicked.connect(lambda: self.parameters.reset())
        layout.addWidget(self.reset_button)

        run_row = QHBoxLayout()
        self.run_button = QPushButton("Fill")
        self.cancel_button = QPushButton("Cancel")
        run_row.addWidget(self.run_button, 1)
        run_row.addWidget(self.cancel_button)
        layout.addLayout(run_row)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        layout.addWidget(self.progress)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignCenter)
        self.preview.setMinimumHeight(64)
        layout.addWidget(self.preview)
        self.jobs_list = QListWidget()
        self.jobs_list.setMaximumHeight(120)
        layout.addWidget(self.jobs_list)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.message_label)
        layout.addStretch(1)
        self.setWidget(root)

        self.operation_box.currentIndexChanged.connect(self._operation_changed)
        self.engine_box.currentIndexChanged.connect(self._engine_changed)
        self.model_box.currentIndexChanged.connect(self._model_picked)
        self.model_choices = {}  # operation -> the model the painter picked ("" = Automatic)
        self.models_button.clicked.connect(self.show_models)
        self.models_dialog = None
        self.prompts_shown = True
        self.random_seed.toggled.connect(self._random_toggled)
        self.run_button.clicked.connect(self.run_clicked)
        self.cancel_button.clicked.connect(self.cancel_clicked)
        self.reconnect_button.clicked.connect(self.reconnect_clicked)
        self.settings_button.clicked.connect(self._choose_program)
        self.studio_button.clicked.connect(self._choose_studio)
        self.visibilityChanged.connect(self._visibility_changed)

        self._slots = [(model.status_changed, self.refresh_status), (model.jobs_changed, self.refresh_jobs),
                       (model.job_updated, self.job_updated), (model.message, self.show_message)]
        for signal, slot in self._slots:
            signal.connect(slot)
        self.destroyed.connect(self._detach)
        self.sticky = False  # a warning or error stays shown until the next job
        self.refresh_status()
        self.refresh_jobs()

    # ------------------------------------------------------------------ Krita hooks

    def canvasChanged(self, canvas):
        pass

    def _random_toggled(self, on):
        self.seed_edit.setEnabled(not on)

    def reconnect_clicked(self):
        self.model.connect()

    def _visibility_changed(self, visible):
        if visible and self.model.client.state in ("disconnected",):
            self.model.connect()

    def _detach(self, *args):
        for signal, slot in self._slots:
            signal.disconnect(slot)

    # ------------------------------------------------------------------ state -> widgets

    def refresh_status(self):
        text, level = self.model.status()
        self.status_label.setText(text)
        self.status_label.setStyleSheet(_LEVEL_STYLE[level])
        info = self.model.known_info
        current = self.operation_box.currentData()
        for i, (name, label) in enumerate(OPERATIONS):
            item = self.operation_box.model().item(i)
            offered = info is None or info.offers(name)  # before connecting, everything is selectable
            item.setEnabled(offered)
            item.setToolTip("" if offered else "The installed engines do not offer %s yet." % label)
        if info is not None and not info.offers(current) and info.operations():
            first = [n for n, _ in OPERATIONS if info.offers(n)]
            if first:
                self.operation_box.setCurrentIndex(self.operation_box.findData(first[0]))
        self._operation_changed()

    def _operation_changed(self, *args):
        op = self.operation_box.currentData()
        self.run_button.setText(OPERATION_LABELS.get(op, op))
        is_colorize = op == "colorize"
        self.placement_box.setVisible(is_colorize)
        self.placement_label.setVisible(is_colorize)
        self.count_box.setVisible(op in COUNT_OPERATIONS)
        self.count_label.setVisible(op in COUNT_OPERATIONS)
        info = self.model.known_info
        self.engine_box.blockSignals(True)
        previous = self.engine_box.currentData()
        self.engine_box.clear()
        self.engine_box.addItem("Automatic", "")
        for name in (info.engines_for(op) if info is not None else []):
            self.engine_box.addItem(name, name)
        index = self.engine_box.findData(previous)
        self.engine_box.setCurrentIndex(index if index >= 0 else 0)
        self.engine_box.blockSignals(False)
        self._engine_changed()

    def _engine_changed(self, *args):
        self._refresh_models()

    def _refresh_models(self):
        """The model picker: Automatic, then the operation's installed models (the default first,
        which is what Automatic gets unless the daemon routes elsewhere); hidden when there are none."""
        info = self.model.known_info
        op = self.operation_box.currentData()
        names = info.models_for(op, self.engine_box.currentData() or "") if info is not None else []
        picked = self.model_choices.get(op)
        self.model_box.blockSignals(True)
        self.model_box.clear()
        self.model_box.addItem("Automatic", "")
        for name in names:
            self.model_box.addItem(name, name)
        index = self.model_box.findData(picked) if picked is not None else -1
        self.model_box.setCurrentIndex(index if index >= 0 else (1 if names else 0))
        self.model_box.blockSignals(False)
        self.model_box.setVisible(bool(names))
        self.model_label.setVisible(bool(names))
        self._model_changed()

    def _model_picked(self, *args):
        self.model_choices[self.operation_box.currentData()] = self.model_box.currentData() or ""
        self._model_changed()

    def _model_changed(self, *args):
        """The parameters of the engine that will serve the job (the chosen model picks it when the
        engine is Automatic); prompt fields only where it reads them (a diffusion model)."""
        info = self.model.known_info
        op = self.operation_box.currentData()
        engine, model = self.engine_box.currentData() or "", self.model_box.currentData() or ""
        op_info = info.operation(op, engine, model) if info else None
        self.parameters.rebuild((op_info or {}).get("parameters") or [], (op, engine or (op_info or {}).get("engine", ""), model))
        self.inputs.rebuild(op, [i for i in (op_info or {}).get("inputs") or [] if i.get("name")])
        self.run_button.setEnabled(info is None or op_info is not None)
        prompts = info is None or op == "generate" or info.takes_prompt(
            op, self.engine_box.currentData() or "", self.model_box.currentData() or "")
        self.prompts_shown = prompts
        for widget in (self.prompt_label, self.prompt_edit, self.negative_label, self.negative_edit):
            widget.setVisible(prompts)

    def refresh_jobs(self):
        self.jobs_list.clear()
        for job in self.model.jobs:
            item = QListWidgetItem(job.summary())
            item.setData(Qt.UserRole, job.number)
            self.jobs_list.addItem(item)
        self.cancel_button.setEnabled(bool(self.model.active_jobs()))

    def job_updated(self, job):
        for i in range(self.jobs_list.count()):
            item = self.jobs_list.item(i)
            if item.data(Qt.UserRole) == job.number:
                item.setText(job.summary())
                break
        else:
            self.refresh_jobs()
        self.cancel_button.setEnabled(bool(self.model.active_jobs()))
        if not job.finished:
            self.progress.setValue(int(job.fraction * 1000))
        else:
            self.progress.setValue(1000 if job.state == "done" else 0)
        if job.preview is not None:
            w, h, pixels = job.preview
            picture = QImage(pixels, w, h, w * 4, QImage.Format_RGBA8888).copy()
            self.preview.setPixmap(QPixmap.fromImage(picture).scaled(
                min(256, max(w, 128)), min(256, max(h, 128)), Qt.KeepAspectRatio, Qt.SmoothTransformation))

    def show_message(self, text, level):
        if self.sticky and level == "info" and text:
            return  # the job's warning stays until the next job
        self.sticky = level in ("warning", "error")
        self.message_label.setText(text)
        self.message_label.setStyleSheet(_LEVEL_STYLE.get(level, ""))

    # ------------------------------------------------------------------ widgets -> model

    def options(self):
        seed = None
        if not self.random_seed.isChecked() and self.seed_edit.text().strip():
            seed = int(self.seed_edit.text())
        return JobOptions(
            operation=self.operation_box.currentData(),
            source=self.source_box.currentData(),
            placement=self.placement_box.currentData(),
            # hidden prompt fields are not sent: the engine serving the job does not read them
            prompt=self.prompt_edit.toPlainText().strip() if self.prompts_shown else "",
            negative_prompt=self.negative_edit.text().strip() if self.prompts_shown else "",
            engine=self.engine_box.currentData() or "",
            model=self.model_box.currentData() or "",
            parameters=self.parameters.current(),
            seed=seed,
            count=self.count_box.value(),
            inputs=self.inputs.current(),
            point=self.inputs.point if self.operation_box.currentData() == "segment" else None)

    def run_clicked(self):
        self.sticky = False
        self.show_message("", "info")
        return self.model.run(self.options())

    def cancel_clicked(self):
        selected = [item.data(Qt.UserRole) for item in self.jobs_list.selectedItems()]
        jobs = [j for j in self.model.active_jobs() if not selected or j.number in selected]
        for job in jobs:
            self.model.cancel(job)

    def show_models(self):
        """Opens (or raises) the Models dialog."""
        if self.models_dialog is None:
            from .models_dialog import ModelsDialog
            self.models_dialog = ModelsDialog(self.model.client, self)
        self.models_dialog.show()
        self.models_dialog.raise_()
        self.models_dialog.reload()
        return self.models_dialog

    def _choose_studio(self):
        from .studio_dialog import StudioDialog
        if StudioDialog(self.model.client.state_folder, self).exec_():
            self.model.connect()

    def _choose_program(self):
        path, _ = QFileDialog.getOpenFileName(self, "The 'editorbridge' program (or editorbridge.dll)",
                                              self.model.setting("daemon_path", ""))
        if path:
            self.model.set_setting("daemon_path", path)
            self.model.connect()
