"""The plugin's modules import each other without a circle (before: extension.py and ui.py imported
each other, ui.py lazily), counting imports inside functions too; every module stays under ~400 lines."""

import ast
import os
import unittest

import common

PACKAGE = os.path.join(common.PLUGIN_ROOT, "editorbridge")


def imports_of(path):
    """The plugin modules ``path`` imports (``from . import x``, ``from .x import y``), anywhere in it."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
    return found


class StructureTests(unittest.TestCase):
    def graph(self):
        modules = {name[:-3] for name in os.listdir(PACKAGE) if name.endswith(".py") and name != "__init__.py"}
        return {m: imports_of(os.path.join(PACKAGE, m + ".py")) & modules for m in modules}

    def test_no_import_circle(self):
        graph = self.graph()
        self.assertNotIn("extension", graph["ui"])
        state = {}

        def visit(module, path):
            state[module] = "open"
            for other in sorted(graph[module]):
                if state.get(other) == "open":
                    self.fail("import circle: %s" % " -> ".join(path + [module, other]))
                if other not in state:
                    visit(other, path + [module])
            state[module] = "done"

        for module in sorted(graph):
            if module not in state:
                visit(module, [])

    def test_the_guard_finds_a_circle(self):
        graph = {"a": {"b"}, "b": {"a"}}
        state = {}
        found = []

        def visit(module):
            state[module] = "open"
            for other in graph[module]:
                if state.get(other) == "open":
                    found.append((module, other))
                elif other not in state:
                    visit(other)
            state[module] = "done"

        visit("a")
        self.assertEqual(found, [("b", "a")])

    def test_files_stay_small(self):
        for name in os.listdir(PACKAGE):
            if name.endswith(".py"):
                with open(os.path.join(PACKAGE, name), encoding="utf-8") as f:
                    self.assertLessEqual(len(f.readlines()), 420, name)


if __name__ == "__main__":
    unittest.main()
