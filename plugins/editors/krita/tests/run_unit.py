#!/usr/bin/python3
"""Runs the unit tests (tests/unit/test_*.py) and prints one summary line: plain python3, no Krita."""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    suite = unittest.defaultTestLoader.discover(os.path.join(HERE, "unit"), pattern="test_*.py", top_level_dir=os.path.join(HERE, "unit"))
    result = unittest.TextTestRunner(verbosity=1 if "-q" in sys.argv else 2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    print("unit: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
    for test, why in result.skipped:
        print("unit: skipped %s: %s" % (test.id(), why))
    return 0 if failed == 0 and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
