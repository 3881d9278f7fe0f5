"""The shared-memory path of the Krita bridge: the pictures go into a pixel region mapped with
``mmap`` and the result comes back through it, pixel for pixel what the blob path gives; a refused
or lost region falls back to blobs; a region file that is not what the daemon said is refused."""

import os
import tempfile
import unittest

import common  # noqa: F401
import krita
import fakedaemon
from editorbridge import shared_memory
from editorbridge.model import BridgeModel, JobOptions
from editorbridge.wire import BridgeError
from pictures import make_document, select


def fill(client, depth="U8", operation="fill", box=(3, 2, 9, 7)):
    """A fill (or another operation) of the standard picture through ``client``; (job, new layer pixels)."""
    krita.Krita.reset()
    model = BridgeModel(client)
    model.connect()
    client.pump()
    doc, _ = make_document(depth=depth)
    select(doc, *box)
    job = model.run(JobOptions(operation, seed=3))
    client.pump()
    new = [n for n in doc.rootNode().childNodes() if n.name() not in ("Background", "Paint")]
    return job, (new[0].pixelData(0, 0, 24, 16) if new else None)


class SharedPathTests(unittest.TestCase):
    def test_a_fill_through_a_region_places_the_blob_paths_pixels(self):
        for depth in ("U8", "U16"):
            with self.subTest(depth=depth):
                _, by_blobs = fill(fakedaemon.FakeClient(), depth)
                client = fakedaemon.SharedMemoryClient()
                job, by_region = fill(client, depth)
                self.assertEqual(job.state, "done", job.message)
                self.assertEqual(by_region, by_blobs)
                request = client.requests[0]
                self.assertIn("region", request["layer"])
                self.assertIn("region", request["mask"])
                self.assertNotIn("blobId", request["layer"])
                self.assertEqual(request["resultRegion"]["regionId"], request["layer"]["region"]["regionId"])
                self.assertFalse(request["releaseBlobs"])  # the region is kept for the next job
                self.assertEqual(client.uploads, [])  # nothing went over HTTP
                self.assertEqual(job.timings["pixels_in"], "shared-memory")
                self.assertEqual(job.timings["pixels_out"], "shared-memory")
                self.assertIsNone(job.region)  # the job let go of it once placed
                self.assertEqual(client.regions.region.region_id, request["layer"]["region"]["regionId"])
                self.assertFalse(client.regions.busy)
                self.assertEqual(len(os.listdir(client.folder)), 1)
                client.regions.close()

    def test_a_segment_mask_comes_back_through_the_region(self):
        client = fakedaemon.SharedMemoryClient(info=fakedaemon.info_with_everything())
        job, _ = fill(client, operation="segment", box=(18, 3, 6, 8))  # red >= 128 there: the fake's "subject"
        self.assertEqual(job.state, "done", job.message)
        self.assertEqual(job.timings["pixels_out"], "shared-memory")

    def test_a_refused_region_sends_blobs_and_says_so(self):
        client = fakedaemon.SharedMemoryClient()
        client.refuse_regions = "shared memory is off on this daemon"
        job, pixels = fill(client)
        self.assertEqual(job.state, "done", job.message)
        self.assertEqual(pixels, fill(fakedaemon.FakeClient())[1])
        self.assertEqual(len(client.uploads), 2)  # layer and mask
        self.assertEqual(job.timings["pixels_in"], "bytes (shared memory refused: shared memory is off on this daemon)")

    def test_a_region_gone_before_the_job_ran_is_retried_with_blobs(self):
        client = fakedaemon.SharedMemoryClient()
        client.lose_region = True
        job, pixels = fill(client)
        self.assertEqual(job.state, "done", job.message)
        self.assertEqual(pixels, fill(fakedaemon.FakeClient())[1])
        self.assertEqual(len(client.requests), 2)
        self.assertNotIn("resultRegion", client.requests[1])
        self.assertIn("blobId", client.requests[1]["layer"])
        self.assertTrue(job.timings["pixels_in"].startswith("bytes (shared memory refused: layer.region"))
        self.assertEqual(len(client.released), 1)  # the lost region was let go of

    def test_a_region_path_outside_the_regions_folder_is_never_written_and_the_job_sends_blobs(self):
        victim_folder = tempfile.mkdtemp(prefix="ebvictim-")
        victim = os.path.join(victim_folder, "thesis.odt")
        original = bytes(range(256)) * 4096  # 1 MiB: larger than any region of this job
        with open(victim, "wb") as f:
            f.write(original)
        client = fakedaemon.SharedMemoryClient()
        client.answer_path = lambda path: victim
        job, pixels = fill(client)
        self.assertEqual(job.state, "done", job.message)
        self.assertEqual(pixels, fill(fakedaemon.FakeClient())[1])
        self.assertTrue(job.timings["pixels_in"].startswith("bytes (shared memory refused: The daemon's pixel region was refused: only a file px-"),
                        job.timings["pixels_in"])
        with open(victim, "rb") as f:
            self.assertEqual(f.read(), original)
        self.assertEqual(client.region_files, {})  # the refused region was released

    def test_a_job_cancelled_while_its_pictures_are_copied_frees_its_region(self):
        krita.Krita.reset()
        client = fakedaemon.SharedMemoryClient()
        model = BridgeModel(client)
        model.connect()
        client.pump()
        doc, _ = make_document()
        select(doc, 3, 2, 9, 7)
        job = model.run(JobOptions("fill", seed=3))
        # step until the daemon made the region and the copy into it runs off the GUI thread
        while client.queue and not (client.region_files and job.region is not None and "uploaded" not in job.timings):
            fn, args = client.queue.popleft()
            fn(*args)
        self.assertTrue(client.region_files, "the region was made")
        model.cancel(job)
        client.pump()
        self.assertEqual(job.state, "cancelled", job.message)
        self.assertEqual(client.region_files, {})  # released on the daemon
        self.assertEqual(os.listdir(client.folder), [])
        self.assertEqual(client.requests, [])  # no job was sent
        self.assertIsNone(client.regions.region)  # and not kept: the next job makes a new one


NAME = "px-" + "0123456789abcdef" * 2


class MappedRegionTests(unittest.TestCase):
    """The checks before a region file is mapped; each refusal leaves the file as it was."""

    def setUp(self):
        self.state = tempfile.mkdtemp(prefix="ebstate-")
        self.folder = os.path.join(self.state, "regions")
        os.mkdir(self.folder, 0o700)
        self.path = os.path.join(self.folder, NAME)
        self.original = bytes(range(64))
        with open(self.path, "wb") as f:
            f.write(self.original)

    def refused(self, path, size=64, folder=None):
        with self.assertRaises(BridgeError) as refusal:
            shared_memory.MappedRegion("rgn-1", path, size, folder or self.folder)
        if os.path.isfile(path) and not os.path.islink(path):
            with open(path, "rb") as f:
                self.assertEqual(f.read(), self.original)  # never written, never grown
        return str(refusal.exception)

    def test_bytes_round_trip_and_every_offset_is_checked(self):
        region = shared_memory.MappedRegion("rgn-1", self.path, 64, self.folder)
        refs = shared_memory.fill(region, [b"\x01" * 40, b"\x02" * 24])
        self.assertEqual(refs[1], {"regionId": "rgn-1", "offset": "40", "length": "24"})
        self.assertEqual(shared_memory.read_back(region, refs[1]), b"\x02" * 24)
        for offset, length in ((60, 8), (-1, 4), (0, 65)):
            with self.assertRaises(BridgeError):
                region.get(offset, length)
        with self.assertRaises(BridgeError):
            region.put(63, b"ab")
        with self.assertRaises(BridgeError):
            shared_memory.read_back(region, {"regionId": "rgn-2", "offset": "0", "length": "4"})
        region.close()

    def test_a_file_outside_the_regions_folder_is_refused(self):
        elsewhere = os.path.join(self.state, NAME)
        with open(elsewhere, "wb") as f:
            f.write(self.original)
        self.assertIn("directly in", self.refused(elsewhere))
        self.assertIn("directly in", self.refused(os.path.join(self.folder, "..", NAME)))
        with open(elsewhere, "rb") as f:
            self.assertEqual(f.read(), self.original)

    def test_a_name_the_daemon_does_not_make_is_refused(self):
        for name in ("px-1", "painting.raw", NAME.upper(), NAME + "0"):
            with self.subTest(name=name):
                other = os.path.join(self.folder, name)
                with open(other, "wb") as f:
                    f.write(self.original)
                self.assertIn("directly in", self.refused(other))

    def test_a_link_in_place_of_the_file_is_not_followed(self):
        target = os.path.join(self.state, "painting.raw")
        with open(target, "wb") as f:
            f.write(self.original)
        os.unlink(self.path)
        os.symlink(target, self.path)
        self.assertIn("link", self.refused(self.path))
        with open(target, "rb") as f:
            self.assertEqual(f.read(), self.original)

    def test_a_file_of_another_size_is_refused_and_never_grown(self):
        self.assertIn("64 bytes, not 128", self.refused(self.path, 128))
        self.assertIn("64 bytes, not 32", self.refused(self.path, 32))
        self.assertEqual(os.path.getsize(self.path), 64)

    @unittest.skipUnless(hasattr(os, "geteuid") and os.geteuid() == 0, "giving a file away (chown) needs root")
    def test_another_users_file_is_refused(self):
        os.chown(self.path, 65534, 65534)
        self.assertIn("another user", self.refused(self.path))

    def test_a_regions_folder_open_to_others_or_a_link_is_refused(self):
        os.chmod(self.folder, 0o755)
        self.assertIn("alone", self.refused(self.path))
        os.chmod(self.folder, 0o700)
        os.chmod(self.state, 0o777)
        self.assertIn("state folder", self.refused(self.path))
        os.chmod(self.state, 0o700)
        elsewhere = tempfile.mkdtemp(prefix="ebother-")
        os.rename(self.folder, os.path.join(elsewhere, "regions"))
        os.symlink(os.path.join(elsewhere, "regions"), self.folder)
        self.assertIn("not a folder", self.refused(self.path))

    def test_a_view_reads_the_mapping_and_ends_with_the_job(self):
        region = shared_memory.MappedRegion("rgn-1", self.path, 64, self.folder)
        region.put(0, bytes(range(64)))
        view = shared_memory.read_back(region, {"regionId": "rgn-1", "offset": "8", "length": "4"})
        self.assertIsInstance(view, memoryview)
        self.assertEqual(bytes(view), bytes(range(8, 12)))
        region.put(8, b"\xff")  # no copy: the view sees the mapping itself
        self.assertEqual(view[0], 255)
        region.release_views()  # the region goes to the next job
        with self.assertRaises(ValueError):
            bytes(view)
        kept = region.view(0, 4)[1:3]  # a slice someone kept: closing must neither fail nor unmap under it
        region.close()
        self.assertEqual(bytes(kept), b"\x01\x02")
        with self.assertRaises(BridgeError):
            region.view(0, 4)
        with self.assertRaises(BridgeError):
            region.put(0, b"x")

    def test_the_region_size_leaves_room_for_the_result_and_a_mask(self):
        self.assertEqual(shared_memory.region_size([b"x" * 400, b"m" * 100], 100), 500)
        self.assertEqual(shared_memory.region_size([b"x" * 400], 100), 500)


if __name__ == "__main__":
    unittest.main()
