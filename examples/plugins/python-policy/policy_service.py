"""cig.plugin.v1.PluginService for example/python-policy: converts between the
generated protobuf messages and the pure logic in policy.py.

Imported only after cig_plugin.serve has configured grpcio (see the entry
script), because importing the generated *_grpc module imports grpc.
"""

from __future__ import annotations

import os
import platform
import threading
import tomllib

import grpc
from cig.plugin.v1 import diagnostic_pb2, plugin_pb2, plugin_pb2_grpc

import policy
from cig_plugin import ServeContext, guarded

def _manifest() -> dict:
    """[module] of module.toml beside this file: one place for the name and version `cig publish` uses."""
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "module.toml"), "rb") as f:
        return tomllib.load(f)["module"]


NAME = _manifest()["name"]
VERSION = _manifest()["version"]
DESCRIPTION = "Example policy plugin in Python: warns about unpinned container images, rejects actions used at a branch"
CAPABILITIES = ["policy:images", "policy:actions"]
HOOKS = [plugin_pb2.HOOK_DETECT, plugin_pb2.HOOK_VALIDATE]

_LEVELS = {
    policy.ERROR: diagnostic_pb2.Diagnostic.LEVEL_ERROR,
    policy.WARNING: diagnostic_pb2.Diagnostic.LEVEL_WARNING,
    policy.INFO: diagnostic_pb2.Diagnostic.LEVEL_INFO,
}
# After replying to Shutdown, how long before the server stops (the reply must flush first).
SHUTDOWN_DELAY_S = 0.02


class PolicyServicer(plugin_pb2_grpc.PluginServiceServicer):
    """Info, Detect, Validate and Shutdown; Plan, Generate and Preflight are
    left to the generated base class, which answers UNIMPLEMENTED (the core
    never calls them: they are not in PluginInfo.hooks)."""

    plugin_name = NAME

    def __init__(self, ctx: ServeContext):
        self.ctx = ctx

    @guarded("info")
    def Info(self, request, context):
        if request.core_protocol and request.core_protocol != self.ctx.protocol:
            self.ctx.log.warn("core_protocol differs from the handshake", core_protocol=request.core_protocol, negotiated=self.ctx.protocol)
        self.ctx.log.debug("info", core_version=request.core_version, core_protocol=request.core_protocol)
        return plugin_pb2.InfoResponse(
            info=plugin_pb2.PluginInfo(
                name=NAME,
                version=VERSION,
                # Must equal the protocol of the handshake line.
                protocol=self.ctx.protocol,
                capabilities=CAPABILITIES,
                hooks=HOOKS,
                detect_patterns=list(policy.DETECT_PATTERNS),
                description=DESCRIPTION,
                metadata={
                    "language": "python",
                    "runtime": f"{platform.python_implementation()} {platform.python_version()}",
                    "grpcio": grpc.__version__,
                },
            )
        )

    @guarded("detect")
    def Detect(self, request, context):
        # HasField: an absent repo and a repo without files are both "nothing here".
        if not request.HasField("repo"):
            return plugin_pb2.DetectResponse()
        files = (policy.RepoFile(f.path, f.content if f.HasField("content") else None) for f in request.repo.files)
        result = policy.detect(files)
        self.ctx.log.debug("detect", files=len(request.repo.files), confidence=result.confidence, signals=result.signals)
        return plugin_pb2.DetectResponse(signals=result.signals, facts=result.facts, confidence=result.confidence)

    @guarded("validate")
    def Validate(self, request, context):
        findings = policy.validate((frag.path, frag.content) for frag in request.rendered)
        self.ctx.log.debug("validate", fragments=len(request.rendered), findings=len(findings))
        return plugin_pb2.ValidateResponse(diagnostics=[to_diagnostic(f) for f in findings])

    @guarded("shutdown")
    def Shutdown(self, request, context):
        self.ctx.log.debug("shutdown requested")
        timer = threading.Timer(SHUTDOWN_DELAY_S, self.ctx.request_exit, (0, "shutdown requested"))
        timer.daemon = True
        timer.start()
        return plugin_pb2.ShutdownResponse()


def to_diagnostic(f: policy.Finding) -> diagnostic_pb2.Diagnostic:
    return diagnostic_pb2.Diagnostic(
        level=_LEVELS[f.level],
        code=f.code,
        title=f.title,
        message=f.message,
        fix_hint=f.fix_hint,
        loc=diagnostic_pb2.SourceLocation(
            path=f.path,
            line=f.line,
            column=f.column,
            end_line=f.line if f.end_column else 0,
            end_column=f.end_column,
        ),
    )
