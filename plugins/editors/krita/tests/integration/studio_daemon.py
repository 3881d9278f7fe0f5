"""A studio daemon for the integration test: ``editorbridge serve --listen 127.0.0.2:PORT --self-signed``.

The harness (``run_integration.py``) starts it beside Krita, in its own state folder with one
studio token issued by ``editorbridge tokens add painter``, and stops it afterwards. 127.0.0.2 is
a loopback address the daemon treats as a network one (TLS + tokens, no shared memory). The
driver's ``remote.py`` reads ``studio.json`` (URL, token, the serve log where the fingerprint
appears) and enters them in the docker's Studio settings as a painter would.
"""

import json
import os
import signal
import socket
import subprocess

ADDRESS = "127.0.0.2"


def _command(cli, state, *arguments):
    program = ["dotnet", cli] if cli.endswith(".dll") else [cli]
    return program + ["--state-dir", state] + list(arguments)


def _free_port():
    with socket.socket() as s:
        s.bind((ADDRESS, 0))
        return s.getsockname()[1]


def start(cli, root):
    """Issues a token and starts the daemon (not waiting for it); returns (process, path of studio.json)."""
    state = os.path.join(root, "studio-state")
    os.makedirs(state, mode=0o700)
    env = dict(os.environ)
    env.pop("EDITORBRIDGE_STATE_DIR", None)
    issued = subprocess.run(_command(cli, state, "tokens", "add", "painter"), env=env, capture_output=True, text=True, timeout=120)
    if issued.returncode != 0 or not issued.stdout.strip():
        raise RuntimeError("tokens add failed (%s): %s" % (issued.returncode, issued.stderr.strip()))
    port = _free_port()
    log_path = os.path.join(root, "studio-daemon.log")
    with open(log_path, "w") as log:
        process = subprocess.Popen(_command(cli, state, "serve", "--listen", "%s:%d" % (ADDRESS, port), "--self-signed"),
                                   env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    info_path = os.path.join(root, "studio.json")
    fd = os.open(info_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"url": "https://%s:%d" % (ADDRESS, port), "token": issued.stdout.strip(), "log": log_path, "pid": process.pid}, f)
    return process, info_path


def stop(process):
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
