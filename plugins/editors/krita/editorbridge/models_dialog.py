"""The "Models..." dialog: installed models and the daemon's catalog, and downloads with progress.

Role: *ui*. Widgets only: :class:`downloads.ModelLibrary` holds the state and talks to the daemon.
Qt calls only bound methods of this dialog (see client.Call on closures and Krita's collector).
Closing the dialog only hides it: a download goes on, and opening it again shows its progress.
"""

from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import (QDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QProgressBar, QPushButton,
                             QTableWidget, QTableWidgetItem, QVBoxLayout)

from .downloads import ModelLibrary
from .pull_wire import byte_size_text
from .wire import BridgeError

COLUMNS = ("Name", "Kind", "Size", "Licence", "Installed")


class ModelsDialog(QDialog):
    def __init__(self, client, parent=None):
        QDialog.__init__(self, parent)
        self.setWindowTitle("EditorBridge models")
        self.resize(640, 360)
        self.library = ModelLibrary(client, self.ask_licence, self.library_changed)
        self.client = client
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.setSelectionMode(QTableWidget.SingleSelection)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        layout.addWidget(self.table, 1)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        layout.addWidget(self.progress)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        self.download_button = QPushButton("Download")
        self.cancel_button = QPushButton("Cancel download")
        self.refresh_button = QPushButton("Refresh")
        self.close_button = QPushButton("Close")
        for button in (self.download_button, self.cancel_button, self.refresh_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.download_button.clicked.connect(self.download_clicked)
        self.cancel_button.clicked.connect(self.library.cancel)
        self.refresh_button.clicked.connect(self.reload)
        self.close_button.clicked.connect(self.close)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    # ------------------------------------------------------------------ state -> widgets

    def reload(self):
        """Reads GetInfo (the installed models) and the catalog again."""
        if self.client.state != "connected":
            self.status.setText("Not connected to the daemon: click Reconnect in the docker.")
            return
        self.status.setText("Reading the catalog...")
        self.library.reload()

    def library_changed(self, download):
        if download is None:
            self.fill_table()
            if self.library.catalog_error is not None:
                self.status.setText("The catalog could not be read: " + self.library.catalog_error.user_text())
            elif self.library.download is None:
                self.status.setText("%d models installed, %d in the catalog." % (
                    len(self.library.installed()), len(self.library.catalog)))
        else:
            self.status.setText(download.text())
            self.progress.setValue(int(download.fraction * 1000) if download.state != "cancelled" else 0)
            if download.state == "installed":
                self.progress.setValue(1000)
                self.fill_table()
        self._update_buttons()

    def fill_table(self):
        selected = self.selected_name()
        rows = self.library.rows()
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            licence = row.licence_id + (" (must be accepted)" if row.licence_requires_acceptance else "")
            cells = (row.name, row.kind, byte_size_text(row.size_bytes) if row.size_bytes else "",
                     licence, "yes" if row.installed else ("no" if row.in_catalog else ""))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setData(Qt.UserRole, row.name)
                if column == 3 and row.licence_url:
                    item.setToolTip(row.licence_url)
                self.table.setItem(i, column, item)
            if row.name == selected:
                self.table.selectRow(i)

    def selected_name(self):
        items = [i for i in self.table.selectedItems() if i.column() == 0]
        return items[0].data(Qt.UserRole) if items else None

    def _update_buttons(self):
        name = self.selected_name()
        row = self.library.row(name) if name else None
        self.download_button.setEnabled(row is not None and row.in_catalog and not self.library.busy)
        self.cancel_button.setEnabled(self.library.busy)

    # ------------------------------------------------------------------ widgets -> library

    def download_clicked(self):
        name = self.selected_name()
        if not name:
            return None
        try:
            return self.library.pull(name)
        except BridgeError as e:
            self.status.setText(e.user_text())
            return None

    def ask_licence(self, name, licence_id, licence_url):
        """Yes/no: the model's licence must be accepted before the daemon downloads it."""
        text = ("%s is published under the licence %s, which must be accepted before it is downloaded.%s\n\n"
                "Do you accept it?" % (name, licence_id, "\nRead it at: %s" % licence_url if licence_url else ""))
        answer = QMessageBox.question(self, "Licence of %s" % name, text, QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        return answer == QMessageBox.Yes
