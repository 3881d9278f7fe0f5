"""The pixel region kept per daemon connection (region_keeper): the next job of a fitting size reuses
it; a job that ends badly, a region about to expire or of the wrong size, a busy one, a region the
daemon lost and a disconnect each let go of it as the rules say. Each rule has a guard: the same
steps without the cause keep (or reuse) the region, so the test sees the rule, not an accident."""

import os
import unittest

import common  # noqa: F401
import krita
import fakedaemon
from editorbridge import region_keeper
from editorbridge.model import BridgeModel, JobOptions
from editorbridge.wire import BridgeError
from pictures import make_document, select

MIB = region_keeper.MIB


class StubRegion:
    def __init__(self, region_id, size):
        self.region_id, self.size, self.closed = region_id, size, False

    def close(self):
        self.closed = True


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def keeper_with(size=4 * MIB, ttl_s=600.0):
    clock = Clock()
    keeper = region_keeper.RegionKeeper(clock=clock, wall=lambda: 0.0)
    region = StubRegion("rgn-a", size)
    kept, stale = keeper.adopt(region, ttl_s * 1000)
    assert kept and not stale
    keeper.give_back(region)
    return keeper, region, clock


class KeeperRuleTests(unittest.TestCase):
    def test_a_fitting_job_reuses_the_free_region_and_only_one_job_holds_it(self):
        keeper, region, _ = keeper_with()
        self.assertEqual(keeper.take(3 * MIB), (region, ""))
        self.assertEqual(keeper.take(3 * MIB), (None, ""))  # busy: the second job makes a one-off region
        self.assertEqual(keeper.adopt(StubRegion("rgn-b", 3 * MIB), 600000), (False, ""))
        keeper.give_back(region)
        self.assertEqual(keeper.take(4 * MIB), (region, ""))
        self.assertEqual(keeper.reused, 2)
        self.assertFalse(region.closed)

    def test_a_job_too_large_or_much_smaller_replaces_it(self):
        for need in (5 * MIB, 1 * MIB):
            with self.subTest(need=need):
                keeper, region, _ = keeper_with(size=4 * MIB)
                self.assertEqual(keeper.take(need), (None, "rgn-a"))  # the caller frees it on the daemon
                self.assertTrue(region.closed)
                self.assertIsNone(keeper.region)
        keeper, region, _ = keeper_with(size=4 * MIB)  # guard: half the size still fits
        self.assertEqual(keeper.take(2 * MIB), (region, ""))

    def test_a_region_about_to_expire_is_let_go_of_before_use(self):
        keeper, region, clock = keeper_with(ttl_s=600.0)
        clock.now += 600.0 - region_keeper.EXPIRY_MARGIN_S
        self.assertEqual(keeper.take(4 * MIB), (None, "rgn-a"))
        self.assertTrue(region.closed)
        keeper, region, clock = keeper_with(ttl_s=600.0)  # guard: a little earlier it serves
        clock.now += 600.0 - region_keeper.EXPIRY_MARGIN_S - 1.0
        self.assertEqual(keeper.take(4 * MIB), (region, ""))

    def test_each_use_counts_the_expiry_again(self):
        keeper, region, clock = keeper_with(ttl_s=600.0)
        clock.now += 500.0
        self.assertIs(keeper.take(4 * MIB)[0], region)
        keeper.give_back(region)  # the daemon counts from the result's write
        clock.now += 500.0
        self.assertIs(keeper.take(4 * MIB)[0], region)

    def test_a_daemon_that_keeps_regions_briefly_gets_one_off_regions(self):
        keeper = region_keeper.RegionKeeper(clock=Clock(), wall=lambda: 0.0)
        self.assertEqual(keeper.adopt(StubRegion("rgn-a", MIB), 2 * region_keeper.EXPIRY_MARGIN_S * 1000), (False, ""))
        self.assertIsNone(keeper.region)

    def test_drop_and_close_unmap_and_name_the_region_to_free(self):
        keeper, region, _ = keeper_with()
        self.assertEqual(keeper.drop(StubRegion("rgn-other", MIB)), "")  # not the kept one: nothing
        self.assertFalse(region.closed)
        keeper.take(4 * MIB)
        self.assertEqual(keeper.drop(region), "rgn-a")
        self.assertTrue(region.closed)
        self.assertEqual(keeper.take(4 * MIB), (None, ""))
        keeper, region, _ = keeper_with()
        self.assertEqual(keeper.close(), "rgn-a")
        self.assertTrue(region.closed)
        self.assertEqual(keeper.close(), "")

    def test_sizes_round_to_whole_mib(self):
        self.assertEqual(region_keeper.rounded(1), MIB)
        self.assertEqual(region_keeper.rounded(MIB), MIB)
        self.assertEqual(region_keeper.rounded(MIB + 1), 2 * MIB)


class PipelineReuseTests(unittest.TestCase):
    def setUp(self):
        krita.Krita.reset()
        self.client = fakedaemon.SharedMemoryClient()
        self.addCleanup(self.client.regions.close)
        self.model = BridgeModel(self.client)
        self.model.connect()
        self.client.pump()
        self.doc, _ = make_document()
        select(self.doc, 3, 2, 9, 7)

    def run_job(self, pump=True):
        job = self.model.run(JobOptions("fill", seed=3))
        if pump:
            self.client.pump()
        return job

    def region_of(self, request):
        return request["layer"]["region"]["regionId"]

    def test_the_next_job_reuses_the_kept_region_and_places_the_same_pixels(self):
        first, second = self.run_job(), self.run_job()
        self.assertEqual((first.state, second.state), ("done", "done"), second.message)
        one, two = self.client.requests
        self.assertEqual(self.region_of(one), self.region_of(two))
        self.assertEqual(self.client.made, 1)
        self.assertEqual(self.client.regions.reused, 1)
        self.assertFalse(two["releaseBlobs"])
        self.assertEqual(second.timings["pixels_in"], "shared-memory")
        results = [n.pixelData(0, 0, 24, 16) for n in self.doc.rootNode().childNodes() if n.name() not in ("Background", "Paint")]
        self.assertEqual(len(results), 2)
        self.assertEqual(results[0], results[1])

    def test_a_kept_region_the_daemon_lost_is_retried_through_a_new_region(self):
        self.run_job()
        self.client.close_connection()
        job = self.run_job()
        self.assertEqual(job.state, "done", job.message)
        self.assertEqual(len(self.client.requests), 3)  # refused, then once more
        self.assertNotEqual(self.region_of(self.client.requests[2]), self.region_of(self.client.requests[0]))
        self.assertEqual(job.timings["pixels_in"], "shared-memory")  # not blobs
        self.assertEqual(self.client.uploads, [])
        self.assertEqual(self.client.regions.region.region_id, self.region_of(self.client.requests[2]))

    def test_a_job_cancelled_with_the_kept_region_frees_it(self):
        first = self.run_job()
        kept = self.client.regions.region.region_id
        job = self.run_job(pump=False)
        while self.client.queue and not (job.region is not None and "uploaded" not in job.timings):
            fn, args = self.client.queue.popleft()
            fn(*args)
        self.assertEqual(job.region.region_id, kept)  # the second job took the kept region
        self.model.cancel(job)
        self.client.pump()
        self.assertEqual((first.state, job.state), ("done", "cancelled"))
        self.assertIn(kept, self.client.released)
        self.assertEqual(os.listdir(self.client.folder), [])
        self.assertIsNone(self.client.regions.region)
        self.assertEqual(self.run_job().state, "done")  # the next job makes a new one
        self.assertEqual(self.client.made, 2)

    def test_a_job_that_failed_frees_the_kept_region(self):
        self.run_job()
        kept = self.client.regions.region.region_id
        self.client.stream_failure = BridgeError("engine", "the engine failed")
        job = self.run_job()
        self.assertEqual(job.state, "failed")
        self.assertIn(kept, self.client.released)
        self.assertIsNone(self.client.regions.region)

    def test_two_jobs_at_once_the_second_gets_a_one_off_region(self):
        first, second = self.run_job(pump=False), self.run_job(pump=False)
        self.client.pump()
        self.assertEqual((first.state, second.state), ("done", "done"), second.message)
        one, two = self.client.requests
        self.assertNotEqual(self.region_of(one), self.region_of(two))
        self.assertEqual(sorted([one["releaseBlobs"], two["releaseBlobs"]]), [False, True])
        self.assertEqual(len(os.listdir(self.client.folder)), 1)  # only the kept one is left


if __name__ == "__main__":
    unittest.main()
