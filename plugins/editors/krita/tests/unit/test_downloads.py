"""The Models dialog's state: rows, downloads, the licence question, cancel, and GetInfo read again."""

import unittest

import common  # noqa: F401
import fakedaemon
from editorbridge.downloads import ModelLibrary, model_rows
from editorbridge.wire import BridgeError


class LibraryTestCase(unittest.TestCase):
    def setUp(self):
        self.client = fakedaemon.FakeClient(fakedaemon.info_with_models())
        self.client.connect_daemon()
        self.client.pump()
        self.questions = []
        self.answer = True
        self.seen = []
        self.library = ModelLibrary(self.client, self.ask, lambda d: self.seen.append(d.state if d else None))
        self.library.load_catalog()
        self.client.pump()

    def ask(self, name, licence_id, licence_url):
        self.questions.append((name, licence_id, licence_url))
        return self.answer


class RowTests(LibraryTestCase):
    def test_catalog_and_installed_merge(self):
        rows = {r.name: r for r in self.library.rows()}
        self.assertEqual([r.name for r in self.library.rows()], ["lama-tiny", "sd-big", "upscale-free", "sd-tiny"])
        self.assertTrue(rows["lama-tiny"].installed and rows["lama-tiny"].in_catalog)
        self.assertFalse(rows["sd-big"].installed)
        self.assertEqual(rows["sd-big"].size_bytes, 1717986918)
        self.assertTrue(rows["sd-big"].licence_requires_acceptance)
        self.assertTrue(rows["sd-tiny"].installed and not rows["sd-tiny"].in_catalog)  # imported, not in the catalog
        self.assertEqual(rows["sd-tiny"].kind, "diffusion")

    def test_rows_without_a_catalog(self):
        self.assertEqual([r.name for r in model_rows([{"name": "b"}, {"name": "a"}], [])], ["a", "b"])


class DownloadTests(LibraryTestCase):
    def test_free_licence_downloads_without_asking_then_rereads_info(self):
        download = self.library.pull("upscale-free")
        self.assertEqual(download.state, "downloading")
        self.client.pump()
        self.assertEqual(download.state, "installed")
        self.assertEqual(self.questions, [])
        self.assertEqual(self.client.pulls, [("upscale-free", False)])
        self.assertEqual(download.bytes_done, 3000)
        self.assertIn("downloading", self.seen)
        self.assertEqual(getattr(self.client, "refreshes", 0), 1)  # the docker sees the new model

    def test_progress_is_kept_as_it_arrives(self):
        download = self.library.pull("upscale-free")
        fractions = []
        self.library.changed = lambda d: fractions.append(round(d.fraction, 3)) if d and d.state == "downloading" else None
        self.client.pump()
        self.assertEqual(fractions[:3], [0.0, 0.333, 0.667])
        self.assertIn("installed", download.text())

    def test_licence_asked_first_then_pulled_with_acceptance(self):
        download = self.library.pull("sd-big")
        self.assertEqual(self.questions, [("sd-big", "CreativeML-OpenRAIL-M", "https://example.org/openrail")])
        self.client.pump()
        self.assertEqual(self.client.pulls, [("sd-big", True)])
        self.assertEqual(download.state, "installed")

    def test_licence_declined_downloads_nothing(self):
        self.answer = False
        download = self.library.pull("sd-big")
        self.client.pump()
        self.assertEqual(download.state, "declined")
        self.assertEqual(getattr(self.client, "pulls", []), [])
        self.assertIn("not accepted", download.text())

    def test_licence_needed_from_the_daemon_asks_then_pulls_again(self):
        self.library.catalog = []  # the dialog did not know the licence needs accepting
        download = self.library.pull("sd-big")
        self.assertEqual(self.questions, [])
        self.client.pump()
        self.assertEqual(self.questions, [("sd-big", "CreativeML-OpenRAIL-M", "https://example.org/openrail")])
        self.assertEqual(self.client.pulls, [("sd-big", False), ("sd-big", True)])
        self.assertEqual(download.state, "installed")

    def test_licence_needed_declined_fails_nothing_else(self):
        self.library.catalog = []
        self.answer = False
        download = self.library.pull("sd-big")
        self.client.pump()
        self.assertEqual(download.state, "declined")
        self.assertEqual(self.client.pulls, [("sd-big", False)])

    def test_cancel_closes_the_stream_and_says_it_resumes(self):
        download = self.library.pull("upscale-free")
        self.assertTrue(self.library.busy)
        self.library.cancel()
        self.assertTrue(download.call.aborted)
        self.client.pump()
        self.assertEqual(download.state, "cancelled")
        self.assertIn("resumes", download.text())
        self.assertFalse(self.library.busy)

    def test_failure_shows_the_daemons_message(self):
        self.client.pull_failure = (8, "not enough disk space: 1.6 GB needed, 200 MB free")
        download = self.library.pull("upscale-free")
        self.client.pump()
        self.assertEqual(download.state, "failed")
        self.assertIn("disk space", download.text())
        self.assertEqual(getattr(self.client, "refreshes", 0), 0)

    def test_one_download_at_a_time(self):
        self.library.pull("upscale-free")
        with self.assertRaises(BridgeError):
            self.library.pull("lama-tiny")


if __name__ == "__main__":
    unittest.main()
