"""The JSON contract: request building, response parsing, NDJSON splitting, error mapping."""

import json
import unittest

import common  # noqa: F401
from editorbridge.request import ImageRef, build_parameters, coerce_parameter  # noqa: F401
from editorbridge import stream  # noqa: F401
import fakedaemon
from editorbridge import wire
from editorbridge.wire import BridgeError


class RequestTests(unittest.TestCase):
    def test_fill_request_matches_the_contract(self):
        layer = ImageRef(64, 32, 10, -5, "blob-1", "PIXEL_FORMAT_RGBA8")
        mask = ImageRef(8, 8, 20, 0, "blob-2")
        body = common.build_request("fill", layer, mask, {"method": "telea"}, seed=42, client_label="Krita: a / b")
        self.assertEqual(body, {
            "operation": "fill",
            "layer": {"width": 64, "height": 32, "format": "PIXEL_FORMAT_RGBA8", "offsetX": 10, "offsetY": -5, "blobId": "blob-1"},
            "mask": {"width": 8, "height": 8, "offsetX": 20, "offsetY": 0, "blobId": "blob-2"},
            "parameters": {"method": "telea"},
            "seed": "42",
            "resultDelivery": "RESULT_DELIVERY_BLOB",
            "releaseBlobs": True,
            "clientLabel": "Krita: a / b",
        })
        json.loads(wire.encode(body))

    def test_optional_fields(self):
        layer = ImageRef(1, 1, 0, 0, "b", "PIXEL_FORMAT_RGBA16")
        body = common.build_request("generate", layer, None, {}, seed=None, engine="diffusion",
                                      prompt="a cat", negative_prompt="blur")
        self.assertNotIn("seed", body)
        self.assertNotIn("mask", body)
        self.assertEqual((body["engine"], body["prompt"], body["negativePrompt"]), ("diffusion", "a cat", "blur"))
        body = common.build_request("fill", layer, seed=2 ** 64 - 1)
        self.assertEqual(body["seed"], str(2 ** 64 - 1))  # uint64 travels as a string
        with self.assertRaises(BridgeError) as caught:
            common.build_request("fill", layer, seed=2 ** 64)
        self.assertEqual(caught.exception.field, "seed")

    def test_parameters_follow_getinfo(self):
        info = wire.DaemonInfo(fakedaemon.load_info())
        op = info.operation("fill")
        params = build_parameters(op, {"method": "ns", "radius": "7.5", "patch_size": 9.0, "unknown": 1, "other": None})
        self.assertEqual(params, {"method": "ns", "radius": 7.5, "patch_size": 9})
        with self.assertRaises(BridgeError) as caught:
            build_parameters(op, {"method": "magic"})
        self.assertEqual(caught.exception.field, "parameters.method")
        with self.assertRaises(BridgeError) as caught:
            build_parameters(op, {"patch_size": 99})
        self.assertIn("outside", caught.exception.message)
        with self.assertRaises(BridgeError):
            build_parameters(op, {"patch_size": 7.5})
        flag = {"name": "tiled", "kind": "PARAMETER_KIND_BOOLEAN"}
        self.assertIs(coerce_parameter(flag, "yes"), True)
        self.assertIs(coerce_parameter(flag, 0), False)


class InfoTests(unittest.TestCase):
    def test_walking_skeleton_info(self):
        info = wire.DaemonInfo(fakedaemon.load_info())
        self.assertEqual(info.operations(), ["fill"])
        self.assertTrue(info.offers("fill"))
        self.assertFalse(info.offers("colorize"))
        self.assertEqual(info.engines_for("fill"), ["classic"])
        self.assertTrue(info.requires_mask("fill"))
        self.assertEqual(info.limits["max_side"], 16384)
        self.assertEqual(info.limits["max_pixels"], 67108864)  # int64 from a JSON string
        rule = info.context_rule("fill")
        self.assertEqual((rule.margin_percent, rule.min_pixels, rule.max_pixels, rule.grow_pixels), (40.0, 32, 512, 4))
        self.assertEqual(rule.crop((200, 100, 100, 50), (0, 0, 1000, 800)), (153, 53, 194, 144))
        self.assertIsNone(wire.DaemonInfo({}).context_rule("fill"))

    def test_every_operation(self):
        info = wire.DaemonInfo(fakedaemon.info_with_everything())
        self.assertEqual(set(info.operations()), {n for n, _ in wire.OPERATIONS})
        self.assertEqual(info.engines_for("generate"), ["diffusion"])
        self.assertIsNone(info.operation("generate", "classic"))
        self.assertFalse(info.requires_mask("segment"))

    def test_size_limits(self):
        info = wire.DaemonInfo({"limits": {"maxPixels": "1000000", "maxSide": 2000, "maxRequestBytes": "3000000"}})
        self.assertIsNone(info.check_size(800, 800, 4))
        self.assertIn("2000 pixels a side", info.check_size(2001, 10, 4).message)
        self.assertEqual(info.check_size(1001, 1000, 4).kind, "limit")
        self.assertIn("MB", info.check_size(800, 800, 8).message)


class StreamTests(unittest.TestCase):
    def test_lines_split_across_reads(self):
        splitter = stream.NdjsonSplitter()
        self.assertEqual(splitter.feed(b'{"jobId":"j","queued":{"position":2}}\n{"jobId":"j","sta'), [b'{"jobId":"j","queued":{"position":2}}'])
        self.assertEqual(splitter.feed(b'rted":{"engine":"classic"}}\n\n'), [b'{"jobId":"j","started":{"engine":"classic"}}'])
        self.assertEqual(splitter.feed(b'{"code":13,"message":"boom"}'), [])
        self.assertEqual(splitter.finish(), [b'{"code":13,"message":"boom"}'])
        self.assertEqual(splitter.finish(), [])

    def test_events(self):
        event = wire.parse_event(b'{"jobId":"job-1","queued":{}}')
        self.assertEqual((event.job_id, event.kind, event.data), ("job-1", "queued", {}))
        event = wire.parse_event(b'{"jobId":"job-1","progress":{"step":1,"total":2,"fraction":0.5,"stage":"telea"}}')
        self.assertEqual(event.data["fraction"], 0.5)
        result = wire.parse_event(json.dumps({"jobId": "j", "result": {"layer": {"blobId": "b"}}}).encode())
        self.assertEqual(result.kind, "result")
        last = wire.parse_event(b'{"code":13,"message":"engine \'classic\' failed","details":[]}')
        self.assertEqual(last.kind, "status")
        error = stream.status_error(last.data)
        self.assertEqual((error.kind, error.code), ("engine", 13))
        error = stream.status_error(wire.parse_event(b'{"jobId":"j","error":{"code":1,"message":"cancelled by CancelJob","field":""}}').data)
        self.assertEqual(error.kind, "cancelled")

    def test_bad_lines(self):
        for line in (b"not json", b"[1,2]", b'{"jobId":"j","somethingNew":{}}'):
            with self.assertRaises(BridgeError) as caught:
                wire.parse_event(line)
            self.assertEqual(caught.exception.kind, "protocol")


class ErrorTests(unittest.TestCase):
    def test_daemon_refusals(self):
        body = json.dumps({"code": 3, "message": "mask: bounds 64x64@(50,5) reach outside the layer", "details": [
            {"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [{"field": "mask", "description": "..."}]}]}).encode()
        error = wire.error_from_http(400, body)
        self.assertEqual((error.kind, error.field, error.code), ("invalid", "mask", 3))
        self.assertIn("reach outside", error.user_text())

        error = wire.error_from_http(401, b'{"code":16,"message":"authorization: missing","details":[]}')
        self.assertEqual(error.kind, "auth")
        self.assertIn("Reconnect", error.user_text())

        error = wire.error_from_http(400, b'{"code":8,"message":"layer.width: 20000 pixels is over the limit","details":[]}')
        self.assertEqual(error.kind, "limit")
        self.assertIn("smaller region", error.user_text())

        self.assertEqual(wire.error_from_http(413, b"").kind, "limit")
        self.assertEqual(wire.error_from_http(403, b"").kind, "forbidden")
        self.assertEqual(wire.error_from_http(400, b'{"code":9,"message":"operation: no installed engine offers \'colorize\'"}').kind, "precondition")
        self.assertEqual(wire.error_from_http(500, b"<html>").kind, "protocol")
        self.assertEqual(wire.error_from_http(404, b'{"code":5,"message":"blob_id: no blob"}').kind, "not_found")


if __name__ == "__main__":
    unittest.main()
