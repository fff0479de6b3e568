"""Server processes for `coop api serve --workers N`, each with its own listening socket.

uvicorn's own `--workers` shares one socket, and the worker that wakes first accepts a
burst: 50 keep-alive clients split 35/15 to 46/4 between two workers, so one CPU queued
most of them while the other idled (docs/scale.md). Here every worker binds the port with
SO_REUSEPORT and the kernel (Linux; BSDs give one socket all of them) spreads connections
over the sockets by hash. The workers are spawned (not forked: the indexer's thread stays
in this process); SIGINT or SIGTERM here, or one worker ending, stops them all, each
draining as uvicorn does.
"""

import multiprocessing
import os
import signal
import socket
import threading
from multiprocessing.connection import wait
from typing import Any

import uvicorn

from oracle.api.app import CONFIG_ENV
from oracle.api.config import ApiConfig
from oracle.errors import ConfigError

STOP_SECONDS = 15.0  # a worker still running this long after SIGTERM is killed


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to (host, port) that other processes of this user may bind too."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def _worker(host: str, port: int, config_json: str, options: dict[str, Any]) -> None:
    os.environ[CONFIG_ENV] = config_json
    sock = listening_socket(host, port)
    config = uvicorn.Config("oracle.api.app:app_from_environment", factory=True, **options)
    uvicorn.Server(config).run(sockets=[sock])


def serve_workers(config: ApiConfig, host: str, port: int, workers: int, **options: Any) -> int:
    """Runs `workers` uvicorn processes on (host, port) until a signal or one of them ends;
    returns the first nonzero exit code among them (0 when all ended well)."""
    if port == 0:
        raise ConfigError("--workers needs a fixed --port: each worker binds it itself")
    try:
        listening_socket(host, port).close()
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port} ({exc.strerror}); is another "
                          "server running there? Pick another --port") from exc  # fmt: skip
    spawn = multiprocessing.get_context("spawn")
    processes = [
        spawn.Process(
            target=_worker, args=(host, port, config.to_json(), options), name=f"coop-api-{n}"
        )  # fmt: skip
        for n in range(workers)
    ]
    for process in processes:
        process.start()
    stop = threading.Event()
    previous = {s: signal.signal(s, lambda *_: stop.set()) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stop.is_set() and all(p.is_alive() for p in processes):
            wait([p.sentinel for p in processes], timeout=0.5)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(STOP_SECONDS)
            if process.is_alive():
                process.kill()
                process.join()
    failed = [p.exitcode for p in processes if p.exitcode not in (0, None, -signal.SIGTERM)]
    return failed[0] if failed and failed[0] is not None else 0
