"""Jobs with models and prompts, Generate, and the source layer staying active after a Fill."""

import unittest

import common  # noqa: F401
import fakedaemon
import krita
from editorbridge.model import JobOptions
from pictures import make_document, select
from test_model import ModelTestCase


class ModelJobTests(ModelTestCase):
    def setUp(self):
        ModelTestCase.setUp(self)
        self.client = fakedaemon.FakeClient(fakedaemon.info_with_models())
        from editorbridge.model import BridgeModel
        from test_model import Clock
        self.model = BridgeModel(self.client, clock=Clock())
        self.model.message.connect(lambda text, level: self.messages.append((level, text)))

    def test_request_carries_model_and_prompts(self):
        self.connect()
        doc, _ = make_document()
        select(doc, 2, 2, 4, 4)
        job = self.run_job(JobOptions("fill", model="sd-tiny", prompt="a wooden fence", negative_prompt="people", seed=3))
        self.assertEqual(job.state, "done", job.message)
        request = self.client.requests[0]
        self.assertEqual((request["model"], request["prompt"], request["negativePrompt"]), ("sd-tiny", "a wooden fence", "people"))
        self.assertEqual(job.model, "sd-tiny")
        self.assertIn("(model sd-tiny on cpu)", job.summary())
        self.assertIn("model sd-tiny on cpu", self.messages[-1][1])

    def test_automatic_model_sends_none(self):
        self.connect()
        doc, _ = make_document()
        select(doc, 2, 2, 4, 4)
        job = self.run_job(JobOptions("fill", seed=3))
        self.assertEqual(job.state, "done", job.message)
        self.assertNotIn("model", self.client.requests[0])

    def test_a_model_that_does_not_serve_the_operation_is_refused_before_upload(self):
        self.connect()
        doc, _ = make_document()
        select(doc, 2, 2, 4, 4)
        job = self.run_job(JobOptions("fill", model="upscale-x"))
        self.assertEqual(job.state, "failed")
        self.assertEqual(job.error.field, "model")
        self.assertIn("lama-tiny, sd-tiny", job.message)
        self.assertEqual(self.client.uploads, [])

    def test_menu_action_drops_another_operations_model(self):
        self.connect()
        doc, _ = make_document()
        self.model.last_options = JobOptions("fill", model="lama-tiny", prompt="sky")
        job = self.model.run_operation("generate")
        self.client.pump()
        self.assertEqual(job.state, "done", job.message)
        self.assertNotIn("model", self.client.requests[0])
        self.assertEqual(self.client.requests[0]["prompt"], "sky")


class GenerateTests(ModelTestCase):
    def setUp(self):
        ModelTestCase.setUp(self)
        self.client = fakedaemon.FakeClient(fakedaemon.info_with_models())
        from editorbridge.model import BridgeModel
        self.model = BridgeModel(self.client)

    def test_generate_sends_a_transparent_canvas_and_adds_a_layer(self):
        self.connect()
        doc, layer = make_document(12, 8)
        source_before = layer.pixelData(0, 0, 12, 8)
        job = self.run_job(JobOptions("generate", prompt="a lighthouse", seed=9))
        self.assertEqual(job.state, "done", job.message)
        request = self.client.requests[0]
        self.assertEqual((request["layer"]["width"], request["layer"]["height"], request["layer"]["offsetX"]), (12, 8, 0))
        self.assertNotIn("mask", request)
        self.assertEqual(self.client.blobs[request["layer"]["blobId"]], bytes(12 * 8 * 4))
        self.assertEqual(request["clientLabel"], "Krita: test.kra / new layer")
        self.assertEqual([n.name() for n in doc.rootNode().childNodes()], ["Background", "Paint", "Generate (seed 9)"])
        self.assertEqual(layer.pixelData(0, 0, 12, 8), source_before)
        self.assertEqual(doc.direct_writes, [])

    def test_generate_with_a_selection_sends_its_bounds(self):
        self.connect()
        doc, _ = make_document(12, 8)
        select(doc, 3, 2, 5, 4)
        job = self.run_job(JobOptions("generate", prompt="x", seed=1))
        self.assertEqual(job.state, "done", job.message)
        layer = self.client.requests[0]["layer"]
        self.assertEqual((layer["offsetX"], layer["offsetY"], layer["width"], layer["height"]), (3, 2, 5, 4))

    def test_generate_in_16_bit(self):
        self.connect()
        doc, _ = make_document(6, 4, depth="U16")
        job = self.run_job(JobOptions("generate", prompt="x", seed=1))
        self.assertEqual(job.state, "done", job.message)
        self.assertEqual(self.client.requests[0]["layer"]["format"], "PIXEL_FORMAT_RGBA16")


class ActiveLayerTests(ModelTestCase):
    def test_the_source_stays_active_so_a_second_fill_works(self):
        self.connect()
        doc, layer = make_document()
        select(doc, 2, 2, 4, 4)
        first = self.run_job(JobOptions("fill", seed=1))
        self.assertEqual(first.state, "done", first.message)
        self.assertEqual(doc.activeNode().name(), "Paint")
        second = self.run_job(JobOptions("fill", seed=2))
        self.assertEqual(second.state, "done", second.message)
        self.assertEqual(self.client.requests[1]["clientLabel"], "Krita: test.kra / Paint")
        self.assertEqual([n.name() for n in doc.rootNode().childNodes()], ["Background", "Paint", "Fill (seed 2)", "Fill (seed 1)"])
        self.assertEqual(doc.activeNode().name(), "Paint")

    def test_a_layer_the_painter_picked_meanwhile_stays_active(self):
        self.connect()
        doc, layer = make_document()
        select(doc, 2, 2, 4, 4)
        delayed = []
        self.client.later = lambda delay_ms, fn: delayed.append(fn)
        job = self.run_job(JobOptions("fill", seed=1))
        self.assertEqual(job.state, "done", job.message)
        self.assertEqual(doc.activeNode().name(), "Fill (seed 1)")  # as Krita leaves it at first
        background = doc.rootNode().childNodes()[0]
        doc.setActiveNode(background)
        for fn in delayed:
            fn()
        self.assertEqual(doc.activeNode().name(), "Background")

    def test_the_stand_in_activates_what_it_inserts_like_krita(self):
        doc, _ = make_document()
        extra = doc.createNode("Extra", "paintlayer")
        doc.rootNode().addChildNode(extra, None)
        self.assertEqual(doc.activeNode().name(), "Extra")

    def test_a_deleted_source_leaves_the_result_active(self):
        self.connect()
        doc, layer = make_document()
        select(doc, 2, 2, 4, 4)
        self.client.hold_stream = True
        job = self.model.run(JobOptions("fill", seed=1))
        self.client.pump()
        layer.remove()
        self.client.release()
        self.client.pump()
        self.assertEqual(job.state, "done", job.message)
        self.assertEqual(doc.activeNode().name(), "Fill (seed 1)")


if __name__ == "__main__":
    krita.Krita.reset()
    unittest.main()
