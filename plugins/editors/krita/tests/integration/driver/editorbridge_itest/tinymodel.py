"""A tiny inpaint model folder for the integration test, written with the standard library only.

Krita's Python has no ``onnx`` package, so the ONNX file is encoded here directly (ONNX is a
protobuf ModelProto; the few fields used are named below with their numbers from onnx.proto).
The graph has LaMa's signature at a small fixed size (docs/onnx-engine.md):
``image`` float [1,3,S,S] 0..1 and ``mask`` float [1,1,S,S] 1 = hole -> ``output`` float
[1,3,S,S] 0..255, and fills the hole with mid grey: ``(image * (1 - mask) + 0.5 * mask) * 255``.
The folder holds ``model.onnx`` and the ``manifest.json`` the store checks (size, SHA-256, signature).
"""

import hashlib
import json
import os
import struct

FLOAT = 1  # TensorProto.DataType.FLOAT


def _varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number, payload):
    """A length-delimited field (wire type 2): strings, bytes, nested messages."""
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _int(number, value):
    return _varint(number << 3) + _varint(value)


def _tensor_type(dims):
    shape = b"".join(_field(1, _int(1, d)) for d in dims)  # TensorShapeProto.dim { dim_value }
    return _field(1, _int(1, FLOAT) + _field(2, shape))  # TypeProto.tensor_type { elem_type, shape }


def _value_info(name, dims):
    return _field(1, name) + _field(2, _tensor_type(dims))  # ValueInfoProto { name, type }


def _constant(name, value):
    # TensorProto { dims: [1], data_type: FLOAT, float_data (packed), name }
    return _int(1, 1) + _int(2, FLOAT) + _field(4, struct.pack("<f", value)) + _field(8, name)


def _node(op, inputs, output):
    return b"".join(_field(1, i) for i in inputs) + _field(2, output) + _field(3, output) + _field(4, op)


def onnx_bytes(side):
    nodes = [("Sub", ["one", "mask"], "known"), ("Mul", ["image", "known"], "kept"),
             ("Mul", ["mask", "grey"], "filled"), ("Add", ["kept", "filled"], "unit"),
             ("Mul", ["unit", "full"], "output")]
    graph = b"".join(_field(1, _node(*n)) for n in nodes) + _field(2, "itest-grey-fill")
    graph += b"".join(_field(5, _constant(name, v)) for name, v in (("one", 1.0), ("grey", 0.5), ("full", 255.0)))
    graph += _field(11, _value_info("image", [1, 3, side, side])) + _field(11, _value_info("mask", [1, 1, side, side]))
    graph += _field(12, _value_info("output", [1, 3, side, side]))
    opset = _field(1, "") + _int(2, 13)  # OperatorSetIdProto { domain, version }
    # ModelProto { ir_version, producer_name, graph, opset_import }
    return _int(1, 8) + _field(2, "editorbridge-itest") + _field(7, graph) + _field(8, opset)


def write_inpaint_model(folder, name="itest-grey-fill", side=64):
    """Writes the model folder; returns its path."""
    os.makedirs(folder, exist_ok=True)
    data = onnx_bytes(side)
    with open(os.path.join(folder, "model.onnx"), "wb") as f:
        f.write(data)
    manifest = {
        "name": name, "kind": "inpaint", "version": "1.0.0",
        "files": [{"path": "model.onnx", "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}],
        "licence": {"id": "MIT", "text": "Generated test model of EditorBridge; no trained weights."},
        "operations": ["fill"],
        "description": "Integration-test inpainter: fills the hole with mid grey",
        "signature": {
            "file": "model.onnx",
            "inputs": [
                {"name": "image", "role": "image", "shape": [1, 3, side, side], "dataType": "float32", "range": [0, 1], "channels": "rgb"},
                {"name": "mask", "role": "mask", "shape": [1, 1, side, side], "dataType": "float32", "range": [0, 1], "channels": "l"}],
            "outputs": [
                {"name": "output", "role": "image", "shape": [1, 3, side, side], "dataType": "float32", "range": [0, 255], "channels": "rgb"}],
            "fixedSize": side},
        "schema": 1}
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return folder
