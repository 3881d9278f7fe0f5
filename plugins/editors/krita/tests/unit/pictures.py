"""Small test pictures in the stand-in Krita."""

import struct

import krita


def pattern_pixel(x, y, depth):
    """A distinct opaque colour per pixel, in Krita's layout for ``depth``."""
    r, g, b = (x * 7 + 3) % 256, (y * 11 + 5) % 256, (x * y + 9) % 256
    if depth == "U8":
        return bytes([b, g, r, 255])
    if depth == "U16":
        return struct.pack("=4H", b * 257 + 1, g * 257, r * 257 + 2, 65535)
    if depth == "F16":
        return struct.pack("=4e", r / 255.0, g / 255.0, b / 255.0, 1.0)
    if depth == "F32":
        return struct.pack("=4f", r / 255.0, g / 255.0, b / 255.0, 1.0)
    raise ValueError(depth)


def make_document(width=24, height=16, depth="U8", model="RGBA", name="test.kra"):
    """A document whose active layer 'Paint' (above 'Background') holds the pattern."""
    app = krita.Krita.instance()
    doc = app.createDocument(width, height, name, model, depth, "", 72.0)
    layer = doc.createNode("Paint", "paintlayer")
    if model == "RGBA":
        data = b"".join(pattern_pixel(x, y, depth) for y in range(height) for x in range(width))
    elif (model, depth) == ("GRAYA", "U8"):  # a greyscale scan: dark lines on white paper
        data = b"".join(bytes([0 if x % 6 == 0 else 255, 255]) for y in range(height) for x in range(width))
    else:
        data = bytes(krita.bytes_per_pixel(model, depth) * width * height)
    layer.setPixelData(data, 0, 0, width, height)  # detached: not a direct write
    doc.rootNode().addChildNode(layer, None)
    doc.setActiveNode(layer)
    doc.undo_steps.clear()
    app.setActiveDocument(doc)
    return doc, layer


def select(doc, x, y, w, h, value=255):
    selection = krita.Selection()
    selection.select(x, y, w, h, value)
    doc.setSelection(selection)
