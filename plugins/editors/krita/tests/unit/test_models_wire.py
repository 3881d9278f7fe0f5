"""The model side of the contract: model/prompt fields, GetInfo's models and routes, the PullModel stream."""

import json
import unittest

import common  # noqa: F401
from editorbridge.request import ImageRef, build_parameters, coerce_parameter  # noqa: F401
from editorbridge import stream  # noqa: F401
import fakedaemon
from editorbridge import pull_wire, wire
from editorbridge.wire import BridgeError, DaemonInfo


def lines(*objects):
    return b"".join(json.dumps(o).encode() + b"\n" for o in objects)


class ModelRequestTests(unittest.TestCase):
    def test_model_and_prompts_travel_under_their_json_names(self):
        layer = ImageRef(4, 4, 0, 0, "b", "PIXEL_FORMAT_RGBA8")
        body = common.build_request("generate", layer, prompt="a red fox", negative_prompt="blur", model="sd-tiny")
        self.assertEqual((body["model"], body["prompt"], body["negativePrompt"]), ("sd-tiny", "a red fox", "blur"))

    def test_automatic_sends_no_model(self):
        body = common.build_request("fill", ImageRef(1, 1, 0, 0, "b", "PIXEL_FORMAT_RGBA8"), model="")
        self.assertNotIn("model", body)
        self.assertNotIn("prompt", body)


class InfoModelTests(unittest.TestCase):
    def setUp(self):
        self.info = DaemonInfo(fakedaemon.info_with_models())

    def test_models_of_an_operation_follow_the_daemons_route(self):
        self.assertEqual(self.info.models_for("fill"), ["lama-tiny", "sd-tiny"])
        self.assertEqual(self.info.models_for("fill", "diffusion"), ["sd-tiny"])
        self.assertEqual(self.info.models_for("fill", "classic"), [])
        self.assertEqual(self.info.models_for("restore"), [])

    def test_route_order_not_engine_order(self):
        data = fakedaemon.info_with_models()
        data["operationRoutes"][0]["engines"] = ["diffusion", "onnx", "classic"]
        self.assertEqual(DaemonInfo(data).models_for("fill"), ["sd-tiny", "lama-tiny"])

    def test_operation_info_is_the_serving_engines(self):
        self.assertEqual(self.info.operation("fill")["models"], ["lama-tiny"])  # onnx routes first
        self.assertEqual(self.info.operation("fill", model="sd-tiny")["models"], ["sd-tiny"])
        self.assertEqual(self.info.operation("fill", engine="classic")["parameters"][0]["name"], "method")
        self.assertIsNone(self.info.operation("fill", engine="classic", model="sd-tiny"))
        self.assertEqual(DaemonInfo(fakedaemon.load_info()).operation("fill")["parameters"][0]["name"], "method")

    def test_prompts_only_where_a_diffusion_model_serves(self):
        self.assertTrue(self.info.takes_prompt("generate"))
        self.assertTrue(self.info.takes_prompt("fill"))  # automatic: one of its models is a diffusion model
        self.assertFalse(self.info.takes_prompt("fill", model="lama-tiny"))
        self.assertTrue(self.info.takes_prompt("fill", model="sd-tiny"))
        self.assertFalse(self.info.takes_prompt("fill", engine="onnx"))
        self.assertFalse(DaemonInfo(fakedaemon.load_info()).takes_prompt("fill"))


class PullStreamTests(unittest.TestCase):
    def read(self, data, pieces=7, broken=None):
        events = []
        reader = pull_wire.PullStreamReader(events.append)
        for i in range(0, len(data), pieces):  # lines split across reads
            reader.feed(data[i:i + pieces])
        return events, reader.finish(rest=b"", broken=broken), reader

    def test_progress_then_done(self):
        data = lines(*fakedaemon.pull_lines("sd-big", True))
        events, error, reader = self.read(data)
        self.assertIsNone(error)
        self.assertEqual([e.kind for e in events], ["progress"] * 3 + ["done"])
        last = events[2]
        self.assertEqual((last.bytes_done, last.bytes_total, last.bytes_per_second), (2000, 3000, 1500.0))
        self.assertAlmostEqual(last.seconds_left, 2 / 3.0)
        self.assertEqual(reader.done["model"]["name"], "sd-big")
        self.assertEqual(pull_wire.progress_text(last), "2.0 KB of 2.9 KB, 1.5 KB/s, 1 s left")

    def test_licence_needed_then_failed_precondition(self):
        events, error, reader = self.read(lines(*fakedaemon.pull_lines("sd-big", False)))
        self.assertEqual([e.kind for e in events], ["licence_needed"])
        self.assertEqual(reader.licence["licenceId"], "CreativeML-OpenRAIL-M")
        self.assertEqual(reader.licence["licenceUrl"], "https://example.org/openrail")
        self.assertEqual((error.kind, error.code), ("precondition", wire.FAILED_PRECONDITION))
        self.assertIn("accept_licence", error.message)

    def test_error_event_wins_over_the_status_line(self):
        events, error, _ = self.read(lines(*fakedaemon.pull_lines("x", True, fail=(15, "unet/model.onnx: SHA-256 differs"))))
        self.assertEqual(error.code, 15)
        self.assertIn("SHA-256", error.message)
        self.assertNotIn("done", [e.kind for e in events])

    def test_cut_stream_is_an_error_that_says_resume(self):
        data = lines(*fakedaemon.pull_lines("sd-big", True)[:2])
        events, error, _ = self.read(data + b'{"progress": {"bytesDo')  # cut mid-line
        self.assertEqual(len(events), 2)
        self.assertEqual(error.kind, "protocol")  # the half line is not JSON
        events, error, _ = self.read(data)
        self.assertEqual(error.kind, "unavailable")
        self.assertIn("resume", error.message)

    def test_broken_connection_is_reported(self):
        broken = BridgeError("unavailable", "The daemon closed the connection during the download")
        _, error, _ = self.read(lines(*fakedaemon.pull_lines("sd-big", True)[:1]), broken=broken)
        self.assertIs(error, broken)

    def test_unknown_event_and_bad_name(self):
        with self.assertRaises(BridgeError) as caught:
            pull_wire.parse_pull_event(b'{"surprise": {}}')
        self.assertIn("surprise", caught.exception.message)
        with self.assertRaises(BridgeError) as caught:
            pull_wire.pull_request("../evil")
        self.assertEqual(caught.exception.field, "name")
        self.assertEqual(pull_wire.pull_request("sd-big", True), ("/v1/models/sd-big/pull", {"name": "sd-big", "acceptLicence": True}))

    def test_sizes_and_durations(self):
        self.assertEqual(pull_wire.byte_size_text(1717986918), "1.6 GB")
        self.assertEqual(pull_wire.duration_text(125), "2 min 05 s")
        self.assertEqual(pull_wire.duration_text(-1), "unknown")
        self.assertEqual(pull_wire.duration_text(3700), "1 h 01 min")


if __name__ == "__main__":
    unittest.main()
