"""The shared-memory upload of a job's pictures: one region, mapped and filled off the GUI thread.

Role: *model*. Pure Python (no Qt import). See :mod:`shared_memory` for the region itself.
"""

import os

from . import shared_memory
from .wire import BridgeError


def upload_shared(runner, job, pending, fallback):
    """The pictures of ``job`` (``pending``: the upload list of :meth:`JobRunner.upload`) into a pixel region
    the daemon made, then ``runner.submit``; ``fallback()`` (the blob uploads) when it is refused."""
    cap = job.capture
    pictures = [data for data, _, _ in pending]
    folder = os.path.join(runner.client.state_folder, "regions")  # the only folder a region may be in

    def refused(why):
        job.pixels_path = "bytes (shared memory refused: %s)" % why
        fallback()

    def made(region, error):
        if error is None and job.finished:
            # ended (cancelled) while the daemon made it: nobody will map it, so free it now
            runner.client.release_region((region or {}).get("regionId", ""))
        if job.finished:
            return
        if error is not None:
            return refused(error.message)
        region_id = region.get("regionId", "")
        job.region_id = region_id  # from now on the job's ending frees it, mapped or not

        def work():
            try:
                mapped = shared_memory.MappedRegion(region_id, region.get("path", ""), int(region.get("sizeBytes") or 0), folder)
            except (BridgeError, OSError, ValueError) as e:
                return None, e
            try:
                return mapped, shared_memory.fill(mapped, pictures)
            except (BridgeError, OSError, ValueError) as e:
                mapped.close()
                return None, e

        def then(result):
            mapped, refs = result
            if mapped is None:
                runner.client.release_region(region_id)
                job.region_id = ""
                return refused(str(refs))
            job.region = mapped
            for (_, assign, ref), place in zip(pending, refs):
                picture = ref(None)
                picture.region = place
                assign(picture)
            job.request.result_region = mapped.reference(0, mapped.size)
            job.pixels_path = "shared-memory"
            job.timings["uploaded"] = runner.model.clock()
            runner.submit(job)

        runner.background(job, work, then)

    job.calls.append(runner.client.create_region(shared_memory.region_size(pictures, cap.rect[2] * cap.rect[3]), made))
