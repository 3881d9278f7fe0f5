"""A small stand-in for Krita's ``krita`` Python module, for the unit tests (plain python3, no Krita).

It models only what the plugin uses, with Krita 5.1.5's behaviour as checked in real Krita:

* ``Krita.instance()``: ``documents()``, ``activeDocument()``, ``createDocument(w, h, name, model,
  depth, profile, res)``, ``readSetting``/``writeSetting``.
* ``Document``: ``width``/``height``, ``colorModel``/``colorDepth``/``colorProfile``, ``rootNode``,
  ``activeNode``/``setActiveNode``, ``createNode(name, "paintlayer")``, ``selection``/``setSelection``,
  ``pixelData`` (the merged image: the visible layers' pixels, top-most non-transparent pixel wins,
  which is exact for the opaque test pictures), ``waitForDone``, ``name``/``fileName``.
* ``Node``: ``pixelData``/``setPixelData`` (raw bytes in the layer's layout: B,G,R,A for U8 and
  U16; R,G,B,A for F16 and F32; zeros outside what was written), ``projectionPixelData``,
  ``childNodes`` (bottom to top, like Krita), ``addChildNode(child, above)`` (``child`` goes right
  above ``above``; on top when ``above`` is None), ``remove``, ``parentNode``, ``uniqueId``,
  ``type``, ``name``, ``colorModel``/``colorDepth``/``colorProfile``, ``visible``.
* ``Selection``: ``select(x, y, w, h, value)``, ``pixelData``/``setPixelData`` (one byte per
  pixel), ``x``/``y``/``width``/``height`` (the exact bounds of non-zero coverage).

Like Krita 5.1.5, inserting a node into the document (``addChildNode``) makes it the active node.

Undo bookkeeping: every ``addChildNode`` and ``remove`` on an attached node appends a step to
``Document.undo_steps`` (they are undo commands in Krita 5.1.5). ``setPixelData`` on a node that
is already in the document is *not* undoable in Krita, so the stand-in records it in
``Document.direct_writes``: the tests assert the plugin never does that.

``IS_STAND_IN = True`` tells the plugin's ``__init__`` not to register its docker.
"""

import itertools
import uuid

IS_STAND_IN = True

_BYTES_PER_PIXEL = {("RGBA", "U8"): 4, ("RGBA", "U16"): 8, ("RGBA", "F16"): 8, ("RGBA", "F32"): 16,
                    ("GRAYA", "U8"): 2, ("GRAYA", "U16"): 4, ("CMYKA", "U8"): 5, ("LABA", "U16"): 8}


def bytes_per_pixel(model, depth):
    return _BYTES_PER_PIXEL[(model, depth)]


class _Uuid:
    def __init__(self):
        self.value = str(uuid.uuid4())

    def toString(self):
        return "{%s}" % self.value


class Node:
    _ids = itertools.count(1)

    def __init__(self, doc, name, node_type="paintlayer", model=None, depth=None, profile=None):
        self._doc = doc
        self._name = name
        self._type = node_type
        self._model = model or doc._model
        self._depth = depth or doc._depth
        self._profile = profile or doc._profile
        self._pixels = {}  # (x, y) -> bytes of one pixel
        self._children = []  # bottom to top
        self._parent = None
        self._uid = _Uuid()
        self._visible = True
        self._blending = "normal"

    # identity and tree
    def uniqueId(self):
        return self._uid

    def name(self):
        return self._name

    def setName(self, name):
        self._name = name

    def type(self):
        return self._type

    def visible(self):
        return self._visible

    def setVisible(self, value):
        self._visible = bool(value)

    def blendingMode(self):
        return self._blending

    def setBlendingMode(self, mode):
        self._blending = mode

    def colorModel(self):
        return self._model

    def colorDepth(self):
        return self._depth

    def colorProfile(self):
        return self._profile

    def parentNode(self):
        return self._parent

    def childNodes(self):
        return list(self._children)

    def _attached(self):
        node = self
        while node._parent is not None:
            node = node._parent
        return node is self._doc._root

    def addChildNode(self, child, above):
        if child._parent is not None:
            raise RuntimeError("node already has a parent")
        if above is None:
            self._children.append(child)
        else:
            self._children.insert(self._children.index(above) + 1, child)
        child._parent = self
        if self._attached():
            self._doc.undo_steps.append(("add", child.name()))
            self._doc._active = child  # Krita 5.1.5 activates the layer it inserts

        return True

    def remove(self):
        if self._parent is None:
            return False
        attached = self._attached()
        self._parent._children.remove(self)
        self._parent = None
        if attached:
            self._doc.undo_steps.append(("remove", self.name()))
        return True

    # pixels
    @property
    def _bpp(self):
        return bytes_per_pixel(self._model, self._depth)

    def pixelData(self, x, y, w, h):
        zero = bytes(self._bpp)
        out = bytearray()
        for row in range(y, y + h):
            for col in range(x, x + w):
                out += self._pixels.get((col, row), zero)
        return bytes(out)

    def projectionPixelData(self, x, y, w, h):
        return self.pixelData(x, y, w, h)

    def setPixelData(self, data, x, y, w, h):
        data = bytes(data)
        bpp = self._bpp
        if len(data) < w * h * bpp:
            raise ValueError("not enough data")
        if self._attached():
            self._doc.direct_writes.append(self.name())
        i = 0
        for row in range(y, y + h):
            for col in range(x, x + w):
                self._pixels[(col, row)] = data[i:i + bpp]
                i += bpp
        return True

    def bounds(self):
        if not self._pixels:
            return (0, 0, 0, 0)
        xs = [p[0] for p in self._pixels]
        ys = [p[1] for p in self._pixels]
        return (min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)

    def __repr__(self):
        return "Node(%r)" % self._name


class Selection:
    def __init__(self):
        self._coverage = {}

    def select(self, x, y, w, h, value):
        for row in range(y, y + h):
            for col in range(x, x + w):
                self._coverage[(col, row)] = value

    def pixelData(self, x, y, w, h):
        return bytes(self._coverage.get((col, row), 0) for row in range(y, y + h) for col in range(x, x + w))

    def setPixelData(self, data, x, y, w, h):
        data = bytes(data)
        i = 0
        for row in range(y, y + h):
            for col in range(x, x + w):
                self._coverage[(col, row)] = data[i]
                i += 1

    def _bounds(self):
        points = [p for p, v in self._coverage.items() if v]
        if not points:
            return (0, 0, 0, 0)
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        return (min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)

    def x(self):
        return self._bounds()[0]

    def y(self):
        return self._bounds()[1]

    def width(self):
        return self._bounds()[2]

    def height(self):
        return self._bounds()[3]

    def duplicate(self):
        other = Selection()
        other._coverage = dict(self._coverage)
        return other


class Document:
    def __init__(self, width, height, name, model, depth, profile):
        self._width, self._height = width, height
        self._name = name
        self._model, self._depth = model, depth
        self._profile = profile or "sRGB-elle-V2-srgbtrc.icc"
        self._root = Node(self, "root", "grouplayer")
        self._selection = None
        self._active = None
        self.undo_steps = []
        self.direct_writes = []
        background = Node(self, "Background")
        self._root.addChildNode(background, None)
        self.undo_steps.clear()
        self._active = background

    def name(self):
        return self._name

    def resolution(self):
        return 72

    def setColorSpace(self, model, depth, profile):
        """Converts every layer (integer depths): grey G,A -> B=G=R,A; one undo step, as in Krita."""
        if (model, depth) == (self._model, self._depth):
            return True
        if not (self._model == "GRAYA" and model == "RGBA" and depth == self._depth == "U8"):
            raise NotImplementedError("the stand-in converts GRAYA/U8 to RGBA/U8 only")
        stack = [self._root]
        while stack:
            node = stack.pop()
            node._pixels = {k: bytes([v[0], v[0], v[0], v[1]]) for k, v in node._pixels.items()}
            node._model = model
            stack.extend(node._children)
        self._model = model
        self.undo_steps.append(("colorspace", model))
        return True

    def fileName(self):
        return ""

    def width(self):
        return self._width

    def height(self):
        return self._height

    def colorModel(self):
        return self._model

    def colorDepth(self):
        return self._depth

    def colorProfile(self):
        return self._profile

    def rootNode(self):
        return self._root

    def topLevelNodes(self):
        return self._root.childNodes()

    def activeNode(self):
        return self._active

    def setActiveNode(self, node):
        self._active = node

    def nodeByName(self, name):
        stack = list(self._root.childNodes())
        while stack:
            node = stack.pop(0)
            if node.name() == name:
                return node
            stack.extend(node.childNodes())
        return None

    def createNode(self, name, node_type):
        return Node(self, name, node_type)

    def selection(self):
        return self._selection.duplicate() if self._selection is not None else None

    def setSelection(self, selection):
        self._selection = selection.duplicate() if selection is not None else None

    def waitForDone(self):
        pass

    def pixelData(self, x, y, w, h):
        """The merged image: per pixel, the top-most visible layer pixel with non-zero bytes."""
        layers = [n for n in self._root.childNodes() if n.visible() and n.type() == "paintlayer"]
        bpp = bytes_per_pixel(self._model, self._depth)
        zero = bytes(bpp)
        out = bytearray()
        for row in range(y, y + h):
            for col in range(x, x + w):
                pixel = zero
                for layer in reversed(layers):
                    p = layer._pixels.get((col, row))
                    if p is not None and p != zero:
                        pixel = p
                        break
                out += pixel
        return bytes(out)


class Krita:
    _instance = None

    def __init__(self):
        self._documents = []
        self._active = None
        self._settings = {}

    @classmethod
    def instance(cls):
        if cls._instance is None:
            cls._instance = Krita()
        return cls._instance

    @classmethod
    def reset(cls):
        """Tests: a fresh application."""
        cls._instance = None
        return cls.instance()

    def createDocument(self, width, height, name, model, depth, profile, resolution):
        doc = Document(width, height, name, model, depth, profile)
        self._documents.append(doc)
        return doc

    def documents(self):
        return list(self._documents)

    def activeDocument(self):
        return self._active

    def setActiveDocument(self, doc):
        self._active = doc

    def closeDocument(self, doc):
        """Tests: what closing an image does."""
        self._documents.remove(doc)
        if self._active is doc:
            self._active = None

    def readSetting(self, group, key, default):
        return self._settings.get((group, key), default)

    def writeSetting(self, group, key, value):
        self._settings[(group, key)] = value
