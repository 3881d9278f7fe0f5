"""Outpainting in real Krita: Image > Resize Canvas makes new, empty canvas right of the picture; a
selection over it is filled by the docker (the plugin sends the layer's own pixels and asks the
daemon to outpaint); the result layer covers the new area, opaque, continuing the border colours;
the source layer is untouched. Saves the canvas as outpaint-krita.png when screenshots are on."""

import os

from . import workflows


def _row_means(pixels, width, x0, x1, height):
    """Per row, the mean (B, G, R) of columns x0..x1-1 of a BGRA8 buffer ``width`` wide."""
    means = []
    for y in range(height):
        row = pixels[(y * width + x0) * 4:(y * width + x1) * 4]
        n = x1 - x0
        means.append(tuple(sum(row[c::4]) / n for c in range(3)))
    return means


def scenario(driver):
    r = driver.results
    if not driver.model.client.info.offers("fill"):
        r.skip("outpainting", "the daemon does not offer fill")
        return
    w, h, extra = 128, 96, 32
    doc, layer = driver.new_document(w, h, name="outpaint")
    # a smooth picture whose colours change down the rows: a continuation is measurable
    rows = b"".join(bytes([(y * 2) % 256, 90, 255 - y * 2, 255]) * w for y in range(h))
    layer.setPixelData(rows, 0, 0, w, h)
    doc.waitForDone()
    source_before = bytes(layer.pixelData(0, 0, w, h))
    doc.resizeImage(0, 0, w + extra, h)
    doc.waitForDone()
    yield 0.5
    r.check("outpaint: the canvas grew, the layer's pixels did not", (doc.width(), doc.height()) == (w + extra, h)
            and bytes(layer.pixelData(w, 0, extra, h)) == bytes(extra * h * 4), (doc.width(), doc.height()))
    doc.setActiveNode(layer)
    driver.select(doc, (w, 0, extra, h))
    job, waiter = driver.run_job("fill", seed=21, method="telea")
    yield waiter
    doc.refreshProjection()
    doc.waitForDone()
    r.check("outpaint: fill done", job.state == "done", job.message)
    r.check("outpaint: the request asked the daemon to outpaint", bool(job.request is not None and job.request.outpaint))
    names = driver.names(doc)
    r.check("outpaint: a new layer above the source", names[-2:] == ["Source", "Fill (seed 21)"], names)
    result = [n for n in doc.rootNode().childNodes() if n.name() == "Fill (seed 21)"]
    if not result:
        return
    bounds = result[0].bounds()
    bounds = (bounds.x(), bounds.y(), bounds.width(), bounds.height())
    r.check("outpaint: the result layer covers the new canvas to its right edge", bounds[0] <= w and bounds[0] + bounds[2] == w + extra
            and bounds[1] == 0 and bounds[3] == h, bounds)
    new = bytes(doc.pixelData(w, 0, extra, h))
    r.check("outpaint: every new pixel is opaque", all(new[i] == 255 for i in range(3, len(new), 4)),
            "%d of %d opaque" % (sum(1 for i in range(3, len(new), 4) if new[i] == 255), extra * h))
    border = _row_means(bytes(doc.pixelData(w - 4, 0, 4, h)), 4, 0, 4, h)
    filled = _row_means(new, extra, 0, extra // 2, h)
    error = sum(abs(a - b) for pa, pb in zip(border, filled) for a, b in zip(pa, pb)) / (3 * h)
    r.check("outpaint: the new area continues the border colours row by row (mean difference under 8 levels)", error < 8, "%.1f levels" % error)
    r.check("outpaint: the source layer is untouched", bytes(layer.pixelData(0, 0, w, h)) == source_before)
    yield 0.3
    workflows.shot(driver, "outpaint-krita")
    driver.undo(doc)
    r.check("outpaint: one undo step removes the result", driver.names(doc)[-1] == "Source", driver.names(doc))
    workflows.deselect(doc)
