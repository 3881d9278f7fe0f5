"""EditorBridge for Krita: fill selections, colorize sketches, restore and restyle layers with the
local EditorBridge daemon. See Manual.html (shown in Krita's Python Plugin Manager).

Modules by role:
  client    -- client.py (Qt networking), wire.py (the JSON contract), pull_wire.py (model downloads), discovery.py (daemon, token)
  model     -- model.py (state, jobs, actions), document.py (what a job reads and where results land)
  ui        -- ui.py (the docker's widgets)
  image     -- image.py (exact pixel conversions Krita <-> wire)
extension.py wires them into Krita. Only the standard library, PyQt5 and Krita's own API are used.
"""

__version__ = "0.1.0"


def _inside_krita():
    try:
        import krita
    except ImportError:
        return False
    # The unit tests' stand-in module sets IS_STAND_IN; there is nothing to register there.
    return not getattr(krita, "IS_STAND_IN", False)


if _inside_krita():
    from .extension import register

    register()
