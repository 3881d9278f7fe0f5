"""A tiny inpaint model imported while Krita runs: it shows after the Models dialog's Refresh, in the
docker's model picker, and a Fill runs with it (its grey lands in the hole)."""

import os
import tempfile

from . import tinymodel


def scenario(driver):
    r, model, d = driver.results, driver.model, driver.docker
    folder = tinymodel.write_inpaint_model(os.path.join(tempfile.mkdtemp(prefix="editorbridge-itest-model-"), "model"))
    imported = []
    model.client.post_json("/v1/models", {"path": folder}, lambda data, error: imported.append((data, error)), timeout_ms=60000)
    yield (lambda: imported, "the model import", 60)
    data, error = imported[0]
    if not r.check("the daemon imports a tiny inpaint model", error is None and (data or {}).get("name") == "itest-grey-fill",
                   error.user_text() if error else data):
        return
    dialog = d.show_models()
    listed = lambda: any(dialog.table.item(i, 0).text() == "itest-grey-fill" for i in range(dialog.table.rowCount()))
    yield (lambda: listed() and "Reading" not in dialog.status.text(), "the Models dialog to list the model", 30)
    r.check("Models dialog: Refresh lists the imported model", listed(), dialog.status.text())
    dialog.hide()
    d.operation_box.setCurrentIndex(d.operation_box.findData("fill"))
    d.engine_box.setCurrentIndex(0)
    models = [d.model_box.itemData(i) for i in range(d.model_box.count())]
    r.check("the docker's model picker offers it for Fill", "itest-grey-fill" in models, models)
    d.model_box.setCurrentIndex(d.model_box.findData("itest-grey-fill"))
    doc, layer = driver.new_document(128, 96, name="model-fill")
    driver.select(doc, (40, 30, 24, 20))
    job, waiter = driver.run_job("fill", seed=5)
    yield waiter
    r.check("a Fill with the model is done and names it", job.state == "done" and job.model == "itest-grey-fill"
            and "itest-grey-fill" in d.message_label.text(), (job.state, job.message, job.model, d.message_label.text()))
    doc.refreshProjection()
    doc.waitForDone()
    centre = bytes(doc.pixelData(52, 40, 1, 1))
    r.check("the model's grey is in the hole", all(abs(c - 128) <= 3 for c in centre[:3]) and centre[3] == 255, list(centre))
