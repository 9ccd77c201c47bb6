"""The emulator as a test dependency: a pytest plugin (``plugin.py``), a server in a thread
(``server.py``), a handle with journal assertions (``handle.py``), and in-process interception
of the vendors' real hostnames (``intercept.py``)."""
from .handle import EmulatorHandle, RequestAssertionError
from .intercept import HostNotEmulated, HttpxHostNotEmulated, Intercept
from .server import ThreadServer

__all__ = ["EmulatorHandle", "HostNotEmulated", "HttpxHostNotEmulated", "Intercept",
           "RequestAssertionError", "ThreadServer"]
