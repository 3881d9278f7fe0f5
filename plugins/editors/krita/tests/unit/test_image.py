"""Pixel conversions Krita <-> wire for every depth, and the refusals."""

import array
import math
import struct
import unittest

import common  # noqa: F401
from editorbridge import image as img


def bgra8(*pixels):
    """Krita U8 bytes from (r, g, b, a) tuples."""
    return bytes(b for r, g, b_, a in pixels for b in (b_, g, r, a))


class LayoutTests(unittest.TestCase):
    def test_rgba_depths(self):
        self.assertEqual(img.layout_for("RGBA", "U8").wire_format, img.RGBA8)
        for depth, bpp in (("U16", 8), ("F16", 8), ("F32", 16)):
            layout = img.layout_for("RGBA", depth)
            self.assertEqual(layout.wire_format, img.RGBA16)
            self.assertEqual(layout.bytes_per_pixel, bpp)

    def test_other_models_are_refused_with_a_fix(self):
        for model, depth in (("GRAYA", "F32"), ("CMYKA", "U8"), ("LABA", "U8"), ("XYZA", "U8"), ("YCbCrA", "U8")):
            with self.assertRaises(img.UnsupportedColorSpace) as caught:
                img.layout_for(model, depth, "The layer 'ink'")
            text = str(caught.exception)
            self.assertIn("The layer 'ink'", text)
            self.assertIn(model, text)
            self.assertIn("Convert", text)

    def test_greyscale_scans_travel_as_rgba_and_come_back_as_luma(self):
        for depth, fmt in (("U8", img.RGBA8), ("U16", img.RGBA16)):
            layout = img.layout_for("GRAYA", depth)
            self.assertEqual(layout.wire_format, fmt)
        u8 = img.layout_for("GRAYA", "U8")
        self.assertEqual(img.krita_to_wire(bytes([10, 255, 200, 0]), u8).data, bytes([10, 10, 10, 255, 200, 200, 200, 0]))
        # a coloured result back into a grey layer: its luma, alpha kept
        self.assertEqual(img.wire_to_krita(bytes([255, 0, 0, 255, 0, 0, 255, 128]), u8), bytes([76, 255, 29, 128]))
        u16 = img.layout_for("GRAYA", "U16")
        raw = struct.pack("=4H", 1000, 65535, 60000, 5)
        wire16 = img.krita_to_wire(raw, u16).data
        self.assertEqual(struct.unpack("<8H", wire16), (1000, 1000, 1000, 65535, 60000, 60000, 60000, 5))
        self.assertEqual(img.wire_to_krita(wire16, u16), raw)

    def test_opaque_sketch_is_told_from_transparent_line_art(self):
        paper = bytes([255, 255, 255, 255]) * 99 + bytes([0, 0, 0, 255])
        self.assertTrue(img.is_opaque(paper, img.RGBA8))
        lines = bytes([0, 0, 0, 0]) * 90 + bytes([0, 0, 0, 255]) * 10
        self.assertFalse(img.is_opaque(lines, img.RGBA8))
        self.assertTrue(img.is_opaque(img.convert_wire(paper, img.RGBA8, img.RGBA16), img.RGBA16))
        self.assertFalse(img.is_opaque(img.convert_wire(lines, img.RGBA8, img.RGBA16), img.RGBA16))

    def test_unknown_depth_is_refused(self):
        with self.assertRaises(img.UnsupportedColorSpace) as caught:
            img.layout_for("RGBA", "F64")
        self.assertIn("F64", str(caught.exception))


class U8Tests(unittest.TestCase):
    layout = img.layout_for("RGBA", "U8")

    def test_bgra_becomes_rgba(self):
        krita = bgra8((200, 100, 50, 255), (1, 2, 3, 4))
        self.assertEqual(img.krita_to_wire(krita, self.layout).data, bytes([200, 100, 50, 255, 1, 2, 3, 4]))

    def test_every_byte_value_round_trips(self):
        krita = bytes(range(256)) * 4
        wire = img.krita_to_wire(krita, self.layout).data
        self.assertEqual(img.wire_to_krita(wire, self.layout), krita)

    def test_partial_pixels_are_refused(self):
        with self.assertRaises(ValueError):
            img.krita_to_wire(bytes(6), self.layout)


class U16Tests(unittest.TestCase):
    layout = img.layout_for("RGBA", "U16")

    def test_bgra16_becomes_rgba16_little_endian(self):
        krita = struct.pack("=4H", 300, 40000, 65535, 7)  # B, G, R, A
        wire = img.krita_to_wire(krita, self.layout).data
        self.assertEqual(struct.unpack("<4H", wire), (65535, 40000, 300, 7))

    def test_round_trip_is_bit_exact(self):
        krita = array.array("H", range(0, 65536, 7)[:4 * 2000]).tobytes()
        wire = img.krita_to_wire(krita, self.layout).data
        self.assertEqual(img.wire_to_krita(wire, self.layout), krita)


class FloatTests(unittest.TestCase):
    def check_depth(self, depth, fmt):
        layout = img.layout_for("RGBA", depth)
        values = [0.0, 0.5, 1.0, 0.25]  # R, G, B, A
        krita = struct.pack("=4" + fmt, *values)
        converted = img.krita_to_wire(krita, layout)
        self.assertEqual(struct.unpack("<4H", converted.data), (0, 32768, 65535, 16384))
        self.assertEqual(converted.clipped, 0)
        back = struct.unpack("=4" + fmt, img.wire_to_krita(converted.data, layout))
        for want, got in zip(values, back):
            # one 16-bit step (1/65535) of quantisation; a half float adds its own rounding
            self.assertAlmostEqual(want, got, delta=0.0005 if fmt == "e" else 1.0 / 65535)

    def test_f16(self):
        self.check_depth("F16", "e")

    def test_f32(self):
        self.check_depth("F32", "f")

    def test_out_of_range_values_are_clipped_and_counted(self):
        for depth, fmt in (("F16", "e"), ("F32", "f")):
            layout = img.layout_for("RGBA", depth)
            krita = struct.pack("=4" + fmt, 2.5, -0.5, float("nan"), 1.0)
            converted = img.krita_to_wire(krita, layout)
            self.assertEqual(struct.unpack("<4H", converted.data), (65535, 0, 0, 65535), depth)
            self.assertEqual(converted.clipped, 3, depth)

    def test_every_16_bit_value_survives_f32(self):
        layout = img.layout_for("RGBA", "F32")
        wire = array.array("H", range(65536)).tobytes()
        self.assertEqual(img.krita_to_wire(img.wire_to_krita(wire, layout), layout).data, wire)

    def test_f16_keeps_what_a_half_float_can_hold(self):
        layout = img.layout_for("RGBA", "F16")
        wire = array.array("H", range(0, 65536, 4)).tobytes()
        back = struct.unpack("<%dH" % (len(wire) // 2), img.krita_to_wire(img.wire_to_krita(wire, layout), layout).data)
        for want, got in zip(range(0, 65536, 4), back):
            # a half float near 1.0 has a step of 2^-11: about 32 units of 1/65535
            self.assertLessEqual(abs(want - got), max(1, math.ceil(want / 65535.0 * 65535 / 2048.0)))


class HelperTests(unittest.TestCase):
    def test_unchanged_runs_step_whole_pixels(self):
        source = bytes([1, 2, 3, 4, 0, 0, 0, 0, 9, 9, 9, 9, 5, 5, 5, 5])
        result = bytes([1, 2, 3, 4, 0, 0, 0, 7, 9, 9, 9, 9, 5, 5, 5, 5])
        self.assertEqual(img.unchanged_runs(result, source, 4), [(0, 1), (2, 4)])
        # a run of zero bytes that straddles two pixels is not an unchanged pixel
        source = bytes([0, 0, 0, 1, 1, 0, 0, 0])
        result = bytes([0, 0, 0, 0, 0, 0, 0, 0])
        self.assertEqual(img.unchanged_runs(result, source, 4), [])
        self.assertEqual(img.unchanged_runs(bytes(16), bytes(16), 8), [(0, 2)])

    def test_clear_pixels(self):
        data = bytes(range(1, 13))
        self.assertEqual(img.clear_pixels(data, [(1, 2)], 4), bytes([1, 2, 3, 4, 0, 0, 0, 0, 9, 10, 11, 12]))
        self.assertEqual(img.changed_pixel_count([(1, 2)], 3), 2)

    def test_convert_wire(self):
        self.assertEqual(img.convert_wire(bytes([0, 1, 128, 255]), img.RGBA8, img.RGBA16),
                         struct.pack("<4H", 0, 257, 128 * 257, 65535))
        self.assertEqual(img.convert_wire(struct.pack("<4H", 0, 257, 32896, 65535), img.RGBA16, img.RGBA8), bytes([0, 1, 128, 255]))
        every = bytes(range(256))
        self.assertEqual(img.convert_wire(img.convert_wire(every, img.RGBA8, img.RGBA16), img.RGBA16, img.RGBA8), every)

    def test_crop_and_mask(self):
        data = bytes(range(16))  # 4x4, one byte per pixel
        self.assertEqual(img.crop(data, 4, (1, 1, 2, 2), 1), bytes([5, 6, 9, 10]))
        self.assertTrue(img.mask_is_empty(bytes(5)))
        self.assertFalse(img.mask_is_empty(bytes([0, 0, 1])))

    def test_large_buffers_convert_and_compare_whole(self):
        # Only a hang guard on the time (a per-pixel Python loop over 512x512 takes seconds, the
        # whole-buffer operations milliseconds; a busy machine must not fail this test): the
        # speed itself is measured by the Krita integration test's TIME lines.
        import time
        layout = img.layout_for("RGBA", "U8")
        data = bytes(range(256)) * (512 * 512 * 4 // 256)
        start = time.perf_counter()
        wire = img.krita_to_wire(data, layout).data
        runs = img.unchanged_runs(wire, wire, 4)
        back = img.wire_to_krita(wire, layout)
        self.assertEqual(runs, [(0, 512 * 512)])
        self.assertEqual(back, data)
        self.assertLess(time.perf_counter() - start, 60.0)


if __name__ == "__main__":
    unittest.main()
