"""What painters came for, through the model with the stand-in krita module and the fake daemon:
colorize a sketch on paper visibly, greyscale scans, input layers, Select Subject from a box or a
point, several results per click, Restore that finds nothing to fix, progress for every operation."""

import unittest

import common  # noqa: F401
import krita
import fakedaemon
from editorbridge import document
from editorbridge.jobs import JobState
from editorbridge.model import BridgeModel, JobOptions
from pictures import make_document, select


class WorkflowTestCase(unittest.TestCase):
    def setUp(self):
        krita.Krita.reset()
        self.client = fakedaemon.FakeClient(info=fakedaemon.info_with_everything())
        self.model = BridgeModel(self.client)
        self.messages = []
        self.model.message.connect(lambda text, level: self.messages.append((level, text)))
        self.model.connect()
        self.client.pump()

    def run_job(self, options):
        job = self.model.run(options)
        self.client.pump()
        return job

    def names(self, doc):
        return [n.name() for n in doc.rootNode().childNodes()]


class ColorizeTests(WorkflowTestCase):
    def test_opaque_sketch_gets_its_colours_above_it_visibly(self):
        # before: the colours went under the opaque sketch and the composite did not change at all
        doc, sketch = make_document()
        before = doc.pixelData(0, 0, 24, 16)
        job = self.run_job(JobOptions("colorize", seed=5))
        self.assertEqual(job.state, JobState.DONE, job.message)
        self.assertEqual(self.names(doc), ["Background", "Paint", "Colorize (seed 5)"])
        self.assertEqual(len(doc.undo_steps), 1)
        after = doc.pixelData(0, 0, 24, 16)
        changed = sum(1 for i in range(0, len(after), 4) if after[i:i + 4] != before[i:i + 4])
        self.assertGreater(changed, 0.9 * 24 * 16)
        self.assertEqual(doc.nodeByName("Colorize (seed 5)").blendingMode(), "normal")

    def test_flats_over_an_opaque_sketch_multiply(self):
        doc, _ = make_document()
        info = self.client.info.operation("colorize")
        info["parameters"].append({"name": "output", "kind": "PARAMETER_KIND_CHOICE", "defaultValue": "in_place", "choices": ["in_place", "flats"]})
        job = self.run_job(JobOptions("colorize", seed=5, parameters={"output": "flats"}))
        self.assertEqual(job.state, JobState.DONE, job.message)
        self.assertEqual(doc.nodeByName("Colorize (seed 5)").blendingMode(), "multiply")

    def test_transparent_line_art_gets_its_colours_under_it(self):
        doc, _ = make_document()
        lines = doc.createNode("Lines", "paintlayer")
        lines.setPixelData(bytes([0, 0, 0, 255]) * 24 + bytes(4 * 24 * 15), 0, 0, 24, 16)
        doc.rootNode().addChildNode(lines, None)
        doc.setActiveNode(lines)
        job = self.run_job(JobOptions("colorize", seed=2))
        self.assertEqual(job.state, JobState.DONE, job.message)
        self.assertEqual(self.names(doc), ["Background", "Paint", "Colorize (seed 2)", "Lines"])

    def test_greyscale_scan_is_colorized_in_an_rgb_image(self):
        # before: "The layer 'Paint' is grayscale ... convert it first"
        doc, _ = make_document(model="GRAYA")
        job = self.run_job(JobOptions("colorize", seed=1))
        self.assertEqual(job.state, JobState.DONE, job.message)
        self.assertEqual(doc.colorModel(), "RGBA")
        self.assertEqual(self.client.requests[0]["layer"]["format"], "PIXEL_FORMAT_RGBA8")
        self.assertIn("converted to RGB", self.messages[-1][1])
        self.assertEqual(doc.undo_steps[0], ("colorspace", "RGBA"))

    def test_hint_and_reference_layers_travel_as_inputs(self):
        doc, _ = make_document()
        hints = doc.createNode("Hints", "paintlayer")
        hints.setPixelData(bytes([0, 0, 255, 255]) * 4, 2, 2, 2, 2)
        doc.rootNode().addChildNode(hints, None)
        paint = doc.nodeByName("Paint")
        doc.setActiveNode(paint)
        job = self.run_job(JobOptions("colorize", seed=1, inputs={"hints": document.node_key(hints),
                                                                  "reference": document.node_key(paint)}))
        self.assertEqual(job.state, JobState.DONE, job.message)
        inputs = self.client.requests[0]["inputs"]
        self.assertEqual(sorted(inputs), ["hints", "reference"])
        self.assertEqual((inputs["hints"]["width"], inputs["hints"]["height"]), (24, 16))  # canvas-aligned: the layer's rectangle
        self.assertEqual(len(self.client.blobs[inputs["hints"]["blobId"]]), 24 * 16 * 4)
        hint_pixel = self.client.blobs[inputs["hints"]["blobId"]][(2 * 24 + 2) * 4:(2 * 24 + 2) * 4 + 4]
        self.assertEqual(hint_pixel, bytes([255, 0, 0, 255]))


class ComposeTests(WorkflowTestCase):
    def test_compose_without_an_object_layer_says_which_box(self):
        doc, _ = make_document()
        job = self.run_job(JobOptions("compose"))
        self.assertEqual(job.state, JobState.FAILED)
        self.assertIn("object layer", job.message)
        self.assertEqual(self.client.uploads, [])

    def test_compose_sends_the_chosen_object_layer(self):
        # before: the docker could not send it and every Compose failed with "inputs.object: missing"
        doc, _ = make_document()
        obj = doc.createNode("Object", "paintlayer")
        obj.setPixelData(bytes([9, 9, 9, 255]) * 9, 5, 5, 3, 3)
        doc.rootNode().addChildNode(obj, None)
        doc.setActiveNode(doc.nodeByName("Paint"))
        job = self.run_job(JobOptions("compose", inputs={"object": document.node_key(obj)}))
        self.assertEqual(job.state, JobState.DONE, job.message)
        self.assertIn("object", self.client.requests[0]["inputs"])


class ControlLayerTests(WorkflowTestCase):
    """Control layers (the diffusion engine's control_TYPE inputs): picked in the docker like any input
    layer, sent canvas-aligned over the same rectangle as the layer, one per type."""

    def setUp(self):
        info = fakedaemon.info_with_everything()
        generate = info["engines"][1]["operations"][0]
        generate["inputs"] = [{"name": "control_" + t, "description": t + " guide", "canvasAligned": True} for t in ("lineart", "scribble", "depth")]
        krita.Krita.reset()
        self.client = fakedaemon.FakeClient(info=info)
        self.model = BridgeModel(self.client)
        self.messages = []
        self.model.connect()
        self.client.pump()

    def test_a_scribble_layer_and_a_depth_layer_go_with_the_job(self):
        doc, _ = make_document()
        scribble = doc.createNode("Scribble", "paintlayer")
        scribble.setPixelData(bytes([0, 0, 0, 255]) * 12, 4, 4, 12, 1)
        depth = doc.createNode("Depth", "paintlayer")
        depth.setPixelData(bytes([200, 200, 200, 255]) * (24 * 16), 0, 0, 24, 16)
        doc.rootNode().addChildNode(scribble, None)
        doc.rootNode().addChildNode(depth, None)
        doc.setActiveNode(doc.nodeByName("Paint"))
        job = self.run_job(JobOptions("generate", inputs={"control_scribble": document.node_key(scribble),
                                                          "control_depth": document.node_key(depth)}))
        self.assertEqual(job.state, JobState.DONE, job.message)
        sent = self.client.requests[0]
        self.assertEqual(sorted(sent["inputs"]), ["control_depth", "control_scribble"])
        layer = sent["layer"]
        for name in ("control_depth", "control_scribble"):
            ref = sent["inputs"][name]
            self.assertEqual((ref["offsetX"], ref["offsetY"], ref["width"], ref["height"]),
                             (layer["offsetX"], layer["offsetY"], layer["width"], layer["height"]))

    def test_the_pickers_are_labelled_as_guides(self):
        from editorbridge.inputs_form import input_label
        self.assertEqual([input_label("control_" + t) for t in ("lineart", "scribble", "depth")], ["Line art guide", "Scribble guide", "Depth guide"])
        self.assertEqual(input_label("object"), "Object layer")


class SelectSubjectTests(WorkflowTestCase):
    def test_box_selection_is_the_box(self):
        # before: x = y = 0 with a box selection: "the point is on a transparent pixel or outside the selection"
        doc, _ = make_document()
        select(doc, 18, 3, 6, 8)  # red >= 128 there: the fake engine's "subject"
        job = self.run_job(JobOptions("segment"))
        self.assertEqual(job.state, JobState.DONE, job.message)
        self.assertEqual(self.client.requests[0]["parameters"], {"x": 18.0, "y": 3.0, "width": 6.0, "height": 8.0})
        self.assertIsNotNone(doc.selection())

    def test_point_without_selection(self):
        doc, _ = make_document()
        job = self.run_job(JobOptions("segment", point=(7, 5)))
        self.assertEqual(job.state, JobState.DONE, job.message)
        self.assertEqual(self.client.requests[0]["parameters"], {"x": 7.0, "y": 5.0, "width": 0.0, "height": 0.0})

    def test_neither_box_nor_point(self):
        doc, _ = make_document()
        job = self.run_job(JobOptions("segment"))
        self.assertEqual(job.state, JobState.FAILED)
        self.assertIn("Pick point", job.message)


class CountTests(WorkflowTestCase):
    def test_three_results_one_group_one_undo_step(self):
        doc, _ = make_document()
        job = self.run_job(JobOptions("stylize", seed=10, count=3))
        batch = job.batch
        self.assertEqual([j.seed for j in batch.jobs], [10, 11, 12])
        self.assertEqual([j.state for j in batch.jobs], [JobState.DONE] * 3)
        self.assertEqual([r["seed"] for r in self.client.requests], ["10", "11", "12"])
        self.assertEqual(self.names(doc), ["Background", "Paint", "Stylize x3 (seeds 10, 11, 12)"])
        self.assertEqual(len(doc.undo_steps), 1)
        group = doc.nodeByName("Stylize x3 (seeds 10, 11, 12)")
        layers = group.childNodes()
        self.assertEqual([n.visible() for n in layers], [True, False, False])
        pixels = {n.pixelData(0, 0, 24, 16) for n in layers}
        self.assertEqual(len(pixels), 3)  # three different results

    def test_count_is_for_generating_operations_only(self):
        self.assertEqual(JobOptions("segment", count=3).count, 1)
        self.assertEqual(JobOptions("fill", count=99).count, 8)


class RestoreTests(WorkflowTestCase):
    def test_clean_photo_adds_no_layer_and_says_why(self):
        # before: an empty layer and "returned the selection unchanged: ... is empty", then "done" over it
        doc, _ = make_document()
        job = self.run_job(JobOptions("restore", parameters={"method": "auto"}))
        self.assertEqual(job.state, JobState.DONE, job.message)
        self.assertEqual(self.names(doc), ["Background", "Paint"])
        self.assertEqual(doc.undo_steps, [])
        level, text = self.messages[-1]
        self.assertEqual(level, "warning")
        self.assertIn("nothing to fix in the layer", text)
        self.assertIn("no layer was added", text)
        self.assertNotIn("selection", text)


class ProgressTests(WorkflowTestCase):
    def test_progress_is_counted_for_every_operation(self):
        doc, _ = make_document()
        select(doc, 18, 2, 6, 6)
        for op in ("fill", "restore", "stylize", "colorize", "segment"):
            job = self.run_job(JobOptions(op, parameters={"method": "denoise"} if op == "restore" else {}))
            self.assertEqual(job.state, JobState.DONE, "%s: %s" % (op, job.message))
            self.assertGreaterEqual(job.progress_events, 1, op)


if __name__ == "__main__":
    unittest.main()
