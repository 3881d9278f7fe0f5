"""The session's one :class:`model.BridgeModel`, created on first use.

Role: wiring. Imported by the extension (menu actions, session hooks) and by the docker (``ui``),
so neither has to import the other.
"""

_model = None


def get_model():
    """The session's one BridgeModel (created on first use, with the Qt client)."""
    global _model
    if _model is None:
        from .client import DaemonClient
        from .model import BridgeModel

        holder = {}
        client = DaemonClient(daemon_path_setting=lambda: holder["model"].setting("daemon_path", ""))
        _model = holder["model"] = BridgeModel(client)
    return _model
