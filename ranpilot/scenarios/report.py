"""Scenario reports: PNG plots of KPIs over time (agent vs static, intents and applies marked)
and a self-contained HTML summary (plots embedded)."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from ranpilot.targets import Target
from ranpilot.scenarios.runner import ScenarioResult  # noqa: E402

PLOTTED = (Target.AVE_DL_RAN_UE_THPT, Target.LOW_DL_THPT_UE_SHARE, Target.WEAK_RSRP_UE_SHARE, Target.RAN_ENERGY_CONSUMPTION)


def write_report(result: ScenarioResult, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    png = directory / f"{result.name}.png"
    plot(result, png)
    page = directory / f"{result.name}.html"
    page.write_text(summary_html(result, png), encoding="utf-8")
    return page


def plot(result: ScenarioResult, path: Path) -> None:
    fig, axes = plt.subplots(len(PLOTTED), 1, figsize=(9, 2.4 * len(PLOTTED)), sharex=True)
    for ax, kpi in zip(axes, PLOTTED):
        for name, style in (("static", "--"), ("optimizer", ":"), ("agent", "-")):
            ax.plot(result.times_s, [row[kpi] for row in result.series[name]], style, label=name)
        for record in result.intents:
            ax.axvline(record.time_s, color="grey", linewidth=0.8)
            applied = sum(a.status == "applied" for a in record.result.applied)
            if kpi == PLOTTED[0]:
                ax.annotate(f"{record.id}{' +' + str(applied) if applied else ''}", (record.time_s, ax.get_ylim()[1]),
                            fontsize=7, rotation=90, va="top")
        ax.set_ylabel(kpi, fontsize=8)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    axes[-1].set_xlabel("time (s)")
    fig.suptitle(result.name)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def summary_html(result: ScenarioResult, png: Path) -> str:
    image = base64.b64encode(png.read_bytes()).decode()
    rows = "".join(f"<tr><td>{'PASS' if c.passed else 'FAIL'}</td><td>{html.escape(c.expectation)}</td>"
                   f"<td>{html.escape(c.observed)}</td></tr>" for c in result.checks)
    intents = "".join(f"<tr><td>{html.escape(r.id)}</td><td>{r.time_s:g}</td><td>{html.escape(r.result.outcome)}</td></tr>"
                      for r in result.intents)
    gains = "".join(f"<tr><td>{k}</td><td>{v:+.1f}%</td><td>{result.gains_vs_optimizer_pct[k]:+.1f}%</td></tr>"
                    for k, v in result.gains_pct.items())
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(result.name)}</title>
<style>body{{font-family:sans-serif;max-width:960px;margin:auto}}td,th{{padding:2px 8px;border-bottom:1px solid #ddd}}</style>
</head><body><h1>{html.escape(result.name)}: {'PASSED' if result.passed else 'FAILED'}</h1>
<h2>Expectations</h2><table><tr><th></th><th>expectation</th><th>observed</th></tr>{rows}</table>
<h2>Intents</h2><table><tr><th>id</th><th>time s</th><th>outcome</th></tr>{intents}</table>
<h2>Agent at the end, against the baselines</h2>
<table><tr><th>KPI</th><th>vs static configuration</th><th>vs optimizer-only</th></tr>{gains}</table>
<img alt="KPIs over time" src="data:image/png;base64,{image}"></body></html>"""
