"""Exact pixel conversions between Krita's ``pixelData`` layout and the wire formats.

Role: *image*. Pure Python (standard library only): no Qt, no ``krita`` import.

What Krita hands out (checked on Krita 5.1.5 with ``Node.channels()`` and colour-space round
trips), per pixel, in the machine's byte order:

=============  ==========================  ==============================
colour depth   Krita ``pixelData`` layout  wire format sent to the daemon
=============  ==========================  ==============================
RGBA / U8      B, G, R, A   (uint8)         RGBA8  (R, G, B, A)
RGBA / U16     B, G, R, A   (uint16)        RGBA16 (R, G, B, A, little-endian)
RGBA / F16     R, G, B, A   (half float)    RGBA16
RGBA / F32     R, G, B, A   (float32)       RGBA16
GRAYA / U8     G, A         (uint8)         RGBA8  (R = G = B)
GRAYA / U16    G, A         (uint16)        RGBA16 (R = G = B)
=============  ==========================  ==============================

Integer depths convert bit for bit in both directions. Float depths map 0.0..1.0 to
0..65535 (rounded to nearest); values outside 0..1 (HDR, negative) and NaN cannot travel in
RGBA16: they are clipped and the caller is told how many (``ToWire.clipped``) so the docker can
say so. Coming back, 16-bit values become ``v / 65535`` in the float type. Values travel as they
are stored, in the layer's own colour profile: no transfer curve is applied or guessed.

Greyscale scans travel as RGBA; a result written back to a grey layer becomes its luma
(0.299 R + 0.587 G + 0.114 B). Every other colour model (grey floats, CMYKA, LABA, XYZA, YCbCrA)
and depth is refused with
:class:`UnsupportedColorSpace`, whose message says what to do.
"""

import array
import re
import struct
import sys

RGBA8 = "PIXEL_FORMAT_RGBA8"
RGBA16 = "PIXEL_FORMAT_RGBA16"

WIRE_BYTES_PER_PIXEL = {RGBA8: 4, RGBA16: 8}

_LITTLE = sys.byteorder == "little"

_MODEL_NAMES = {
    "GRAYA": "grayscale",
    "CMYKA": "CMYK",
    "LABA": "L*a*b*",
    "XYZA": "XYZ",
    "YCbCrA": "YCbCr",
}


class UnsupportedColorSpace(ValueError):
    """A layer whose colour model or depth EditorBridge refuses to convert."""


class KritaLayout:
    """How one Krita colour space stores a pixel, and which wire format it travels in."""

    __slots__ = ("model", "depth", "bytes_per_pixel", "wire_format")

    def __init__(self, model, depth, bytes_per_pixel, wire_format):
        self.model = model
        self.depth = depth
        self.bytes_per_pixel = bytes_per_pixel
        self.wire_format = wire_format

    @property
    def wire_bytes_per_pixel(self):
        return WIRE_BYTES_PER_PIXEL[self.wire_format]

    @property
    def is_float(self):
        return self.depth in ("F16", "F32")

    def __repr__(self):
        return "KritaLayout(%s/%s -> %s)" % (self.model, self.depth, self.wire_format)


_LAYOUTS = {
    "U8": KritaLayout("RGBA", "U8", 4, RGBA8),
    "U16": KritaLayout("RGBA", "U16", 8, RGBA16),
    "F16": KritaLayout("RGBA", "F16", 8, RGBA16),
    "F32": KritaLayout("RGBA", "F32", 16, RGBA16),
}

# Greyscale scans (most scanned line art): G, A per pixel; they travel as RGBA with R = G = B, and
# a result coming back to a grey layer becomes its luma (Rec. 601 weights).
_GRAY_LAYOUTS = {
    "U8": KritaLayout("GRAYA", "U8", 2, RGBA8),
    "U16": KritaLayout("GRAYA", "U16", 4, RGBA16),
}


def layout_for(color_model, color_depth, what="the layer"):
    """The layout of a Krita colour space, or :class:`UnsupportedColorSpace` with a fix."""
    if color_model == "GRAYA" and color_depth in _GRAY_LAYOUTS:
        return _GRAY_LAYOUTS[color_depth]
    if color_model != "RGBA":
        name = _MODEL_NAMES.get(color_model, color_model or "an unknown colour model")
        raise UnsupportedColorSpace(
            "%s is %s (%s/%s); EditorBridge works on RGB/Alpha pixels only and does not guess a "
            "conversion. Convert it first: Image > Convert Image Color Space (or Layer > Convert "
            "Layer Color Space) to RGB/Alpha, 8 or 16 bit." % (what, name, color_model, color_depth))
    layout = _LAYOUTS.get(color_depth)
    if layout is None:
        raise UnsupportedColorSpace(
            "%s is RGB/Alpha with %s channels; EditorBridge converts 8-bit, 16-bit integer, 16-bit "
            "float and 32-bit float only. Convert it first (Image > Convert Image Color Space)."
            % (what, color_depth or "unknown"))
    return layout


class ToWire:
    """The wire bytes of some pixels, and how many float channel values had to be clipped."""

    __slots__ = ("data", "clipped")

    def __init__(self, data, clipped=0):
        self.data = data
        self.clipped = clipped


def _check_length(data, bytes_per_pixel, what):
    if len(data) % bytes_per_pixel:
        raise ValueError("%s: %d bytes is not a whole number of %d-byte pixels"
                         % (what, len(data), bytes_per_pixel))


def _swap_bgra_rgba(data, channel_bytes):
    """Swaps the first and third channel of every pixel (B,G,R,A <-> R,G,B,A): C-speed slicing."""
    step = 4 * channel_bytes
    out = bytearray(len(data))
    for c in range(channel_bytes):
        out[c::step] = data[2 * channel_bytes + c::step]  # R
        out[channel_bytes + c::step] = data[channel_bytes + c::step]  # G
        out[2 * channel_bytes + c::step] = data[c::step]  # B
        out[3 * channel_bytes + c::step] = data[3 * channel_bytes + c::step]  # A
    return out


def _native_u16_to_le(data):
    if _LITTLE:
        return data
    values = array.array("H")
    values.frombytes(bytes(data))
    values.byteswap()
    return values.tobytes()


_le_u16_to_native = _native_u16_to_le  # a byte swap is its own inverse


def _scale(v):
    """One float channel value to 0..65535; NaN and negatives to 0, above 1 to 65535."""
    if not v > 0.0:
        return 0
    if v >= 1.0:
        return 65535
    return int(v * 65535.0 + 0.5)


_half_tables = {}


def _half_tables_get():
    """Lookup tables over all 65536 half-float bit patterns (built once, about 10 ms)."""
    if not _half_tables:
        patterns = array.array("H", range(65536))
        values = struct.unpack("<65536e", patterns.tobytes())
        _half_tables["to_u16"] = array.array("H", [_scale(v) for v in values])
        _half_tables["clips"] = bytes(0 if 0.0 <= v <= 1.0 else 1 for v in values)
        _half_tables["from_u16"] = array.array(
            "H", struct.unpack("<65536H", struct.pack("<65536e", *[v / 65535.0 for v in range(65536)])))
    return _half_tables


def krita_to_wire(data, layout):
    """Krita ``pixelData`` bytes -> wire bytes (RGBA8 or RGBA16 little-endian)."""
    data = bytes(data)
    _check_length(data, layout.bytes_per_pixel, "%s/%s pixel data" % (layout.model, layout.depth))
    if layout.model == "GRAYA":
        return ToWire(_gray_to_rgba(data if layout.depth == "U8" else _native_u16_to_le(data), layout.depth == "U16"))
    if layout.depth == "U8":
        return ToWire(bytes(_swap_bgra_rgba(data, 1)))
    if layout.depth == "U16":
        return ToWire(bytes(_swap_bgra_rgba(_native_u16_to_le(data), 2)))
    if layout.depth == "F16":
        halves = array.array("H")
        halves.frombytes(data)
        tables = _half_tables_get()
        out = array.array("H", map(tables["to_u16"].__getitem__, halves))
        clipped = sum(map(tables["clips"].__getitem__, halves))
        if not _LITTLE:
            out.byteswap()
        return ToWire(out.tobytes(), clipped)
    floats = array.array("f")
    floats.frombytes(data)
    out = array.array("H", map(_scale, floats))
    clipped = sum(1 for v in floats if not 0.0 <= v <= 1.0)
    if not _LITTLE:
        out.byteswap()
    return ToWire(out.tobytes(), clipped)


def wire_to_krita(data, layout):
    """Wire bytes (the layout's wire format; a view of a pixel region is fine) -> Krita ``pixelData``
    bytes: RGBA8/16 as a new bytearray (``setPixelData`` takes it as it takes bytes, and a further
    bytes copy of a big layer costs a page fault a page)."""
    data = bytes(data)  # one copy of a view: strided slices of a memoryview are many times slower
    _check_length(data, layout.wire_bytes_per_pixel, layout.wire_format)
    if layout.model == "GRAYA":
        return _rgba_to_gray(data, layout.depth == "U16")
    if layout.depth == "U8":
        return _swap_bgra_rgba(data, 1)
    if layout.depth == "U16":
        return _le_u16_to_native(_swap_bgra_rgba(data, 2))
    values = array.array("H")
    values.frombytes(data)
    if not _LITTLE:
        values.byteswap()
    if layout.depth == "F16":
        out = array.array("H", map(_half_tables_get()["from_u16"].__getitem__, values))
        return out.tobytes()
    scale = 1.0 / 65535.0
    return array.array("f", [v * scale for v in values]).tobytes()


def _gray_to_rgba(data, wide):
    """G, A (8-bit, or 16-bit little-endian) -> R = G = B, A at C speed."""
    c = 2 if wide else 1
    out = bytearray(len(data) * 2)
    for k in range(c):
        grey = data[k::2 * c]
        out[k::4 * c] = grey
        out[c + k::4 * c] = grey
        out[2 * c + k::4 * c] = grey
        out[3 * c + k::4 * c] = data[c + k::2 * c]
    return bytes(out)


def _rgba_to_gray(data, wide):
    """RGBA wire bytes -> Krita's G, A: the luma (0.299 R + 0.587 G + 0.114 B, rounded), alpha kept."""
    if not wide:
        out = bytearray(len(data) // 2)
        out[0::2] = bytes((299 * r + 587 * g + 114 * b + 500) // 1000 for r, g, b in zip(data[0::4], data[1::4], data[2::4]))
        out[1::2] = data[3::4]
        return bytes(out)
    values = array.array("H")
    values.frombytes(data)
    if not _LITTLE:
        values.byteswap()
    out = array.array("H", bytes(len(data) // 2))
    out[0::2] = array.array("H", ((299 * r + 587 * g + 114 * b + 500) // 1000 for r, g, b in zip(values[0::4], values[1::4], values[2::4])))
    out[1::2] = values[3::4]
    return out.tobytes()


def is_opaque(wire, wire_format, share=0.98):
    """True when at least ``share`` of the pixels (wire bytes) are fully opaque, as a sketch on paper
    is; line art on a transparent layer is not."""
    if wire_format == RGBA8:
        alphas = wire[3::4]
        return bool(alphas) and alphas.count(255) >= share * len(alphas)
    low, high = bytes(wire)[6::8], bytes(wire)[7::8]  # 16-bit little-endian alpha
    return bool(low) and sum(1 for lo, hi in zip(low, high) if lo == 255 and hi == 255) >= share * len(low)


def mask_is_empty(coverage):
    """True when no coverage byte is set (an empty selection)."""
    return not bytes(coverage).strip(b"\x00")


_run_patterns = {}


def unchanged_runs(result, source, bytes_per_pixel):
    """Pixel index ranges ``(start, stop)`` where ``result`` equals ``source`` bit for bit.

    Both are wire bytes of the same rectangle. Works at C speed: the XOR of the two buffers is
    scanned for runs of all-zero pixels with a regular expression that steps a whole pixel at a
    time, so runs never straddle a pixel boundary.
    """
    if len(result) != len(source):
        raise ValueError("result has %d bytes, source %d" % (len(result), len(source)))
    if not result:
        return []
    diff = (int.from_bytes(result, "little") ^ int.from_bytes(source, "little")).to_bytes(len(result), "little")
    pattern = _run_patterns.get(bytes_per_pixel)
    if pattern is None:
        zero = b"\x00" * bytes_per_pixel
        zero = re.escape(zero)
        pattern = re.compile(b"(?s)((?:" + zero + b")+)|(?:(?!" + zero + b").{%d})+" % bytes_per_pixel)
        _run_patterns[bytes_per_pixel] = pattern
    runs = []
    for m in pattern.finditer(diff):
        if m.group(1) is not None:
            runs.append((m.start() // bytes_per_pixel, m.end() // bytes_per_pixel))
    return runs


def clear_pixels(data, runs, bytes_per_pixel):
    """``data`` with the pixels in ``runs`` set to all-zero bytes (fully transparent): a bytearray is
    changed in place (no copy of a big layer), anything else copied first."""
    out = data if isinstance(data, bytearray) else bytearray(data)
    for start, stop in runs:
        out[start * bytes_per_pixel:stop * bytes_per_pixel] = bytes((stop - start) * bytes_per_pixel)
    return out


def changed_pixel_count(runs, pixel_count):
    return pixel_count - sum(stop - start for start, stop in runs)


def crop(data, width, rect, bytes_per_pixel):
    """The rows of ``rect`` (x, y, w, h, relative to the buffer) from a ``width``-wide buffer."""
    x, y, w, h = rect
    stride = width * bytes_per_pixel
    out = bytearray()
    for row in range(y, y + h):
        start = row * stride + x * bytes_per_pixel
        out += data[start:start + w * bytes_per_pixel]
    return bytes(out)


def convert_wire(data, from_format, to_format):
    """RGBA8 <-> RGBA16 by the usual exact scaling (v * 257 up; round(v / 257) down); same format: unchanged."""
    if from_format == to_format:
        return data
    if from_format == RGBA8 and to_format == RGBA16:
        out = array.array("H", map((257).__mul__, bytes(data)))
    elif from_format == RGBA16 and to_format == RGBA8:
        values = array.array("H")
        values.frombytes(bytes(data))
        if not _LITTLE:
            values.byteswap()
        return bytes(map(_down_table().__getitem__, values))
    else:
        raise ValueError("cannot convert %s to %s" % (from_format, to_format))
    if not _LITTLE:
        out.byteswap()
    return out.tobytes()


_down = []


def _down_table():
    if not _down:
        _down.append(bytes((v * 255 + 32767) // 65535 for v in range(65536)))
    return _down[0]
