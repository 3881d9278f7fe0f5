"""The bench's JSON client, as the Krita plugin talks to the daemon: plain http.client for the calls
and the plugin's own pixel-region modules (editorbridge.shared_memory, region_keeper, request,
copied beside this file by the build) for everything the pixels go through. One round trip of a
layer through the no-op job per command, timed here so Python's start-up is not.

stdin, one command a line:  PATH SIDE BPP     (PATH: bytes | shm | shm-copy | shm-job)
stdout, one answer a line:  MILLISECONDS or "error: ..."
or:  stages SIDE BPP ROUNDS   (json_stages.py: the shared-memory round trip's stages, markdown rows, then "end")

bytes:    PUT the layer as a blob, run the job with RESULT_DELIVERY_BLOB and releaseBlobs, GET the result.
shm:      what the plugin does: the connection's kept region (RegionKeeper; made and mapped on the
          first job of a size), the layer written into it (shared_memory.fill), the job naming it for
          the layer and the result (releaseBlobs off: the region stays), the result handed on as a
          view of the mapping (shared_memory.read_back), the region given back for the next job.
shm-copy: shm, plus one copy of the result into a new bytes (what a caller that keeps the bytes
          pays; the plugin's colour conversion reads the view instead).
shm-job:  the plugin's previous path: a region made and mapped for this job alone, the result copied
          out into a new bytes, freed by the job's end (releaseBlobs), unmapped.
"""

import http.client
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from editorbridge import region_keeper, shared_memory  # noqa: E402  (the plugin's modules, no Qt)
from editorbridge.request import ImageRef, JobRequest  # noqa: E402

PORT = int(os.environ["EDITORBRIDGE_BENCH_PORT"])
TOKEN = os.environ["EDITORBRIDGE_BENCH_TOKEN"]
FORMATS = {4: "PIXEL_FORMAT_RGBA8", 8: "PIXEL_FORMAT_RGBA16"}
layers = {}
connection = http.client.HTTPConnection("127.0.0.1", PORT)
keeper = region_keeper.RegionKeeper()  # as DaemonClient.regions: one per connection


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


def run(request):
    lines = call("POST", "/v1/jobs", json.dumps(request.to_json()).encode()).split(b"\n")
    last = json.loads([l for l in lines if l.strip()][-1])
    if "result" not in last:
        raise RuntimeError("no result: %s" % str(last)[:200])
    return last["result"]["layer"]


def echo(side, bpp):
    return JobRequest("fault-echo"), ImageRef(side, side, 0, 0, None, FORMATS[bpp])


def by_bytes(side, bpp, layer):
    request, picture = echo(side, bpp)
    picture.blob_id = json.loads(call("POST", "/v1/blobs", layer, "application/octet-stream"))["blobId"]
    request.layer = picture
    return call("GET", "/v1/blobs/" + run(request)["blobId"])


def new_region(size):
    made = json.loads(call("POST", "/v1/regions", json.dumps({"sizeBytes": str(size)}).encode()))
    # the bench's own daemon: its regions folder is the one the answer names (the plugin checks it
    # against its state folder; the checks themselves run here as there)
    folder = os.path.dirname(made["path"])
    return made, shared_memory.MappedRegion(made["regionId"], made["path"], int(made["sizeBytes"]), folder)


def region_request(side, bpp, region, place, keep):
    request, picture = echo(side, bpp)
    picture.region = place
    request.layer = picture
    request.result_region = region.reference(0, region.size)
    request.release_blobs = not keep  # a kept region outlives its job
    return request


def through(region, side, bpp, layer, keep):
    place = shared_memory.fill(region, [layer])[0]
    return shared_memory.read_back(region, run(region_request(side, bpp, region, place, keep))["region"])


def layer_of(side, bpp):
    layer = layers.get((side, bpp))
    if layer is None:
        layer = layers[(side, bpp)] = os.urandom(side * side * bpp)
    return layer


def by_kept_region(side, bpp, layer, copy=False):
    need = region_keeper.rounded(shared_memory.region_size([layer], side * side))
    region, stale = keeper.take(need)
    if stale:
        call("DELETE", "/v1/regions/" + stale)
    if region is None:
        made, region = new_region(need)
        kept, stale = keeper.adopt(region, made.get("expiresUnixMs"))
        if not kept or stale:
            raise RuntimeError("the region was not kept")
    try:
        view = through(region, side, bpp, layer, keep=True)
        back = view.tobytes() if copy else view
    except Exception:
        call("DELETE", "/v1/regions/" + (keeper.drop(region) or region.region_id))
        raise
    return back, lambda: (region.release_views(), keeper.give_back(region))


def by_region_per_job(side, bpp, layer):
    _, region = new_region(region_keeper.rounded(shared_memory.region_size([layer], side * side)))
    try:
        return through(region, side, bpp, layer, keep=False).tobytes()
    finally:
        region.close()


def main():
    for line in sys.stdin:
        words = line.split()
        if words[0] == "stages":
            import json_stages
            json_stages.run(sys.modules[__name__], int(words[1]), int(words[2]), int(words[3]))
            continue
        path, side, bpp = words[0], int(words[1]), int(words[2])
        layer = layer_of(side, bpp)
        done = lambda: None  # noqa: E731
        try:
            clock = time.perf_counter()
            if path in ("shm", "shm-copy"):
                back, done = by_kept_region(side, bpp, layer, copy=path == "shm-copy")
            else:
                back = (by_region_per_job if path == "shm-job" else by_bytes)(side, bpp, layer)
            elapsed = (time.perf_counter() - clock) * 1000.0
            if len(back) != len(layer) or back != layer:
                raise RuntimeError("%d bytes back, sent %d, or not the same bytes" % (len(back), len(layer)))
            print("%.3f" % elapsed, flush=True)
        except Exception as e:  # the bench shows it and stops
            print("error: %s" % e, flush=True)
        finally:
            done()


if __name__ == "__main__":
    main()
