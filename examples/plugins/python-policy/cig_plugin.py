"""A minimal Python runtime for cig plugins: the Python twin of @cig/sdk's
servePlugin (sdk/src/serve-plugin.ts, sdk/src/handshake.ts, sdk/src/logger.ts).

It uses only Debian's packages (python3-grpcio, python3-protobuf) and the
stubs generated into gen/ by `pnpm generate`.

What it does, in order (see README.md for the why):

1. Refuses to run without the core's magic cookie (friendly message, exit 1).
2. Points sys.stdout and fd 1 at stderr: fd 1 is half of the core's stdio
   gRPC socket, and one stray byte there breaks the core's HTTP/2 framing.
3. Serves cig.plugin.v1.PluginService on a unix socket in the private
   directory the core passes in CIG_PLUGIN_UNIX_DIR (grpcio cannot serve on
   an inherited fd, so the "stdio" transport is out of reach).
4. Writes exactly one handshake line to the handshake fd, then closes it.
5. Reads and discards fd 0 (the "lifeline") until EOF: EOF means the core
   has gone, so the plugin stops the server and exits 0. It never writes to
   fd 0 or fd 1.

Everything above the `serve` function is pure and unit-tested without gRPC.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import sys
import threading
import traceback
from dataclasses import dataclass
from typing import Callable, Mapping, Optional, Sequence

MAGIC_COOKIE_KEY = "CIG_PLUGIN_MAGIC_COOKIE"
MAGIC_COOKIE_VALUE = "d7c1f0e2-cig-plugin-v1-3b9a6e54"
# Version of the handshake line format itself (its first field).
HANDSHAKE_VERSION = 1
# Plugin protocol versions this runtime speaks.
SUPPORTED_PROTOCOLS: tuple = (1,)
DEFAULT_HANDSHAKE_FD = 3
# sun_path is 108 bytes including the terminating NUL.
MAX_UNIX_PATH_BYTES = 107
DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024

NOT_FROM_CORE_MESSAGE = (
    "This is a cig plugin. It is started by cig, not by hand: try `cig plugin info <path>` or\n"
    "`cig plugin test <path>` instead. (It refuses to serve because CIG_PLUGIN_MAGIC_COOKIE is not set.)\n"
)


# --------------------------------------------------------------------------
# Handshake (pure)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class CoreOffer:
    """What the core told the plugin through its environment."""

    protocols: tuple
    transports: tuple
    core_version: str
    handshake_fd: int
    unix_dir: Optional[str]
    log_level: str


def read_core_offer(env: Mapping[str, str]) -> Optional[CoreOffer]:
    """The core's offer, or None when the process was not started by cig."""
    if env.get(MAGIC_COOKIE_KEY) != MAGIC_COOKIE_VALUE:
        return None
    protocols = []
    for part in env.get("CIG_PLUGIN_PROTOCOL_VERSIONS", "").split(","):
        part = part.strip()
        if part.isascii() and part.isdigit() and int(part) > 0:
            protocols.append(int(part))
    try:
        fd = int(env.get("CIG_PLUGIN_HANDSHAKE_FD", str(DEFAULT_HANDSHAKE_FD)))
    except ValueError:
        fd = DEFAULT_HANDSHAKE_FD
    transports = tuple(t.strip() for t in env.get("CIG_PLUGIN_TRANSPORTS", "stdio").split(",") if t.strip())
    return CoreOffer(
        protocols=tuple(protocols),
        transports=transports,
        core_version=env.get("CIG_CORE_VERSION", ""),
        handshake_fd=fd if fd >= 0 else DEFAULT_HANDSHAKE_FD,
        unix_dir=env.get("CIG_PLUGIN_UNIX_DIR") or None,
        log_level=log_level_from_env(env.get("CIG_LOG_LEVEL")),
    )


def negotiate_protocol(core: Sequence[int], ours: Sequence[int] = SUPPORTED_PROTOCOLS) -> int:
    """The newest version both sides speak; without overlap, our own newest,
    so that the core can name both sides in its mismatch error."""
    common = [v for v in ours if v in core]
    return max(common) if common else max(ours)


def handshake_line(protocol: int, transport: str, address: str) -> str:
    """`1|<protocol>|<transport>|<address>|grpc` and a newline."""
    if "|" in address or "\n" in address:
        raise ValueError(f"address {address!r} cannot contain '|' or a newline")
    return f"{HANDSHAKE_VERSION}|{protocol}|{transport}|{address}|grpc\n"


def unix_socket_path(unix_dir: str, pid: int) -> str:
    """`<dir>/p<pid>.sock`, absolute; raises ValueError when too long for sun_path."""
    path = os.path.join(os.path.abspath(unix_dir), f"p{pid}.sock")
    if len(os.fsencode(path)) > MAX_UNIX_PATH_BYTES:
        raise ValueError(f"unix socket path is {len(os.fsencode(path))} bytes, over the {MAX_UNIX_PATH_BYTES}-byte limit: {path}")
    return path


# --------------------------------------------------------------------------
# Logging: JSON lines on stderr, the format the core re-logs
# --------------------------------------------------------------------------

LEVELS = {"debug": 10, "info": 20, "warn": 30, "error": 40}


def log_level_from_env(value: Optional[str]) -> str:
    """Parses CIG_LOG_LEVEL; unknown values mean "info" (as in the TS SDK)."""
    return value if value in ("debug", "warn", "error") else "info"


class JsonLogger:
    """One JSON object per line: {"level","msg","time", ...fields}.

    Tracebacks go in a "stack" field, never as raw lines: the core treats a
    raw "Traceback (most recent call last):" line as the start of a crash
    report and shows every later line as part of it.
    """

    def __init__(self, min_level: str = "info", write: Optional[Callable[[str], None]] = None):
        self.min = LEVELS.get(min_level, LEVELS["info"])
        self._write = write or _write_stderr
        self._lock = threading.Lock()

    def enabled(self, level: str) -> bool:
        return LEVELS[level] >= self.min

    def log(self, level: str, msg: str, **fields) -> None:
        if not self.enabled(level):
            return
        record = {"level": level, "msg": msg, "time": _now()}
        for key, value in fields.items():
            if value is not None and key not in record:
                record[key] = value
        line = json.dumps(record, default=str, ensure_ascii=True) + "\n"
        with self._lock:
            try:
                self._write(line)
            except (OSError, ValueError):
                pass  # stderr gone: nowhere left to complain

    def debug(self, msg: str, **fields) -> None:
        self.log("debug", msg, **fields)

    def info(self, msg: str, **fields) -> None:
        self.log("info", msg, **fields)

    def warn(self, msg: str, **fields) -> None:
        self.log("warn", msg, **fields)

    def error(self, msg: str, **fields) -> None:
        self.log("error", msg, **fields)


def _write_stderr(line: str) -> None:
    # os.write, not sys.stderr: unbuffered (a line is never stuck in a buffer
    # when the core goes away and the pipe breaks) and, below PIPE_BUF bytes,
    # one atomic write that grpcio's own stderr output cannot split.
    data = line.encode("utf-8", errors="replace")
    while data:
        data = data[os.write(2, data) :]


def _now() -> str:
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _JsonLogHandler(logging.Handler):
    """Routes the `logging` module (grpcio logs through it) into JsonLogger."""

    def __init__(self, log: JsonLogger):
        super().__init__()
        self.log = log

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            level = "error"
        elif record.levelno >= logging.WARNING:
            level = "warn"
        elif record.levelno >= logging.INFO:
            level = "info"
        else:
            level = "debug"
        try:
            msg = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not kill logging
            msg = str(record.msg)
        stack = "".join(traceback.format_exception(*record.exc_info)) if record.exc_info else None
        self.log.log(level, msg, logger=record.name, stack=stack)


# --------------------------------------------------------------------------
# Serving
# --------------------------------------------------------------------------


@dataclass
class ServeContext:
    """What a servicer factory gets: the negotiated protocol and the means to leave."""

    log: JsonLogger
    protocol: int
    offer: CoreOffer
    # request_exit(code, reason): stop the server and exit soon, from any thread.
    request_exit: Callable[[int, str], None]


def guarded(hook: str):
    """Decorates a servicer method: an exception becomes an INTERNAL status
    with a JSON-logged traceback instead of grpcio's default (UNKNOWN plus a
    raw traceback on stderr, which the core reads as a crash)."""

    def wrap(fn):
        def method(self, request, context):
            try:
                return fn(self, request, context)
            except Exception as err:  # noqa: BLE001 - the process must survive any hook bug
                import grpc

                self.ctx.log.error(f"{hook} failed", error=f"{type(err).__name__}: {err}", stack=traceback.format_exc())
                context.abort(grpc.StatusCode.INTERNAL, f"{hook} threw: {type(err).__name__}: {err}")

        method.__name__ = fn.__name__
        method.__doc__ = fn.__doc__
        return method

    return wrap


def serve(make_servicer: Callable[[ServeContext], object], *, max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES) -> None:
    """Serves the PluginService returned by `make_servicer` and never returns.

    Run by hand (no magic cookie), prints a friendly message and exits 1.
    Exits 0 when the core sends Shutdown (via ServeContext.request_exit) or
    closes fd 0.
    """
    offer = read_core_offer(os.environ)
    if offer is None:
        sys.stderr.write(NOT_FROM_CORE_MESSAGE)
        sys.stderr.flush()
        os._exit(1)

    _route_stdout_to_stderr()
    log = JsonLogger(offer.log_level)
    _install_log_bridges(log)

    protocol = negotiate_protocol(offer.protocols)
    if protocol not in offer.protocols:
        # Carry on: the core reads our version from the handshake line and
        # reports the mismatch with both sides named.
        log.error("no protocol version in common with the core", core=list(offer.protocols), plugin=list(SUPPORTED_PROTOCOLS))
    if "unix" not in offer.transports:
        log.error(
            "the core does not offer the unix transport, the only one grpcio can serve",
            offered=list(offer.transports),
        )
        os._exit(1)
    if offer.unix_dir is None:
        log.error("the core set no CIG_PLUGIN_UNIX_DIR for the unix transport")
        os._exit(1)
    try:
        path = unix_socket_path(offer.unix_dir, os.getpid())
    except ValueError as err:
        log.error(str(err))
        os._exit(1)

    # grpcio reads these when it is imported. Its C core logs plain-text lines
    # straight to fd 2 (even at CIG_LOG_LEVEL=debug they would not be JSON):
    # keep them to real errors unless the user passed GRPC_VERBOSITY through.
    os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
    os.environ.setdefault("GRPC_ENABLE_FORK_SUPPORT", "0")
    from concurrent import futures

    import grpc

    stop = threading.Event()
    exit_state = {"code": 0, "reason": "", "link_closed": False}
    exit_lock = threading.Lock()

    def request_exit(code: int, reason: str, link_closed: bool = False) -> None:
        with exit_lock:
            if stop.is_set():
                return
            exit_state.update(code=code, reason=reason, link_closed=link_closed)
            stop.set()

    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="cig-rpc"),
        options=[
            ("grpc.max_receive_message_length", max_message_bytes),
            ("grpc.max_send_message_length", max_message_bytes),
        ],
    )
    ctx = ServeContext(log=log, protocol=protocol, offer=offer, request_exit=request_exit)
    servicer = make_servicer(ctx)
    server.add_generic_rpc_handlers((service_handler(servicer, getattr(servicer, "plugin_name", "this plugin")),))

    try:
        if os.path.lexists(path):
            os.unlink(path)  # a stale socket of a recycled pid in a reused directory
        bound = server.add_insecure_port(f"unix:{path}")
    except (RuntimeError, OSError) as err:
        log.error("cannot listen on unix socket", path=path, error=str(err))
        os._exit(1)
    if bound == 0:
        log.error("cannot listen on unix socket", path=path)
        os._exit(1)
    server.start()

    # Only now that the socket accepts connections may the core learn its path.
    try:
        os.write(offer.handshake_fd, handshake_line(protocol, "unix", path).encode())
        os.close(offer.handshake_fd)
    except OSError as err:
        log.error("cannot write the handshake line", fd=offer.handshake_fd, error=str(err))
        server.stop(None)
        os._exit(1)
    log.debug("serving", transport="unix", address=path, protocol=protocol, core_version=offer.core_version)

    threading.Thread(target=_lifeline, args=(request_exit,), name="cig-lifeline", daemon=True).start()

    try:
        stop.wait()
    except KeyboardInterrupt:
        request_exit(130, "interrupted")
    try:
        log.debug("stopping", reason=exit_state["reason"], code=exit_state["code"])
        # Let in-flight calls finish briefly (the core may be gone; do not wait long).
        server.stop(0.2).wait(0.5)
        _remove(os.unlink, path)  # grpcio usually removed it already
        if exit_state["link_closed"]:
            # A core that died cannot remove the private directory it made for
            # this plugin (a live one removes it anyway); rmdir only succeeds
            # when the directory is empty.
            _remove(os.rmdir, offer.unix_dir)
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001 - e.g. BrokenPipeError: stderr died with the core
        pass
    finally:
        # os._exit: skip interpreter teardown, where grpcio's threads can hang
        # and a broken stderr turns the exit code into 120.
        os._exit(exit_state["code"])


def _remove(fn: Callable[[str], None], path: str) -> None:
    try:
        fn(path)
    except OSError:
        pass


def service_handler(servicer, plugin_name: str = "this plugin"):
    """The PluginService handler for `servicer`, built from the service
    descriptor like the generated add_PluginServiceServicer_to_server, with
    two differences:

    * replies are serialised deterministically: by default protobuf writes map
      entries (facts, metadata) in a different order on every run;
    * a method the servicer does not override answers UNIMPLEMENTED quietly.
      (The generated base class does too, but by raising, which grpcio logs as
      an error with a traceback.)
    """
    import grpc
    from cig.plugin.v1 import plugin_pb2, plugin_pb2_grpc

    base = plugin_pb2_grpc.PluginServiceServicer
    service = plugin_pb2.DESCRIPTOR.services_by_name["PluginService"]
    handlers = {}
    for method in service.methods:
        request_class = getattr(plugin_pb2, method.input_type.name)
        if method.client_streaming:
            raise NotImplementedError(f"{method.full_name}: client streaming is not in protocol v1")
        behaviour = getattr(servicer, method.name)
        if getattr(type(servicer), method.name, None) is getattr(base, method.name, None):
            behaviour = _unimplemented(plugin_name, method.name.lower())
        make = grpc.unary_stream_rpc_method_handler if method.server_streaming else grpc.unary_unary_rpc_method_handler
        handlers[method.name] = make(
            behaviour,
            request_deserializer=request_class.FromString,
            response_serializer=_serialize_deterministic,
        )
    return grpc.method_handlers_generic_handler(service.full_name, handlers)


def _unimplemented(plugin_name: str, hook: str):
    def behaviour(request, context):
        import grpc

        context.abort(grpc.StatusCode.UNIMPLEMENTED, f"{plugin_name} does not implement {hook}")

    return behaviour


def _serialize_deterministic(message) -> bytes:
    return message.SerializeToString(deterministic=True)


def _lifeline(request_exit: Callable[..., None]) -> None:
    """fd 0 is the core's end of the idle stdio channel: read and discard
    until EOF (or an error), which means the core has gone."""
    try:
        while os.read(0, 65536):
            pass
        request_exit(0, "fd 0 closed: the core has gone", True)
    except OSError as err:
        request_exit(0, f"fd 0 failed ({err}): the core has gone", True)


def _route_stdout_to_stderr() -> None:
    """fd 1 is the gRPC socket: send print() and any C-level write to fd 1 to stderr instead.

    dup2 replaces only this process's fd 1; the socket stays open through fd 0,
    so the core's channel sees no half-close.
    """
    sys.stdout = sys.stderr
    try:
        os.dup2(2, 1)
    except OSError:
        pass


def _install_log_bridges(log: JsonLogger) -> None:
    root = logging.getLogger()
    root.handlers[:] = [_JsonLogHandler(log)]
    root.setLevel(logging.DEBUG if log.enabled("debug") else logging.WARNING)

    def thread_hook(args) -> None:
        if args.exc_type is SystemExit:
            return
        stack = "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
        name = args.thread.name if args.thread else "?"
        log.error(f"uncaught exception in thread {name}", error=str(args.exc_value), stack=stack)

    threading.excepthook = thread_hook
