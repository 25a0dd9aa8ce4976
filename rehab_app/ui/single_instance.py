"""One process per data folder (DATA-SAFETY §1.2): a second launch hands over its arguments.

The first instance holds a QLockFile in the data folder and listens on a QLocalServer whose
name is derived from the folder. A later launch that cannot take the lock sends its arguments
(for example a pack file to import) to the running instance and exits. QLockFile records the
holder's PID, so a lock left behind by a crashed or killed process is taken over at once.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

LOCK_NAME = "rehab_app.lock"
_CONNECT_TIMEOUT_MS = 2000


def server_name(data_dir: Path) -> str:
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return f"rehab_app-{digest}"


class SingleInstance(QObject):
    """Holds the data folder for this process; emits `arguments_received` from later launches."""

    arguments_received = Signal(list)

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._lock = QLockFile(str(data_dir / LOCK_NAME))
        # Age must not make a lock stale: this one is held for as long as the app runs. A dead
        # holder is still detected from the PID in the file.
        self._lock.setStaleLockTime(0)
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """Take the lock (recovering a stale one) and start listening; False if another holds it."""
        if not self._lock.tryLock(0):
            if self._lock.error() != QLockFile.LockError.LockFailedError:
                return False
            # The holder may have died a moment ago: let QLockFile check its PID again.
            self._lock.removeStaleLockFile()
            if not self._lock.tryLock(0):
                return False
        name = server_name(self._data_dir)
        QLocalServer.removeServer(name)  # a socket file left by a crashed instance
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._read_connection)
        self._server.listen(name)
        return True

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

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
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    if not socket.waitForConnected(_CONNECT_TIMEOUT_MS):
        return False
    socket.write(json.dumps(arguments).encode("utf-8"))
    sent = socket.waitForBytesWritten(_CONNECT_TIMEOUT_MS)
    socket.disconnectFromServer()
    return sent
