"""A studio's shared daemon: the saved URL, token and pinned fingerprint, and the Qt client over TLS
against the fake daemon wrapped in TLS with a self-signed certificate (made with the openssl program)."""

import hashlib
import json
import os
import shutil
import ssl
import stat
import subprocess
import tempfile
import unittest

import common
import fakeserver
from editorbridge import studio
from editorbridge.wire import BridgeError

if common.have_pyqt5():
    from editorbridge.client import DaemonClient

PIN = ":".join(["AB"] * 32)


class StudioFilesTests(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp()

    def test_nothing_saved_means_the_local_daemon(self):
        self.assertEqual(studio.read(self.folder, {}), (None, None))

    def test_saved_url_fingerprint_and_owner_only_token(self):
        studio.save(self.folder, "https://gpu1.studio:7443/", "ab" * 32, "ebt_secret")
        remote, token = studio.read(self.folder, {})
        self.assertEqual((remote.base_url, remote.fingerprint, token), ("https://gpu1.studio:7443", PIN, "ebt_secret"))
        mode = stat.S_IMODE(os.stat(os.path.join(self.folder, studio.TOKEN_FILE)).st_mode)
        self.assertEqual(mode & 0o077, 0, oct(mode))
        # the environment's token wins; an empty token field keeps the saved one
        self.assertEqual(studio.read(self.folder, {"EDITORBRIDGE_TOKEN": "ebt_env"})[1], "ebt_env")
        studio.save(self.folder, "https://gpu2.studio:7443", PIN, None)
        self.assertEqual(studio.read(self.folder, {})[1], "ebt_secret")
        # an empty address goes back to the local daemon and forgets the token
        studio.save(self.folder, "", "", None)
        self.assertEqual(studio.read(self.folder, {}), (None, None))
        self.assertFalse(os.path.exists(os.path.join(self.folder, studio.TOKEN_FILE)))

    def test_refusals_say_what_to_do(self):
        with self.assertRaises(BridgeError) as plain:
            studio.save(self.folder, "http://gpu1.studio:7443", "", "t")
        self.assertIn("https://", plain.exception.message)
        with self.assertRaises(BridgeError) as bad_pin:
            studio.save(self.folder, "https://gpu1.studio:7443", "not a pin", "t")
        self.assertIn("32 hex pairs", bad_pin.exception.message)
        studio.save(self.folder, "https://gpu1.studio:7443", "", "t")
        os.chmod(os.path.join(self.folder, studio.TOKEN_FILE), 0o644)
        with self.assertRaises(BridgeError) as exposed:
            studio.read(self.folder, {})
        self.assertIn("other users", exposed.exception.message)
        os.remove(os.path.join(self.folder, studio.TOKEN_FILE))
        with self.assertRaises(BridgeError) as missing:
            studio.read(self.folder, {})
        self.assertIn("No studio token", missing.exception.message)

    def test_a_hand_edited_plain_http_address_is_refused_before_the_token_is_read(self):
        studio.save(self.folder, "https://gpu1.studio:7443", "", "ebt_secret")
        with open(os.path.join(self.folder, studio.CONFIG_FILE), "w", encoding="utf-8") as f:
            json.dump({"url": "http://gpu1.studio:7443", "fingerprint": None}, f)
        with self.assertRaises(BridgeError) as plain:
            studio.read(self.folder, {})
        self.assertIn("https://", plain.exception.message)
        self.assertNotIn("ebt_secret", plain.exception.message)

    def test_pins_are_sha256_of_the_certificate(self):
        self.assertEqual(studio.pin_of(b"der"), studio.normalize_pin(hashlib.sha256(b"der").hexdigest()))
        self.assertEqual(studio.normalize_pin("SHA256=" + "ab" * 32), PIN)
        self.assertIsNone(studio.normalize_pin("ab" * 31))


@unittest.skipUnless(common.have_pyqt5() and shutil.which("openssl"), "needs PyQt5 and the openssl program")
class StudioClientTests(unittest.TestCase):
    """The client reaches a TLS daemon by URL with the studio token, only with the right pin, and never starts one."""

    def setUp(self):
        common.qt_app()
        self.folder = tempfile.mkdtemp()
        cert, key = os.path.join(self.folder, "cert.pem"), os.path.join(self.folder, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-days", "2", "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert],
                       check=True, capture_output=True)
        self.server = fakeserver.FakeDaemonServer("ebt_studio_token")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.server.start()
        self.addCleanup(self.server.shutdown)
        with open(cert) as f:
            self.pin = studio.pin_of(ssl.PEM_cert_to_DER_cert(f.read()))
        self.url = "https://127.0.0.1:%d" % self.server.port

    def connect(self, pin):
        studio.save(self.folder, self.url, pin, "ebt_studio_token")
        client = DaemonClient(environ={"EDITORBRIDGE_STATE_DIR": self.folder}, poll_interval_ms=50)
        self.addCleanup(client.close)
        outcome = []
        client.connect_daemon(outcome.append)
        self.assertTrue(common.spin(lambda: outcome))
        return client, outcome[0]

    def test_the_pinned_certificate_connects_with_the_studio_token(self):
        client, error = self.connect(self.pin)
        self.assertIsNone(error, error and error.user_text())
        self.assertEqual(client.state, "connected")

    def test_a_wrong_pin_is_refused_and_nothing_is_started(self):
        client, error = self.connect(PIN)
        self.assertIsNotNone(error)
        self.assertEqual(error.kind, "auth", error.user_text())
        self.assertIn("certificate", error.message)
        self.assertIn("fingerprint %s, not the pinned %s" % (self.pin, PIN), error.message)
        self.assertIsNone(getattr(client, "started_pid", None))

    def test_a_changed_pin_is_checked_again_though_the_connection_is_kept_alive(self):
        client, error = self.connect(self.pin)
        self.assertIsNone(error, error and error.user_text())
        studio.save(self.folder, self.url, PIN, None)
        outcome = []
        client.connect_daemon(outcome.append)
        self.assertTrue(common.spin(lambda: outcome))
        self.assertIsNotNone(outcome[0], "connected with the old pin's connection")
        self.assertEqual(outcome[0].kind, "auth", outcome[0].user_text())

    def test_an_unreachable_studio_daemon_is_a_clear_error_without_a_start(self):
        self.server.shutdown()
        self.server.server_close()
        client, error = self.connect(self.pin)
        self.assertIsNotNone(error)
        self.assertEqual(error.kind, "unavailable")
        self.assertIsNone(getattr(client, "started_pid", None))


if __name__ == "__main__":
    unittest.main()
