"""The docker's model picker and prompt fields, and the Models dialog (offscreen Qt, stand-in krita)."""

import unittest

import common
import fakedaemon
import krita
from pictures import make_document, select

if common.have_pyqt5():
    from PyQt5.QtWidgets import QMessageBox
    from editorbridge.model import BridgeModel
    from editorbridge.ui import EditorBridgeDocker
    from editorbridge import models_dialog


@unittest.skipUnless(common.have_pyqt5(), "PyQt5 is not installed (apt-get install python3-pyqt5)")
class ModelPickerTests(unittest.TestCase):
    def make(self, info):
        common.qt_app()
        krita.Krita.reset()
        self.client = fakedaemon.FakeClient(info)
        self.model = BridgeModel(self.client)
        self.docker = EditorBridgeDocker(self.model)
        self.model.connect()
        self.client.pump()
        return self.docker

    def choices(self, box):
        return [box.itemData(i) for i in range(box.count())]

    def test_picker_lists_the_operations_models_first_one_chosen(self):
        docker = self.make(fakedaemon.info_with_models())
        self.assertEqual(self.choices(docker.model_box), ["", "lama-tiny", "sd-tiny"])
        self.assertEqual(docker.model_box.currentData(), "lama-tiny")
        self.assertTrue(docker.model_box.isVisibleTo(docker))
        self.assertFalse(docker.prompt_edit.isVisibleTo(docker))  # lama-tiny is no diffusion model
        docker.model_box.setCurrentIndex(docker.model_box.findData("sd-tiny"))
        self.assertTrue(docker.prompt_edit.isVisibleTo(docker))
        docker.model_box.setCurrentIndex(0)  # Automatic: a diffusion model may serve it
        self.assertTrue(docker.negative_edit.isVisibleTo(docker))
        docker.engine_box.setCurrentIndex(docker.engine_box.findData("classic"))
        self.assertFalse(docker.model_box.isVisibleTo(docker))
        self.assertFalse(docker.prompt_edit.isVisibleTo(docker))

    def test_parameters_follow_the_engine_the_model_picks(self):
        info = fakedaemon.info_with_models()
        info["engines"][1]["operations"][0]["parameters"] = [
            {"name": "dilate", "kind": "PARAMETER_KIND_INTEGER", "defaultValue": 2, "minimum": 0, "maximum": 9, "choices": []}]
        docker = self.make(info)
        self.assertEqual(sorted(docker.parameters.editors), ["dilate"])  # lama-tiny: the onnx engine's fill
        docker.model_box.setCurrentIndex(docker.model_box.findData("sd-tiny"))
        self.assertEqual(sorted(docker.parameters.editors), [])  # the diffusion engine's fill has none here
        docker.engine_box.setCurrentIndex(docker.engine_box.findData("classic"))
        self.assertEqual(sorted(docker.parameters.editors), ["method", "patch_size", "radius"])
        doc, _ = make_document()
        select(doc, 1, 1, 3, 3)
        docker.engine_box.setCurrentIndex(0)
        docker.model_box.setCurrentIndex(docker.model_box.findData("lama-tiny"))
        docker.run_clicked()
        self.client.pump()
        self.assertEqual(self.client.requests[0]["parameters"], {"dilate": 2})

    def test_generate_click_sends_model_and_prompts(self):
        docker = self.make(fakedaemon.info_with_models())
        doc, _ = make_document()
        docker.operation_box.setCurrentIndex(docker.operation_box.findData("generate"))
        self.assertEqual(self.choices(docker.model_box), ["", "sd-tiny"])
        docker.prompt_edit.setPlainText("  a harbour at dusk ")
        docker.negative_edit.setText("text")
        job = docker.run_clicked()
        self.client.pump()
        self.assertEqual(job.state, "done", job.message)
        request = self.client.requests[0]
        self.assertEqual((request["model"], request["prompt"], request["negativePrompt"]), ("sd-tiny", "a harbour at dusk", "text"))
        self.assertIn("model sd-tiny on cpu", docker.message_label.text())

    def test_hidden_prompts_are_not_sent(self):
        docker = self.make(fakedaemon.info_with_models())
        doc, _ = make_document()
        select(doc, 1, 1, 3, 3)
        docker.prompt_edit.setPlainText("left over from Generate")
        self.assertEqual(docker.model_box.currentData(), "lama-tiny")
        docker.run_clicked()
        self.client.pump()
        self.assertNotIn("prompt", self.client.requests[0])
        self.assertEqual(self.client.requests[0]["model"], "lama-tiny")

    def test_no_models_no_picker(self):
        docker = self.make(None)
        self.assertFalse(docker.model_box.isVisibleTo(docker))
        self.assertFalse(docker.prompt_edit.isVisibleTo(docker))
        doc, _ = make_document()
        select(doc, 1, 1, 3, 3)
        docker.run_clicked()
        self.client.pump()
        self.assertNotIn("model", self.client.requests[0])


@unittest.skipUnless(common.have_pyqt5(), "PyQt5 is not installed (apt-get install python3-pyqt5)")
class ModelsDialogTests(unittest.TestCase):
    def setUp(self):
        common.qt_app()
        krita.Krita.reset()
        self.client = fakedaemon.FakeClient(fakedaemon.info_with_models())
        self.model = BridgeModel(self.client)
        self.docker = EditorBridgeDocker(self.model)
        self.model.connect()
        self.client.pump()
        self.dialog = self.docker.show_models()
        self.addCleanup(self.dialog.hide)
        self.client.pump()

    def select(self, name):
        for row in range(self.dialog.table.rowCount()):
            if self.dialog.table.item(row, 0).text() == name:
                self.dialog.table.selectRow(row)
                return
        self.fail("no row " + name)

    def test_table_lists_installed_and_catalog(self):
        table = self.dialog.table
        rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
        self.assertIn(["sd-big", "diffusion", "1.6 GB", "CreativeML-OpenRAIL-M (must be accepted)", "no"], rows)
        self.assertIn(["sd-tiny", "diffusion", "4.0 KB", "CreativeML-OpenRAIL-M (must be accepted)", "yes"], rows)
        self.assertIn("2 models installed, 3 in the catalog", self.dialog.status.text())
        self.select("sd-tiny")
        self.assertFalse(self.dialog.download_button.isEnabled())  # not in the catalog

    def test_refresh_shows_a_model_imported_meanwhile(self):
        self.client._info_json["models"].append({"name": "imported-1", "kind": "upscale", "sizeBytes": "10", "licenceId": "MIT"})
        self.dialog.refresh_button.click()
        self.client.pump()
        names = [self.dialog.table.item(r, 0).text() for r in range(self.dialog.table.rowCount())]
        self.assertIn("imported-1", names)
        self.assertIn("imported-1", [m["name"] for m in self.model.known_info.models])

    def test_download_asks_for_the_licence_and_shows_progress(self):
        asked = []
        original = QMessageBox.question
        QMessageBox.question = staticmethod(lambda parent, title, text, *rest: asked.append(text) or QMessageBox.Yes)
        self.addCleanup(setattr, QMessageBox, "question", original)
        self.select("sd-big")
        self.assertTrue(self.dialog.download_button.isEnabled())
        download = self.dialog.download_clicked()
        self.assertIn("CreativeML-OpenRAIL-M", asked[0])
        self.assertIn("https://example.org/openrail", asked[0])
        self.assertTrue(self.dialog.cancel_button.isEnabled())
        values = []
        shown = self.dialog.library.changed
        self.dialog.library.changed = lambda d: (shown(d), values.append((self.dialog.progress.value(), self.dialog.status.text())))
        self.client.pump()
        self.assertEqual(download.state, "installed")
        self.assertTrue(any(value == 666 and "2.0 KB of 2.9 KB" in text and "left" in text for value, text in values), values)
        self.assertIn("sd-big is installed", self.dialog.status.text())
        self.assertEqual(self.client.pulls, [("sd-big", True)])
        self.assertFalse(self.dialog.cancel_button.isEnabled())


if __name__ == "__main__":
    unittest.main()
