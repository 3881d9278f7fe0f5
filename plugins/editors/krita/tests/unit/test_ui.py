"""The docker's widgets, built from GetInfo, driving the model (offscreen Qt, stand-in krita)."""

import unittest

import common
import fakedaemon
import krita
from pictures import make_document, select

if common.have_pyqt5():
    from PyQt5.QtWidgets import QComboBox, QDoubleSpinBox, QSpinBox
    from editorbridge.model import BridgeModel
    from editorbridge.ui import EditorBridgeDocker


@unittest.skipUnless(common.have_pyqt5(), "PyQt5 is not installed (apt-get install python3-pyqt5)")
class DockerTests(unittest.TestCase):
    def make(self, info=None):
        common.qt_app()
        krita.Krita.reset()
        self.client = fakedaemon.FakeClient(info)
        self.model = BridgeModel(self.client)
        self.docker = EditorBridgeDocker(self.model)
        self.model.connect()
        self.client.pump()
        return self.docker

    def offered(self, docker):
        box = docker.operation_box
        return [box.itemData(i) for i in range(box.count()) if box.model().item(i).isEnabled()]

    def test_built_from_the_walking_skeleton(self):
        docker = self.make()
        self.assertEqual(docker.operation_box.count(), 7)
        self.assertEqual(self.offered(docker), ["fill"])
        self.assertIn("do not offer Colorize yet", docker.operation_box.model().item(1).toolTip())
        self.assertIn("Connected to EditorBridge 0.1.0", docker.status_label.text())
        editors = docker.parameters.editors
        self.assertEqual(sorted(editors), ["method", "patch_size", "radius"])
        self.assertIsInstance(editors["method"][1], QComboBox)
        self.assertEqual(editors["method"][1].currentText(), "auto")
        self.assertIsInstance(editors["radius"][1], QDoubleSpinBox)
        self.assertIsInstance(editors["patch_size"][1], QSpinBox)
        self.assertEqual(editors["patch_size"][1].maximum(), 21)
        self.assertEqual([docker.engine_box.itemText(i) for i in range(docker.engine_box.count())], ["Automatic", "classic"])
        self.assertFalse(docker.placement_box.isVisibleTo(docker))

    def choose(self, docker, operation):
        docker.operation_box.setCurrentIndex(docker.operation_box.findData(operation))

    def test_parameters_are_kept_per_operation_and_reset_to_defaults(self):
        # before: values were kept by name, so Restore's iterations 30 became Select Subject's (default 5)
        docker = self.make(fakedaemon.info_with_everything())
        self.choose(docker, "restore")
        self.assertEqual(docker.parameters.current()["iterations"], 30)
        docker.parameters.set_value("iterations", 77)
        self.choose(docker, "segment")
        self.assertEqual(docker.parameters.current(), {"iterations": 5})  # the box or point comes from the canvas
        docker.parameters.set_value("iterations", 9)
        self.choose(docker, "restore")
        self.assertEqual(docker.parameters.current()["iterations"], 77)
        docker.reset_button.click()
        self.assertEqual(docker.parameters.current()["iterations"], 30)
        self.choose(docker, "segment")
        self.assertEqual(docker.parameters.current()["iterations"], 9)
        self.choose(docker, "restore")
        self.assertEqual(docker.parameters.current()["iterations"], 30)

    def test_layer_pickers_follow_the_operations_inputs(self):
        docker = self.make(fakedaemon.info_with_everything())
        doc, layer = make_document()
        self.choose(docker, "colorize")
        self.assertEqual(sorted(docker.inputs.combos), ["hints", "reference"])
        combo = docker.inputs.combos["hints"]
        combo.refresh()
        self.assertEqual([combo.itemText(i) for i in range(combo.count())], ["None", "Paint", "Background"])
        self.choose(docker, "compose")
        self.assertEqual(sorted(docker.inputs.combos), ["object"])
        docker.inputs.choose("object", docker.inputs.combos["object"].itemData(1))
        self.assertTrue(docker.count_box.isHidden())
        job = docker.run_clicked()
        self.client.pump()
        self.assertEqual(job.state, "done", job.message)
        self.assertIn("object", self.client.requests[-1]["inputs"])

    def test_warning_stays_until_the_next_job(self):
        docker = self.make(fakedaemon.info_with_everything())
        make_document()
        self.choose(docker, "restore")
        docker.run_clicked()
        self.client.pump()
        self.assertIn("nothing to fix", docker.message_label.text())
        self.model.tell("another job done.", "info")
        self.assertIn("nothing to fix", docker.message_label.text())
        docker.run_clicked()
        self.assertNotIn("nothing to fix", docker.message_label.text())

    def test_fill_click(self):
        docker = self.make()
        doc, layer = make_document()
        select(doc, 2, 2, 3, 3)
        docker.parameters.set_value("method", "telea")
        docker.random_seed.setChecked(False)
        docker.seed_edit.setText("42")
        job = docker.run_clicked()
        self.client.pump()
        self.assertEqual(job.state, "done", job.message)
        self.assertEqual(self.client.requests[0]["parameters"], {"method": "telea", "radius": 5.0, "patch_size": 7})
        self.assertEqual(docker.jobs_list.count(), 1)
        self.assertIn("done: Fill (seed 42)", docker.jobs_list.item(0).text())
        self.assertEqual(docker.progress.value(), 1000)
        self.assertIsNotNone(docker.preview.pixmap())

    def test_parameters_survive_a_lost_daemon(self):
        docker = self.make()
        docker.parameters.set_value("method", "telea")
        from editorbridge.wire import BridgeError
        self.client.mark_lost(BridgeError("unavailable", "gone"))
        self.model.status_changed.emit()
        self.assertEqual(docker.parameters.current()["method"], "telea")
        self.assertIn("gone", docker.status_label.text())

    def test_error_shows_in_the_docker(self):
        docker = self.make()
        make_document()
        job = docker.run_clicked()
        self.client.pump()
        self.assertEqual(job.state, "failed")
        self.assertIn("needs a selection", docker.message_label.text())
        self.assertIn("d04040", docker.message_label.styleSheet())

    def test_everything_offered(self):
        docker = self.make(fakedaemon.info_with_everything())
        self.assertEqual(len(self.offered(docker)), 7)
        docker.operation_box.setCurrentIndex(docker.operation_box.findData("colorize"))
        self.assertTrue(docker.placement_box.isVisibleTo(docker))
        self.assertEqual(docker.run_button.text(), "Colorize")
        docker.operation_box.setCurrentIndex(docker.operation_box.findData("generate"))
        self.assertEqual([docker.engine_box.itemData(i) for i in range(docker.engine_box.count())], ["", "diffusion"])
        self.assertEqual(sorted(docker.parameters.editors), ["steps", "style_preset", "tiled"])
        docker.prompt_edit.setPlainText("a red fox")
        options = docker.options()
        self.assertEqual((options.operation, options.prompt, options.parameters["style_preset"]), ("generate", "a red fox", "none"))
        docker.operation_box.setCurrentIndex(docker.operation_box.findData("segment"))
        self.assertEqual(docker.run_button.text(), "Select Subject")

    def test_cancel_button(self):
        docker = self.make()
        doc, _ = make_document()
        select(doc, 1, 1, 2, 2)
        self.client.hold_stream = True
        job = docker.run_clicked()
        self.client.pump()
        self.assertTrue(docker.cancel_button.isEnabled())
        docker.cancel_clicked()
        self.assertEqual(job.state, "cancelled")
        self.assertFalse(docker.cancel_button.isEnabled())


if __name__ == "__main__":
    unittest.main()
