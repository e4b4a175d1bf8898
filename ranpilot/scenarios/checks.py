"""Each scenario expectation checked on a finished run: KPIs (absolute, or against the static
baseline), verdicts, intents' own outcomes (when their run ended and at the scenario's end),
no KPI worse than the static baseline beyond the stated tolerance, and beam tracking."""

from __future__ import annotations

from ranpilot.scenarios.beams import BeamTrackingResult
from ranpilot.scenarios.model import (
    BeamExpectation, KpiExpectation, NoRegressionExpectation, OutcomeExpectation, VerdictExpectation,
)
from ranpilot.scenarios.result import Check, IntentRecord, describe, gain, gains, unit_of_difference, worse_by
from ranpilot.targets import condition_holds, spec

Series = dict[str, list[dict[str, float]]]


def check(e, series: Series, records: list[IntentRecord], beams: BeamTrackingResult | None) -> Check:
    if isinstance(e, BeamExpectation):
        return check_beams(e, beams)
    if isinstance(e, KpiExpectation):
        return check_kpi(e, series)
    if isinstance(e, NoRegressionExpectation):
        return check_no_regression(e, series)
    record = next((r for r in records if r.id == e.intent), None)
    if record is None:
        return Check(expectation=f"intent {e.intent}", passed=False, observed="intent never ran")
    if isinstance(e, VerdictExpectation):
        return check_verdict(e, record)
    return check_outcome(e, record)


def check_beams(e: BeamExpectation, beams: BeamTrackingResult | None) -> Check:
    label = f"beam tracking: predicted CSI beats stale CSI by >= {e.min_gain_db:g} dB"
    if beams is None:
        return Check(expectation=label, passed=False, observed="the scenario has no beam_tracking block")
    return Check(expectation=label, passed=beams.gain_db >= e.min_gain_db,
                 observed=f"{beams.stale_csi_sinr_db:.2f} -> {beams.predicted_csi_sinr_db:.2f} dB "
                          f"(perfect CSI {beams.perfect_csi_sinr_db:.2f} dB)")


def check_kpi(e: KpiExpectation, series: Series) -> Check:
    index = -1 if e.at == "end" else e.at
    unit = spec(e.kpi).unit if e.versus != "static_pct" else "%"
    versus = {"absolute": "", "static_abs": " minus static", "static_pct": " vs static %"}[e.versus]
    label = f"{e.kpi}{versus} {e.condition.value} {e.value:g} {unit} at {e.at}"
    g = gain(series["agent"][index][e.kpi], series["static"][index][e.kpi])
    value = {"absolute": g.agent, "static_abs": g.absolute, "static_pct": g.relative_pct}[e.versus]
    if value is None:
        return Check(expectation=label, passed=False, observed=f"static baseline 0, agent {g.agent:.4g}: no percent "
                                                               "change (use versus: static_abs)")
    return Check(expectation=label, passed=condition_holds(e.condition, value, [e.value]), observed=f"{value:.4g}")


def check_no_regression(e: NoRegressionExpectation, series: Series) -> Check:
    allowed = ", ".join(f"{k} by {v:g} {unit_of_difference(k)}" for k, v in e.allow.items())
    label = f"no KPI worse than static by more than {e.tolerance_pct:g}%" + (f" (allowed: {allowed})" if allowed else "")
    worse = []
    for kpi, g in gains(series, "static").items():
        allowance = max(e.tolerance_pct / 100.0 * abs(g.baseline), e.allow.get(kpi, 0.0))
        if worse_by(kpi, g) > allowance + 1e-9:
            worse.append(f"{kpi} {g.baseline:.4g} -> {g.agent:.4g} {spec(kpi).unit}, {describe(kpi, g)}")
    return Check(expectation=label, passed=not worse, observed="; ".join(worse) or "none worse")


def check_verdict(e: VerdictExpectation, record: IntentRecord) -> Check:
    r = record.result
    statuses = [x.verdict_status for x in r.rounds]
    rules = {v.rule_id for x in r.rounds for v in x.violations}
    ok = (e.status in statuses if statuses else e.status == "none") and (e.rule is None or e.rule in rules)
    return Check(expectation=f"{e.intent}: verdict {e.status}" + (f" naming {e.rule}" if e.rule else ""),
                 passed=ok, observed=f"verdicts {statuses or ['none']}, rules {sorted(rules)}")


def check_outcome(e: OutcomeExpectation, record: IntentRecord) -> Check:
    r = record.result
    observed = {"parse": r.parse.status if r.parse else None,
                "report": ("FULFILLED" if r.report.fulfilled else "NOT_FULFILLED") if r.report else None,
                "end": record.end_status,
                "applied": any(a.status == "applied" for a in r.applied)}
    wanted = {k: getattr(e, k) for k in observed if getattr(e, k) is not None}
    who = e.intent + (f" (priority {record.priority})" if record.priority is not None else "")
    return Check(expectation=f"{who}: " + ", ".join(f"{k} {v}" for k, v in wanted.items()),
                 passed=all(observed[k] == v for k, v in wanted.items()),
                 observed=", ".join(f"{k} {observed[k]}" for k in wanted))
