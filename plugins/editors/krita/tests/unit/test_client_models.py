"""The Qt client's model calls against the local fake daemon over HTTP: catalog, the streamed
PullModel (progress, licence, done, error, a cut stream, Cancel closing it), GetInfo read again."""

import unittest

import common
import fakedaemon
from test_client import ClientTestCase

if common.have_pyqt5():
    from editorbridge import wire


@unittest.skipUnless(common.have_pyqt5(), "PyQt5 is not installed (apt-get install python3-pyqt5)")
class PullTests(ClientTestCase):
    def pull(self, client, name, accept=False):
        events, ended = [], []
        call = client.pull_model(name, accept, events.append, ended.append)
        return call, events, ended

    def test_catalog(self):
        self.serve()
        client = self.connected_client()
        got = []
        client.list_catalog(lambda models, error: got.append((models, error)))
        self.assertTrue(common.spin(lambda: got))
        models, error = got[0]
        self.assertIsNone(error)
        self.assertEqual([m["name"] for m in models], ["lama-tiny", "sd-big", "upscale-free"])

    def test_progress_then_done_as_they_arrive(self):
        server = self.serve()
        server.event_delay = 0.05
        client = self.connected_client()
        _, events, ended = self.pull(client, "upscale-free")
        self.assertTrue(common.spin(lambda: len(events) >= 1))
        self.assertFalse(ended)  # the first progress is seen while the stream is still open
        self.assertTrue(common.spin(lambda: ended))
        self.assertIsNone(ended[0])
        self.assertEqual([e.kind for e in events], ["progress"] * 3 + ["done"])
        self.assertEqual(server.pulls, [{"name": "upscale-free", "acceptLicence": False}])

    def test_licence_needed_ends_with_failed_precondition(self):
        self.serve()
        client = self.connected_client()
        _, events, ended = self.pull(client, "sd-big")
        self.assertTrue(common.spin(lambda: ended))
        self.assertEqual([e.kind for e in events], ["licence_needed"])
        self.assertEqual(events[0].data["licenceUrl"], "https://example.org/openrail")
        self.assertEqual(ended[0].code, wire.FAILED_PRECONDITION)

    def test_failure_keeps_the_daemons_message(self):
        server = self.serve()
        server.fail_with = (10, "network failure after 3 tries: pull again to resume")
        client = self.connected_client()
        _, events, ended = self.pull(client, "upscale-free")
        self.assertTrue(common.spin(lambda: ended))
        self.assertEqual(ended[0].code, 10)
        self.assertIn("resume", ended[0].message)

    def test_cut_stream_is_an_error_not_success(self):
        server = self.serve()
        server.cut_pull = True
        client = self.connected_client()
        _, events, ended = self.pull(client, "upscale-free")
        self.assertTrue(common.spin(lambda: ended))
        self.assertIsNotNone(ended[0])
        self.assertEqual(ended[0].kind, "unavailable")
        self.assertEqual([e.kind for e in events], ["progress"] * 3)

    def test_cancel_closes_the_stream(self):
        server = self.serve()
        server.event_delay = 0.3
        client = self.connected_client()
        call, events, ended = self.pull(client, "upscale-free")
        self.assertTrue(common.spin(lambda: events))
        call.abort()
        self.assertTrue(common.spin(lambda: not client._calls, timeout=3))
        common.spin(lambda: False, timeout=1.2)  # the server would have sent everything by now
        self.assertEqual(ended, [])  # an aborted call reports nothing more
        self.assertLess(len(events), 4)

    def test_refresh_info_reads_the_new_models(self):
        server = self.serve()
        client = self.connected_client()
        self.assertEqual(client.info.models, [])
        server.info = fakedaemon.info_with_models()
        changed, ended = [], []
        client.stateChanged.connect(lambda: changed.append(1))
        client.refresh_info(ended.append)
        self.assertTrue(common.spin(lambda: ended))
        self.assertEqual([m["name"] for m in client.info.models], ["lama-tiny", "sd-tiny"])
        self.assertTrue(changed)


if __name__ == "__main__":
    unittest.main()
