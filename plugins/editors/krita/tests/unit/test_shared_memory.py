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


class MappedRegionTests(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="ebregion-")
        self.path = os.path.join(self.folder, "px-1")
        with open(self.path, "wb") as f:
            f.truncate(64)

    def test_bytes_round_trip_and_every_offset_is_checked(self):
        region = shared_memory.MappedRegion("rgn-1", self.path, 64)
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

    def test_a_link_in_place_of_the_file_is_not_followed(self):
        link = os.path.join(self.folder, "px-link")
        os.symlink(self.path, link)
        with self.assertRaises(BridgeError):
            shared_memory.MappedRegion("rgn-1", link, 64)

    def test_a_file_smaller_than_the_region_is_refused(self):
        with self.assertRaises(BridgeError) as refused:
            shared_memory.MappedRegion("rgn-1", self.path, 128)
        self.assertIn("64 bytes, not 128", str(refused.exception))

    def test_a_view_reads_the_mapping_and_ends_with_the_job(self):
        region = shared_memory.MappedRegion("rgn-1", self.path, 64)
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
