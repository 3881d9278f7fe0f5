"""Jobs end to end through the model, with the stand-in krita module and a fake daemon client."""

import unittest

import common  # noqa: F401
import krita
import fakedaemon
from editorbridge import document
from editorbridge.model import BridgeModel, JobOptions
from editorbridge.wire import BridgeError
from pictures import make_document, select


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        self.now += 0.010
        return self.now


class ModelTestCase(unittest.TestCase):
    def setUp(self):
        krita.Krita.reset()
        self.client = fakedaemon.FakeClient()
        self.model = BridgeModel(self.client, clock=Clock())
        self.messages = []
        self.model.message.connect(lambda text, level: self.messages.append((level, text)))

    def connect(self):
        self.model.connect()
        self.client.pump()
        self.assertEqual(self.client.state, "connected")

    def run_job(self, options):
        job = self.model.run(options)
        self.client.pump()
        return job


class FillTests(ModelTestCase):
    def test_fill_end_to_end(self):
        self.connect()
        doc, layer = make_document(32, 20)
        select(doc, 10, 6, 8, 5)
        source_before = layer.pixelData(0, 0, 32, 20)
        merged_before = doc.pixelData(0, 0, 32, 20)
        updates = []
        self.model.job_updated.connect(lambda j: updates.append(j.state))
        job = self.run_job(JobOptions("fill", parameters={"method": "telea", "bogus": 1}, seed=42))
        self.assertEqual(job.state, "done", job.message)
        # what went to the daemon
        request = self.client.requests[0]
        self.assertEqual(request["parameters"], {"method": "telea"})
        self.assertEqual(request["seed"], "42")
        self.assertEqual(request["clientLabel"], "Krita: test.kra / Paint")
        self.assertEqual(request["mask"]["offsetX"], 10)
        # a new layer above the source, named with operation and seed, one undo step
        names = [n.name() for n in doc.rootNode().childNodes()]
        self.assertEqual(names, ["Background", "Paint", "Fill (seed 42)"])
        self.assertEqual(doc.undo_steps, [("add", "Fill (seed 42)")])
        self.assertEqual(doc.direct_writes, [])
        self.assertEqual(layer.pixelData(0, 0, 32, 20), source_before)
        merged_after = doc.pixelData(0, 0, 32, 20)
        for y in range(20):
            for x in range(32):
                i = (y * 32 + x) * 4
                inside = 10 <= x < 18 and 6 <= y < 11
                if inside:
                    self.assertEqual(merged_after[i:i + 4], bytes([20, 10, 250, 255]))
                else:
                    self.assertEqual(merged_after[i:i + 4], merged_before[i:i + 4])
        self.assertEqual(doc.selection().width(), 8)
        # the stream was seen as it came
        for state in ("preparing", "uploading", "queued", "running", "downloading", "placing", "done"):
            self.assertIn(state, updates)
        self.assertEqual(job.engine, "fake")
        self.assertIsNotNone(job.preview)
        self.assertEqual(job.changed_pixels, 40)
        # timings: click to layer, engine time from provenance, the difference
        t = job.timings
        self.assertAlmostEqual(t["engine_ms"], 12.5)
        self.assertAlmostEqual(t["overhead_ms"], t["click_to_layer_ms"] - 12.5)
        for key in ("capture_ms", "upload_ms", "job_ms", "download_ms", "place_ms"):
            self.assertIn(key, t)

    def test_random_seed_comes_from_provenance(self):
        self.connect()
        doc, _ = make_document()
        select(doc, 1, 1, 3, 3)
        job = self.run_job(JobOptions("fill"))
        self.assertNotIn("seed", self.client.requests[0])
        self.assertEqual(job.layer_name, "Fill (seed 7)")

    def test_every_depth(self):
        for depth in ("U16", "F16", "F32"):
            krita.Krita.reset()
            self.setUp()
            self.connect()
            doc, layer = make_document(depth=depth)
            select(doc, 2, 2, 4, 4)
            before = layer.pixelData(0, 0, 24, 16)
            job = self.run_job(JobOptions("fill", seed=1))
            self.assertEqual(job.state, "done", "%s: %s" % (depth, job.message))
            self.assertEqual(self.client.requests[0]["layer"]["format"], "PIXEL_FORMAT_RGBA16")
            self.assertEqual(layer.pixelData(0, 0, 24, 16), before)
            new = doc.nodeByName("Fill (seed 1)")
            self.assertNotEqual(new.pixelData(3, 3, 1, 1), bytes(len(new.pixelData(3, 3, 1, 1))))
            self.assertEqual(new.pixelData(1, 1, 1, 1), bytes(len(new.pixelData(1, 1, 1, 1))))

    def test_merged_image_result_goes_on_top(self):
        self.connect()
        doc, layer = make_document()
        doc.setActiveNode(doc.rootNode().childNodes()[0])  # Background is active
        select(doc, 1, 1, 2, 2)
        job = self.run_job(JobOptions("fill", source=document.SOURCE_MERGED, seed=3))
        self.assertEqual(job.state, "done", job.message)
        self.assertEqual([n.name() for n in doc.rootNode().childNodes()][-1], "Fill (seed 3)")

    def test_several_jobs_queue(self):
        self.connect()
        doc, _ = make_document()
        select(doc, 1, 1, 2, 2)
        self.client.hold_stream = True
        jobs = [self.model.run(JobOptions("fill", seed=s)) for s in (1, 2, 3)]
        self.client.pump()
        self.assertEqual([j.state for j in jobs], ["queued"] * 3)
        self.assertEqual(len(self.model.active_jobs()), 3)
        self.client.release()
        self.client.pump()
        self.assertEqual([j.state for j in jobs], ["done"] * 3)
        self.assertEqual(len([n for n in doc.rootNode().childNodes() if n.name().startswith("Fill")]), 3)


class ColorizeAndSegmentTests(ModelTestCase):
    def setUp(self):
        ModelTestCase.setUp(self)
        self.client._info_json = fakedaemon.info_with_everything()

    def test_colorize_lands_under_the_line_art(self):
        self.connect()
        doc, layer = make_document()
        job = self.run_job(JobOptions("colorize", placement=document.PLACE_BELOW, seed=5, parameters={"strength": 0.7}))
        self.assertEqual(job.state, "done", job.message)
        self.assertNotIn("mask", self.client.requests[0])
        self.assertEqual(self.client.requests[0]["parameters"], {"strength": 0.7})
        self.assertEqual([n.name() for n in doc.rootNode().childNodes()], ["Background", "Colorize (seed 5)", "Paint"])
        self.assertEqual(len(doc.undo_steps), 1)
        colours = doc.nodeByName("Colorize (seed 5)")
        # the whole result, not only changed pixels: the fake engine inverts every colour
        self.assertEqual(colours.pixelData(0, 0, 1, 1)[:3], bytes(255 - b for b in layer.pixelData(0, 0, 1, 1)[:3]))

    def test_colorize_replace(self):
        self.connect()
        doc, layer = make_document()
        job = self.run_job(JobOptions("colorize", placement=document.PLACE_REPLACE, seed=5))
        self.assertEqual(job.state, "done", job.message)
        self.assertEqual([n.name() for n in doc.rootNode().childNodes()], ["Background", "Colorize (seed 5)"])

    def test_select_subject_sets_the_selection(self):
        self.connect()
        doc, layer = make_document()
        job = self.run_job(JobOptions("segment", point=(3, 4)))
        self.assertEqual(job.state, "done", job.message)
        selection = doc.selection()
        self.assertIsNotNone(selection)
        coverage = selection.pixelData(0, 0, 24, 16)
        # the fake "subject": pixels whose red channel is >= 128
        for y in range(16):
            for x in range(24):
                red = layer.pixelData(x, y, 1, 1)[2]
                self.assertEqual(coverage[y * 24 + x], 255 if red >= 128 else 0)
        self.assertEqual([n.name() for n in doc.rootNode().childNodes()], ["Background", "Paint"])

    def test_engine_choice_must_offer_the_operation(self):
        self.connect()
        doc, _ = make_document()
        job = self.run_job(JobOptions("generate", engine="classic"))
        self.assertEqual(job.state, "failed")
        job = self.run_job(JobOptions("generate", engine="diffusion", prompt="a fox", parameters={"style_preset": "ink", "steps": 4}))
        self.assertEqual(job.state, "done", job.message)
        request = self.client.requests[-1]
        self.assertEqual((request["engine"], request["prompt"], request["parameters"]), ("diffusion", "a fox", {"style_preset": "ink", "steps": 4}))


class BadInputTests(ModelTestCase):
    def test_operation_not_offered_yet(self):
        self.connect()
        doc, _ = make_document()
        job = self.run_job(JobOptions("colorize"))
        self.assertEqual(job.state, "failed")
        self.assertIn("does not offer Colorize yet", job.message)
        self.assertEqual(self.client.uploads, [])

    def test_empty_selection_and_no_selection(self):
        self.connect()
        doc, layer = make_document()
        job = self.run_job(JobOptions("fill"))
        self.assertIn("needs a selection", job.message)
        select(doc, 1, 1, 2, 2, value=0)
        job = self.run_job(JobOptions("fill"))
        self.assertEqual(job.state, "failed")
        self.assertEqual(self.client.uploads, [])
        self.assertEqual(self.messages[-1][0], "error")

    def test_unsupported_colour_model(self):
        self.connect()
        doc, _ = make_document(model="CMYKA")
        select(doc, 1, 1, 2, 2)
        job = self.run_job(JobOptions("fill"))
        self.assertEqual(job.state, "failed")
        self.assertIn("CMYK", job.message)
        self.assertEqual(self.client.uploads, [])

    def test_canvas_beyond_the_daemons_limits(self):
        info = fakedaemon.load_info()
        info["limits"]["maxPixels"] = "100"
        self.client._info_json = info
        self.connect()
        doc, _ = make_document()
        select(doc, 0, 0, 24, 16)
        job = self.run_job(JobOptions("fill"))
        self.assertEqual(job.state, "failed")
        self.assertIn("at most 100", job.message)
        self.assertEqual(self.client.uploads, [])

    def test_daemon_down_mid_job(self):
        self.connect()
        doc, layer = make_document()
        select(doc, 1, 1, 2, 2)
        before = layer.pixelData(0, 0, 24, 16)
        self.client.stream_failure = BridgeError("unavailable", "The daemon closed the connection during the job: it stopped or crashed.")
        job = self.run_job(JobOptions("fill"))
        self.assertEqual(job.state, "failed")
        self.assertIn("stopped or crashed", job.message)
        self.assertIn("Reconnect", job.message)
        self.assertEqual(self.client.state, "failed")  # the docker shows it; the next run reconnects
        self.assertEqual([n.name() for n in doc.rootNode().childNodes()], ["Background", "Paint"])
        self.assertEqual(layer.pixelData(0, 0, 24, 16), before)
        self.client.stream_failure = None
        job = self.run_job(JobOptions("fill"))
        self.assertEqual(job.state, "done")
        self.assertEqual(self.client.connect_calls, 2)

    def test_daemon_cannot_be_started(self):
        self.client.connect_error = BridgeError("unavailable", "The EditorBridge daemon is not running and cannot be started: no 'editorbridge' program on PATH.")
        doc, _ = make_document()
        select(doc, 1, 1, 2, 2)
        job = self.run_job(JobOptions("fill"))
        self.assertEqual(job.state, "failed")
        self.assertIn("cannot be started", job.message)
        text, level = self.model.status()
        self.assertEqual(level, "error")
        self.assertIn("editorbridge", text)

    def test_engine_failure_is_reported(self):
        self.connect()
        doc, _ = make_document()
        select(doc, 1, 1, 2, 2)
        self.client.stream_failure = BridgeError("engine", "engine 'classic' failed: NotSupportedException: exemplar fill not built yet")
        job = self.run_job(JobOptions("fill"))
        self.assertIn("exemplar fill not built yet", job.message)
        self.assertEqual(self.client.state, "connected")  # an engine failure is not a lost daemon

    def test_bad_parameter_is_refused_before_upload(self):
        self.connect()
        doc, _ = make_document()
        select(doc, 1, 1, 2, 2)
        job = self.run_job(JobOptions("fill", parameters={"radius": 500}))
        self.assertEqual(job.state, "failed")
        self.assertIn("radius", job.message)
        self.assertEqual(self.client.uploads, [])


class CancelTests(ModelTestCase):
    def start_held_job(self):
        self.connect()
        doc, _ = make_document()
        select(doc, 1, 1, 2, 2)
        self.client.hold_stream = True
        job = self.model.run(JobOptions("fill"))
        self.client.pump()
        job.daemon_id = "job-1"
        return doc, job

    def test_cancel(self):
        doc, job = self.start_held_job()
        self.model.cancel(job)
        self.assertEqual(job.state, "cancelled")
        self.assertEqual(self.client.cancelled, ["job-1"])
        self.client.release()
        self.client.pump()
        self.assertEqual([n.name() for n in doc.rootNode().childNodes()], ["Background", "Paint"])

    def test_closing_the_document_cancels_its_jobs(self):
        doc, job = self.start_held_job()
        other, _ = make_document(name="other.kra")
        select(other, 1, 1, 2, 2)
        other_job = self.model.run(JobOptions("fill"))
        self.client.pump()
        krita.Krita.instance().closeDocument(doc)
        self.model.prune_closed_documents()
        self.assertEqual(job.state, "cancelled")
        self.assertIn("closed", job.message)
        self.assertEqual(other_job.state, "queued")

    def test_closing_the_document_while_the_daemon_starts(self):
        doc, _ = make_document()
        select(doc, 1, 1, 2, 2)
        job = self.model.run(JobOptions("fill"))  # not connected yet: it waits for the daemon
        self.assertEqual(job.message, "waiting for the daemon")
        krita.Krita.instance().closeDocument(doc)
        self.model.prune_closed_documents()
        self.assertEqual(job.state, "cancelled")
        self.client.pump()
        self.assertEqual(self.client.uploads, [])

    def test_result_for_a_closed_document_is_dropped(self):
        doc, job = self.start_held_job()
        krita.Krita.instance().closeDocument(doc)
        self.client.release()
        self.client.pump()
        self.assertEqual(job.state, "cancelled")

    def test_document_closed_while_the_result_converts(self):
        self.connect()
        doc, _ = make_document()
        select(doc, 1, 1, 2, 2)
        job = self.model.run(JobOptions("fill"))
        while self.client.queue and job.state != "placing":
            fn, args = self.client.queue.popleft()
            fn(*args)
        self.assertEqual(job.state, "placing")
        krita.Krita.instance().closeDocument(doc)
        self.client.pump()
        self.assertEqual(job.state, "cancelled")

    def test_closing_krita_cancels_everything(self):
        doc, job = self.start_held_job()
        self.model.shutdown()
        self.assertEqual(job.state, "cancelled")
        self.assertIn("Krita is closing", job.message)


if __name__ == "__main__":
    unittest.main()
