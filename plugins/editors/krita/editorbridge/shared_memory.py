"""Pixel regions: the daemon's shared-memory files, mapped here with ``mmap`` instead of uploading.

Role: *client* (the transport-free half). Pure Python. When the daemon runs on this machine
(``DaemonInfo.shared_memory``), a job asks it for a region (``POST /v1/regions``), maps the file
the daemon made, writes the layer, the selection and the input layers into it, and names them in
the request by the region's id, offset and length; the daemon writes the result into the same
region (after taking its own copy of the input) and the job reads it straight from the mapping
(:meth:`MappedRegion.view`, no copy). No pixel crosses HTTP. The region is kept for the next job
(:mod:`region_keeper` has the rules); a one-off region is freed by its job's end (``releaseBlobs``).
The mapping here stays readable until :meth:`MappedRegion.close`.

The daemon names the file; this side opens it without following links and checks that it is a
regular file of this user at least as large as the region before mapping it.
"""

import mmap
import os
import stat

from .wire import BridgeError


def region_size(pictures, layer_pixels):
    """Bytes a job's region needs: its pictures, and room for the result (the layer's bytes) and a
    segment mask (one byte a pixel) written over them."""
    total = sum(len(p) for p in pictures)
    return max(total, len(pictures[0]) + layer_pixels if pictures else 0)


class MappedRegion:
    """One region mapped read-write. ``put`` and ``get`` check every offset against its size."""

    def __init__(self, region_id, path, size):
        self.region_id = region_id
        self.size = int(size)
        self._views = []  # memoryviews handed out by view(): released when the region is reused or closed
        flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(path, flags)
        except OSError as e:
            raise BridgeError("protocol", "Cannot open the daemon's pixel region: %s." % e.strerror)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise BridgeError("protocol", "The daemon's pixel region is not a regular file.")
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                raise BridgeError("protocol", "The daemon's pixel region belongs to another user.")
            if info.st_size < self.size:
                raise BridgeError("protocol", "The daemon's pixel region is %d bytes, not %d." % (info.st_size, self.size))
            self._map = mmap.mmap(fd, self.size)
        finally:
            os.close(fd)

    def _check(self, offset, length):
        if self._map is None:
            raise BridgeError("unavailable", "The pixel region was let go of (disconnected or closed).")
        if offset < 0 or length < 0 or offset + length > self.size:
            raise BridgeError("protocol", "Bytes %d..%d lie outside the %d-byte pixel region." % (offset, offset + length, self.size))

    def put(self, offset, data):
        self._check(offset, len(data))
        self._map[offset:offset + len(data)] = data

    def get(self, offset, length):
        """A copy of the bytes (the region may be reused; the caller keeps these)."""
        self._check(offset, length)
        return self._map[offset:offset + length]

    def view(self, offset, length):
        """The bytes as a memoryview of the mapping itself: no copy (a fresh 64 MiB ``bytes`` costs
        a page fault a page, several times the copy). Valid until :meth:`release_views` (the region
        goes to the next job) or :meth:`close`; a use after that raises ValueError, never reads
        another job's pixels or unmapped memory."""
        self._check(offset, length)
        view = memoryview(self._map)[offset:offset + length]
        self._views.append(view)
        return view

    def release_views(self):
        """Ends every view handed out (their job is done with them)."""
        views, self._views = self._views, []
        for view in views:
            try:
                view.release()
            except BufferError:
                pass  # something still reads it (a slice of it, another thread): unmapped when that goes

    def reference(self, offset, length):
        """The RegionRef JSON for bytes of this region (64-bit numbers as strings)."""
        return {"regionId": self.region_id, "offset": str(int(offset)), "length": str(int(length))}

    def close(self):
        self.release_views()
        if self._map is not None:
            mapping, self._map = self._map, None
            try:
                mapping.close()
            except BufferError:
                pass  # a view is still held somewhere: the mapping goes with the last of them


def fill(region, pictures):
    """Writes the pictures one after another from offset 0; returns each one's RegionRef JSON."""
    refs, at = [], 0
    for data in pictures:
        region.put(at, data)
        refs.append(region.reference(at, len(data)))
        at += len(data)
    return refs


def read_back(region, ref):
    """The bytes a result's RegionRef names, as a view of the mapping (:meth:`MappedRegion.view`),
    checked: it must be this job's region."""
    if not region or (ref or {}).get("regionId") != region.region_id:
        raise BridgeError("protocol", "The result names a pixel region this job did not make.")
    return region.view(int(ref.get("offset") or 0), int(ref.get("length") or 0))
