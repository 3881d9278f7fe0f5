"""Krita against a studio daemon: TLS on 127.0.0.2, a studio token, a pinned self-signed certificate.

The harness started ``editorbridge serve --listen 127.0.0.2:PORT --self-signed`` with a token
(``studio_daemon.py``; ``$EDITORBRIDGE_ITEST_STUDIO`` names its URL, token and log). A painter
clicks the docker's **Studio...** button, types address, token and fingerprint and saves; the
docker reconnects. A Fill on a large canvas then goes over the byte path (no pixel region: shared
memory is local only) with only the daemon's crop uploaded, and the layer arrives. A wrong
fingerprint is refused with both fingerprints named and adds no layer; an empty address goes back
to this computer's own daemon.
"""

import json
import os
import time

from PyQt5.QtWidgets import QApplication, QDialogButtonBox

WRONG_PIN = ":".join(["AB"] * 32)


def _fingerprint(log_path):
    try:
        with open(log_path, errors="replace") as f:
            for line in f:
                if "(clients pin it): " in line:
                    return line.split("(clients pin it): ", 1)[1].strip()
    except OSError:
        pass
    return None


def _studio_settings(driver, url, token, fingerprint):
    """The docker's Studio... button, the dialog's widgets, Save. The dialog is modal: its own event
    loop runs the driver's timer, so the steps go on while it is open."""
    from editorbridge.studio_dialog import StudioDialog
    from PyQt5.QtCore import QTimer
    QTimer.singleShot(0, driver.docker.studio_button.click)
    find = lambda: next((w for w in QApplication.topLevelWidgets() if isinstance(w, StudioDialog) and w.isVisible()), None)
    yield (lambda: find() is not None, "the Studio dialog to open", 20)
    dialog = find()
    dialog.url_edit.setText(url)
    dialog.token_edit.setText(token)
    dialog.fingerprint_edit.setText(fingerprint)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Save).click()
    client = driver.model.client
    remote = lambda: getattr(client, "remote", None)
    reconnected = lambda: client.state in ("connected", "failed") and (remote().url if remote() else "") == url.rstrip("/")
    yield (lambda: not dialog.isVisible() and reconnected(), "the docker to reconnect", 60)


def _fill(driver, width, height, sel, seed):
    doc, layer = driver.new_document(width, height, name="studio-%d" % seed)
    driver.select(doc, sel)
    d = driver.docker
    d.operation_box.setCurrentIndex(d.operation_box.findData("fill"))
    d.engine_box.setCurrentIndex(0)
    d.model_box.setCurrentIndex(0)
    before = bytes(doc.pixelData(*sel))
    job, waiter = driver.run_job("fill", seed=seed, method="telea")
    return doc, before, job, waiter


def scenario(driver):
    r, model, d = driver.results, driver.model, driver.docker
    path = os.environ.get("EDITORBRIDGE_ITEST_STUDIO", "")
    if not path:
        r.skip("Krita against a studio daemon", "the harness started no studio daemon")
        return
    with open(path) as f:
        studio = json.load(f)
    yield (lambda: _fingerprint(studio["log"]) is not None, "the studio daemon's fingerprint", 120)
    pin = _fingerprint(studio["log"])
    client = model.client

    yield from _studio_settings(driver, studio["url"], studio["token"], pin)
    r.check("studio: the Studio settings connect the docker to https://127.0.0.2 with the pinned certificate",
            client.state == "connected" and client.discovery.base_url == studio["url"] and "Connected" in d.status_label.text(),
            (client.state, d.status_label.text()))

    # the pixels go as uploads of the crop, never through a pixel region
    sent, regions = [], []
    put_blob, create_region = client.put_blob, client.create_region
    client.put_blob = lambda data, on_done: (sent.append(len(data)), put_blob(data, on_done))[1]
    client.create_region = lambda size, on_done: (regions.append(size), create_region(size, on_done))[1]
    width, height, sel = 1024, 768, (600, 400, 24, 20)
    try:
        doc, before, job, waiter = _fill(driver, width, height, sel, 61)
        yield waiter
    finally:
        del client.put_blob, client.create_region
    doc.refreshProjection()
    doc.waitForDone()
    r.check("studio: the Fill ran on the studio daemon and its layer arrived",
            job.state == "done" and driver.names(doc)[-2:] == ["Source", "Fill (seed 61)"]
            and bytes(doc.pixelData(*sel)) != before, (job.state, job.message, driver.names(doc)))
    paths = (job.timings.get("pixels_in"), job.timings.get("pixels_out"))
    r.check("studio: the byte path, not shared memory (no pixel region asked for)",
            not regions and "shared-memory" not in paths and paths[0] in ("blob", "bytes"), (paths, regions))
    canvas_bytes = width * height * 4
    r.measurements["studio_fill"] = {"canvas": [width, height], "selection": list(sel), "uploads_bytes": sent, "canvas_bytes": canvas_bytes}
    # the layer's crop (first upload, RGBA8) and its selection coverage: selection + context, not the canvas
    r.check("studio: only the daemon's crop was uploaded (selection + context, not the canvas)",
            len(sent) == 2 and sel[2] * sel[3] * 4 < sent[0] < canvas_bytes // 20 and sum(sent) < canvas_bytes // 20,
            "uploads %s bytes for a %d-byte layer" % (sent, canvas_bytes))
    listed = []
    client.list_jobs(lambda data, error: listed.append((data, error)))
    yield (lambda: listed, "the studio daemon's job list", 30)
    owners = [j.get("owner") for j in (listed[0][0] or {}).get("jobs", []) if j.get("jobId") == job.daemon_id]
    r.check("studio: the studio daemon records the token's name as the job's owner", owners == ["painter"], (owners, listed[0][1]))

    # a wrong fingerprint: a clear message naming both, no layer
    started = time.monotonic()
    yield from _studio_settings(driver, studio["url"], "", WRONG_PIN)
    status = d.status_label.text()
    r.check("studio: a wrong fingerprint is refused, the message names both fingerprints",
            client.state == "failed" and pin in status and WRONG_PIN in status, (client.state, status))
    doc, before, job, waiter = _fill(driver, 128, 96, (40, 30, 20, 20), 62)
    yield waiter
    r.check("studio: a Fill with the wrong fingerprint fails clearly and adds no layer",
            job.state == "failed" and "certificate" in d.message_label.text() and driver.names(doc) == ["Background", "Source"],
            (job.state, d.message_label.text(), driver.names(doc)))
    r.measurements["studio_refusal_s"] = round(time.monotonic() - started, 2)

    # an empty address: this computer's own daemon again
    yield from _studio_settings(driver, "", "", "")
    r.check("studio: an empty address goes back to this computer's daemon",
            client.state == "connected" and client.discovery.base_url.startswith("http://127.0.0.1:"), (client.state, d.status_label.text()))
