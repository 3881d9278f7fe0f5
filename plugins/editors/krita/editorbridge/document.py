"""What a job takes from a Krita document, and how its result lands there.

Role: *model* (the Krita-document half). Uses only libkis objects handed in (Document, Node,
Selection) plus ``krita.Selection`` for Select Subject; no Qt import, so it runs under the
stand-in ``krita`` module in the unit tests.

Rules it keeps:

* Nothing here writes: :mod:`placing` puts results into the document.
* Geometry stays in the daemon: the plugin sends the layer (cropped to the selection's bounding
  box plus the farthest context the daemon may use, clipped to the canvas) and the selection's
  coverage, both in canvas coordinates, and places the returned rectangle exactly where it says.
* Extra pictures (hint, reference, object layers) are read like the layer: canvas-aligned ones over
  the same rectangle as the layer crop, free ones (a reference) over the layer's own bounds.
* Outpainting: a Fill whose selection reaches past the layer's own pixels (new canvas after Image >
  Resize Canvas, or any area the layer never painted) sends only the layer's pixels and asks the
  daemon to outpaint (``GeometryOptions.outpaint``): the daemon grows the layer over the selection
  and fills the new area from the layer; the result layer covers it.
"""

from . import image as img
from .wire import BridgeError, OPERATION_LABELS

SOURCE_LAYER = "layer"
SOURCE_MERGED = "merged"

PLACE_ABOVE = "above"  # new layer right above the source layer
PLACE_TOP = "top"  # new layer at the top of the stack (merged-image source)
PLACE_BELOW = "below"  # colorize: colours under the line art, which stays on top
PLACE_REPLACE = "replace"  # colorize: the result takes the source layer's place
PLACE_AUTO = "auto"  # colorize: above an opaque sketch (it is the coloured sketch), under transparent line art

OUTPAINT_OPERATION = "fill"  # the one operation whose selection may reach past the layer (the daemon's rule)

LAYER_TYPES = ("paintlayer", "grouplayer", "vectorlayer", "filelayer", "clonelayer", "filllayer")


def intersect(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    x0, y0 = max(ax, bx), max(ay, by)
    x1, y1 = min(ax + aw, bx + bw), min(ay + ah, by + bh)
    if x1 <= x0 or y1 <= y0:
        return None
    return (x0, y0, x1 - x0, y1 - y0)


def grow(rect, margin):
    x, y, w, h = rect
    return (x - margin, y - margin, w + 2 * margin, h + 2 * margin)


def document_key(doc):
    """A stable id for an open document (its root node's unique id)."""
    return _uuid_text(doc.rootNode().uniqueId())


def node_key(node):
    return _uuid_text(node.uniqueId())


def _uuid_text(uid):
    return uid.toString() if hasattr(uid, "toString") else str(uid)


def find_node(doc, key):
    """The node with this unique id anywhere in the document, or None."""
    stack = list(doc.rootNode().childNodes())
    while stack:
        node = stack.pop()
        if node_key(node) == key:
            return node
        stack.extend(node.childNodes())
    return None


def document_label(doc):
    name = doc.name() or ""
    if not name and doc.fileName():
        name = doc.fileName().replace("\\", "/").rsplit("/", 1)[-1]
    return name or "untitled"


def layout_of(model, depth, what):
    """The pixel layout of a Krita colour space; BridgeError (kind "colorspace") when refused."""
    try:
        return img.layout_for(model, depth, what)
    except img.UnsupportedColorSpace as e:
        raise BridgeError("colorspace", str(e), "layer.format", hint="")


class Capture:
    """Everything a job took from the document, kept until its result has landed."""

    def __init__(self):
        self.doc_key = ""
        self.doc_label = ""
        self.node_key = None  # source layer (None for the merged image)
        self.node_name = ""
        self.source = SOURCE_LAYER
        self.layout = None  # img.KritaLayout of the pixels sent
        self.rect = None  # (x, y, w, h) of the layer crop sent, canvas coordinates
        self.raw = b""  # the layer crop as Krita gave it (until encode())
        self.wire = b""  # the layer crop in wire format
        self.clipped = 0  # float channel values clipped on the way out
        self.mask_rect = None
        self.mask = None  # coverage bytes, or None
        self.profile = ""
        self.opaque = False  # the layer crop is (nearly) all opaque: a sketch on paper
        self.inputs = []  # InputCapture objects
        self.outpaint = False  # the selection reaches past the layer's pixels: the daemon grows the layer

    def label(self, operation):
        if operation == "generate":
            what = "new layer"
        else:
            what = self.node_name if self.source == SOURCE_LAYER else "merged image"
        return "Krita: %s / %s" % (self.doc_label, what)


def capture(doc, operation, source=SOURCE_LAYER, requires_mask=True, context_rule=None, info=None, node=None):
    """Reads what ``operation`` needs from ``doc``; BridgeError (kind "input" or "limit") when it cannot be sent.

    Only reads (Krita's API belongs to the GUI thread); :func:`encode` converts afterwards.

    ``node``: the source layer (default: the document's active node, as at the click).
    ``context_rule``: the daemon's rule for the crop around a selection (``wire.DaemonInfo.context_rule``);
    None sends the whole canvas. Krita's selection box may be looser than its selected pixels; the
    crop of a looser box holds the exact one (the rule only grows with the box).
    Checks, in order: a document and a layer; its colour model; the selection (required or
    optional; empty, or outside the canvas); the daemon's size limits (before any pixel is read).
    """
    if doc is None:
        raise BridgeError("input", "Open an image first.", hint="")
    if operation == "generate":
        return capture_blank(doc, info, node if node is not None else doc.activeNode())
    cap = Capture()
    cap.doc_key = document_key(doc)
    cap.doc_label = document_label(doc)
    cap.source = source
    canvas = (0, 0, doc.width(), doc.height())
    if source == SOURCE_MERGED:
        node = None
        cap.layout = layout_of(doc.colorModel(), doc.colorDepth(), "The image")
        cap.profile = doc.colorProfile()
    else:
        node = node if node is not None else doc.activeNode()
        if node is None or node.type() not in LAYER_TYPES:
            raise BridgeError("input", "Pick a layer in the Layers docker first (the active node is %s)."
                              % ("nothing" if node is None else "a %s" % node.type()), hint="")
        cap.node_key = node_key(node)
        cap.node_name = node.name()
        cap.layout = layout_of(node.colorModel(), node.colorDepth(), "The layer '%s'" % node.name())
        cap.profile = node.colorProfile()

    selection = doc.selection()
    sel_rect = None
    if selection is not None and selection.width() > 0 and selection.height() > 0:
        sel_rect = (selection.x(), selection.y(), selection.width(), selection.height())
        inside = intersect(sel_rect, canvas)
        if inside is None:
            raise BridgeError("input", "The selection lies outside the canvas.", "mask",
                              hint="Select a region inside the image.")
        sel_rect = inside
    if sel_rect is None and requires_mask:
        raise BridgeError("input", "%s needs a selection: select the region first." % OPERATION_LABELS.get(operation, operation),
                          "mask", hint="")

    if sel_rect is not None:
        layer_rect = node_rect(node, canvas) if node is not None and operation == OUTPAINT_OPERATION else None
        if layer_rect is not None and intersect(sel_rect, layer_rect) != sel_rect and intersect(grow(sel_rect, 1), layer_rect):
            cap.outpaint = True
            cap.rect = layer_rect if context_rule is None else context_rule.crop(sel_rect, layer_rect, outpaint=True)
        else:
            cap.rect = canvas if context_rule is None else context_rule.crop(sel_rect, canvas)
        cap.mask_rect = sel_rect
    else:
        cap.rect = canvas
    if info is not None:
        limit = info.check_size(cap.rect[2], cap.rect[3], cap.layout.wire_bytes_per_pixel,
                                "The area to send (%dx%d)" % (cap.rect[2], cap.rect[3]))
        if limit is not None:
            raise limit

    if sel_rect is not None:
        coverage = bytes(selection.pixelData(*sel_rect))
        if img.mask_is_empty(coverage):
            raise BridgeError("input", "The selection is empty.", "mask", hint="Select a region first.")
        cap.mask = coverage

    x, y, w, h = cap.rect
    if node is None:
        doc.waitForDone()
        raw = doc.pixelData(x, y, w, h)
    elif node.type() == "paintlayer":
        raw = node.pixelData(x, y, w, h)
    else:
        raw = node.projectionPixelData(x, y, w, h)
    raw = bytes(raw)
    expected = w * h * cap.layout.bytes_per_pixel
    if len(raw) != expected:
        raise BridgeError("input", "Krita returned %d bytes for a %dx%d %s/%s area, expected %d."
                          % (len(raw), w, h, cap.layout.model, cap.layout.depth, expected), hint="")
    cap.raw = raw
    return cap


def capture_blank(doc, info=None, above=None):
    """Generate: a transparent layer of the canvas, or of the selection's bounds when there is one,
    in the image's colour space (the engine paints from the prompt; it does not read the pixels).
    The result goes above ``above`` (the active layer) when there is one, else on top."""
    cap = Capture()
    cap.doc_key = document_key(doc)
    cap.doc_label = document_label(doc)
    cap.source = SOURCE_MERGED
    cap.layout = layout_of(doc.colorModel(), doc.colorDepth(), "The image")
    cap.profile = doc.colorProfile()
    if above is not None and above.type() in LAYER_TYPES:
        cap.node_key, cap.node_name = node_key(above), above.name()
    canvas = (0, 0, doc.width(), doc.height())
    selection = doc.selection()
    cap.rect = canvas
    if selection is not None and selection.width() > 0 and selection.height() > 0:
        cap.rect = intersect((selection.x(), selection.y(), selection.width(), selection.height()), canvas)
        if cap.rect is None:
            raise BridgeError("input", "The selection lies outside the canvas.", "mask",
                              hint="Select a region inside the image.")
    if info is not None:
        limit = info.check_size(cap.rect[2], cap.rect[3], cap.layout.wire_bytes_per_pixel,
                                "The area to generate (%dx%d)" % (cap.rect[2], cap.rect[3]))
        if limit is not None:
            raise limit
    cap.raw = bytes(cap.rect[2] * cap.rect[3] * cap.layout.bytes_per_pixel)  # zero: transparent in every depth
    return cap


def keep_active(doc, node_key_text):
    """Makes the layer with this id the active one again (Krita activates a layer it inserts, so a
    second Fill would otherwise run on the mostly transparent result). False when it is gone."""
    if node_key_text is None:
        return False
    source = find_node(doc, node_key_text)
    if source is None:
        return False
    doc.setActiveNode(source)
    return True


class InputCapture:
    """One extra picture (JobRequest.inputs[name]) read from a layer."""

    def __init__(self, name, layer_name, rect, layout, raw):
        self.name = name
        self.layer_name = layer_name
        self.rect = rect
        self.layout = layout
        self.raw = raw
        self.wire = b""


def capture_input(doc, cap, name, key, canvas_aligned, label=""):
    """Reads the layer ``key`` as input ``name``: over the layer crop's rectangle when the input is
    canvas-aligned (hints, an object), else over that layer's own bounds (a reference picture)."""
    node = find_node(doc, key) if key else None
    what = label or name
    if node is None:
        raise BridgeError("input", "The layer picked as %s is gone: pick another one." % what, "inputs." + name, hint="")
    if node.type() not in LAYER_TYPES:
        raise BridgeError("input", "The %s '%s' is not a layer." % (what, node.name()), "inputs." + name, hint="")
    layout = layout_of(node.colorModel(), node.colorDepth(), "The %s layer '%s'" % (what, node.name()))
    canvas = (0, 0, doc.width(), doc.height())
    if canvas_aligned:
        rect = cap.rect
    else:
        rect = node_rect(node, canvas)
        if rect is None:
            raise BridgeError("input", "The %s layer '%s' is empty." % (what, node.name()), "inputs." + name, hint="")
    x, y, w, h = rect
    raw = node.pixelData(x, y, w, h) if node.type() == "paintlayer" else node.projectionPixelData(x, y, w, h)
    return InputCapture(name, node.name(), rect, layout, bytes(raw))


def node_rect(node, canvas):
    """The layer's own pixels' bounds on the canvas (Krita's ``Node.bounds()``), or None when it has none."""
    bounds = node.bounds()
    bounds = (bounds.x(), bounds.y(), bounds.width(), bounds.height()) if hasattr(bounds, "x") else tuple(bounds)
    return intersect(bounds, canvas) if bounds[2] > 0 and bounds[3] > 0 else None


def crop_of(cap, rect):
    """The wire bytes of ``rect`` (canvas coordinates, inside ``cap.rect``) from the layer crop sent."""
    bpp = img.WIRE_BYTES_PER_PIXEL[cap.layout.wire_format]
    x, y, w, h = rect
    return img.crop(cap.wire, cap.rect[2], (x - cap.rect[0], y - cap.rect[1], w, h), bpp)


def encode(cap):
    """Converts the captured Krita bytes (layer and inputs) to the wire format (pure Python: safe off
    the GUI thread), and notes whether the layer is an opaque sketch."""
    converted = img.krita_to_wire(cap.raw, cap.layout)
    cap.wire, cap.clipped, cap.raw = converted.data, converted.clipped, b""
    cap.opaque = img.is_opaque(cap.wire, cap.layout.wire_format)
    for item in cap.inputs:
        item.wire, item.raw = img.krita_to_wire(item.raw, item.layout).data, b""
    return cap
