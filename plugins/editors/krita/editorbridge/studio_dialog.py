"""The docker's Studio settings: use a studio's shared daemon (URL, token, pinned fingerprint) or this machine's own.

Role: *ui* (widgets only); :mod:`studio` reads and writes the files. The token field never shows
the saved token: left empty, the saved one is kept.
"""

from PyQt5.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from . import studio
from .wire import BridgeError


class StudioDialog(QDialog):
    def __init__(self, folder, parent=None, environ=None):
        QDialog.__init__(self, parent)
        self.folder = folder
        self.setWindowTitle("EditorBridge: studio daemon")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Leave the address empty to use this computer's own daemon."))
        form = QFormLayout()
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://gpu1.studio:7443")
        self.token_edit = QLineEdit()
        self.token_edit.setEchoMode(QLineEdit.Password)
        self.fingerprint_edit = QLineEdit()
        self.fingerprint_edit.setPlaceholderText("AB:CD:... as the admin gave it (for a self-signed certificate)")
        form.addRow("Address", self.url_edit)
        form.addRow("Token", self.token_edit)
        form.addRow("Fingerprint", self.fingerprint_edit)
        layout.addLayout(form)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        try:
            remote, _ = studio.read(folder, environ if environ is not None else {})
        except BridgeError as e:
            remote = None
            self.error_label.setText(e.user_text())
        if remote is not None:
            self.url_edit.setText(remote.url)
            self.fingerprint_edit.setText(remote.fingerprint or "")
            self.token_edit.setPlaceholderText("(saved; type a new one to replace it)")

    def save(self):
        try:
            studio.save(self.folder, self.url_edit.text(), self.fingerprint_edit.text(), self.token_edit.text() or None)
        except (BridgeError, OSError) as e:
            self.error_label.setText(e.user_text() if isinstance(e, BridgeError) else str(e))
            return
        self.accept()
