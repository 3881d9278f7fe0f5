"""Pixel regions: the daemon's shared-memory files, mapped here with ``mmap`` instead of uploading.

Role: *client* (the transport-free half). Pure Python. When the daemon runs on this machine
(``DaemonInfo.shared_memory``), a job asks it for a region (``POST /v1/regions``), maps the file
the daemon made, writes the layer, the selection and the input layers into it, and names them in
the request by the region's id, offset and length; the daemon writes the result into the same
region (after taking its own copy of the input) and the job reads it straight from the mapping
(:meth:`MappedRegion.view`, no copy). No pixel crosses HTTP. The region is kept for the next job
(:mod:`region_keeper` has the rules); a one-off region is freed by its job's end (``releaseBlobs``).
The mapping here stays readable until :meth:`MappedRegion.close`.

The daemon names the file, but the answer may come from a server that is not this user's daemon
(a stale discovery file whose port another user took): this side maps it only when it is a region
file, ``px-`` and 32 lowercase hex digits, directly in the ``regions`` folder of the state folder
this plugin uses (compared as text, no link resolved); that folder this user's, a real folder
open to nobody else, under a state folder nobody else can write in; the file opened without
following a link, the same file as the folder entry, a regular file of this user of exactly the
size named. The same rule as the .NET client's (``LocalState/RegionFiles.cs``).
"""

import mmap
import os
import re
import stat

from .wire import BridgeError


def region_size(pictures, layer_pixels):
    """Bytes a job's region needs: its pictures, and room for the result (the layer's bytes) and a
    segment mask (one byte a pixel) written over them."""
    total = sum(len(p) for p in pictures)
    return max(total, len(pictures[0]) + layer_pixels if pictures else 0)


REGION_NAME = re.compile(r"px-[0-9a-f]{32}\Z")


def _refuse(why):
    raise BridgeError("protocol", "The daemon's pixel region was refused: %s." % why)


def _check_folders(folder):
    """The regions folder: a real folder of this user, open to nobody else; the state folder above
    it writable by nobody else (so nobody can put another regions folder in its place)."""
    try:
        info = os.lstat(folder)
        above = os.stat(os.path.dirname(folder))
    except OSError as e:
        _refuse("%s: %s" % (folder, e.strerror))
    if not stat.S_ISDIR(info.st_mode):
        _refuse("%s is not a folder (a link?)" % folder)
    if hasattr(os, "getuid"):
        if info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) & 0o077:
            _refuse("%s is not this user's alone" % folder)
        if above.st_uid != os.getuid() or stat.S_IMODE(above.st_mode) & 0o022:
            _refuse("the state folder %s is not this user's alone" % os.path.dirname(folder))


def _check_file(info, size):
    if stat.S_ISLNK(info.st_mode) or getattr(info, "st_file_attributes", 0) & getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0):
        _refuse("it is a link")
    if not stat.S_ISREG(info.st_mode):
        _refuse("it is not a regular file")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        _refuse("it belongs to another user")
    if info.st_size != size:
        _refuse("it is %d bytes, not %d" % (info.st_size, size))


class MappedRegion:
    """One region mapped read-write. ``put`` and ``get`` check every offset against its size.
    ``folder``: the regions folder this plugin expects (``<state folder>/regions``)."""

    def __init__(self, region_id, path, size, folder):
        self.region_id = region_id
        self.size = int(size)
        self._map = None
        self._views = []  # memoryviews handed out by view(): released when the region is reused or closed
        folder = os.path.normpath(folder) if folder else ""
        if (self.size <= 0 or not folder or not os.path.isabs(path or "") or os.path.dirname(path) != folder
                or not REGION_NAME.match(os.path.basename(path))):
            _refuse("only a file px-<32 hex digits> directly in %s is mapped, not %s" % (folder, path))
        _check_folders(folder)
        try:
            entry = os.lstat(path)
        except OSError as e:
            _refuse(e.strerror)
        _check_file(entry, self.size)
        flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(path, flags)
        except OSError as e:
            raise BridgeError("protocol", "Cannot open the daemon's pixel region: %s." % e.strerror)
        try:
            info = os.fstat(fd)
            _check_file(info, self.size)
            if (info.st_dev, info.st_ino) != (entry.st_dev, entry.st_ino):
                _refuse("it was replaced while it was opened")
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
