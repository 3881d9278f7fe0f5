"""One object per job: what the painter asked for, where it stands, what came back.

Role: *model*. Pure Python (no Qt, no ``krita``). A job's life is a :class:`JobState`:
*waiting* (for the daemon) -> *preparing* (read the layer, selection and input layers, convert) ->
*uploading* (the pictures as blobs) -> *queued* / *running* (the streamed events: queue position,
progress, previews) -> *downloading* (the result blob) -> *placing* (new layer / colours / selection)
-> *done*; or *failed* / *cancelled* at any point, with a message. Nothing in the document changes
before *placing*, and the source layer never changes.

A click with ``count`` > 1 starts one job per seed (s, s+1, ...), joined in a :class:`Batch`: each
result arrives as its job finishes, and the batch lands as one group layer (one undo step) with only
the first result visible, so the painter picks one by its eye.
"""

import enum

from . import document
from .wire import OPERATION_LABELS


class JobState(str, enum.Enum):
    WAITING = "waiting"
    PREPARING = "preparing"
    UPLOADING = "uploading"
    QUEUED = "queued"
    RUNNING = "running"
    DOWNLOADING = "downloading"
    PLACING = "placing"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    def __str__(self):
        return self.value

    @property
    def finished(self):
        return self in (JobState.DONE, JobState.FAILED, JobState.CANCELLED)


ACTIVE_STATES = tuple(s for s in JobState if not s.finished)
FINAL_STATES = tuple(s for s in JobState if s.finished)

MAX_COUNT = 8  # results per click
COUNT_OPERATIONS = ("fill", "stylize", "colorize", "generate")  # those that can give several results


class JobOptions:
    """What the painter chose in the docker for one click."""

    def __init__(self, operation="fill", source=document.SOURCE_LAYER, placement=document.PLACE_AUTO,
                 prompt="", negative_prompt="", engine="", parameters=None, seed=None, model="",
                 count=1, inputs=None, point=None):
        self.operation = operation
        self.model = model  # an installed model's name; "" lets the daemon choose
        self.source = source
        self.placement = placement  # colorize only: PLACE_AUTO, PLACE_BELOW or PLACE_REPLACE
        self.prompt = prompt
        self.negative_prompt = negative_prompt
        self.engine = engine
        self.parameters = dict(parameters or {})
        self.seed = seed  # None: the daemon picks one and reports it
        self.count = max(1, min(MAX_COUNT, int(count or 1)))  # results wanted (seeds s, s+1, ...)
        if operation not in COUNT_OPERATIONS:
            self.count = 1
        self.inputs = dict(inputs or {})  # input name ("hints", "reference", "object") -> layer key
        self.point = tuple(point) if point else None  # Select Subject: (x, y) in canvas pixels

    def copy(self, **changes):
        other = JobOptions(self.operation, self.source, self.placement, self.prompt, self.negative_prompt,
                           self.engine, self.parameters, self.seed, self.model, self.count, self.inputs, self.point)
        for k, v in changes.items():
            setattr(other, k, v)
        return other


class Job:
    _next = 1

    def __init__(self, options, batch=None):
        self.number = Job._next
        Job._next += 1
        self.options = options
        self.operation = options.operation
        self.batch = batch
        self.state = JobState.WAITING
        self.doc_key = None
        self.node_key = None
        self.label = OPERATION_LABELS.get(options.operation, options.operation)
        self.request = None  # the typed JobRequest, built once when the job is prepared
        self.daemon_id = ""
        self.position = -1
        self.fraction = 0.0
        self.stage = ""
        self.progress_events = 0
        self.engine = ""
        self.device = ""
        self.model = ""  # the model the result's provenance names
        self.message = ""
        self.warning = ""  # what the painter should know about the result (shown until the next job)
        self.error = None
        self.preview = None  # (width, height, rgba8 bytes)
        self.seed = options.seed
        self.result = None  # the JobResult JSON
        self.converted = None  # (rect, krita bytes, changed pixel count): a batch member's result, until placed
        self.layer_name = ""
        self.undo_steps = 0
        self.changed_pixels = 0
        self.timings = {}
        self.capture = None
        self.capture_kept = None  # a batch member's capture, until the batch has landed
        self.calls = []
        self.cancel_requested = False
        self.region = None  # the shared_memory.MappedRegion the pictures went through, until placed
        self.region_id = ""  # the daemon's region from the moment it is made (released if the job ends before mapping it)
        self.pixels_path = ""  # "shared-memory", "blobs", or "bytes (shared memory refused: ...)"
        self.bytes_only = False  # the region was refused at run time: upload blobs
        self.region_reused = False  # the region was the connection's kept one (gone: one more try in a new one)
        self.region_retried = False

    @property
    def finished(self):
        return self.state.finished

    def resolved(self, name, default=""):
        """A parameter as the engine used it (the result's provenance), e.g. restore's method."""
        return ((self.result or {}).get("provenance") or {}).get("parameters", {}).get(name, default)

    def provenance_text(self):
        """'model sd-tiny on cpu' / 'on cuda:0' / '' from the result's provenance."""
        parts = []
        if self.model:
            parts.append("model " + self.model)
        if self.device:
            parts.append("on " + self.device)
        return " ".join(parts)

    def summary(self):
        text = "#%d %s" % (self.number, self.label)
        if self.batch is not None:
            text += " [%d/%d]" % (self.batch.jobs.index(self) + 1, len(self.batch.jobs))
        state = self.state
        if state == JobState.QUEUED:
            text += " - queued" + (" (%d ahead)" % self.position if self.position > 0 else " (next)")
        elif state == JobState.RUNNING:
            text += " - %d%%%s" % (round(self.fraction * 100), " " + self.stage if self.stage else "")
        elif state == JobState.DONE:
            text += " - done" + (": " + self.layer_name if self.layer_name else "")
            if self.warning:
                text += " (%s)" % self.warning.split(":")[0]
            elif self.provenance_text():
                text += " (%s)" % self.provenance_text()
        elif state in (JobState.FAILED, JobState.CANCELLED):
            text += " - " + state.value + (": " + self.message if self.message else "")
        else:
            text += " - " + state.value
        return text


class Batch:
    """The jobs of one click with ``count`` > 1: the same request with seeds s, s+1, ..."""

    def __init__(self, options, first_seed):
        self.options = options
        self.first_seed = first_seed
        self.jobs = []
        self.placing = False
        self.placed = False  # set once the group has landed (or there was nothing to land)

    @property
    def finished(self):
        return all(j.finished for j in self.jobs)

    def ready(self):
        """The members whose result is converted and waiting to land, in seed order."""
        return [j for j in self.jobs if j.converted is not None and j.state != JobState.CANCELLED]
