"""The bench's JSON client, as the Krita bridge talks to the daemon (plain http.client + mmap, no
third-party packages): one round trip of a layer through the no-op job per command, timed here so
Python's start-up is not.

stdin, one command a line:  PATH SIDE BPP     (PATH: bytes | shm)
stdout, one answer a line:  MILLISECONDS or "error: ..."

bytes: PUT the layer as a blob, run the job with RESULT_DELIVERY_BLOB and releaseBlobs, GET the result.
shm:   make a pixel region, map it, write the layer, run the job naming it for the layer and the
       result (releaseBlobs frees it), read the result back from the mapping (as the plugin does:
       a copy of the bytes), unmap.
"""

import http.client
import json
import mmap
import os
import sys
import time

PORT = int(os.environ["EDITORBRIDGE_BENCH_PORT"])
TOKEN = os.environ["EDITORBRIDGE_BENCH_TOKEN"]
FORMATS = {4: "PIXEL_FORMAT_RGBA8", 8: "PIXEL_FORMAT_RGBA16"}
layers = {}
connection = http.client.HTTPConnection("127.0.0.1", PORT)


def call(method, path, body=None, content_type="application/json"):
    headers = {"Authorization": "Bearer " + TOKEN}
    if body is not None:
        headers["Content-Type"] = content_type
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    if response.status != 200:
        raise RuntimeError("%s %s: %d %s" % (method, path, response.status, data[:200]))
    return data


def job(side, bpp, layer_source, result_region=None):
    request = {"operation": "fault-echo", "layer": dict({"width": side, "height": side, "format": FORMATS[bpp]}, **layer_source),
               "resultDelivery": "RESULT_DELIVERY_BLOB", "releaseBlobs": True}
    if result_region is not None:
        request["resultRegion"] = result_region
    lines = call("POST", "/v1/jobs", json.dumps(request).encode()).split(b"\n")
    last = json.loads([l for l in lines if l.strip()][-1])
    if "result" not in last:
        raise RuntimeError("no result: %s" % str(last)[:200])
    return last["result"]["layer"]


def by_bytes(side, bpp, layer):
    blob = json.loads(call("POST", "/v1/blobs", layer, "application/octet-stream"))["blobId"]
    result = job(side, bpp, {"blobId": blob})
    return call("GET", "/v1/blobs/" + result["blobId"])


def by_region(side, bpp, layer):
    size = len(layer)
    region = json.loads(call("POST", "/v1/regions", json.dumps({"sizeBytes": str(size)}).encode()))
    fd = os.open(region["path"], os.O_RDWR | os.O_NOFOLLOW)
    try:
        mapped = mmap.mmap(fd, size)
    finally:
        os.close(fd)
    try:
        mapped[0:size] = layer
        place = {"regionId": region["regionId"], "offset": "0", "length": str(size)}
        result = job(side, bpp, {"region": place}, place)["region"]
        offset, length = int(result.get("offset") or 0), int(result["length"])
        return mapped[offset:offset + length]
    finally:
        mapped.close()


def main():
    for line in sys.stdin:
        path, side, bpp = line.split()
        side, bpp = int(side), int(bpp)
        layer = layers.get((side, bpp))
        if layer is None:
            layer = layers[(side, bpp)] = os.urandom(side * side * bpp)
        try:
            clock = time.perf_counter()
            back = (by_region if path == "shm" else by_bytes)(side, bpp, layer)
            elapsed = (time.perf_counter() - clock) * 1000.0
            if len(back) != len(layer):
                raise RuntimeError("%d bytes back, sent %d" % (len(back), len(layer)))
            print("%.3f" % elapsed, flush=True)
        except Exception as e:  # the bench shows it and stops
            print("error: %s" % e, flush=True)


if __name__ == "__main__":
    main()
