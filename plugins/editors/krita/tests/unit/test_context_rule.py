"""The plugin's crop against the real daemon's answer: for random selections, canvases and rules,
``ContextRule.crop`` (and ``document.capture``) name the rectangle the daemon plans
(``GET /v1/info?context.…``, computed by EditorBridge.Imaging's ContextCrop).

Needs the built CLI: ``EDITORBRIDGE_CLI`` (run-all.sh and run-tests.sh set it), else
``src/EditorBridge.Cli/bin/Release/net10.0/editorbridge.dll``; skipped when neither exists.
The daemon runs with its own temporary state and model folders and free ports.
"""

import json
import os
import random
import shutil
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

import common
import krita
from editorbridge import document, wire
from editorbridge.context_rule import ContextRule
from pictures import make_document, select

REPO = os.path.normpath(os.path.join(common.PLUGIN_ROOT, "..", "..", ".."))


def _cli():
    path = os.environ.get("EDITORBRIDGE_CLI") or os.path.join(REPO, "src", "EditorBridge.Cli", "bin", "Release", "net10.0", "editorbridge.dll")
    return path if os.path.isfile(path) and shutil.which("dotnet") else None


class Daemon(object):
    """``editorbridge serve`` in a private folder; ``get(query)`` answers GET /v1/info as JSON."""

    def __init__(self, cli):
        self.root = tempfile.mkdtemp(prefix="eb-context-")
        self.state = os.path.join(self.root, "state")
        env = dict(os.environ, EDITORBRIDGE_STATE_DIR=self.state, EDITORBRIDGE_MODELS_DIR=os.path.join(self.root, "models"),
                   DOTNET_CLI_TELEMETRY_OPTOUT="1")
        command = ["dotnet", cli] if cli.endswith(".dll") else [cli]
        self.log = open(os.path.join(self.root, "daemon.log"), "w")
        self.process = subprocess.Popen(command + ["serve", "--state-dir", self.state], env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while True:
            try:
                with open(os.path.join(self.state, "daemon.json")) as f:
                    self.port = int(json.load(f)["http_port"])
                with open(os.path.join(self.state, "token")) as f:
                    self.token = f.read().strip()
                self.get({})
                return
            except (OSError, ValueError, KeyError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.close()
                    raise RuntimeError("the daemon did not start; see %s" % os.path.join(self.root, "daemon.log"))
                time.sleep(0.2)

    def get(self, query):
        url = "http://127.0.0.1:%d/v1/info?%s" % (self.port, urllib.parse.urlencode(query))
        request = urllib.request.Request(url, headers={"Authorization": "Bearer " + self.token})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read().decode("utf-8"))

    def close(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.root, ignore_errors=True)


def _query(selection, canvas, operation="fill", geometry=None):
    q = {"context.operation": operation}
    for key, rect in (("selection", selection), ("layer", canvas)):
        for name, value in zip(("x", "y", "width", "height"), rect):
            q["context.%s.%s" % (key, name)] = value
    for name, value in (geometry or {}).items():
        q["context.geometry." + name] = value
    return q


def _rect(raw):
    return tuple(int(raw.get(k) or 0) for k in ("x", "y", "width", "height"))


@unittest.skipIf(_cli() is None, "no built editorbridge CLI (set EDITORBRIDGE_CLI)")
class DaemonAgreesTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon(_cli())
        cls.info = wire.DaemonInfo(cls.daemon.get({}))

    @classmethod
    def tearDownClass(cls):
        cls.daemon.close()

    def cases(self, seed, count):
        r = random.Random(seed)
        for _ in range(count):
            canvas = (0, 0, r.randint(1, 3000), r.randint(1, 3000))
            w, h = r.randint(1, canvas[2]), r.randint(1, canvas[3])
            yield (r.randint(0, canvas[2] - w), r.randint(0, canvas[3] - h), w, h), canvas, r

    def test_the_published_rule_gives_the_daemons_crop(self):
        rule = self.info.context_rule("fill")
        self.assertIsNotNone(rule, "the daemon publishes no contextRule for fill")
        for selection, canvas, _ in self.cases(20261207, 150):
            answer = self.daemon.get(_query(selection, canvas))["context"]
            self.assertEqual(rule.crop(selection, canvas), _rect(answer["crop"]), (selection, canvas, answer))

    def test_every_rule_gives_the_daemons_crop(self):
        # the request's geometry replaces the published fields: the answer states the rule it used
        for selection, canvas, r in self.cases(7, 150):
            geometry = {"contextMarginPercent": r.choice([0, 0.5, 12.5, 40, 62.5, 400]), "contextMinPixels": r.randint(0, 40),
                        "growPixels": r.randint(0, 256)}
            geometry["contextMaxPixels"] = r.randint(geometry["contextMinPixels"], 800)
            answer = self.daemon.get(_query(selection, canvas, geometry=geometry))["context"]
            rule = ContextRule.from_json(answer["rule"])
            self.assertEqual((rule.margin_percent, rule.grow_pixels), (float(geometry["contextMarginPercent"]), geometry["growPixels"]))
            self.assertEqual(rule.crop(selection, canvas), _rect(answer["crop"]), (selection, canvas, geometry, answer))

    def test_the_capture_sends_the_daemons_crop(self):
        rule = self.info.context_rule("fill")
        for selection, canvas in (((10, 12, 5, 4), (0, 0, 40, 30)), ((0, 0, 300, 7), (0, 0, 300, 200)), ((250, 150, 40, 40), (0, 0, 300, 200))):
            krita.Krita.reset()
            doc, _ = make_document(canvas[2], canvas[3])
            select(doc, *selection)
            cap = document.capture(doc, "fill", context_rule=rule, info=self.info)
            answer = self.daemon.get(_query(selection, canvas))["context"]
            self.assertEqual(cap.rect, _rect(answer["crop"]))

    def test_the_outpaint_rule_gives_the_daemons_crop(self):
        # selections reaching past a layer (new canvas): the daemon grows the layer, the crop stays on it
        r = random.Random(2112)
        for _ in range(150):
            layer = (r.randint(-50, 50), r.randint(-50, 50), r.randint(8, 600), r.randint(8, 600))
            w, h = r.randint(1, 300), r.randint(1, 300)
            x = r.choice([layer[0] - w + r.randint(0, w), layer[0] + layer[2] - r.randint(0, w), layer[0] + r.randint(0, layer[2] - 1)])
            y = r.choice([layer[1] - h + r.randint(0, h), layer[1] + layer[3] - r.randint(0, h), layer[1] + r.randint(0, layer[3] - 1)])
            selection = (x, y, w, h)
            answer = self.daemon.get(_query(selection, layer, geometry={"outpaint": "true", "growPixels": r.randint(0, 20)}))["context"]
            rule = ContextRule.from_json(answer["rule"])
            self.assertEqual(rule.crop(selection, layer, outpaint=True), _rect(answer["crop"]), (selection, layer, answer))

    def test_a_fill_past_the_layer_captures_the_layer_and_asks_to_outpaint(self):
        rule = self.info.context_rule("fill")
        krita.Krita.reset()
        doc, layer = make_document(40, 30)
        doc._width = 56  # the canvas grew right by 16; the layer's pixels stay 40 wide
        select(doc, 40, 0, 16, 30)
        cap = document.capture(doc, "fill", context_rule=rule, info=self.info)
        answer = self.daemon.get(_query((40, 0, 16, 30), (0, 0, 40, 30), geometry={"outpaint": "true"}))["context"]
        self.assertTrue(cap.outpaint)
        self.assertEqual(cap.rect, _rect(answer["crop"]))
        self.assertEqual(cap.rect[0] + cap.rect[2], 40)
        select(doc, 10, 10, 5, 5)
        self.assertFalse(document.capture(doc, "fill", context_rule=rule, info=self.info).outpaint)

    def test_a_bad_query_names_the_field(self):
        with self.assertRaises(urllib.error.HTTPError) as caught:
            self.daemon.get(_query((5, 5, 0, 3), (0, 0, 10, 10)))
        self.assertEqual(caught.exception.code, 400)
        self.assertIn("context.selection", caught.exception.read().decode("utf-8"))


if __name__ == "__main__":
    unittest.main()
