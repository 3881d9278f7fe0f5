"""One pixel region kept per daemon connection, for the next job of a fitting size.

Role: *client* (the transport-free half, beside :mod:`shared_memory`). Pure Python, no Qt.

A new region costs a request, a new file on the daemon and, worse, a page fault for every page on
both sides the first time it is written (a 4096² RGBA8 layer: 16,384 faults, 5-8 times the copy
itself; docs/benchmarks.md "Pixel paths"). So the region a job used is kept, mapped, for the next
one, as the .NET client does. The rules:

* One job at a time uses the kept region (:meth:`RegionKeeper.take` marks it busy); a job that
  finds it busy makes a one-off region of its own, freed by its job's end (``releaseBlobs``).
* A kept region is reused only for a job that fits it and does not rattle in it: ``need <= size <=
  2 * need`` (sizes rounded up to whole MiB by :func:`rounded`). Otherwise it is freed and a new one
  made, so a small job does not hold a big layer's budget.
* The daemon frees a region left unused for ``Limits.blob_ttl_seconds`` (``expiresUnixMs`` says when,
  counted again from each use): the keeper lets go of it a margin before that instead of naming a
  region that may be gone. The daemon also frees it when the connection that made it closes; a job
  that then finds it gone is run once more through a new region (:mod:`pipeline`).
* Only a job that ended well gives the region back (:meth:`RegionKeeper.give_back`). A cancelled or
  failed job drops it (:meth:`RegionKeeper.drop`: unmapped here, freed on the daemon by the caller),
  because the daemon may still be writing that job's result into it.
* Disconnecting, closing, or a lost daemon drops it too (:meth:`RegionKeeper.close`).
"""

import time

MIB = 1 << 20

# let go of a kept region this long before the daemon may free it (its clock and ours differ a little)
EXPIRY_MARGIN_S = 10.0


def rounded(size):
    """``size`` rounded up to whole MiB: jobs whose masks differ a little share a region."""
    return (int(size) + MIB - 1) // MIB * MIB


def fits(region_size, need):
    """True when a region of ``region_size`` bytes serves a job that needs ``need`` bytes and is not
    more than twice as large."""
    return need <= region_size <= 2 * max(need, MIB)


class RegionKeeper:
    """The kept region of one daemon connection (a :class:`shared_memory.MappedRegion`, or None)."""

    def __init__(self, clock=time.monotonic, wall=time.time):
        self._clock = clock
        self._wall = wall
        self.region = None
        self.busy = False
        self._lifetime = 0.0  # seconds the daemon keeps an unused region
        self._expires = 0.0  # on self._clock: let go of it after this
        self.reused = 0  # jobs that found the region kept (for the tests and the bench)

    def take(self, need):
        """``(region, stale_id)``: the kept region for a job that needs ``need`` bytes (now busy), or
        None (make one); ``stale_id``: a kept region that did not fit or is about to expire, unmapped
        here: the caller frees it on the daemon ("" when none)."""
        if self.busy or self.region is None:
            return None, ""
        if not fits(self.region.size, need) or self._clock() >= self._expires:
            return None, self._let_go()
        self.busy = True
        self.reused += 1
        return self.region, ""

    def adopt(self, region, expires_unix_ms):
        """A region just made for a job (which uses it now). ``(kept, stale_id)``: kept is True when
        it is kept from now on, False for a one-off region (another job holds the kept one, or the
        daemon keeps regions too briefly to be worth it), freed by its job's end; ``stale_id``: a
        region kept before, unmapped here, that the caller frees on the daemon ("" when none)."""
        lifetime = float(expires_unix_ms or 0) / 1000.0 - self._wall()
        if self.busy or lifetime <= 2 * EXPIRY_MARGIN_S:
            return False, ""
        stale = self._let_go()
        self.region, self.busy, self._lifetime = region, True, lifetime
        self._expires = self._clock() + lifetime - EXPIRY_MARGIN_S
        return True, stale

    def holds(self, region):
        return region is not None and region is self.region

    def give_back(self, region):
        """The job that used ``region`` ended well: it serves the next job. The daemon counts the
        region's unused time again from the result's write, just before."""
        if not self.holds(region):
            return
        self.busy = False
        self._expires = self._clock() + self._lifetime - EXPIRY_MARGIN_S

    def drop(self, region):
        """The job that used ``region`` was cancelled or failed (or the region is gone on the
        daemon): unmapped and forgotten. Returns its id for the caller to free ("" when not kept)."""
        if not self.holds(region):
            return ""
        return self._let_go()

    def close(self):
        """Disconnect or close: the kept region is unmapped; returns its id ("" when none)."""
        return self._let_go()

    def _let_go(self):
        region, self.region, self.busy = self.region, None, False
        if region is None:
            return ""
        region.close()
        return region.region_id
