"""What a job reads from a document (checked with the stand-in krita module) and where results land."""

import struct
import unittest

import common  # noqa: F401
from editorbridge import placing  # noqa: F401
import krita
import fakedaemon
from editorbridge import document, image as img, wire
from editorbridge.context_rule import ContextRule
from editorbridge.wire import BridgeError
from pictures import make_document, select


class CaptureTests(unittest.TestCase):
    def setUp(self):
        krita.Krita.reset()
        self.info = wire.DaemonInfo(fakedaemon.load_info())

    def test_crop_is_selection_plus_reach_clipped_to_canvas(self):
        doc, layer = make_document(40, 30)
        select(doc, 10, 12, 5, 4)
        cap = document.encode(document.capture(doc, "fill", context_rule=ContextRule.fixed(3), info=self.info))
        self.assertEqual(cap.rect, (7, 9, 11, 10))
        self.assertEqual(cap.mask_rect, (10, 12, 5, 4))
        self.assertEqual(cap.mask, b"\xff" * 20)
        self.assertEqual(len(cap.wire), 11 * 10 * 4)
        # the wire bytes are the layer's pixels as RGBA
        self.assertEqual(cap.wire[:4], img.krita_to_wire(layer.pixelData(7, 9, 1, 1), cap.layout).data)
        cap = document.encode(document.capture(doc, "fill", context_rule=ContextRule.fixed(512), info=self.info))
        self.assertEqual(cap.rect, (0, 0, 40, 30))
        self.assertEqual(cap.label("fill"), "Krita: test.kra / Paint")

    def test_soft_selection_edges_travel(self):
        doc, _ = make_document()
        selection = krita.Selection()
        selection.select(2, 2, 3, 1, 255)
        selection.select(5, 2, 1, 1, 77)
        doc.setSelection(selection)
        cap = document.encode(document.capture(doc, "fill", info=self.info))
        self.assertEqual(cap.mask, bytes([255, 255, 255, 77]))

    def test_selection_is_required_for_fill(self):
        doc, _ = make_document()
        with self.assertRaises(BridgeError) as caught:
            document.capture(doc, "fill", info=self.info)
        self.assertIn("needs a selection", caught.exception.message)
        cap = document.encode(document.capture(doc, "colorize", requires_mask=False, info=self.info))
        self.assertEqual(cap.rect, (0, 0, 24, 16))
        self.assertIsNone(cap.mask)

    def test_selection_outside_the_canvas(self):
        doc, _ = make_document()
        select(doc, 100, 100, 5, 5)
        with self.assertRaises(BridgeError) as caught:
            document.capture(doc, "fill", info=self.info)
        self.assertIn("outside the canvas", caught.exception.message)

    def test_selection_partly_outside_is_clipped(self):
        doc, _ = make_document()
        select(doc, 20, -3, 10, 6)
        cap = document.encode(document.capture(doc, "fill", context_rule=ContextRule.fixed(0), info=self.info))
        self.assertEqual(cap.mask_rect, (20, 0, 4, 3))

    def test_unsupported_colour_model_is_refused_before_reading(self):
        doc, _ = make_document(model="CMYKA")
        select(doc, 1, 1, 2, 2)
        with self.assertRaises(BridgeError) as caught:
            document.capture(doc, "fill", info=self.info)
        self.assertEqual(caught.exception.kind, "colorspace")
        self.assertIn("CMYK", caught.exception.message)
        self.assertIn("'Paint'", caught.exception.message)

    def test_greyscale_scan_is_read_as_rgba(self):
        doc, layer = make_document(model="GRAYA")
        select(doc, 1, 1, 2, 2)
        cap = document.encode(document.capture(doc, "fill", info=self.info))
        self.assertEqual(cap.layout.wire_format, "PIXEL_FORMAT_RGBA8")
        grey, alpha = layer.pixelData(0, 0, 1, 1)
        self.assertEqual(cap.wire[:4], bytes([grey, grey, grey, alpha]))

    def test_no_layer(self):
        doc, _ = make_document()
        doc.setActiveNode(None)
        select(doc, 1, 1, 2, 2)
        with self.assertRaises(BridgeError) as caught:
            document.capture(doc, "fill", info=self.info)
        self.assertIn("Pick a layer", caught.exception.message)
        with self.assertRaises(BridgeError):
            document.capture(None, "fill", info=self.info)

    def test_limits_are_checked_before_pixels_are_read(self):
        doc, _ = make_document(30, 20)
        select(doc, 0, 0, 30, 20)
        small = wire.DaemonInfo({"limits": {"maxSide": 16}})
        with self.assertRaises(BridgeError) as caught:
            document.capture(doc, "fill", info=small)
        self.assertEqual(caught.exception.kind, "limit")
        self.assertIn("16 pixels a side", caught.exception.message)

    def test_merged_image(self):
        doc, layer = make_document()
        select(doc, 1, 1, 2, 2)
        cap = document.encode(document.capture(doc, "fill", document.SOURCE_MERGED, context_rule=ContextRule.fixed(0), info=self.info))
        self.assertIsNone(cap.node_key)
        # a zero margin still sends the ring of pixels around the selection (the soft edge reads it)
        self.assertEqual(cap.rect, (0, 0, 4, 4))
        self.assertEqual(cap.wire, img.krita_to_wire(doc.pixelData(0, 0, 4, 4), cap.layout).data)
        self.assertEqual(cap.label("fill"), "Krita: test.kra / merged image")

    def test_every_depth(self):
        for depth in ("U8", "U16", "F16", "F32"):
            krita.Krita.reset()
            doc, layer = make_document(depth=depth)
            select(doc, 3, 3, 4, 4)
            cap = document.encode(document.capture(doc, "fill", context_rule=ContextRule.fixed(1), info=self.info))
            self.assertEqual(cap.layout.depth, depth)
            self.assertEqual(len(cap.wire), 6 * 6 * cap.layout.wire_bytes_per_pixel)


class PlacementTests(unittest.TestCase):
    def setUp(self):
        krita.Krita.reset()
        self.info = wire.DaemonInfo(fakedaemon.load_info())

    def result_for(self, doc, operation="fill", **kw):
        cap = document.encode(document.capture(doc, operation, info=self.info, **kw))
        request = {"operation": operation,
                   "layer": {"width": cap.rect[2], "height": cap.rect[3], "offsetX": cap.rect[0], "offsetY": cap.rect[1],
                             "format": cap.layout.wire_format, "blobId": "l"}}
        blobs = {"l": cap.wire}
        if cap.mask is not None:
            request["mask"] = {"width": cap.mask_rect[2], "height": cap.mask_rect[3], "offsetX": cap.mask_rect[0],
                               "offsetY": cap.mask_rect[1], "blobId": "m"}
            blobs["m"] = cap.mask
        result, data = fakedaemon.fake_result(request, blobs)
        part = result.get("layer") or result.get("mask")
        return cap, (part["offsetX"], part["offsetY"], part["width"], part["height"]), data

    def names(self, parent):
        return [n.name() for n in parent.childNodes()]

    def test_fill_lands_above_the_source_in_one_undo_step(self):
        doc, layer = make_document()
        select(doc, 4, 5, 6, 3)
        before = layer.pixelData(0, 0, 24, 16)
        cap, rect, data = self.result_for(doc)
        new, target = placing.new_layer(doc, placing.result_name("fill", 42))
        pixels, changed = placing.result_pixels(cap, rect, data, target)
        self.assertEqual(changed, 18)
        steps, note = placing.place_layer(doc, cap, new, rect, pixels, document.PLACE_ABOVE)
        self.assertEqual((steps, note), (1, ""))
        self.assertEqual(self.names(doc.rootNode()), ["Background", "Paint", "Fill (seed 42)"])
        self.assertEqual(doc.undo_steps, [("add", "Fill (seed 42)")])
        self.assertEqual(doc.direct_writes, [])
        self.assertEqual(layer.pixelData(0, 0, 24, 16), before)
        # only changed pixels are in the new layer: inside the selection the fake engine's colour ...
        self.assertEqual(new.pixelData(4, 5, 1, 1), bytes([20, 10, 250, 255]))
        # ... and nothing (transparent) elsewhere
        self.assertEqual(new.pixelData(3, 5, 1, 1), bytes(4))
        self.assertEqual(doc.selection().x(), 4)  # the selection is kept

    def test_every_depth_lands_in_the_layer_format(self):
        for depth in ("U16", "F16", "F32"):
            krita.Krita.reset()
            doc, layer = make_document(depth=depth)
            select(doc, 2, 2, 3, 3)
            cap, rect, data = self.result_for(doc)
            new, target = placing.new_layer(doc, "r")
            pixels, changed = placing.result_pixels(cap, rect, data, target)
            self.assertEqual(changed, 9)
            self.assertEqual(len(pixels), 9 * target.bytes_per_pixel)
            back = struct.unpack("<4H", img.krita_to_wire(pixels[:target.bytes_per_pixel], target).data)
            want = struct.unpack("<4H", fakedaemon.FILL_COLOUR["PIXEL_FORMAT_RGBA16"])
            # U16 and F32 hold every 16-bit value; a half float rounds to its 11-bit mantissa
            tolerance = 32 if depth == "F16" else 0
            for w, b in zip(want, back):
                self.assertLessEqual(abs(w - b), tolerance, depth)

    def test_result_in_a_different_depth_layer_is_scaled_exactly(self):
        doc, layer = make_document(depth="U8")
        select(doc, 2, 2, 2, 2)
        cap, rect, data = self.result_for(doc)
        target = img.layout_for("RGBA", "U16")
        pixels, _ = placing.result_pixels(cap, rect, data, target)
        self.assertEqual(img.krita_to_wire(pixels[:8], target).data, img.convert_wire(bytes([250, 10, 20, 255]), img.RGBA8, img.RGBA16))

    def test_colorize_goes_under_the_line_art(self):
        doc, layer = make_document()
        cap, rect, data = self.result_for(doc, "colorize", requires_mask=False)
        new, target = placing.new_layer(doc, "Colorize (seed 1)")
        pixels, changed = placing.result_pixels(cap, rect, data, target, changed_only=False)
        steps, note = placing.place_layer(doc, cap, new, rect, pixels, document.PLACE_BELOW)
        self.assertEqual(self.names(doc.rootNode()), ["Background", "Colorize (seed 1)", "Paint"])
        self.assertEqual(steps, 1)
        self.assertEqual(len(doc.undo_steps), 1)
        self.assertEqual(doc.direct_writes, [])

    def test_colorize_under_the_lowest_layer(self):
        doc, layer = make_document()
        doc.rootNode().childNodes()[0].remove()  # drop Background: the line art is now the lowest layer
        doc.undo_steps.clear()
        cap, rect, data = self.result_for(doc, "colorize", requires_mask=False)
        new, target = placing.new_layer(doc, "Colours")
        pixels, _ = placing.result_pixels(cap, rect, data, target, changed_only=False)
        steps, note = placing.place_layer(doc, cap, new, rect, pixels, document.PLACE_BELOW)
        self.assertEqual(self.names(doc.rootNode()), ["Colours", "Paint"])
        self.assertEqual(steps, 3)
        self.assertIn("three undo steps", note)
        self.assertEqual(doc.direct_writes, [])

    def test_colorize_replace(self):
        doc, layer = make_document()
        cap, rect, data = self.result_for(doc, "colorize", requires_mask=False)
        new, target = placing.new_layer(doc, "Colours")
        pixels, _ = placing.result_pixels(cap, rect, data, target, changed_only=False)
        steps, _ = placing.place_layer(doc, cap, new, rect, pixels, document.PLACE_REPLACE)
        self.assertEqual(self.names(doc.rootNode()), ["Background", "Colours"])
        self.assertEqual(steps, 2)

    def test_source_deleted_meanwhile_puts_result_on_top(self):
        doc, layer = make_document()
        select(doc, 1, 1, 2, 2)
        cap, rect, data = self.result_for(doc)
        layer.remove()
        new, target = placing.new_layer(doc, "Fill")
        pixels, _ = placing.result_pixels(cap, rect, data, target)
        steps, note = placing.place_layer(doc, cap, new, rect, pixels, document.PLACE_ABOVE)
        self.assertIn("deleted", note)
        self.assertEqual(self.names(doc.rootNode())[-1], "Fill")

    def test_segment_result_becomes_the_selection(self):
        doc, layer = make_document()
        placing.set_selection(doc, (2, 3, 3, 1), bytes([0, 128, 255]))
        selection = doc.selection()
        self.assertEqual((selection.x(), selection.y(), selection.width(), selection.height()), (3, 3, 2, 1))
        self.assertEqual(selection.pixelData(2, 3, 3, 1), bytes([0, 128, 255]))
        with self.assertRaises(BridgeError):
            placing.set_selection(doc, (0, 0, 2, 2), bytes(4))
        with self.assertRaises(BridgeError):
            placing.set_selection(doc, (0, 0, 2, 2), bytes(3))

    def test_wrong_result_size_is_a_protocol_error(self):
        doc, layer = make_document()
        select(doc, 1, 1, 2, 2)
        cap, rect, data = self.result_for(doc)
        new, target = placing.new_layer(doc, "Fill")
        with self.assertRaises(BridgeError) as caught:
            placing.result_pixels(cap, rect, data[:-1], target)
        self.assertEqual(caught.exception.kind, "protocol")


if __name__ == "__main__":
    unittest.main()
