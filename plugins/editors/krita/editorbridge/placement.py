"""The last step of a job: where its result goes, and what the painter is told about it.

Role: *model*. Pure Python (no Qt import); the Krita side of it is :mod:`placing`.

* A single result becomes a new layer right above the source (on top for the merged image).
* Colorize: on an opaque sketch (black lines on white paper) the coloured sketch goes *above* it, so
  the colours show (in Multiply when the engine answered flat colours only); under transparent line
  art the colours go *under* the lines. The painter may also choose "under" or "replace".
* A result that changed no pixel adds no layer: the painter is told why, in words, and the warning
  stays in the docker until the next job.
* Several results of one click (a :class:`jobs.Batch`) land together as one group layer, one undo step.
* Select Subject's mask becomes Krita's selection.
"""

import logging

from . import document, placing
from .document import PLACE_ABOVE, PLACE_AUTO, PLACE_BELOW, PLACE_TOP  # noqa: F401 (PLACE_BELOW: see where())
from .wire import BridgeError

log = logging.getLogger("editorbridge")

# Operations for which "nothing changed" is a normal answer, not something to warn about.
NO_CHANGE_IS_NORMAL = ("generate", "colorize")


def where(job, cap):
    """``(placement, blending)`` for the job's result layer."""
    if not cap.node_key:
        return PLACE_TOP, None
    if job.operation != "colorize":
        return PLACE_ABOVE, None
    placement = job.options.placement
    if placement == PLACE_AUTO:
        if cap.opaque:
            flats = (job.request.parameters if job.request else {}).get("output") == "flats"
            return PLACE_ABOVE, ("multiply" if flats else None)
        return PLACE_BELOW, None
    return placement, None


def nothing_changed_text(job):
    """Why no layer was added, in a painter's words."""
    where_text = "in the selection" if job.capture is not None and job.capture.mask is not None else "in the layer"
    if job.operation == "restore":
        noise, blur = job.resolved("noise_sigma", None), job.resolved("blur_sigma", None)
        measured = ""
        if noise is not None and blur is not None:
            measured = " (noise %s, blur %s px measured)" % (noise, blur)
        return ("Restore found nothing to fix %s: it is already clean and sharp%s, so no layer was added. "
                "To force a pass, set the method to denoise or deblur." % (where_text, measured))
    return "%s changed no pixel %s, so no layer was added." % (job.label.split(" - ")[0], where_text)


def place_result(runner, job, expect, rect, converted, target):
    """Back on the GUI thread: the job's result goes into the document (one undo step), or waits
    for the rest of its batch."""
    model = runner.model
    doc = model.document(job.doc_key)
    if doc is None:
        return runner.cancelled(job, "the document was closed")
    cap = job.capture
    note = ""
    try:
        if expect == "mask":
            placing.set_selection(doc, rect, converted)
            job.layer_name = "selection"
            job.undo_steps += 1
        else:
            job.timings["converted"] = model.clock()
            pixels, changed = converted
            job.changed_pixels = changed
            if not changed and job.operation not in NO_CHANGE_IS_NORMAL:
                job.warning = nothing_changed_text(job)
            elif job.batch is not None:
                job.converted = (rect, pixels)
                job.layer_name = placing.result_name(job.operation, job.seed)
            else:
                name = placing.result_name(job.operation, job.seed)
                layer, layout = placing.new_layer(doc, name)
                if (layout.model, layout.depth) != (target.model, target.depth):
                    raise BridgeError("input", "The image's colour space changed while the job ran; run it again.", hint="")
                placement, blending = where(job, cap)
                steps, note = placing.place_layer(doc, cap, layer, rect, pixels, placement, blending)
                job.undo_steps += steps
                if placement == PLACE_ABOVE:
                    keep_source_active(model, job.doc_key, cap.node_key, document.node_key(layer))
                job.timings["inserted"] = model.clock()
                job.layer_name = name
        doc.waitForDone()
    except BridgeError as e:
        return runner.fail(job, e)
    except Exception as e:  # Krita refused something: say so, never leave a half-done job
        log.exception("EditorBridge: placing the result failed")
        return runner.fail(job, BridgeError("engine", "Placing the result failed: %s" % e, hint=""))
    batch = job.batch
    if batch is not None:
        job.capture_kept = cap  # the batch lands next to the source once all its jobs ended
    runner.finish(job)
    if job.warning:
        model.tell(job.warning, "warning")
    elif batch is None:
        done = "%s done: %s" % (job.label.split(" - ")[0], "the selection was set" if expect == "mask" else "new layer '%s'" % job.layer_name)
        if job.provenance_text():
            done += " (%s, %s)" % (job.provenance_text(), job.engine or "engine unknown")
        model.tell(done + "." + (" " + note if note else ""), "info")
    if batch is not None:
        place_batch(runner, batch)


def place_batch(runner, batch):
    """Once every job of ``batch`` ended: its results as one group layer (one undo step)."""
    if batch.placed or batch.placing or not batch.finished:
        return
    batch.placing = True  # Krita runs the event loop inside waitForDone: no second placement meanwhile
    try:
        _place_group(runner, batch)
    finally:
        batch.placing = False
        batch.placed = True


def _place_group(runner, batch):
    ready = batch.ready()
    if not ready:
        return
    model = runner.model
    first = ready[0]
    cap = getattr(first, "capture_kept", None)
    doc = model.document(first.doc_key)
    for job in batch.jobs:
        job.capture_kept = None
    if doc is None or cap is None:
        return
    name = "%s x%d (seeds %s)" % (first.label.split(" - ")[0], len(ready), ", ".join(str(j.seed) for j in ready))
    try:
        placement, blending = where(first, cap)
        steps, note = placing.place_group(doc, cap, name, [(j.layer_name, j.converted[0], j.converted[1]) for j in ready],
                                          placement, blending)
        doc.waitForDone()
    except Exception as e:
        log.exception("EditorBridge: placing the results failed")
        return model.tell("Placing the %d results failed: %s" % (len(ready), e), "error")
    group_key = None
    for job in ready:
        job.undo_steps = steps
        job.layer_name = "%s / %s" % (name, job.layer_name)
        job.converted = None
        model.update(job)
    if placement == PLACE_ABOVE:
        group = doc.nodeByName(name)
        group_key = document.node_key(group) if group is not None else None
        keep_source_active(model, first.doc_key, cap.node_key, group_key)
    model.jobs_changed.emit()
    model.tell("%d results in the group '%s': only the first is visible; show another one to pick it "
               "(one Undo removes them all).%s" % (len(ready), name, (" " + note) if note else ""), "info")


def keep_source_active(model, doc_key, source_key, result_key):
    """The next Fill should work on the source again, not on the mostly transparent result.
    Krita 5.1.5 activates an inserted layer from a queued signal, a few event-loop turns
    after ``addChildNode``: the source is made active again once that has happened, unless
    the painter picked another layer meanwhile."""
    def again():
        doc = model.document(doc_key)
        active = doc.activeNode() if doc is not None else None
        if active is not None and document.node_key(active) == result_key:
            document.keep_active(doc, source_key)

    later = getattr(model.client, "later", None)
    if later is None:
        return again()
    for delay_ms in model.reactivate_after_ms:
        later(delay_ms, again)
