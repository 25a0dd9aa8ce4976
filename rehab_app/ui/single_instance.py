"""One process per data folder (DATA-SAFETY §1.2): a second launch hands over its arguments.

The first instance holds a QLockFile in the data folder and listens on a QLocalServer whose
name is derived from the folder. A later launch that cannot take the lock sends its arguments
(for example a pack file to import) to the running instance and exits. QLockFile records the
holder's PID, so a lock left behind by a crashed or killed process is taken over at once.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer

LOCK_NAME = "rehab_app.lock"
_CONNECT_TIMEOUT_MS = 2000
#: How long a second launch keeps trying to reach a first one that is still starting up (it
#: starts listening just after its window first appears).
_FORWARD_PATIENCE_S = 3.0


def server_name(data_dir: Path) -> str:
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return f"rehab_app-{digest}"


class DataFolderLock:
    """The one-writer lock on a data folder, for the app and for headless commands that write."""

    def __init__(self, data_dir: Path) -> None:
        self._lock = QLockFile(str(data_dir / LOCK_NAME))
        # Age must not make a lock stale: this one is held for as long as the app runs. A dead
        # holder is still detected from the PID in the file.
        self._lock.setStaleLockTime(0)

    def acquire(self) -> bool:
        """Take the lock, recovering one left by a dead process; False if another holds it."""
        if not self._lock.tryLock(0):
            if self._lock.error() != QLockFile.LockError.LockFailedError:
                return False
            # The holder may have died a moment ago: let QLockFile check its PID again.
            self._lock.removeStaleLockFile()
            if not self._lock.tryLock(0):
                return False
        return True

    def release(self) -> None:
        self._lock.unlock()


class SingleInstance(QObject):
    """Holds the data folder for this process; emits `arguments_received` from later launches."""

    arguments_received = Signal(list)

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._lock = DataFolderLock(data_dir)
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        return self._lock.acquire()

    def listen(self) -> None:
        """Accept arguments from later launches (QtNetwork is imported here, after first paint)."""
        from PySide6.QtNetwork import QLocalServer

        name = server_name(self._data_dir)
        QLocalServer.removeServer(name)  # a socket file left by a crashed instance
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._read_connection)
        self._server.listen(name)

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.release()

    def _read_connection(self) -> None:
        assert self._server is not None
        socket = self._server.nextPendingConnection()
        if socket is None:
            return
        socket.waitForReadyRead(_CONNECT_TIMEOUT_MS)
        payload = bytes(socket.readAll().data())
        socket.disconnectFromServer()
        socket.deleteLater()
        try:
            arguments = json.loads(payload.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return
        if isinstance(arguments, list) and all(isinstance(a, str) for a in arguments):
            self.arguments_received.emit(arguments)


def forward_arguments(data_dir: Path, arguments: list[str]) -> bool:
    """Send `arguments` to the instance that holds `data_dir`; True if it received them."""
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    deadline = time.monotonic() + _FORWARD_PATIENCE_S
    while True:
        socket.connectToServer(server_name(data_dir))
        if socket.waitForConnected(_CONNECT_TIMEOUT_MS):
            break
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    socket.write(json.dumps(arguments).encode("utf-8"))
    sent = socket.waitForBytesWritten(_CONNECT_TIMEOUT_MS)
    socket.disconnectFromServer()
    return sent
