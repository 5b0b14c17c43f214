"""The dashboard spec: compact YAML in dashboards/spec/ that reviewers read and diff.

One file per dashboard plus ``common.yaml`` (the data view, the named metrics every panel shares,
and the saved searches). The compiler turns the spec into Kibana saved objects; everything a
panel means (buckets, metrics, KQL) is stated here once, so the tests can also run it on a real
search engine node and compare with the lake.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from commentscope.errors import DashboardStageError
from commentscope.settings import Environment

SPEC_ENV = "COMMENTSCOPE_DASHBOARDS"
XY_CHARTS = ("line", "area", "bar", "bar_stacked", "bar_horizontal", "bar_horizontal_stacked")
Chart = Literal[
    "line", "area", "bar", "bar_stacked", "bar_horizontal", "bar_horizontal_stacked", "table", "metric", "search"
]


class SpecError(DashboardStageError, ValueError):
    """A problem in dashboards/spec/, naming the file and what to change."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Bucket(_Strict):
    """How rows are grouped: ``terms: FIELD`` (top values) or ``date_histogram: FIELD``."""

    terms: str | None = None
    date_histogram: str | None = None
    label: str | None = None
    size: int = Field(default=10, ge=1, le=500)
    rank: Literal["count", "alphabetical", "significant"] = "count"
    include: list[str] = Field(default_factory=list)
    interval: str = "auto"
    other_bucket: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> Bucket:
        if bool(self.terms) == bool(self.date_histogram):
            raise ValueError("a bucket needs exactly one of terms: FIELD or date_histogram: FIELD")
        if self.date_histogram and (self.rank != "count" or self.include):
            raise ValueError("rank and include only apply to terms buckets")
        return self

    @property
    def field(self) -> str:
        return self.terms or self.date_histogram or ""

    @property
    def kind(self) -> str:
        return "terms" if self.terms else "date_histogram"


class Metric(_Strict):
    """A named number: ``count`` (optionally of comments matching ``filter``) or a ``rate``.

    A rate is ``count(rate KQL) / count()`` in the current bucket: e.g. the hate rate is the share
    of comments labelled hate. ``flag`` names the ``commentscope.metrics.FLAG_SQL`` entry the metric
    must equal, which is how the tests compare it with the lake.
    """

    label: str
    count: bool = False
    filter: str | None = None
    rate: str | None = None
    flag: str | None = None
    decimals: int = 1

    @model_validator(mode="after")
    def _one_kind(self) -> Metric:
        if self.count == bool(self.rate):
            raise ValueError("a metric is either count: true (with an optional filter) or rate: KQL")
        if self.rate and self.filter:
            raise ValueError("filter applies to counts; a rate's KQL is its numerator")
        return self

    @property
    def kql(self) -> str:
        return self.rate or self.filter or ""


class Panel(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    description: str = ""
    chart: Chart
    x: Bucket | None = None
    breakdown: Bucket | None = None
    rows: list[Bucket] = Field(default_factory=list)
    split_columns: Bucket | None = None
    metrics: list[str] = Field(default_factory=list)
    query: str = ""
    annotate_launch: bool = False
    search: str | None = None
    key: bool = Field(default=False, description="a key panel: its aggregation is checked against the lake")
    width: int = Field(default=24, ge=4, le=48)
    height: int = Field(default=12, ge=4, le=60)

    @model_validator(mode="after")
    def _shape(self) -> Panel:
        if self.chart == "search":
            if not self.search or self.metrics or self.x or self.rows:
                raise ValueError("a search panel names only search: SAVED_SEARCH_ID")
            return self
        if not self.metrics:
            raise ValueError("list at least one metric (a name from metrics: in common.yaml)")
        if self.chart in XY_CHARTS and (not self.x or self.rows or self.split_columns):
            raise ValueError(f"a {self.chart} chart needs x: and takes no rows/split_columns")
        if self.chart == "table" and (not self.rows or self.x or self.breakdown):
            raise ValueError("a table needs rows: (and optional split_columns:), not x/breakdown")
        if self.chart == "metric" and (len(self.metrics) != 1 or self.x or self.rows or self.split_columns):
            raise ValueError("a metric panel shows exactly one metric, optionally with breakdown:")
        if self.annotate_launch and not (self.x and self.x.date_histogram):
            raise ValueError("annotate_launch needs a date_histogram on x")
        return self

    @property
    def buckets(self) -> list[Bucket]:
        """All bucket dimensions, outermost first."""
        found = [*self.rows, self.x, self.breakdown, self.split_columns]
        return [b for b in found if b is not None]


class Control(_Strict):
    field: str
    label: str
    single: bool = False


class Dashboard(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    description: str = ""
    time_from: str = "now-1y"
    time_to: str = "now"
    query: str = ""
    controls: list[Control] = Field(default_factory=list)
    panels: list[Panel] = Field(min_length=1)


class SavedSearch(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    description: str = ""
    query: str = ""
    columns: list[str] = Field(min_length=1)
    sort: list[tuple[str, Literal["asc", "desc"]]] = Field(min_length=1)


class DataView(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    time_field: str
    url_fields: list[str] = Field(default_factory=list)
    percent_fields: list[str] = Field(default_factory=list)
    labels: dict[str, str] = Field(default_factory=dict)
    hidden_source: list[str] = Field(default_factory=list)


class Common(_Strict):
    data_view: DataView
    metrics: dict[str, Metric]
    searches: list[SavedSearch] = Field(default_factory=list)


class Spec(_Strict):
    """The whole spec: common parts and the dashboards, in file-name order."""

    data_view: DataView
    metrics: dict[str, Metric]
    searches: list[SavedSearch]
    dashboards: list[Dashboard]

    @model_validator(mode="after")
    def _names_resolve(self) -> Spec:
        search_ids = {s.id for s in self.searches}
        seen: set[str] = set()
        for dashboard in self.dashboards:
            for panel in dashboard.panels:
                where = f"dashboard {dashboard.id}, panel {panel.id}"
                if panel.id in seen:
                    raise ValueError(f"{where}: panel ids must be unique across dashboards")
                seen.add(panel.id)
                for name in panel.metrics:
                    if name not in self.metrics:
                        raise ValueError(
                            f"{where}: unknown metric {name!r}; define it under metrics: "
                            f"in common.yaml (known: {', '.join(sorted(self.metrics))})"
                        )
                if panel.search and panel.search not in search_ids:
                    raise ValueError(f"{where}: unknown saved search {panel.search!r}")
        return self

    def panels(self) -> list[tuple[Dashboard, Panel]]:
        return [(d, p) for d in self.dashboards for p in d.panels]


def spec_dir() -> Path:
    """dashboards/spec/ of the checkout, or where $COMMENTSCOPE_DASHBOARDS points."""
    override = Environment.read().get(SPEC_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "dashboards" / "spec"


def _read(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SpecError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise SpecError(f"{path}: expected a mapping at the top")
    return data


def _where(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        loc = ".".join(str(part) for part in error["loc"])
        lines.append(f"  {loc}: {error['msg']}")
    return "\n".join(lines)


def load_spec(directory: str | Path | None = None) -> Spec:
    """Read common.yaml and every other *.yaml (one dashboard each) in ``directory``."""
    root = Path(directory) if directory else spec_dir()
    common_path = root / "common.yaml"
    if not common_path.exists():
        raise SpecError(
            f"{common_path} is missing: the spec directory needs common.yaml "
            f"(set {SPEC_ENV} to the dashboards/spec/ directory of a checkout)"
        )
    try:
        common = Common.model_validate(_read(common_path))
    except ValidationError as exc:
        raise SpecError(f"{common_path}:\n{_where(exc)}") from None
    dashboards = []
    for path in sorted(root.glob("*.yaml")):
        if path.name == "common.yaml":
            continue
        data = _read(path)
        try:
            dashboards.append(Dashboard.model_validate(data.get("dashboard", data)))
        except ValidationError as exc:
            raise SpecError(f"{path}:\n{_where(exc)}") from None
    try:
        return Spec(data_view=common.data_view, metrics=common.metrics, searches=common.searches, dashboards=dashboards)
    except ValidationError as exc:
        raise SpecError(f"{root}:\n{_where(exc)}") from None
