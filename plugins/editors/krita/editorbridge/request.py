"""The typed JobRequest: built once per job, checked as it is built, written as the contract's JSON.

Role: *client* (the transport-free half). Pure Python. Field names on the wire are the proto's
JSON names (lowerCamelCase); 64-bit integers travel as strings.
"""

from .wire import BridgeError


def coerce_parameter(info, value):
    """One parameter value, typed and checked against its ParameterInfo; BridgeError when it does not fit."""
    name = info.get("name", "?")
    kind = info.get("kind", "")
    field = "parameters." + name
    try:
        if kind == "PARAMETER_KIND_INTEGER":
            if isinstance(value, float) and not value.is_integer():
                raise ValueError
            value = int(value)
        elif kind == "PARAMETER_KIND_NUMBER":
            value = float(value)
        elif kind == "PARAMETER_KIND_BOOLEAN":
            if isinstance(value, str):
                value = value.strip().lower() in ("1", "true", "yes", "on")
            value = bool(value)
        elif kind == "PARAMETER_KIND_CHOICE":
            value = str(value)
            choices = info.get("choices") or []
            if choices and value not in choices:
                raise BridgeError("invalid", "%s: '%s' is not one of %s" % (name, value, ", ".join(choices)), field)
        else:
            value = str(value)
    except (TypeError, ValueError):
        raise BridgeError("invalid", "%s: %r is not a valid %s" % (name, value, kind.replace("PARAMETER_KIND_", "").lower()), field)
    if kind in ("PARAMETER_KIND_INTEGER", "PARAMETER_KIND_NUMBER"):
        low, high = info.get("minimum"), info.get("maximum")
        if (low is not None and value < low) or (high is not None and value > high):
            raise BridgeError("invalid", "%s: %s is outside %s..%s" % (name, value, low, high), field)
    return value


def build_parameters(operation_info, values):
    """Only the parameters the operation declares (the daemon refuses unknown names), typed."""
    out = {}
    for info in (operation_info or {}).get("parameters") or []:
        name = info.get("name")
        if name in values and values[name] is not None and values[name] != "":
            out[name] = coerce_parameter(info, values[name])
    return out


class ImageRef:
    """An uploaded picture: an Image (with ``pixel_format``) or a Mask (without), in canvas coordinates."""

    __slots__ = ("width", "height", "offset_x", "offset_y", "blob_id", "pixel_format", "region")

    def __init__(self, width, height, offset_x, offset_y, blob_id, pixel_format=None):
        self.width, self.height = int(width), int(height)
        self.offset_x, self.offset_y = int(offset_x), int(offset_y)
        self.blob_id = blob_id
        self.pixel_format = pixel_format
        self.region = None  # a RegionRef JSON instead of the blob (shared memory)

    def to_json(self):
        obj = {"width": self.width, "height": self.height}
        if self.pixel_format is not None:
            obj["format"] = self.pixel_format
        obj.update({"offsetX": self.offset_x, "offsetY": self.offset_y})
        if self.region is not None:
            obj["region"] = dict(self.region)
        else:
            obj["blobId"] = self.blob_id
        return obj


class JobRequest:
    """One job's request. The pictures (``layer``, ``mask``, ``inputs``) are ImageRefs set as their
    uploads finish; everything else is fixed when the job is prepared. Results come back as blobs;
    ``releaseBlobs`` lets the daemon free the uploads when the job ends (the result blob is freed by
    its download)."""

    __slots__ = ("operation", "parameters", "seed", "engine", "model", "prompt", "negative_prompt",
                 "client_label", "layer", "mask", "inputs", "outpaint", "result_region", "release_blobs")

    def __init__(self, operation, parameters=None, seed=None, engine="", model="", prompt="",
                 negative_prompt="", client_label="", layer=None, mask=None, inputs=None, outpaint=False):
        if seed is not None:
            seed = int(seed)
            if not 0 <= seed < 2 ** 64:
                raise BridgeError("invalid", "seed: %d is outside 0..2^64-1" % seed, "seed")
        self.operation = operation
        self.parameters = dict(parameters or {})
        self.seed = seed
        self.engine = engine or ""
        self.model = model or ""
        self.prompt = prompt or ""
        self.negative_prompt = negative_prompt or ""
        self.client_label = (client_label or "")[:200]
        self.layer = layer
        self.mask = mask
        self.inputs = dict(inputs or {})
        self.outpaint = bool(outpaint)  # the selection reaches past the layer: GeometryOptions.outpaint
        self.result_region = None  # a RegionRef JSON: the result goes there (shared memory)
        self.release_blobs = True  # False when the pictures went into the connection's kept region

    def to_json(self):
        if self.layer is None:
            raise BridgeError("protocol", "The request has no layer yet.", "layer")
        request = {"operation": self.operation, "layer": self.layer.to_json()}
        if self.mask is not None:
            request["mask"] = self.mask.to_json()
        request["parameters"] = dict(self.parameters)
        if self.seed is not None:
            request["seed"] = str(self.seed)
        for key, value in (("engine", self.engine), ("model", self.model), ("prompt", self.prompt),
                           ("negativePrompt", self.negative_prompt)):
            if value:
                request[key] = value
        if self.inputs:
            request["inputs"] = {name: ref.to_json() for name, ref in self.inputs.items()}
        if self.outpaint:
            request["geometry"] = {"outpaint": True}
        request["resultDelivery"] = "RESULT_DELIVERY_BLOB"  # also where a result that misses its region goes
        if self.result_region is not None:
            request["resultRegion"] = dict(self.result_region)
        # the uploaded pictures (or a one-off region) serve this job only: freed when it ends
        request["releaseBlobs"] = bool(self.release_blobs)
        if self.client_label:
            request["clientLabel"] = self.client_label
        return request
