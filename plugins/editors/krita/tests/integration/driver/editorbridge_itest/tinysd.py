"""A tiny Stable Diffusion 1.5-shaped folder (diffusers ONNX layout) for the integration test, written
with the standard library only, like :mod:`tinymodel`: the graphs have the export's input/output names
and ranks, a ControlNet-ready UNet (two residual inputs) and a scribble ControlNet
(``controlnet_scribble/``) whose residual is an 8x8-patch convolution of ``controlnet_cond``, so the
picture depends on the scribble layer. No trained weights: the colours mean nothing."""

import json
import os
import struct

from .tinymodel import _field, _int, _varint

FLOAT, INT32, INT64 = 1, 6, 7
MERGES = ["t h", "th e</w>", "c a", "ca t</w>"]


def _dims(dims):
    # TensorShapeProto.dim { dim_value (1) | dim_param (2) }
    return b"".join(_field(1, _int(1, d) if isinstance(d, int) else _field(2, d)) for d in dims)


def _value(name, elem, dims):
    return _field(1, name) + _field(2, _field(1, _int(1, elem) + _field(2, _dims(dims))))


def _tensor(name, dims, values):
    # TensorProto { dims (1), data_type (2), name (8), raw_data (9) }
    return b"".join(_int(1, d) for d in dims) + _int(2, FLOAT) + _field(8, name) + _field(9, struct.pack("<%df" % len(values), *values))


def _attr_ints(name, values):
    # AttributeProto { name (1), ints (8), type (20) = INTS (7) }
    return _field(1, name) + b"".join(_int(8, v) for v in values) + _int(20, 7)


def _attr_int(name, value):
    return _field(1, name) + _int(3, value) + _int(20, 2)  # i (3), type INT (2)


def _node(op, inputs, outputs, *attributes):
    return (b"".join(_field(1, i) for i in inputs) + b"".join(_field(2, o) for o in outputs)
            + _field(3, outputs[0]) + _field(4, op) + b"".join(_field(5, a) for a in attributes))


def _model(name, nodes, inits, inputs, outputs):
    graph = b"".join(_field(1, n) for n in nodes) + _field(2, name) + b"".join(_field(5, t) for t in inits)
    graph += b"".join(_field(11, v) for v in inputs) + b"".join(_field(12, v) for v in outputs)
    return _int(1, 8) + _field(2, "editorbridge-itest") + _field(7, graph) + _field(8, _field(1, "") + _int(2, 13))


def _weights(count, seed, scale):
    values, state = [], seed
    for _ in range(count):
        state = (state * 1103515245 + 12345) % (1 << 31)
        values.append((state / float(1 << 31) - 0.5) * 2 * scale)
    return values


def _graphs():
    text = _model("text_encoder", [
        _node("Cast", ["input_ids"], ["ids"], _attr_int("to", FLOAT)),
        _node("Unsqueeze", ["ids", "axis2"], ["ids3"]),
        _node("Mul", ["ids3", "scale"], ["mixed"]),
        _node("Sin", ["mixed"], ["last_hidden_state"])],
        [_tensor("scale", [1, 1, 768], _weights(768, 1, 0.05)), _int(1, 1) + _int(2, INT64) + _field(8, "axis2") + _field(9, struct.pack("<q", 2))],
        [_value("input_ids", INT32, ["batch", 77])], [_value("last_hidden_state", FLOAT, ["batch", 77, 768])])
    unet = _model("unet", [
        _node("Mul", ["sample", "keep"], ["kept"]),
        _node("Add", ["kept", "down_block_0"], ["with_down"]),
        _node("Add", ["with_down", "mid_block_additional_residual"], ["out_sample"])],
        [_tensor("keep", [1], [0.5])],
        [_value("sample", FLOAT, ["batch", 4, "height", "width"]), _value("timestep", INT64, [1]),
         _value("encoder_hidden_states", FLOAT, ["batch", 77, 768]),
         _value("down_block_0", FLOAT, ["batch", 4, "height", "width"]), _value("mid_block_additional_residual", FLOAT, ["batch", 4, "height", "width"])],
        [_value("out_sample", FLOAT, ["batch", 4, "height", "width"])])
    control = _model("controlnet", [
        _node("Conv", ["controlnet_cond", "wc"], ["down_block_res_sample"], _attr_ints("strides", [8, 8])),
        _node("Mul", ["sample", "zero"], ["mid_block_res_sample"])],
        [_tensor("wc", [4, 3, 8, 8], _weights(768, 3, 0.2)), _tensor("zero", [1], [0.0])],
        [_value("sample", FLOAT, ["batch", 4, "height", "width"]), _value("timestep", INT64, [1]),
         _value("encoder_hidden_states", FLOAT, ["batch", 77, 768]), _value("controlnet_cond", FLOAT, ["batch", 3, "ih", "iw"])],
        [_value("down_block_res_sample", FLOAT, ["batch", 4, "height", "width"]), _value("mid_block_res_sample", FLOAT, ["batch", 4, "height", "width"])])
    encoder = _model("vae_encoder", [_node("Conv", ["sample", "we"], ["latent_sample"], _attr_ints("strides", [8, 8]))],
                     [_tensor("we", [4, 3, 8, 8], _weights(768, 4, 0.08))],
                     [_value("sample", FLOAT, ["batch", 3, "height", "width"])], [_value("latent_sample", FLOAT, ["batch", 4, "lh", "lw"])])
    decoder = _model("vae_decoder", [_node("ConvTranspose", ["latent_sample", "wd"], ["raw"], _attr_ints("strides", [8, 8])),
                                     _node("Tanh", ["raw"], ["sample"])],
                     [_tensor("wd", [4, 3, 8, 8], _weights(768, 5, 0.5))],
                     [_value("latent_sample", FLOAT, ["batch", 4, "height", "width"])], [_value("sample", FLOAT, ["batch", 3, "ih", "iw"])])
    return {"text_encoder": text, "unet": unet, "controlnet_scribble": control, "vae_encoder": encoder, "vae_decoder": decoder}


def _byte_alphabet():
    printable = set(range(ord("!"), ord("~") + 1)) | set(range(0xA1, 0xAD)) | set(range(0xAE, 0x100))
    result, extra = [], 0
    for b in range(256):
        if b in printable:
            result.append(chr(b))
        else:
            result.append(chr(256 + extra))
            extra += 1
    return result


def write_tiny_sd(folder):
    """Writes the folder (no manifest: the daemon's import makes one); returns its path."""
    for component, data in _graphs().items():
        os.makedirs(os.path.join(folder, component), exist_ok=True)
        with open(os.path.join(folder, component, "model.onnx"), "wb") as f:
            f.write(data)
    alphabet = _byte_alphabet()
    tokens = []
    for token in alphabet + [c + "</w>" for c in alphabet] + [m.replace(" ", "") for m in MERGES] + ["<|startoftext|>", "<|endoftext|>"]:
        if token not in tokens:
            tokens.append(token)
    os.makedirs(os.path.join(folder, "tokenizer"), exist_ok=True)
    os.makedirs(os.path.join(folder, "scheduler"), exist_ok=True)
    files = {
        "tokenizer/vocab.json": json.dumps({t: i for i, t in enumerate(tokens)}),
        "tokenizer/merges.txt": "#version: 0.2\n" + "\n".join(MERGES) + "\n",
        "tokenizer/special_tokens_map.json": json.dumps({"bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "pad_token": "<|endoftext|>", "unk_token": "<|endoftext|>"}),
        "scheduler/scheduler_config.json": json.dumps({"_class_name": "PNDMScheduler", "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear",
                                                        "num_train_timesteps": 1000, "set_alpha_to_one": False, "skip_prk_steps": True, "steps_offset": 1, "prediction_type": "epsilon"}),
        "vae_decoder/config.json": json.dumps({"_class_name": "AutoencoderKL", "scaling_factor": 0.18215, "latent_channels": 4}),
        "model_index.json": json.dumps({"_class_name": "OnnxStableDiffusionPipeline", "_diffusers_version": "0.30.0", "scheduler": ["diffusers", "PNDMScheduler"],
                                        "text_encoder": ["diffusers", "OnnxRuntimeModel"], "tokenizer": ["transformers", "CLIPTokenizer"],
                                        "unet": ["diffusers", "OnnxRuntimeModel"], "vae_decoder": ["diffusers", "OnnxRuntimeModel"],
                                        "vae_encoder": ["diffusers", "OnnxRuntimeModel"]}),
    }
    for path, text in files.items():
        with open(os.path.join(folder, path), "w", encoding="utf-8") as f:
            f.write(text)
    return folder
