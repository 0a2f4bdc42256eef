"""End-to-end tests: this test plays the cig core and starts the real plugin
executable the way core/src/plugin-host/plugin-process.ts does (a unix
socket as fd 0 and fd 1, a pipe as the handshake fd, a private 0700 dir for
the plugin's socket, the cookie and the CIG_* variables), then talks gRPC to
it over the unix socket from the handshake line.
"""

import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
sys.path[:0] = [HERE, os.path.join(HERE, "gen")]
os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

import grpc  # noqa: E402
from cig.plugin.v1 import diagnostic_pb2, plugin_pb2, plugin_pb2_grpc, repo_pb2  # noqa: E402
from cig.plugin.v1 import fragment_pb2  # noqa: E402

import cig_plugin  # noqa: E402

PLUGIN = os.path.join(HERE, "cig-plugin-python-policy")
# What the core's idle gRPC client may send first on the stdio channel: the
# plugin's lifeline must read and discard it, and never answer.
CLIENT_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes.fromhex("000000040000000000")
# A generous bound for a loaded CI machine; typical runs take ~0.2 s.
START_TIMEOUT_S = 10.0
EXIT_WITHIN_S = 1.0


class Plugin:
    """A started plugin and the core's ends of its pipes."""

    def __init__(self, protocols="1", extra_env=None, drain_stderr=True):
        self.dir = tempfile.mkdtemp(prefix="cig-")
        os.chmod(self.dir, 0o700)
        self.core_end, plugin_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        hs_read, hs_write = os.pipe()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            cig_plugin.MAGIC_COOKIE_KEY: cig_plugin.MAGIC_COOKIE_VALUE,
            "CIG_PLUGIN_PROTOCOL_VERSIONS": protocols,
            "CIG_PLUGIN_TRANSPORTS": "stdio,unix",
            "CIG_PLUGIN_HANDSHAKE_FD": str(hs_write),
            "CIG_PLUGIN_UNIX_DIR": self.dir,
            "CIG_CORE_VERSION": "0.1.0-test",
            "CIG_LOG_LEVEL": "debug",
            **(extra_env or {}),
        }
        self.core_end.sendall(CLIENT_PREFACE)
        # Without draining, the test owns the raw read end of stderr (self.stderr_fd).
        self.stderr_fd, stderr_write = (None, subprocess.PIPE) if drain_stderr else os.pipe()
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [PLUGIN],
            stdin=plugin_end,
            stdout=plugin_end,
            stderr=stderr_write,
            pass_fds=(hs_write,),
            env=env,
            start_new_session=True,
        )
        plugin_end.close()
        os.close(hs_write)
        if not drain_stderr:
            os.close(stderr_write)
        self.stderr_lines = []
        self._stderr_thread = threading.Thread(target=self._drain_stderr, daemon=True)
        if drain_stderr:
            self._stderr_thread.start()
        self.handshake = self._read_handshake(hs_read)
        self.handshake_s = time.monotonic() - self.started
        os.close(hs_read)
        self.channel = None
        self.stub = None
        if self.handshake:
            fields = self.handshake.split("|")
            self.channel = grpc.insecure_channel(f"unix:{fields[3]}")
            self.stub = plugin_pb2_grpc.PluginServiceStub(self.channel)

    def _drain_stderr(self):
        for raw in self.proc.stderr:
            self.stderr_lines.append(raw.decode("utf-8", errors="replace").rstrip("\n"))

    @staticmethod
    def _read_handshake(fd):
        buf = b""
        deadline = time.monotonic() + START_TIMEOUT_S
        while b"\n" not in buf and time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            buf += chunk
        return buf.decode() if buf else ""

    def wait_exit(self, timeout=EXIT_WITHIN_S):
        started = time.monotonic()
        code = self.proc.wait(timeout=timeout)
        return code, time.monotonic() - started

    def close(self):
        if self.channel:
            self.channel.close()
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
        if self.proc.stderr:
            self._stderr_thread.join(timeout=2)
            self.proc.stderr.close()
        if self.stderr_fd is not None:
            try:
                os.close(self.stderr_fd)
            except OSError:
                pass
        self.core_end.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class ProtocolTest(unittest.TestCase):
    def start(self, **kw):
        p = Plugin(**kw)
        self.addCleanup(p.close)
        self.assertTrue(p.handshake, f"no handshake line; stderr: {p.stderr_lines}")
        return p

    def assert_no_stdout(self, p):
        """Nothing may reach the core's stdio socket: no print(), no log line,
        no stray byte on fd 0 or fd 1."""
        p.core_end.settimeout(0.2)
        data = b""
        try:
            while True:
                chunk = p.core_end.recv(65536)
                if not chunk:
                    break
                data += chunk
        except (socket.timeout, BlockingIOError):
            pass
        self.assertEqual(data, b"", f"plugin wrote to the stdio socket: {data[:200]!r}")

    def assert_group_gone(self, p):
        # The plugin ran in its own session: no process may remain in its group.
        with self.assertRaises(ProcessLookupError):
            os.killpg(p.proc.pid, 0)

    def test_handshake_info_hooks_and_shutdown(self):
        p = self.start()
        fields = p.handshake.rstrip("\n").split("|")
        self.assertTrue(p.handshake.endswith("\n") and p.handshake.count("\n") == 1)
        self.assertEqual(fields[:3] + fields[4:], ["1", "1", "unix", "grpc"])
        self.assertEqual(fields[3], os.path.join(p.dir, f"p{p.proc.pid}.sock"))

        info = p.stub.Info(plugin_pb2.InfoRequest(core_protocol=1, core_version="0.1.0-test"), timeout=5).info
        self.assertEqual((info.name, info.version, info.protocol), ("example/python-policy", "0.1.0", 1))
        self.assertEqual(list(info.capabilities), ["policy:images", "policy:actions"])
        self.assertEqual(list(info.hooks), [plugin_pb2.HOOK_DETECT, plugin_pb2.HOOK_VALIDATE])
        self.assertIn("**/Dockerfile", info.detect_patterns)
        self.assertTrue(info.description)

        res = p.stub.Detect(
            plugin_pb2.DetectRequest(repo=repo_pb2.RepoSnapshot(root="/tmp", files=[repo_pb2.FileEntry(path="Dockerfile", content=b"FROM ubuntu\n")])),
            timeout=5,
        )
        self.assertEqual(list(res.signals), ["has_dockerfile", "has_unpinned_images"])
        self.assertAlmostEqual(res.confidence, 0.6, places=5)
        self.assertEqual(res.facts["dockerfile_count"], "1")

        res = p.stub.Validate(
            plugin_pb2.ValidateRequest(
                rendered=[fragment_pb2.Fragment(path=".github/workflows/ci.yml", content="jobs:\n  a:\n    steps:\n      - uses: actions/checkout@main\n")]
            ),
            timeout=5,
        )
        [d] = res.diagnostics
        self.assertEqual((d.level, d.code), (diagnostic_pb2.Diagnostic.LEVEL_ERROR, "POLICY_UNPINNED_ACTION"))
        self.assertEqual((d.loc.path, d.loc.line, d.loc.column), (".github/workflows/ci.yml", 4, 15))
        self.assertTrue(d.title and d.message and d.fix_hint)

        for call, req in [(p.stub.Plan, plugin_pb2.PlanRequest()), (p.stub.Preflight, plugin_pb2.PreflightRequest())]:
            with self.assertRaises(grpc.RpcError) as caught:
                call(req, timeout=5)
            self.assertEqual(caught.exception.code(), grpc.StatusCode.UNIMPLEMENTED)
        with self.assertRaises(grpc.RpcError) as caught:
            list(p.stub.Generate(plugin_pb2.GenerateRequest(), timeout=5))
        self.assertEqual(caught.exception.code(), grpc.StatusCode.UNIMPLEMENTED)

        p.stub.Shutdown(plugin_pb2.ShutdownRequest(), timeout=5)
        code, took = p.wait_exit()
        self.assertEqual(code, 0)
        self.assertLess(took, EXIT_WITHIN_S)
        self.assert_no_stdout(p)
        self.assert_group_gone(p)
        p._stderr_thread.join(timeout=2)
        # Every stderr line is a JSON log line (no raw tracebacks, no grpcio noise).
        self.assertTrue(p.stderr_lines)
        for line in p.stderr_lines:
            self.assertTrue(line.startswith("{") and '"level"' in line, line)
        self.assertFalse(os.path.exists(fields[3]), "socket file left behind")

    def test_edge_inputs(self):
        p = self.start()
        empty = p.stub.Detect(plugin_pb2.DetectRequest(), timeout=5)
        self.assertEqual((list(empty.signals), dict(empty.facts), empty.confidence), ([], {}, 0.0))

        files = [repo_pb2.FileEntry(path=f"src/モジュール{i}/ファイル{i}.py", size=10) for i in range(20000)]
        files += [repo_pb2.FileEntry(path="サービス/Dockerfile", size=10), repo_pb2.FileEntry(path=".github/workflows/ci.yml")]
        res = p.stub.Detect(plugin_pb2.DetectRequest(repo=repo_pb2.RepoSnapshot(root="/r", files=files)), timeout=10)
        self.assertEqual(list(res.signals), ["has_dockerfile", "has_github_workflows"])
        self.assertEqual(res.facts["policy_scanned_file_count"], "0")

        self.assertEqual(list(p.stub.Validate(plugin_pb2.ValidateRequest(), timeout=5).diagnostics), [])

        huge = "steps:\n" + "  - run: echo ünïcødé 🐳\n" * 45000 + "    image: node\n"
        self.assertGreater(len(huge.encode()), 1024 * 1024)
        res = p.stub.Validate(plugin_pb2.ValidateRequest(rendered=[fragment_pb2.Fragment(path="ワーク/ci.yml", content=huge)]), timeout=10)
        [d] = res.diagnostics
        self.assertEqual((d.code, d.loc.path, d.loc.line, d.loc.column), ("POLICY_UNPINNED_IMAGE", "ワーク/ci.yml", 45002, 12))

        # Replies are byte-for-byte deterministic (map entries sorted).
        req = plugin_pb2.DetectRequest(repo=repo_pb2.RepoSnapshot(files=[repo_pb2.FileEntry(path="Dockerfile")]))
        raw = p.channel.unary_unary("/cig.plugin.v1.PluginService/Detect", request_serializer=plugin_pb2.DetectRequest.SerializeToString)
        self.assertEqual(len({raw(req, timeout=5) for _ in range(5)}), 1)
        self.assert_no_stdout(p)

    def test_lifeline_eof_exits_promptly(self):
        p = self.start()
        p.stub.Info(plugin_pb2.InfoRequest(core_protocol=1), timeout=5)
        # What the kernel does when the core dies: the last reference to its end closes.
        p.core_end.close()
        code, took = p.wait_exit()
        self.assertEqual(code, 0)
        self.assertLess(took, EXIT_WITHIN_S)
        self.assert_group_gone(p)

    def test_core_death_closes_stderr_and_socket_at_once(self):
        # When the core dies, the kernel closes its stderr reader and its
        # socket end together: the plugin's last log lines hit a broken pipe,
        # and it must still exit 0, promptly, and remove the core's private dir.
        for level in ("info", "debug"):
            with self.subTest(level=level):
                p = Plugin(extra_env={"CIG_LOG_LEVEL": level}, drain_stderr=False)
                self.addCleanup(p.close)
                self.assertTrue(p.handshake)
                p.stub.Info(plugin_pb2.InfoRequest(core_protocol=1), timeout=5)
                os.close(p.stderr_fd)
                p.stderr_fd = None
                p.core_end.close()
                code, took = p.wait_exit()
                self.assertEqual(code, 0)
                self.assertLess(took, EXIT_WITHIN_S)
                self.assertFalse(os.path.exists(p.dir), os.listdir(p.dir) if os.path.exists(p.dir) else "")
                self.assert_group_gone(p)

    def test_lifeline_eof_during_idle_start(self):
        p = self.start()
        p.core_end.shutdown(socket.SHUT_WR)
        code, took = p.wait_exit()
        self.assertEqual((code, took < EXIT_WITHIN_S), (0, True))

    def test_protocol_mismatch_offers_own_version(self):
        p = self.start(protocols="2,3")
        self.assertTrue(p.handshake.startswith("1|1|unix|"))
        p.core_end.close()
        p.wait_exit()
        p._stderr_thread.join(timeout=2)
        self.assertTrue(any("no protocol version in common" in line for line in p.stderr_lines), p.stderr_lines)

    def test_without_unix_transport_fails_clearly(self):
        p = Plugin(extra_env={"CIG_PLUGIN_TRANSPORTS": "stdio"})
        self.addCleanup(p.close)
        self.assertEqual(p.handshake, "")
        code, _ = p.wait_exit()
        p._stderr_thread.join(timeout=2)
        self.assertEqual(code, 1)
        self.assertTrue(any("unix transport" in line for line in p.stderr_lines), p.stderr_lines)

    def test_run_by_hand(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("CIG_")}
        started = time.monotonic()
        r = subprocess.run([PLUGIN], env=env, capture_output=True, timeout=10, stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, b"")
        self.assertIn(b"This is a cig plugin", r.stderr)
        self.assertIn(b"cig plugin info <path>", r.stderr)
        self.assertLess(time.monotonic() - started, 2.0)

    def test_wrong_cookie(self):
        env = {"PATH": "/usr/bin:/bin", cig_plugin.MAGIC_COOKIE_KEY: "nope"}
        r = subprocess.run([PLUGIN], env=env, capture_output=True, timeout=10, stdin=subprocess.DEVNULL)
        self.assertEqual((r.returncode, r.stdout), (1, b""))
        self.assertIn(b"CIG_PLUGIN_MAGIC_COOKIE", r.stderr)


if __name__ == "__main__":
    unittest.main()
