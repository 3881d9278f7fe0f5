"""How a job's result lands in a Krita document: new layers, a group of results, a selection.

Role: *model* (the Krita-document half, beside :mod:`document`, which reads what a job takes).
Uses only libkis objects handed in, plus ``krita.Selection`` for Select Subject; no Qt import.

The source layer is never written: results arrive in a *new* paint layer (or a new group of them)
whose pixels are set while it is still detached, then inserted with one ``addChildNode``: one undo
step that Undo removes whole.
"""

from . import image as img
from .document import (PLACE_ABOVE, PLACE_BELOW, PLACE_REPLACE, PLACE_TOP, crop_of, find_node, intersect,
                       layout_of, node_key)
from .wire import BridgeError, OPERATION_LABELS


def result_name(operation, seed):
    label = OPERATION_LABELS.get(operation, operation.title())
    return "%s (seed %s)" % (label, seed) if seed not in (None, "") else label


def new_layer_layout(doc):
    """The layout a new paint layer of ``doc`` will have (the image's colour space)."""
    return layout_of(doc.colorModel(), doc.colorDepth(), "The image (where the new layer goes)")


def new_layer(doc, name):
    """A detached paint layer in the document's colour space, and its pixel layout."""
    layer = doc.createNode(name, "paintlayer")
    return layer, layout_of(layer.colorModel(), layer.colorDepth(), "The new layer (the image's colour space)")


def result_pixels(cap, result_rect, result_wire, target, changed_only=True):
    """Krita bytes in the ``target`` layout for the new layer, from the result's wire bytes.

    With ``changed_only``, pixels equal to the source's (as sent, bit for bit) become fully
    transparent. Returns ``(krita_bytes, changed_pixel_count)``.
    """
    x, y, w, h = result_rect
    wire_format = cap.layout.wire_format
    bpp = img.WIRE_BYTES_PER_PIXEL[wire_format]
    if len(result_wire) != w * h * bpp:
        raise BridgeError("protocol", "The result has %d bytes, expected %d for %dx%d %s."
                          % (len(result_wire), w * h * bpp, w, h, wire_format))
    runs = []
    if changed_only and intersect(result_rect, cap.rect) == result_rect:
        runs = img.unchanged_runs(result_wire, crop_of(cap, result_rect), bpp)
    out_wire = img.convert_wire(result_wire, wire_format, target.wire_format)
    krita_bytes = img.wire_to_krita(out_wire, target)
    if runs:
        krita_bytes = img.clear_pixels(krita_bytes, runs, target.bytes_per_pixel)
    return krita_bytes, img.changed_pixel_count(runs, w * h)


def _siblings(node):
    parent = node.parentNode()
    return parent, list(parent.childNodes())


def _index_of(nodes, node):
    key = node_key(node)
    for i, n in enumerate(nodes):
        if node_key(n) == key:
            return i
    return -1


def place_layer(doc, cap, layer, result_rect, krita_bytes, placement, blending=None):
    """Fills the detached ``layer`` and inserts it; returns ``(undo_steps, note)``.

    The pixels go in while the layer is detached, so each ``addChildNode`` is a single undo step.
    ``addChildNode(child, above)`` in Krita 5.1 puts ``child`` right above ``above`` (on top when
    ``above`` is None): colours go *under* the line art by naming the layer below it. ``blending``
    (a Krita composite op such as "multiply") is set on the new layer before it goes in. When the line
    art is the lowest layer of its group there is no such layer, so the line art is lifted back
    above the colours (three undo steps; the note says so).
    """
    x, y, w, h = result_rect
    layer.setPixelData(krita_bytes, x, y, w, h)
    if blending:
        layer.setBlendingMode(blending)
    return insert(doc, cap, layer, placement)


def insert(doc, cap, layer, placement):
    """Inserts the detached, filled ``layer`` (or group) where ``placement`` says; ``(undo_steps, note)``."""
    anchor = find_node(doc, cap.node_key) if cap.node_key else None
    if cap.node_key and anchor is None:
        placement, note = PLACE_TOP, "The source layer was deleted meanwhile: the result is on top."
    else:
        note = ""
    if placement == PLACE_TOP or anchor is None:
        doc.rootNode().addChildNode(layer, None)
        return 1, note
    parent, siblings = _siblings(anchor)
    if placement == PLACE_ABOVE:
        parent.addChildNode(layer, anchor)
        return 1, note
    if placement == PLACE_REPLACE:
        parent.addChildNode(layer, anchor)
        anchor.remove()
        return 2, "'%s' was replaced (two undo steps: Undo twice restores it)." % cap.node_name
    if placement == PLACE_BELOW:
        i = _index_of(siblings, anchor)
        if i > 0:
            parent.addChildNode(layer, siblings[i - 1])
            return 1, note
        parent.addChildNode(layer, anchor)
        anchor.remove()
        parent.addChildNode(anchor, layer)
        return 3, ("'%s' is the lowest layer, so Krita needs three undo steps to put the colours under it."
                          % cap.node_name)
    raise ValueError("unknown placement %r" % placement)


def set_selection(doc, mask_rect, coverage):
    """Select Subject: the returned coverage becomes Krita's selection (soft edges kept)."""
    from krita import Selection

    x, y, w, h = mask_rect
    if len(coverage) != w * h:
        raise BridgeError("protocol", "The returned selection has %d bytes, expected %d (%dx%d)." % (len(coverage), w * h, w, h))
    if img.mask_is_empty(coverage):
        raise BridgeError("input", "The daemon found no subject: the returned selection is empty.", hint="")
    selection = Selection()
    selection.setPixelData(bytes(coverage), x, y, w, h)
    doc.setSelection(selection)
    return selection


def place_group(doc, cap, group_name, layers, placement, blending=None):
    """Several results (``layers``: ``(name, rect, krita_bytes)`` in seed order) as one group layer,
    only the first visible: the painter picks one by switching visibility. The group is filled while
    detached, so it lands as one undo step. Returns ``(undo_steps, note)``."""
    group = doc.createNode(group_name, "grouplayer")
    for i, (name, rect, krita_bytes) in enumerate(layers):
        layer = doc.createNode(name, "paintlayer")
        x, y, w, h = rect
        layer.setPixelData(krita_bytes, x, y, w, h)
        layer.setVisible(i == 0)
        group.addChildNode(layer, None)
    if blending:
        group.setBlendingMode(blending)
    return insert(doc, cap, group, placement)


def ensure_rgb(doc):
    """A greyscale image cannot show colours: it is converted to RGB/Alpha (same depth) first, one
    more undo step. Returns the note for the painter, or "" when the image is already RGB."""
    if doc.colorModel() != "GRAYA":
        return ""
    doc.setColorSpace("RGBA", doc.colorDepth(), "")
    doc.waitForDone()
    if doc.colorModel() != "RGBA":
        raise BridgeError("colorspace", "The greyscale image could not be converted to RGB for the colours; "
                          "convert it first (Image > Convert Image Color Space).", "layer.format", hint="")
    return "The greyscale image was converted to RGB to hold the colours (Undo twice restores it)."
