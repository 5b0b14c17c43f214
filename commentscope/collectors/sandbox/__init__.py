"""A local HTTP server that follows every registered platform's API contract over a corpus file,
with fault injection, so collectors are tested (and tried) through their real clients."""

from commentscope.collectors.sandbox.corpus import Corpus
from commentscope.collectors.sandbox.faults import FaultPlan, FaultRule
from commentscope.collectors.sandbox.server import Reply, Request, Sandbox

__all__ = ["Corpus", "FaultPlan", "FaultRule", "Reply", "Request", "Sandbox"]
