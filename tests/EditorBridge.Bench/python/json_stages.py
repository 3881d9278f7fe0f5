"""`stages SIDE BPP ROUNDS` of the bench's Python JSON client: where its shared-memory round trip
goes, stage by stage, with the plugin's own modules: a region made for the job (the plugin's path
before) against the connection's kept region (its path now). Prints markdown rows, min / median ms
and this process's minor page faults (median), then "end"."""

import resource
import time

from editorbridge import region_keeper, shared_memory


def _faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def run(client, side, bpp, rounds):
    layer = client.layer_of(side, bpp)
    need = region_keeper.rounded(shared_memory.region_size([layer], side * side))
    stages = {}

    def timed(name, fn):
        faults, clock = _faults(), time.perf_counter()
        result = fn()
        stages.setdefault(name, []).append(((time.perf_counter() - clock) * 1000.0, _faults() - faults))
        return result

    kept = None
    for _ in range(rounds + 1):  # the first round warms up
        made, region = timed("region per job: make it (POST /v1/regions) and map it", lambda: client.new_region(need))
        refs = timed("region per job: write the layer (fresh mapping)", lambda: shared_memory.fill(region, [layer]))
        result = timed("region per job: the job (HTTP; the daemon's snapshot, echo, result write)",
                       lambda: client.run(client.region_request(side, bpp, region, refs[0], keep=False)))
        back = timed("region per job: the result into a new bytes", lambda: shared_memory.read_back(region, result["region"]).tobytes())
        timed("region per job: unmap", region.close)
        del back
        if kept is None:
            _, kept = client.new_region(need)
        refs = timed("kept region: write the layer", lambda: shared_memory.fill(kept, [layer]))
        result = timed("kept region: the job (HTTP; snapshot into the daemon's kept array)",
                       lambda: client.run(client.region_request(side, bpp, kept, refs[0], keep=True)))
        view = timed("kept region: the result as a view of the mapping", lambda: shared_memory.read_back(kept, result["region"]))
        back = timed("kept region: + a copy of it into a new bytes", view.tobytes)
        del back
        kept.release_views()
    kept.close()
    client.call("DELETE", "/v1/regions/" + kept.region_id)
    for name, values in stages.items():
        ms = sorted(v[0] for v in values[1:])
        faults = sorted(v[1] for v in values[1:])
        print("| %s | %.1f / %.1f | %d |" % (name, ms[0], ms[len(ms) // 2], faults[len(faults) // 2]))
    print("end", flush=True)
