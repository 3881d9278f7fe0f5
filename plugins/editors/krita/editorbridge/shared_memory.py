"""Pixel regions: the daemon's shared-memory files, mapped here with ``mmap`` instead of uploading.

Role: *client* (the transport-free half). Pure Python. When the daemon runs on this machine
(``DaemonInfo.shared_memory``), a job asks it for a region (``POST /v1/regions``), maps the file
the daemon made, writes the layer, the selection and the input layers into it, and names them in
the request by the region's id, offset and length; the daemon writes the result into the same
region (after taking its own copy of the input) and the job reads it back from the mapping. No
pixel crosses HTTP. The daemon frees the region when the job ends (``releaseBlobs``); the mapping
here stays readable until :meth:`MappedRegion.close`.

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
        if offset < 0 or length < 0 or offset + length > self.size:
            raise BridgeError("protocol", "Bytes %d..%d lie outside the %d-byte pixel region." % (offset, offset + length, self.size))

    def put(self, offset, data):
        self._check(offset, len(data))
        self._map[offset:offset + len(data)] = data

    def get(self, offset, length):
        """A copy of the bytes (the region may be reused; the caller keeps these)."""
        self._check(offset, length)
        return self._map[offset:offset + length]

    def reference(self, offset, length):
        """The RegionRef JSON for bytes of this region (64-bit numbers as strings)."""
        return {"regionId": self.region_id, "offset": str(int(offset)), "length": str(int(length))}

    def close(self):
        if self._map is not None:
            self._map.close()
            self._map = None


def fill(region, pictures):
    """Writes the pictures one after another from offset 0; returns each one's RegionRef JSON."""
    refs, at = [], 0
    for data in pictures:
        region.put(at, data)
        refs.append(region.reference(at, len(data)))
        at += len(data)
    return refs


def read_back(region, ref):
    """The bytes a result's RegionRef names, checked: it must be this region."""
    if not region or (ref or {}).get("regionId") != region.region_id:
        raise BridgeError("protocol", "The result names a pixel region this job did not make.")
    return region.get(int(ref.get("offset") or 0), int(ref.get("length") or 0))
