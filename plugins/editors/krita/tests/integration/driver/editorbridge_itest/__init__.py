"""Integration-test driver, loaded by real Krita next to the EditorBridge plugin.

It drives the plugin's own code path: the "EditorBridge" docker Krita created (its widgets and
its Run button handler), the shared model, the Qt client, the real daemon the plugin starts by
itself. It paints test pictures with ``setPixelData``, selects with ``Selection.select``, reads
``pixelData`` back, and writes what it found to ``$EDITORBRIDGE_ITEST_OUT`` (JSON), then quits
Krita. ``run_integration.py`` installs it, runs Krita headless and judges the results.

Steps run as a generator: each ``yield`` hands back a condition (or a number of seconds) and a
timer owned by the extension resumes the generator when it holds, so Krita's event loop keeps
running (the network, the daemon's stream) while a step waits.
"""

import faulthandler
import json
import os
import signal
import struct
import sys
import time
import traceback

from krita import Extension, Krita, Selection
from PyQt5.QtCore import QTimer
from PyQt5.QtWidgets import QDockWidget

OUT = os.environ.get("EDITORBRIDGE_ITEST_OUT", "editorbridge-itest.json")
# When Krita's GUI thread stops turning (no tick for this long), every Python thread's stack goes to
# OUT + ".stacks" (run_integration.py prints it): a hang then says where it is.
STALL_DUMP_S = 60
BIG = int(os.environ.get("EDITORBRIDGE_ITEST_BIG", "2048"))


class Results:
    def __init__(self):
        self.checks = []
        self.skipped = []
        self.measurements = {}
        self.log = []

    def check(self, name, ok, detail=""):
        self.checks.append({"name": name, "ok": bool(ok), "detail": str(detail)})
        self.note("%s %s %s" % ("PASS" if ok else "FAIL", name, detail))
        return ok

    def skip(self, name, why):
        self.skipped.append({"name": name, "why": why})
        self.note("SKIP %s: %s" % (name, why))

    def note(self, text):
        self.log.append(text)
        sys.stdout.buffer.write(("[itest] " + text + "\n").encode("utf-8", "replace"))
        sys.stdout.flush()

    def save(self):
        with open(OUT + ".tmp", "w") as f:
            json.dump({"checks": self.checks, "skipped": self.skipped, "measurements": self.measurements, "log": self.log}, f, indent=1)
        os.replace(OUT + ".tmp", OUT)


def pattern(width, height, depth):
    """A textured test picture in Krita's layout for ``depth``, built row by row (fast enough for 2048²)."""
    rows = []
    for y in range(height):
        if depth == "U8":
            row = bytearray(width * 4)
            row[0::4] = bytes((x * y // 7 + y) % 256 for x in range(width))  # B
            row[1::4] = bytes((y * 3 + (x // 16) * 40) % 256 for x in range(width))  # G
            row[2::4] = bytes((x * 5 + y) % 256 for x in range(width))  # R
            row[3::4] = b"\xff" * width
        elif depth == "U16":
            row = b"".join(struct.pack("=4H", ((x * y) * 97) % 65536, (y * 771 + x * 13) % 65536, (x * 1285) % 65536, 65535) for x in range(width))
        else:  # F32
            row = b"".join(struct.pack("=4f", (x % 50) / 50.0, (y % 30) / 30.0, ((x + y) % 70) / 70.0, 1.0) for x in range(width))
        rows.append(bytes(row))
    return b"".join(rows)


def pixel_diff(a, b, bpp, width, rect=None, inside=True):
    """Pixels that differ between two same-size buffers; with ``rect``, only inside (or outside) it."""
    count = 0
    total = 0
    for i in range(0, len(a), bpp):
        p = i // bpp
        x, y = p % width, p // width
        if rect is not None:
            rx, ry, rw, rh = rect
            within = rx <= x < rx + rw and ry <= y < ry + rh
            if within != inside:
                continue
        total += 1
        if a[i:i + bpp] != b[i:i + bpp]:
            count += 1
    return count, total


class Driver(Extension):
    def __init__(self, parent):
        Extension.__init__(self, parent)
        self.results = Results()
        self.timer = QTimer(self)
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._tick)
        self.steps = None
        self.waiting = None
        self.deadline = None
        self.last_tick = time.monotonic()
        self.gap_watch = None  # while set: the gaps between ticks (how long the GUI thread was busy)

    def setup(self):
        # An exception escaping a Qt slot would open Krita's modal error dialog and stall the
        # run: record it as a failed check instead.
        sys.excepthook = self._unhandled
        QTimer.singleShot(1000, self._start)

    def _unhandled(self, kind, value, tb):
        self.results.check("no unhandled exception in a Qt slot", False, "".join(traceback.format_exception(kind, value, tb)))

    def createActions(self, window):
        pass

    # ---------------------------------------------------------------- step machinery

    def _watch_stalls(self, now):
        if now - getattr(self, "watch_armed", 0) < 5:
            return
        if getattr(self, "stacks", None) is None:
            self.stacks = open(OUT + ".stacks", "w")
        faulthandler.dump_traceback_later(STALL_DUMP_S, file=self.stacks)
        self.watch_armed = now

    def _start(self):
        self._watch_stalls(time.monotonic())
        self.steps = self.scenario()
        self.waiting = None
        self.timer.start()

    def _tick(self):
        now = time.monotonic()
        self._watch_stalls(now)
        if self.gap_watch is not None:
            self.gap_watch.append(now - self.last_tick)
        try:
            self._step()
        finally:
            self.last_tick = time.monotonic()  # gaps measure the GUI thread outside the driver's own steps

    def _step(self):
        try:
            if self.waiting is not None:
                # The condition first, the deadline only when it does not hold: on a loaded machine the
                # GUI thread can be busy for seconds between two ticks, and a condition that came true
                # meanwhile (a pause that ended, above all) is no timeout.
                if self.waiting():
                    self.waiting = None
                else:
                    now = time.monotonic()
                    if now > getattr(self, "next_report", now + 1):
                        job = getattr(self, "current_job", None)
                        self.results.note("still waiting for %s%s" % (self.waiting_name, (": " + job.summary()) if job else ""))
                        self.next_report = now + 10
                    if now > self.deadline:
                        what, self.waiting = self.waiting_name, None
                        self.steps.throw(TimeoutError("timed out waiting for " + what))
                    return
            request = next(self.steps)
            if isinstance(request, (int, float)):
                until = time.monotonic() + request
                # a pause always ends: it has no deadline
                self.waiting, self.waiting_name, self.deadline = (lambda: time.monotonic() >= until), "a pause", float("inf")
            else:
                condition, name, timeout = request
                self.waiting, self.waiting_name, self.deadline = condition, name, time.monotonic() + timeout
                self.next_report = time.monotonic() + 10
        except StopIteration:
            self.timer.stop()
            self._quit()
        except Exception:
            self.results.check("driver ran without an exception", False, traceback.format_exc())
            self.timer.stop()
            self._quit()

    def _quit(self):
        faulthandler.cancel_dump_traceback_later()
        self.results.save()
        app = Krita.instance()
        for doc in app.documents():
            doc.setModified(False)
        app.action("file_quit").trigger()

    # ---------------------------------------------------------------- helpers

    def new_document(self, width, height, depth="U8", model="RGBA", name="itest"):
        app = Krita.instance()
        doc = app.createDocument(width, height, name, model, depth, "", 72.0)
        self.view = app.activeWindow().addView(doc)
        app.setActiveDocument(doc)
        layer = doc.createNode("Source", "paintlayer")
        if model == "RGBA":
            layer.setPixelData(pattern(width, height, depth), 0, 0, width, height)
        doc.rootNode().addChildNode(layer, None)
        doc.setActiveNode(layer)
        doc.waitForDone()
        return doc, layer

    def select(self, doc, rect):
        selection = Selection()
        selection.select(rect[0], rect[1], rect[2], rect[3], 255)
        doc.setSelection(selection)
        doc.waitForDone()

    def run_job(self, operation, seed=None, count=1, **parameters):
        """Sets the docker's widgets and clicks its Run button; returns (job, waiter)."""
        d = self.docker
        d.operation_box.setCurrentIndex(d.operation_box.findData(operation))
        d.count_box.setValue(count)
        for name, value in parameters.items():
            if name in d.parameters.editors:
                d.parameters.set_value(name, value)
        d.random_seed.setChecked(seed is None)
        d.seed_edit.setText("" if seed is None else str(seed))
        clicked = time.monotonic()
        job = d.run_clicked()
        self.click_ms = (time.monotonic() - clicked) * 1000.0  # the click's own work on the GUI thread
        self.current_job = job
        jobs = job.batch.jobs if job.batch is not None else [job]
        return job, (lambda: all(j.finished for j in jobs) and (job.batch is None or job.batch.placed), "%s to finish" % operation, 120 * len(jobs))

    def names(self, doc):
        return [n.name() for n in doc.rootNode().childNodes() if n.type() == "paintlayer"]

    def undo(self, doc):
        Krita.instance().action("edit_undo").trigger()
        doc.waitForDone()

    def redo(self, doc):
        Krita.instance().action("edit_redo").trigger()
        doc.waitForDone()

    # ---------------------------------------------------------------- the scenario

    def scenario(self):
        r = self.results
        app = Krita.instance()
        import editorbridge.extension as extension
        self.model = model = extension.get_model()
        dockers = [w for w in app.activeWindow().qwindow().findChildren(QDockWidget) if w.objectName() == extension.DOCKER_ID]
        r.check("Krita created the EditorBridge docker", len(dockers) == 1, [type(w).__name__ for w in dockers])
        self.docker = dockers[0]

        # --- the plugin finds no daemon and starts it
        if model.client.state != "connected":
            model.connect()
        yield (lambda: model.client.state in ("connected", "failed"), "the daemon connection", 90)
        r.check("the plugin started the daemon and connected", model.client.state == "connected", model.status()[0])
        r.check("it started the daemon itself (auto-start)", model.client.started_pid is not None, model.client.started_pid)
        r.measurements["daemon_pid"] = model.client.discovery.pid if model.client.discovery else None
        info = model.client.info
        r.check("the docker shows the daemon's status", "Connected to EditorBridge" in self.docker.status_label.text(), self.docker.status_label.text())
        geometry = info.geometry_defaults
        grow = int(geometry.get("growPixels", 0))

        # --- Fill in 8, 16 and 32-bit documents
        for depth, bpp in (("U8", 4), ("U16", 8), ("F32", 16)):
            w, h = (256, 192) if depth == "U8" else (96, 72)
            sel = (80, 60, 64, 48) if depth == "U8" else (30, 20, 24, 18)
            doc, layer = self.new_document(w, h, depth, name="fill-" + depth)
            self.select(doc, sel)
            source_before = bytes(layer.pixelData(0, 0, w, h))
            merged_before = bytes(doc.pixelData(0, 0, w, h))
            job, waiter = self.run_job("fill", seed=42, method="telea")
            yield waiter
            tag = "fill %s: " % depth
            r.check(tag + "job done", job.state == "done", job.message)
            paths = (job.timings.get("pixels_in"), job.timings.get("pixels_out"))
            r.check(tag + "the pixels went both ways through shared memory (a pixel region, no upload)",
                    paths == ("shared-memory", "shared-memory"), paths)
            doc.waitForDone()
            doc.refreshProjection()
            doc.waitForDone()
            names = self.names(doc)
            r.check(tag + "a new layer above the source, named with operation and seed", names[-2:] == ["Source", "Fill (seed 42)"], names)
            r.check(tag + "the source layer is untouched", bytes(layer.pixelData(0, 0, w, h)) == source_before)
            merged_after = bytes(doc.pixelData(0, 0, w, h))
            grown = (sel[0] - grow, sel[1] - grow, sel[2] + 2 * grow, sel[3] + 2 * grow)
            changed_out, total_out = pixel_diff(merged_before, merged_after, bpp, w, grown, inside=False)
            r.check(tag + "pixels outside the (grown) selection unchanged", changed_out == 0, "%d of %d changed" % (changed_out, total_out))
            changed_in, total_in = pixel_diff(merged_before, merged_after, bpp, w, sel, inside=True)
            r.check(tag + "pixels inside the selection changed", changed_in >= 0.9 * total_in, "%d of %d changed" % (changed_in, total_in))
            selection = doc.selection()
            r.check(tag + "the selection is kept", selection is not None and (selection.x(), selection.y(), selection.width(), selection.height()) == sel)
            if depth == "U8":
                self.undo(doc)
                r.check(tag + "Undo removes the new layer (one step)", self.names(doc)[-1] == "Source", self.names(doc))
                doc.refreshProjection()
                doc.waitForDone()
                r.check(tag + "after Undo the image is as before", bytes(doc.pixelData(0, 0, w, h)) == merged_before)
                self.redo(doc)
                r.check(tag + "Redo brings it back", self.names(doc)[-1] == "Fill (seed 42)", self.names(doc))
                r.check(tag + "the docker lists the job as done", "done" in self.docker.jobs_list.item(self.docker.jobs_list.count() - 1).text())

        # --- merged image as the source: result on top
        doc, layer = self.new_document(128, 96, name="merged")
        top = doc.createNode("Above", "paintlayer")
        top.setPixelData(b"\x00\x00\xff\x80" * 16, 0, 0, 4, 4)
        doc.rootNode().addChildNode(top, None)
        doc.setActiveNode(layer)
        self.select(doc, (40, 30, 20, 20))
        self.docker.source_box.setCurrentIndex(self.docker.source_box.findData("merged"))
        job, waiter = self.run_job("fill", seed=7, method="ns")
        yield waiter
        self.docker.source_box.setCurrentIndex(0)
        r.check("fill merged image: done, on top of the stack", job.state == "done" and self.names(doc)[-1] == "Fill (seed 7)", (job.message, self.names(doc)))

        # --- a second Fill right after the first works on the source layer, not on the result
        doc, layer = self.new_document(128, 96, name="fill-twice")
        self.select(doc, (40, 30, 20, 20))
        job, waiter = self.run_job("fill", seed=11, method="telea")
        yield waiter
        yield 0.5  # Krita activates the inserted layer a few event-loop turns later; the plugin answers that
        active = doc.activeNode()
        r.check("after a Fill the source layer stays active", job.state == "done" and active is not None and active.name() == "Source",
                (job.message, active.name() if active is not None else None))
        job, waiter = self.run_job("fill", seed=12, method="telea")
        yield waiter
        r.check("a second Fill right after the first works, its layer right above the source",
                job.state == "done" and self.names(doc)[-3:] == ["Source", "Fill (seed 12)", "Fill (seed 11)"],
                (job.state, job.message, self.names(doc)))

        from . import landing
        yield from landing.scenario(self, info)

        # --- what painters came for (colorize a sketch, a scan, compose, select subject, several results, ...)
        from . import workflows
        yield from workflows.scenario(self)
        from . import outpaint
        yield from outpaint.scenario(self)

        # --- bad input: clear messages in the docker, nothing changes
        doc, layer = self.new_document(64, 48, "U8", "CMYKA", name="cmyk")
        cmyk = doc.rootNode().childNodes()[-1]
        doc.setActiveNode(cmyk)
        self.select(doc, (5, 5, 10, 10))
        job, waiter = self.run_job("fill", seed=1)
        yield waiter
        r.check("CMYK layer refused clearly", job.state == "failed" and "CMYK" in self.docker.message_label.text(), self.docker.message_label.text())
        doc, layer = self.new_document(64, 48, name="no-selection")
        job, waiter = self.run_job("fill", seed=1)
        yield waiter
        r.check("fill without a selection refused clearly", job.state == "failed" and "needs a selection" in self.docker.message_label.text(), self.docker.message_label.text())
        r.check("no layer was added by refused jobs", self.names(doc) == ["Background", "Source"], self.names(doc))

        # --- closing a document cancels its jobs
        doc, layer = self.new_document(512, 512, name="closing")
        self.select(doc, (100, 100, 300, 300))
        job, waiter = self.run_job("fill", seed=5, method="telea")
        # Let go of every libkis wrapper of this document first: a Node keeps its image alive,
        # and an image outliving its document crashes Krita 5.1.5 when the wrapper is freed.
        del layer
        import gc
        gc.collect()
        doc.setModified(False)
        # Close it the way a painter does (File > Close); Document.close() from Python crashes
        # Krita 5.1.5 later on when the document has a view.
        app.activeWindow().showView(self.view)
        app.action("file_close").trigger()
        yield (lambda: job.finished, "the closed document's job to end", 30)
        r.check("closing the document cancels its job", job.state == "cancelled", (job.state, job.message))

        from . import timing
        doc, layer = yield from timing.scenario(self)

        # --- the daemon dies mid-job: a clear message, nothing changed; the next click restarts it
        doc.setActiveNode(layer)
        yield 0.2
        before_names = self.names(doc)
        source_before = bytes(layer.pixelData(BIG // 2 - 8, BIG // 2 - 8, 16, 16))
        job, waiter = self.run_job("fill", seed=300, method="telea")
        yield (lambda: job.state == "running" or job.finished, "the job to start running", 60)
        old_pid = model.client.discovery.pid
        os.kill(old_pid, signal.SIGKILL)
        yield waiter
        r.check("daemon killed mid-job: the job failed with a clear message",
                job.state == "failed" and "daemon" in self.docker.message_label.text().lower(), (job.state, self.docker.message_label.text()))
        r.check("daemon killed mid-job: the docker's status says so", model.client.state == "failed", self.docker.status_label.text())
        r.check("daemon killed mid-job: no layer added, source untouched",
                self.names(doc) == before_names and bytes(layer.pixelData(BIG // 2 - 8, BIG // 2 - 8, 16, 16)) == source_before)
        doc2, layer2 = self.new_document(128, 96, name="after-restart")
        self.select(doc2, (40, 30, 20, 20))
        job, waiter = self.run_job("fill", seed=301, method="telea")
        yield waiter
        r.check("the next click starts the daemon again and the fill works",
                job.state == "done" and model.client.discovery.pid != old_pid, (job.state, job.message, old_pid, model.client.discovery.pid))

        # --- last (from here on Automatic routes Fill to the model): a tiny inpaint model imported
        # meanwhile shows after the Models dialog's Refresh, in the docker's picker, and a Fill runs with it
        from . import modelfill
        yield from modelfill.scenario(self)
        # last: the diffusion model it installs would serve every later Fill (the plugin has no model removal)
        from . import controls, remote
        yield from controls.scenario(self)
        yield from remote.scenario(self)  # last: a studio daemon over TLS, then back to this computer's


Krita.instance().addExtension(Driver(Krita.instance()))
