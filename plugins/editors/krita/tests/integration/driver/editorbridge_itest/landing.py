"""Where results land in real Krita: colorize's colours under (or over) the line art, one undo step
each, the lowest layer included; colorize through the daemon when it offers it; a soft Select Subject
mask becoming Krita's selection with its soft values kept."""


def scenario(driver, info):
    r = driver.results
    # --- Colorize: where the colours land (real Krita API), then the full run when offered
    from editorbridge import document as bridge_document, image as img, placing
    doc, sketch = driver.new_document(64, 48, name="colorize-landing")
    sketch.setName("Sketch")
    cap = bridge_document.Capture()
    cap.node_key, cap.node_name = bridge_document.node_key(sketch), "Sketch"
    cap.layout = img.layout_for("RGBA", "U8")
    colours, target = placing.new_layer(doc, "Colours")
    steps, _ = placing.place_layer(doc, cap, colours, (0, 0, 64, 48), b"\x10\x80\xf0\xff" * (64 * 48), bridge_document.PLACE_BELOW)
    doc.waitForDone()
    r.check("colorize landing: colours under the line art, line art on top", driver.names(doc) == ["Background", "Colours", "Sketch"], driver.names(doc))
    driver.undo(doc)
    r.check("colorize landing: one undo step removes the colours", driver.names(doc) == ["Background", "Sketch"], driver.names(doc))
    bottom_doc, bottom = driver.new_document(32, 32, name="colorize-bottom")
    bottom_doc.rootNode().childNodes()[0].remove()  # the sketch becomes the lowest layer
    cap.node_key, cap.node_name = bridge_document.node_key(bottom), "Source"
    colours, target = placing.new_layer(bottom_doc, "Colours")
    steps, note = placing.place_layer(bottom_doc, cap, colours, (0, 0, 32, 32), b"\x10\x80\xf0\xff" * 1024, bridge_document.PLACE_BELOW)
    bottom_doc.waitForDone()
    r.check("colorize landing under the lowest layer: colours below it", driver.names(bottom_doc) == ["Colours", "Source"], (driver.names(bottom_doc), steps))
    if info.offers("colorize"):
        doc, sketch = driver.new_document(128, 96, name="colorize")
        before = bytes(sketch.pixelData(0, 0, 128, 96))
        yield 0.5  # the new view makes its own layer active a moment later: let it, then pick the sketch
        doc.setActiveNode(sketch)
        yield 0.2
        job, waiter = driver.run_job("colorize", seed=3)
        yield waiter
        r.check("colorize: done", job.state == "done", job.message)
        r.check("colorize: an opaque layer gets the coloured copy above it", driver.names(doc) == ["Background", "Source", "Colorize (seed 3)"], driver.names(doc))
        r.check("colorize: line art untouched", bytes(sketch.pixelData(0, 0, 128, 96)) == before)
        driver.undo(doc)
        r.check("colorize: one undo step", driver.names(doc) == ["Background", "Source"], driver.names(doc))
    else:
        r.skip("colorize through the daemon", "the daemon does not offer 'colorize' yet (GetInfo lists: %s)" % ", ".join(info.operations()))

    # --- Select Subject: the returned mask becomes Krita's selection
    doc, layer = driver.new_document(64, 48, name="segment-landing")
    coverage = bytes((255 if 10 <= x < 30 else 0) if y % 2 else (128 if 10 <= x < 30 else 0) for y in range(48) for x in range(64))
    placing.set_selection(doc, (0, 0, 64, 48), coverage)
    doc.waitForDone()
    selection = doc.selection()
    got = bytes(selection.pixelData(0, 0, 64, 48)) if selection is not None else b""
    r.check("select subject landing: the mask becomes the selection, soft values kept", got == coverage,
            "%d of %d bytes equal" % (sum(1 for a, b in zip(got, coverage) if a == b), len(coverage)))
    # Select Subject through the daemon: workflows.py (from a box and from a click, on a clear subject)
