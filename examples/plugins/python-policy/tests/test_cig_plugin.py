"""Unit tests of the pure parts of cig_plugin.py (handshake, logging, guarded)."""

import json
import os
import sys
import unittest

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
sys.path[:0] = [HERE, os.path.join(HERE, "gen")]

import cig_plugin  # noqa: E402
from cig_plugin import CoreOffer, JsonLogger, handshake_line, negotiate_protocol, read_core_offer  # noqa: E402

COOKIE = {cig_plugin.MAGIC_COOKIE_KEY: cig_plugin.MAGIC_COOKIE_VALUE}


class HandshakeTest(unittest.TestCase):
    def test_no_cookie_means_not_from_core(self):
        self.assertIsNone(read_core_offer({}))
        self.assertIsNone(read_core_offer({cig_plugin.MAGIC_COOKIE_KEY: "x"}))

    def test_offer(self):
        offer = read_core_offer(
            {
                **COOKIE,
                "CIG_PLUGIN_PROTOCOL_VERSIONS": " 1, 2,x,-3,0,",
                "CIG_PLUGIN_TRANSPORTS": "stdio, unix",
                "CIG_PLUGIN_HANDSHAKE_FD": "7",
                "CIG_PLUGIN_UNIX_DIR": "/tmp/cig-x",
                "CIG_CORE_VERSION": "0.1.0",
                "CIG_LOG_LEVEL": "warn",
            }
        )
        self.assertEqual(offer, CoreOffer((1, 2), ("stdio", "unix"), "0.1.0", 7, "/tmp/cig-x", "warn"))

    def test_defaults(self):
        offer = read_core_offer({**COOKIE, "CIG_PLUGIN_HANDSHAKE_FD": "three", "CIG_LOG_LEVEL": "loud"})
        self.assertEqual((offer.protocols, offer.transports, offer.handshake_fd, offer.unix_dir, offer.log_level), ((), ("stdio",), 3, None, "info"))

    def test_negotiate(self):
        self.assertEqual(negotiate_protocol([1]), 1)
        self.assertEqual(negotiate_protocol([1, 2, 3], ours=[1, 2]), 2)
        self.assertEqual(negotiate_protocol([], ours=[1]), 1)
        self.assertEqual(negotiate_protocol([4, 5], ours=[1, 2]), 2)  # no overlap: our newest

    def test_line(self):
        self.assertEqual(handshake_line(1, "unix", "/tmp/cig-a/p1.sock"), "1|1|unix|/tmp/cig-a/p1.sock|grpc\n")
        with self.assertRaises(ValueError):
            handshake_line(1, "unix", "/tmp/a|b")

    def test_socket_path(self):
        self.assertEqual(cig_plugin.unix_socket_path("/tmp/cig-a", 42), "/tmp/cig-a/p42.sock")
        with self.assertRaises(ValueError):
            cig_plugin.unix_socket_path("/tmp/" + "d" * 120, 42)


class LoggerTest(unittest.TestCase):
    def test_json_lines_and_levels(self):
        lines = []
        log = JsonLogger("warn", write=lines.append)
        log.info("hidden")
        log.warn("shown", path="ä/b", n=2, skip=None)
        log.error("boom\nwith newline", stack="Traceback (most recent call last):\n  x")
        self.assertEqual(len(lines), 2)
        for line in lines:
            self.assertTrue(line.endswith("\n") and line.count("\n") == 1, line)
        first = json.loads(lines[0])
        self.assertEqual((first["level"], first["msg"], first["path"], first["n"]), ("warn", "shown", "ä/b", 2))
        self.assertNotIn("skip", first)
        self.assertRegex(first["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        # A traceback never starts a raw line (the core would read a crash report).
        self.assertFalse(any(line.startswith("Traceback") for line in "".join(lines).splitlines()))

    def test_level_from_env(self):
        self.assertEqual([cig_plugin.log_level_from_env(v) for v in ["debug", "warn", "error", "info", None, "trace"]], ["debug", "warn", "error", "info", "info", "info"])


class GuardedTest(unittest.TestCase):
    def test_exception_becomes_internal_and_is_logged(self):
        import grpc

        lines = []

        class Ctx:
            log = JsonLogger("info", write=lines.append)

        class Servicer:
            ctx = Ctx()

            @cig_plugin.guarded("detect")
            def Detect(self, request, context):
                raise KeyError("x")

        class Context:
            def abort(self, code, details):
                self.aborted = (code, details)
                raise Exception()  # what grpcio's abort does

        context = Context()
        with self.assertRaises(Exception):
            Servicer().Detect(None, context)
        self.assertEqual(context.aborted, (grpc.StatusCode.INTERNAL, "detect threw: KeyError: 'x'"))
        record = json.loads(lines[0])
        self.assertEqual((record["level"], record["msg"]), ("error", "detect failed"))
        self.assertIn("KeyError", record["stack"])


if __name__ == "__main__":
    unittest.main()
