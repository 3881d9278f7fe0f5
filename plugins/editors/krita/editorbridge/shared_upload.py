"""The shared-memory upload of a job's pictures: into the connection's kept region or a new one,
filled off the GUI thread.

Role: *model*. Pure Python (no Qt import). See :mod:`shared_memory` for the region itself and
:mod:`region_keeper` for when a region is kept, reused and let go of.
"""

import os

from . import region_keeper, shared_memory
from .wire import BridgeError


def upload_shared(runner, job, pending, fallback):
    """The pictures of ``job`` (``pending``: the upload list of :meth:`JobRunner.upload`) into a pixel region
    (the kept one when it is free and fits, else a new one the daemon makes), then ``runner.submit``;
    ``fallback()`` (the blob uploads) when it is refused."""
    cap = job.capture
    client = runner.client
    keeper = getattr(client, "regions", None)
    pictures = [data for data, _, _ in pending]
    folder = os.path.join(client.state_folder, "regions")  # the only folder a region may be in
    need = region_keeper.rounded(shared_memory.region_size(pictures, cap.rect[2] * cap.rect[3]))

    def refused(why):
        job.pixels_path = "bytes (shared memory refused: %s)" % why
        fallback()

    def fill(mapped, kept):
        # from now on the job's ending lets go of the region (pipeline._let_go), even mid-copy
        job.region, job.region_id = mapped, mapped.region_id

        def work():
            try:
                return shared_memory.fill(mapped, pictures), None
            except (BridgeError, OSError, ValueError) as e:
                return None, e

        def then(result):
            refs, error = result
            if error is not None:
                runner._let_go(job)
                return refused(str(error))
            for (_, assign, ref), place in zip(pending, refs):
                picture = ref(None)
                picture.region = place
                assign(picture)
            job.request.result_region = mapped.reference(0, mapped.size)
            # a kept region must outlive the job: the job's end frees only a one-off region
            job.request.release_blobs = not kept
            job.pixels_path = "shared-memory"
            job.timings["uploaded"] = runner.model.clock()
            runner.submit(job)

        runner.background(job, work, then)

    def made(region, error):
        if error is None and job.finished:
            # ended (cancelled) while the daemon made it: nobody will use it, so free it now
            client.release_region((region or {}).get("regionId", ""))
        if job.finished:
            return
        if error is not None:
            return refused(error.message)
        region_id = region.get("regionId", "")
        try:
            mapped = shared_memory.MappedRegion(region_id, region.get("path", ""), int(region.get("sizeBytes") or 0), folder)
        except (BridgeError, OSError, ValueError) as e:
            client.release_region(region_id)
            return refused(str(e))
        kept, stale = keeper.adopt(mapped, region.get("expiresUnixMs")) if keeper is not None else (False, "")
        if stale:
            client.release_region(stale)
        fill(mapped, kept)

    kept, stale = keeper.take(need) if keeper is not None else (None, "")
    if stale:
        client.release_region(stale)
    if kept is not None:
        job.region_reused = True
        return fill(kept, True)
    job.calls.append(client.create_region(need, made))
