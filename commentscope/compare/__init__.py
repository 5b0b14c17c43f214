"""Before/after comparison of comment-health metrics for a campaign (rates, tests, DiD, report)."""

from commentscope.compare.compute import (
    DEFAULT_METRICS,
    CompareError,
    Comparison,
    MetricRow,
    compare_campaign,
)
from commentscope.compare.report import write_report

__all__ = ["DEFAULT_METRICS", "CompareError", "Comparison", "MetricRow", "compare_campaign", "write_report"]
