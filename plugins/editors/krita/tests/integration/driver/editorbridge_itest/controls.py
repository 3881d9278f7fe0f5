"""Control layers in real Krita: a tiny SD-shaped model with a scribble ControlNet (:mod:`tinysd`) is
imported; the docker offers a "Scribble guide" layer picker for Generate; a Generate with the scribble
layer picked names the control in its provenance and differs from one without it (the layer reached
the ControlNet). It runs last: the plugin cannot remove a model, and this one would serve later Fills."""

import os
import tempfile

from . import tinysd

NAME = "itest-sd"


def _named(doc, name):
    return [n for n in doc.rootNode().childNodes() if n.name() == name]


def _new_layer_bytes(doc, name, before, w, h):
    """The pixels of the one layer called *name* that is not in *before* (unique ids): where a result
    layer lands in the stack depends on which node is active when it arrives, so position says nothing."""
    new = [n for n in _named(doc, name) if n.uniqueId() not in before]
    return bytes(new[0].pixelData(0, 0, w, h)) if len(new) == 1 else b""


def scenario(driver):
    r, d, model = driver.results, driver.docker, driver.model
    folder = tinysd.write_tiny_sd(os.path.join(tempfile.mkdtemp(prefix="editorbridge-itest-sd-"), NAME))
    imported = []
    model.client.post_json("/v1/models", {"path": folder}, lambda data, error: imported.append((data, error)), timeout_ms=60000)
    yield (lambda: imported, "the tiny diffusion model's import", 60)
    data, error = imported[0]
    if not r.check("control layers: the daemon imports a tiny SD model with a scribble ControlNet",
                   error is None and (data or {}).get("name") == NAME, error.user_text() if error else data):
        return
    refreshed = []
    model.client.refresh_info(lambda error: refreshed.append(error))  # GetInfo again: the new model's operations and inputs
    yield (lambda: refreshed, "GetInfo with the new model", 30)
    r.check("control layers: GetInfo lists the model for Generate", NAME in (model.client.info.models_for("generate") or []),
            model.client.info.models_for("generate"))
    w, h = 64, 48
    doc, source = driver.new_document(w, h, name="control-layers")
    scribble = doc.createNode("Scribble", "paintlayer")
    scribble.setPixelData(b"".join(bytes([0, 0, 0, 255 if x % 12 < 2 else 0]) for y in range(h) for x in range(w)), 0, 0, w, h)
    doc.rootNode().addChildNode(scribble, None)
    doc.setActiveNode(source)
    doc.waitForDone()
    yield 0.5
    d.operation_box.setCurrentIndex(d.operation_box.findData("generate"))
    d.model_box.setCurrentIndex(d.model_box.findData(NAME))
    yield 0.3
    picker = d.inputs.combos.get("control_scribble")
    r.check("control layers: the docker shows a Scribble guide picker for Generate", picker is not None, sorted(d.inputs.combos))
    if picker is None:
        return
    from editorbridge.document import node_key
    d.inputs.choose("control_scribble", node_key(scribble))
    before = {n.uniqueId() for n in _named(doc, "Generate (seed 3)")}
    job, waiter = driver.run_job("generate", seed=3, steps=3)
    yield waiter
    controls = ((job.result or {}).get("provenance") or {}).get("controls")
    r.check("control layers: Generate with the scribble layer is done and its provenance names the control",
            job.state == "done" and controls == ["scribble"], (job.state, job.message, controls))
    steered = _new_layer_bytes(doc, "Generate (seed 3)", before, w, h)
    before = {n.uniqueId() for n in _named(doc, "Generate (seed 3)")}
    d.inputs.choose("control_scribble", "")
    job, waiter = driver.run_job("generate", seed=3, steps=3)
    yield waiter
    plain = _new_layer_bytes(doc, "Generate (seed 3)", before, w, h)
    controls = ((job.result or {}).get("provenance") or {}).get("controls")
    r.check("control layers: without the scribble the same Generate gives another picture (the layer reached the ControlNet)",
            job.state == "done" and not controls and steered and plain and steered != plain,
            (job.state, job.message, controls, len(steered), len(plain), steered == plain))
