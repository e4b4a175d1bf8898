"""Scenario reports an operator reads at a glance: one PNG per KPI group (throughput, coverage,
load, energy) and one of the configuration, each panel with its unit; the three networks as step
plots (values hold between samples and jump where the agent acts), told apart by colour, line
style and marker; intents and events marked with what happened. Plus a self-contained HTML
summary with the plots embedded."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from ranpilot.scenarios.result import ScenarioResult, describe  # noqa: E402
from ranpilot.targets import Target, spec  # noqa: E402

KPI_GROUPS: dict[str, tuple[Target, ...]] = {
    "throughput": (Target.AVE_DL_RAN_UE_THPT, Target.LOW_DL_THPT_UE_SHARE, Target.LOW_DL_RAN_UE_THPT_RATIO),
    "coverage": (Target.WEAK_RSRP_UE_SHARE, Target.WEAK_RSRP_RATIO, Target.LOW_SINR_UE_SHARE, Target.LOW_SINR_RATIO),
    "load": (Target.AVE_DL_PRB_LOAD, Target.HIGH_DL_PRB_LOAD_RATIO),
    "energy": (Target.RAN_ENERGY_CONSUMPTION, Target.RAN_ENERGY_EFFICIENCY),
}
CONFIGURATION = "configuration"
# Drawn in this order: the optimizer as a wide translucent band, the agent as a solid line over
# it, the static network dotted on top; where two coincide, both stay visible.
STYLES = {
    "optimizer": {"color": "#ff7f0e", "linestyle": "-", "linewidth": 5.0, "alpha": 0.45,
                  "label": "optimizer only (no verifier)"},
    "agent": {"color": "#1f77b4", "linestyle": "-", "linewidth": 1.6, "label": "ranpilot agent"},
    "static": {"color": "#222222", "linestyle": ":", "linewidth": 1.4, "label": "static configuration"},
}


def write_report(result: ScenarioResult, directory: Path) -> Path:
    """`<name>-<group>.png` per KPI group and `<name>-configuration.png`, then `<name>.html`."""
    directory.mkdir(parents=True, exist_ok=True)
    pngs = []
    for group in (*KPI_GROUPS, CONFIGURATION):
        path = directory / f"{result.name}-{group}.png"
        plot_group(result, group, path)
        pngs.append(path)
    page = directory / f"{result.name}.html"
    page.write_text(summary_html(result, pngs), encoding="utf-8")
    return page


def panels(result: ScenarioResult, group: str) -> list[tuple[str, str, dict[str, list[float]]]]:
    """(title, y label with unit, values per network) for each panel of a group."""
    if group == CONFIGURATION:
        names = list(result.configuration["agent"][0]) if result.configuration.get("agent") else []
        return [(name.split(" (")[0], unit_label(name), {net: [row[name] for row in rows]
                                                          for net, rows in result.configuration.items()})
                for name in names]
    return [(kpi.value, axis_label(kpi), {net: [row[kpi] for row in rows] for net, rows in result.series.items()})
            for kpi in KPI_GROUPS[group]]


def axis_label(kpi: Target) -> str:
    """The KPI's unit; for a share, of what: '% of UEs', '% of cells'."""
    s = spec(kpi)
    return f"% of {'UEs' if s.counts == 'ues' else 'cells'}" if s.unit == "%" and s.counts else s.unit


def unit_label(name: str) -> str:
    """'mean electrical tilt (deg)' -> 'deg'; a count has the unit 'cells'."""
    return name.rsplit("(", 1)[1].rstrip(")") if "(" in name else "cells"


def plot_group(result: ScenarioResult, group: str, path: Path) -> None:
    fig = figure(result, group)
    fig.savefig(path, dpi=90)
    plt.close(fig)


def figure(result: ScenarioResult, group: str):
    """The group's figure: one panel per KPI (or setting), all three networks on each."""
    rows = panels(result, group)
    fig, axes = plt.subplots(len(rows), 1, figsize=(9, 1.2 + 2.1 * len(rows)), sharex=True, squeeze=False)
    axes = axes[:, 0]
    for ax, (title, unit, values) in zip(axes, rows):
        for name in STYLES:
            if name in values:
                ax.step(result.times_s, values[name], where="post", **STYLES[name])
        ax.set_title(title, fontsize=9, loc="left")
        ax.set_ylabel(unit, fontsize=9)
        if unit == "cells":
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        mark_timeline(ax, result, labelled=ax is axes[0])
    axes[-1].set_xlabel("time (s)")
    handles, labels = axes[0].get_legend_handles_labels()
    handles += [Patch(color="#2ca02c", alpha=0.3, label="intent: the agent acting"),
                Line2D([], [], color="#d62728", linestyle="-.", label="event")]
    fig.legend(handles=handles, loc="upper right", ncol=3, fontsize=8, frameon=False)
    fig.suptitle(f"{result.name}: {group}", x=0.01, ha="left", fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.97 if len(rows) > 2 else 0.93))
    return fig


def mark_timeline(ax, result: ScenarioResult, labelled: bool) -> None:
    """Each intent: a shaded span from its arrival to the end of its run (the agent verifying,
    applying and confirming); each event: a dash-dot red line. On the top panel, a boxed label
    saying what it was and what came of it."""
    for r in result.intents:
        ax.axvspan(r.started_s, max(r.time_s, r.started_s + 0.2), color="#2ca02c", alpha=0.15, linewidth=0)
    marks = [(r.started_s, intent_label(r), "#2ca02c") for r in result.intents]
    marks += [(e.time_s, e.label, "#d62728") for e in result.events]
    for time_s, label, colour in marks:
        ax.axvline(time_s, color=colour, linestyle="-." if colour == "#d62728" else "-", linewidth=1.0, alpha=0.8)
        if labelled:
            ax.text(time_s, 0.97, f" {label}", transform=ax.get_xaxis_transform(), rotation=90, va="top", ha="right",
                    fontsize=7, color=colour, bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})


def intent_label(record) -> str:
    """'edge: 2 changes applied', 'overpower: rejected', 'save: nothing applied'."""
    r = record.result
    applied = sum(a.status == "applied" for a in r.applied)
    if r.parse is not None and r.parse.status in ("rejected", "clarify"):
        return f"{record.id}: {r.parse.status}"
    return f"{record.id}: {applied} change set{'s' if applied != 1 else ''} applied" if applied else \
        f"{record.id}: nothing applied"


def summary_html(result: ScenarioResult, pngs: list[Path]) -> str:
    rows = "".join(f"<tr><td>{'PASS' if c.passed else 'FAIL'}</td><td>{html.escape(c.expectation)}</td>"
                   f"<td>{html.escape(c.observed)}</td></tr>" for c in result.checks)
    ordered = sorted(result.intents, key=lambda r: -(r.priority or 0))
    intents = "".join(f"<tr><td>{html.escape(r.id)}</td><td>{r.priority if r.priority is not None else '-'}</td>"
                      f"<td>{r.time_s:g}</td><td>{html.escape(r.result.outcome)}</td><td>{r.end_status or '-'}</td></tr>"
                      for r in ordered)
    gains = "".join(f"<tr><td>{k}</td><td>{g.baseline:.4g}</td><td>{g.agent:.4g}</td><td>{spec(k).unit}</td>"
                    f"<td>{html.escape(describe(k, g))}</td>"
                    f"<td>{html.escape(describe(k, result.gains_vs_optimizer[k]))}</td></tr>"
                    for k, g in result.gains.items())
    images = "".join(f'<img alt="{html.escape(p.stem)}" '
                     f'src="data:image/png;base64,{base64.b64encode(p.read_bytes()).decode()}">' for p in pngs)
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(result.name)}</title>
<style>body{{font-family:sans-serif;max-width:960px;margin:auto}}td,th{{padding:2px 8px;border-bottom:1px solid #ddd}}
img{{max-width:100%}}</style>
</head><body><h1>{html.escape(result.name)}: {'PASSED' if result.passed else 'FAILED'}</h1>
<h2>Expectations</h2><table><tr><th></th><th>expectation</th><th>observed</th></tr>{rows}</table>
<h2>Intents, by priority</h2><table><tr><th>id</th><th>priority</th><th>time s</th><th>outcome of its run</th>
<th>at the end</th></tr>{intents}</table>
<h2>Agent at the end, against the baselines</h2>
<p>Differences are the agent's value minus the baseline's (pp: percentage points); percent only where the baseline is not 0.</p>
<table><tr><th>KPI</th><th>static</th><th>agent</th><th>unit</th><th>vs static configuration</th><th>vs optimizer-only</th></tr>
{gains}</table>{images}</body></html>"""
