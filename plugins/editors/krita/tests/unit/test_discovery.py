"""Finding the daemon: state folder, discovery file, token, and the program that starts it."""

import json
import os
import tempfile
import unittest

import common  # noqa: F401
from editorbridge import discovery
from editorbridge.wire import BridgeError


class StateDirTests(unittest.TestCase):
    def test_platform_defaults(self):
        self.assertEqual(discovery.state_dir({}, "linux", "/home/ann"), "/home/ann/.local/state/editorbridge")
        self.assertEqual(discovery.state_dir({"XDG_STATE_HOME": "/x"}, "linux", "/home/ann"), "/x/editorbridge")
        self.assertEqual(discovery.state_dir({}, "darwin", "/Users/ann"), "/Users/ann/Library/Application Support/EditorBridge")
        self.assertEqual(discovery.state_dir({"LOCALAPPDATA": "C:/Users/ann/AppData/Local"}, "win32", "C:/Users/ann"),
                         os.path.join("C:/Users/ann/AppData/Local", "EditorBridge"))

    def test_override(self):
        self.assertEqual(discovery.state_dir({"EDITORBRIDGE_STATE_DIR": "/tmp/eb"}, "linux", "/home/ann"), "/tmp/eb")


class FilesTests(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp()

    def write(self, name, text):
        with open(os.path.join(self.folder, name), "w") as f:
            f.write(text)

    def test_discovery_file(self):
        self.assertIsNone(discovery.read_discovery(self.folder))
        self.write("daemon.json", json.dumps({"grpc_port": 1, "http_port": 4321, "pid": os.getpid(), "version": "0.1.0", "started_unix_ms": 5}))
        found = discovery.read_discovery(self.folder)
        self.assertEqual((found.http_port, found.pid, found.base_url), (4321, os.getpid(), "http://127.0.0.1:4321"))
        self.write("daemon.json", "{half a file")
        self.assertIsNone(discovery.read_discovery(self.folder))
        self.write("daemon.json", json.dumps({"http_port": 70000}))
        self.assertIsNone(discovery.read_discovery(self.folder))

    def test_token(self):
        with self.assertRaises(BridgeError) as caught:
            discovery.read_token(self.folder)
        self.assertEqual(caught.exception.kind, "auth")
        self.assertIn("token file is missing", caught.exception.message)
        self.assertIn("Reconnect", caught.exception.user_text())
        self.write("token", "short")
        with self.assertRaises(BridgeError) as caught:
            discovery.read_token(self.folder)
        self.assertIn("damaged", caught.exception.message)
        self.write("token", "a" * 64 + "\n")
        self.assertEqual(discovery.read_token(self.folder), "a" * 64)

    def test_pid_alive(self):
        self.assertTrue(discovery.pid_alive(os.getpid()))
        self.assertFalse(discovery.pid_alive(0))
        self.assertFalse(discovery.pid_alive(2 ** 22 + 12345))


class CommandTests(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp()
        self.program = os.path.join(self.folder, "editorbridge")
        open(self.program, "w").close()
        self.dll = os.path.join(self.folder, "editorbridge.dll")
        open(self.dll, "w").close()

    def test_order_setting_environment_path(self):
        no_path = lambda name: None  # noqa: E731
        self.assertEqual(discovery.daemon_command(self.program, {}, no_path), (self.program, []))
        self.assertEqual(discovery.daemon_command("", {"EDITORBRIDGE_DAEMON": self.program}, no_path), (self.program, []))
        self.assertEqual(discovery.daemon_command("", {}, lambda n: "/usr/bin/editorbridge" if n == "editorbridge" else None),
                         ("/usr/bin/editorbridge", []))

    def test_per_user_install_is_found_without_path(self):
        home = tempfile.mkdtemp()
        installed = os.path.join(home, ".local", "share", "editorbridge", "app", "editorbridge")
        os.makedirs(os.path.dirname(installed))
        open(installed, "w").close()
        self.assertEqual(discovery.daemon_command("", {"HOME": home}, lambda n: None), (installed, []))
        windows = discovery.installed_locations({"LOCALAPPDATA": "C:\\Users\\ann\\AppData\\Local"})
        self.assertTrue(windows[0].endswith(os.path.join("Programs", "EditorBridge", "editorbridge.exe")))
        with self.assertRaises(BridgeError) as caught:
            discovery.daemon_command("", {"HOME": tempfile.mkdtemp()}, lambda n: None)
        self.assertIn("none in the per-user install folders", caught.exception.user_text())

    def test_dll_runs_with_dotnet(self):
        program, args = discovery.daemon_command(self.dll, {}, lambda n: "/usr/bin/dotnet" if n == "dotnet" else None)
        self.assertEqual((program, args), ("/usr/bin/dotnet", [self.dll]))
        self.assertEqual(discovery.serve_arguments(args, "/tmp/s"), [self.dll, "serve", "--background", "--state-dir", "/tmp/s"])

    def test_nothing_found_says_how_to_fix_it(self):
        with self.assertRaises(BridgeError) as caught:
            discovery.daemon_command("/nowhere/editorbridge", {}, lambda n: None)
        text = caught.exception.user_text()
        self.assertIn("/nowhere/editorbridge", text)
        self.assertIn("no 'editorbridge' program on PATH", text)
        self.assertIn("editorbridge serve", text)


if __name__ == "__main__":
    unittest.main()
