"""Weekly comment-health digests: one per creator per week, in the creator's language, by e-mail.

build (figures from the enriched lake) -> render (HTML + text, catalogues per locale) -> archive
-> send once (SMTP with retries and a sent-ledger). See docs/digest.md.
"""

from commentscope.digest.build import build_digest
from commentscope.digest.model import Digest, SpikeRule
from commentscope.digest.render import render_digest
from commentscope.digest.run import DigestOutcome, DigestReport, run_creator_digest, send_digests
from commentscope.digest.smtp import SmtpSettings, SmtpSettingsError

__all__ = [
    "Digest",
    "DigestOutcome",
    "DigestReport",
    "SmtpSettings",
    "SmtpSettingsError",
    "SpikeRule",
    "build_digest",
    "render_digest",
    "run_creator_digest",
    "send_digests",
]
