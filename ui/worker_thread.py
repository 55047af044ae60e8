"""The one way the window runs a worker object on its own thread and stops it again.

The core and the voice session each live on a ``QThread`` so the GUI thread never waits for a
model, a microphone or a plugin. Closing is ordered: the worker's own ``close`` runs on its
thread (connected with ``BlockingQueuedConnection``, so it has finished when ``emit`` returns),
then the thread's event loop quits and we wait for it, bounded, so quitting never hangs.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, SignalInstance


def thread_for(worker: QObject, name: str) -> QThread:
    """A named thread (names show in debuggers and profilers) that now owns ``worker``; not started."""
    thread = QThread()
    thread.setObjectName(name)
    worker.moveToThread(thread)
    return thread


def stop_thread(thread: QThread, close: SignalInstance, timeout_ms: int) -> None:
    """Let the worker close itself on its thread, then stop the thread (no-op when not running)."""
    if not thread.isRunning():
        return
    close.emit()
    thread.quit()
    thread.wait(timeout_ms)
