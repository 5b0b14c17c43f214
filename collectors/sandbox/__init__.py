"""A local HTTP server that follows the TikTok Research API and YouTube Data API v3 contracts over a
corpus file, with fault injection, so collectors are tested (and tried) through their real clients."""

from collectors.sandbox.corpus import Corpus
from collectors.sandbox.faults import FaultPlan, FaultRule
from collectors.sandbox.server import Sandbox, SandboxLimits

__all__ = ["Corpus", "FaultPlan", "FaultRule", "Sandbox", "SandboxLimits"]
