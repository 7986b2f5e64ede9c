"""The data-at-rest crawler: plugin hooks and manager, sampling, detection, outputs.

Plugins import `hookimpl` from here and implement the hooks of `sensor_dar.hookspecs`.
"""

from sensor_dar.hookspecs import ENTRY_POINT_GROUP, hookimpl

__all__ = ["ENTRY_POINT_GROUP", "hookimpl"]
