"""The daemon's context rule: which part of the layer a job reads around a selection.

The daemon states it in GetInfo (``OperationInfo.contextRule``) and computes it with its one
implementation (``EditorBridge.Imaging.ContextCrop``); this is the same arithmetic on the numbers
it publishes, so the plugin sends only the crop the job needs. The unit test
``test_context_rule.py`` checks it against the daemon's own answers (``GET /v1/info?context...``).

With S the selection's bounding box and L the canvas (x, y, width, height):
    result = (S grown by grow_pixels) ∩ L
    margin = clamp(round(max(result w, h) * margin_percent / 100), min_pixels, max_pixels)
    crop   = (result grown by max(margin, 1)) ∩ L
``round`` is half to even in Python and in the daemon (.NET's Math.Round).

Outpainting (``GeometryOptions.outpaint``, fill only): L is first grown to the bounding box of L and S
(the layer grows over the selection), and the crop is cut to the layer's own pixels (the rest is new).
"""


def _intersect(a, b):
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    if x1 <= x0 or y1 <= y0:
        return None
    return (x0, y0, x1 - x0, y1 - y0)


def _union(a, b):
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return (x0, y0, x1 - x0, y1 - y0)


def _grow(rect, by):
    x, y, w, h = rect
    return (x - by, y - by, w + 2 * by, h + 2 * by)


class ContextRule(object):
    """One operation's rule, from its ``ContextRule`` JSON (fields may be absent: proto3 zeros)."""

    def __init__(self, margin_percent=0.0, min_pixels=0, max_pixels=0, grow_pixels=0):
        self.margin_percent = float(margin_percent)
        self.min_pixels = int(min_pixels)
        self.max_pixels = int(max_pixels)
        self.grow_pixels = int(grow_pixels)

    @classmethod
    def from_json(cls, raw):
        raw = raw or {}
        return cls(raw.get("marginPercent") or 0.0, raw.get("minPixels") or 0,
                   raw.get("maxPixels") or 0, raw.get("growPixels") or 0)

    @classmethod
    def fixed(cls, margin):
        """A rule with a fixed margin and no growing (tests)."""
        return cls(0.0, margin, margin, 0)

    def margin(self, result):
        side = float(max(result[2], result[3]))
        return min(max(int(round(side * self.margin_percent / 100.0)), self.min_pixels), self.max_pixels)

    def crop(self, selection, canvas, outpaint=False):
        """The part of ``canvas`` to send for a selection whose bounding box is ``selection``; None when it misses the canvas.
        With ``outpaint`` ``canvas`` is the layer's bounds, which grow over the selection."""
        grown = _union(canvas, selection) if outpaint else canvas
        result = _intersect(_grow(selection, self.grow_pixels), grown)
        if result is None:
            return None
        crop = _intersect(_grow(result, max(self.margin(result), 1)), grown)
        return _intersect(crop, canvas) if outpaint and crop is not None else crop

    def __repr__(self):
        return "ContextRule(%r, %r, %r, %r)" % (self.margin_percent, self.min_pixels, self.max_pixels, self.grow_pixels)
