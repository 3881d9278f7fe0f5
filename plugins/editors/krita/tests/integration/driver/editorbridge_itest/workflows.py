"""The painter's workflows in real Krita, through the docker, against the real daemon's classic engine:
a one-layer opaque sketch colorized visibly, a greyscale scan, Compose with a chosen object layer,
Select Subject from a box and from a click on the canvas, parameters kept per operation, progress
for every operation, and several results (count 3) as one group in one undo step.

With ``EDITORBRIDGE_ITEST_SHOTS`` set, a screenshot of Krita's window (canvas and docker) is saved
there after each, as ``NN-name.png`` (docs/krita.md shows them).
"""

import os

from krita import Krita, Selection
from PyQt5.QtCore import QEvent, QPointF, Qt
from PyQt5.QtGui import QMouseEvent
from PyQt5.QtWidgets import QApplication

SHOTS = os.environ.get("EDITORBRIDGE_ITEST_SHOTS", "")


def sketch(width, height, grey=False):
    """Black lines on opaque white paper (a grid of closed cells and a circle), in Krita's layout."""
    out = bytearray()
    for y in range(height):
        for x in range(width):
            d = ((x - width / 2) ** 2 + (y - height / 2) ** 2) ** 0.5
            ink = x % 40 < 2 or y % 40 < 2 or x >= width - 2 or y >= height - 2 or abs(d - height / 4) < 1.5
            v = 0 if ink else 255
            out += bytes([v, 255]) if grey else bytes([v, v, v, 255])
    return bytes(out)


def subject_picture(width, height, cx, cy, radius):
    """A red disc (the subject) on a green-grey ground, BGRA."""
    out = bytearray()
    for y in range(height):
        for x in range(width):
            inside = (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius
            out += bytes([20, 30, 230, 255]) if inside else bytes([90, 140 + (x * 7 + y * 3) % 20, 80, 255])
    return bytes(out)


def paper_changed(before, after, bpp_before, bpp_after):
    """(paper pixels whose colour changed, paper pixels): paper = white before."""
    changed = total = 0
    for p in range(len(before) // bpp_before):
        b = before[p * bpp_before:(p + 1) * bpp_before]
        if any(c != 255 for c in b):
            continue
        total += 1
        a = after[p * bpp_after:(p + 1) * bpp_after]
        if a[:3] != bytes([255, 255, 255]):
            changed += 1
    return changed, total


def one_layer_document(driver, width, height, pixels, model="RGBA", name="sketch"):
    """A document whose only layer (Krita's Background, renamed 'Sketch') holds ``pixels``."""
    app = Krita.instance()
    doc = app.createDocument(width, height, name, model, "U8", "", 72.0)
    driver.view = app.activeWindow().addView(doc)
    app.setActiveDocument(doc)
    layer = doc.rootNode().childNodes()[0]
    layer.setName("Sketch")
    layer.setPixelData(pixels, 0, 0, width, height)
    doc.setActiveNode(layer)
    doc.refreshProjection()
    doc.waitForDone()
    return doc, layer


def shot(driver, name):
    if not SHOTS:
        return
    os.makedirs(SHOTS, exist_ok=True)
    driver.shot_number = getattr(driver, "shot_number", 0) + 1
    window = Krita.instance().activeWindow().qwindow()
    picture = window.grab()
    picture.save(os.path.join(SHOTS, "%02d-%s.png" % (driver.shot_number, name)))


def deselect(doc):
    Krita.instance().action("deselect").trigger()
    doc.waitForDone()


def scenario(driver):
    r, d, model = driver.results, driver.docker, driver.model
    info = model.client.info
    if not all(info.offers(op) for op in ("colorize", "compose", "segment", "restore", "stylize")):
        r.skip("painter workflows", "the daemon does not offer colorize/compose/segment/restore/stylize")
        return
    jobs = {}

    # --- a one-layer opaque sketch (black lines on white paper) colorized with the defaults
    doc, layer = one_layer_document(driver, 160, 120, sketch(160, 120))
    yield 0.5
    doc.setActiveNode(layer)
    before = bytes(doc.pixelData(0, 0, 160, 120))
    job, waiter = driver.run_job("colorize", seed=4)
    yield waiter
    jobs["colorize"] = job
    doc.refreshProjection()
    doc.waitForDone()
    changed, paper = paper_changed(before, bytes(doc.pixelData(0, 0, 160, 120)), 4, 4)
    r.check("one-layer opaque sketch: colorize done", job.state == "done", job.message)
    r.check("one-layer opaque sketch: most paper pixels changed colour on the canvas (before: 0 %)",
            paper and changed >= 0.5 * paper, "%d of %d paper pixels changed" % (changed, paper))
    r.check("one-layer opaque sketch: the sketch layer is untouched", bytes(layer.pixelData(0, 0, 160, 120)) == sketch(160, 120))
    yield 0.3
    shot(driver, "colorize-sketch")
    driver.undo(doc)
    r.check("one-layer opaque sketch: one undo step removes the colours", driver.names(doc) == ["Sketch"], driver.names(doc))

    # --- a greyscale scan: converted in the plugin, the image becomes RGB to hold the colours
    doc, layer = one_layer_document(driver, 160, 120, sketch(160, 120, grey=True), model="GRAYA", name="scan")
    yield 0.5
    doc.setActiveNode(layer)
    before = bytes(doc.pixelData(0, 0, 160, 120))
    job, waiter = driver.run_job("colorize", seed=5)
    yield waiter
    doc.refreshProjection()
    doc.waitForDone()
    r.check("greyscale scan: colorize done, the image is RGB now", job.state == "done" and doc.colorModel() == "RGBA",
            (job.state, job.message, doc.colorModel()))
    changed, paper = paper_changed(before, bytes(doc.pixelData(0, 0, 160, 120)), 2, 4)
    r.check("greyscale scan: most paper pixels changed colour", paper and changed >= 0.5 * paper, "%d of %d" % (changed, paper))
    r.check("greyscale scan: the docker says the image was converted", "converted to RGB" in d.message_label.text(), d.message_label.text())
    yield 0.3
    shot(driver, "colorize-greyscale-scan")

    # --- Compose with the object layer picked in the docker
    doc, source = driver.new_document(128, 96, name="compose")
    obj = doc.createNode("Object", "paintlayer")
    obj.setPixelData(bytes([200, 60, 30, 255]) * (24 * 20), 52, 38, 24, 20)
    doc.rootNode().addChildNode(obj, None)
    yield 0.5
    doc.setActiveNode(source)
    driver.select(doc, (44, 30, 40, 36))
    d.operation_box.setCurrentIndex(d.operation_box.findData("compose"))
    picker = d.inputs.combos.get("object")
    r.check("compose: the docker offers an object layer picker", picker is not None, sorted(d.inputs.combos))
    if picker is not None:
        d.inputs.choose("object", next(picker.itemData(i) for i in range(picker.count()) if picker.itemText(i).strip() == "Object"))
    job, waiter = driver.run_job("compose")
    yield waiter
    jobs["compose"] = job
    r.check("compose with the chosen object layer: done, a new layer above the background",
            job.state == "done" and driver.names(doc)[-3] == "Source" and driver.names(doc)[-2].startswith("Compose")
            and driver.names(doc)[-1] == "Object", (job.message, driver.names(doc)))
    obj.setVisible(False)  # as the painter does to look at the blend
    doc.refreshProjection()
    yield 0.5
    shot(driver, "compose-object-layer")

    # --- Select Subject from a box selection, then from a click on the canvas
    app = Krita.instance()
    doc = app.createDocument(128, 96, "subject", "RGBA", "U8", "", 72.0)
    driver.view = app.activeWindow().addView(doc)
    app.setActiveDocument(doc)
    layer = doc.rootNode().childNodes()[0]
    layer.setPixelData(subject_picture(128, 96, 64, 48, 18), 0, 0, 128, 96)
    doc.refreshProjection()
    doc.waitForDone()
    yield 1.0
    doc.setActiveNode(layer)
    driver.select(doc, (40, 24, 48, 48))
    job, waiter = driver.run_job("segment")
    yield waiter
    jobs["segment"] = job
    selection = doc.selection()
    inside = bytes(selection.pixelData(64, 48, 1, 1)) if selection is not None else b"\0"
    corner = bytes(selection.pixelData(42, 26, 1, 1)) if selection is not None else b"\xff"
    r.check("select subject from the box selection: the disc is selected, the box's corner not",
            job.state == "done" and inside[0] > 0 and corner[0] == 0, (job.state, job.message, inside, corner))
    yield 0.5
    shot(driver, "select-subject-box")
    deselect(doc)
    yield 0.3
    from editorbridge import canvas_point
    controller, widget = canvas_point.canvas_parts(app.activeWindow())
    image = widget.grab().toImage() if widget is not None else None
    reds = [(x, y) for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
            if (image.pixel(x, y) & 0xffffff) == 0xe61e14] if image is not None else []
    r.check("select subject from a point: the disc shows on the canvas", bool(reds), "no red pixels on the canvas")
    if reds:
        cx = sum(x for x, _ in reds) / len(reds)
        cy = sum(y for _, y in reds) / len(reds)
        d.operation_box.setCurrentIndex(d.operation_box.findData("segment"))
        d.inputs.pick_clicked()
        for kind in (QEvent.MouseButtonPress, QEvent.MouseButtonRelease):
            QApplication.sendEvent(widget, QMouseEvent(kind, QPointF(cx, cy), Qt.LeftButton, Qt.LeftButton, Qt.NoModifier))
        point = d.inputs.point
        r.check("select subject from a point: the click on the canvas gives the disc's centre",
                point is not None and abs(point[0] - 64) <= 2 and abs(point[1] - 48) <= 2, (point, d.inputs.point_label.text()))
        job, waiter = driver.run_job("segment")
        yield waiter
        jobs["segment point"] = job
        selection = doc.selection()
        inside = bytes(selection.pixelData(64, 48, 1, 1)) if selection is not None else b"\0"
        outside = bytes(selection.pixelData(5, 5, 1, 1)) if selection is not None else b"\xff"
        r.check("select subject from a point: the disc becomes the selection",
                job.state == "done" and inside[0] > 0 and outside[0] == 0, (job.state, job.message, inside, outside))
        yield 0.5
        shot(driver, "select-subject-point")
        d.inputs.set_point(None)

    # --- parameters kept per operation, reset to the engine's defaults
    d.operation_box.setCurrentIndex(d.operation_box.findData("restore"))
    d.parameters.set_value("iterations", 77)
    d.operation_box.setCurrentIndex(d.operation_box.findData("segment"))
    segment_iterations = d.parameters.current().get("iterations")
    d.operation_box.setCurrentIndex(d.operation_box.findData("restore"))
    kept = d.parameters.current().get("iterations")
    d.reset_button.click()
    reset = d.parameters.current().get("iterations")
    r.check("parameters are kept per operation and reset to defaults", (segment_iterations, kept, reset) == (5, 77, 30),
            (segment_iterations, kept, reset))
    shot(driver, "parameters-per-operation")

    # --- Restore and Stylize, for their progress
    doc, source = driver.new_document(96, 72, name="restore")
    yield 0.3
    doc.setActiveNode(source)
    job, waiter = driver.run_job("restore", method="denoise", noise_sigma=20.0)
    yield waiter
    jobs["restore"] = job
    job, waiter = driver.run_job("stylize", preset="oil")
    yield waiter
    jobs["stylize"] = job

    # --- three results per click: one group, the first visible, one undo step
    doc, source = driver.new_document(128, 96, name="count")
    yield 0.3
    doc.setActiveNode(source)
    driver.select(doc, (50, 38, 24, 20))
    job, waiter = driver.run_job("fill", seed=20, count=3, method="exemplar")
    yield waiter
    jobs["fill x3"] = job
    group = doc.nodeByName("Fill x3 (seeds 20, 21, 22)")
    members = group.childNodes() if group is not None else []
    looks = {bytes(m.pixelData(50, 38, 24, 20)) for m in members}
    r.check("count 3: one group of three results, only the first visible",
            len(members) == 3 and [m.visible() for m in members] == [True, False, False], (driver.names(doc), [m.name() for m in members]))
    r.check("count 3: three different results", len(looks) == 3, "%d different" % len(looks))
    yield 0.3
    shot(driver, "count-three-results")
    driver.undo(doc)
    r.check("count 3: one undo step removes them all", driver.names(doc) == ["Background", "Source"], driver.names(doc))
    d.count_box.setValue(1)

    # --- progress events reached the docker for every operation
    for name, job in jobs.items():
        seen = sum(j.progress_events for j in (job.batch.jobs if job.batch is not None else [job]))
        r.check("progress events seen for %s" % name, seen >= 1, "%d progress events" % seen)
