"""TS 28.312 conformance both ways: what ranpilot emits validates against the real Rel-18 OpenAPI
(../shared/standards/3gpp, with Rel-19's CellContext) with `oneOf` relaxed to `anyOf`, adds no field
the specialised expectation, target and report schemas do not define (beyond `ranpilotExtension`),
and a spec-shaped intent written by a peer is read back as goals."""

import copy
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from ranpilot.intents.goals import Goal, Understanding
from ranpilot.intents.inventory import Inventory
from ranpilot.intents.model import Intent, IntentInputError
from ranpilot.intents.ts28312 import goals_of, read_request, to_intent, understanding_of
from ranpilot.targets import Target

SHARED = Path(__file__).resolve().parents[2] / "shared" / "standards"
REL18, REL19 = SHARED / "3gpp", SHARED / "3gpp-rel19"
pytestmark = pytest.mark.skipif(not REL18.is_dir(), reason="../shared/standards is not beside this checkout")
EXTENSION = "ranpilotExtension"
INVENTORY = Inventory(areas={"stadium": [3, 4, 5]})
T = Target
REQUESTS = [  # what the parser understands from requests like the comment, written out
    # keep average throughput above 30 Mbps in cells 3-5 and energy below 5 kW
    [Goal(target=T.AVE_DL_RAN_UE_THPT, bound="min", value=30, cells=[3, 4, 5], verb="ENSURE"),
     Goal(target=T.RAN_ENERGY_CONSUMPTION, bound="max", value=5)],
    # cut energy by 10% at night while keeping coverage
    [Goal(target=T.RAN_ENERGY_CONSUMPTION, bound="max", change_pct=-10),
     Goal(target=T.WEAK_RSRP_UE_SHARE, bound="max", value=5, verb="ENSURE")],
    # URLLC latency must stay under 2.5 ms and eMBB users need at least 12.5 Mbps each
    [Goal(target=T.DL_LATENCY, bound="max", value=2.5, slice="URLLC", verb="ENSURE"),
     Goal(target=T.DL_THPT_PER_UE, bound="min", value=12.5, slice="eMBB")],
    # fewer than 10% of cells with weak RSRP below -105 dBm at the stadium; improve the low-SINR share
    [Goal(target=T.WEAK_RSRP_RATIO, bound="max", value=10, threshold=-105, cells=[3, 4, 5]),
     Goal(target=T.LOW_SINR_UE_SHARE, bound="max", change_pct=0, strict=True)],
    # no more than 10% of cells above 80% PRB load, energy efficiency up by 20%
    [Goal(target=T.HIGH_DL_PRB_LOAD_RATIO, bound="max", value=10, threshold=80),
     Goal(target=T.RAN_ENERGY_EFFICIENCY, bound="min", change_pct=20)],
    # average downlink throughput between 20 and 40 Mbps on cell 7, edge users above 3 Mbps
    [Goal(target=T.AVE_DL_RAN_UE_THPT, bound="range", range=(20, 40), cells=[7]),
     Goal(target=T.LOW_DL_THPT_UE_SHARE, bound="max", value=5, threshold=3, cells=[7])],
]


def relaxed(node):
    if isinstance(node, dict):
        return {("anyOf" if k == "oneOf" else k): relaxed(v) for k, v in node.items()}
    if isinstance(node, list):
        return [relaxed(v) for v in node]
    return node


REL19_NAMES = {"TS28312_IntentExpectations.yaml": "3gpp-ts28312-intentexpectations.yml",
               "TS28312_IntentNrm.yaml": "3gpp-ts28312-intentnrm.yml", "TS28623_ComDefs.yaml": "3gpp-ts28623-comdefs.yml",
               "TS28623_GenericNrm.yaml": "3gpp-ts28623-genericnrm.yml", "TS28541_NrNrm.yaml": "3gpp-ts28541-nrnrm.yml",
               "TS28541_5GcNrm.yaml": "3gpp-ts28541-5gcnrm.yml", "TS28541_SliceNrm.yaml": "3gpp-ts28541-slicenrm.yml"}


class Documents(dict):
    """(folder, file) -> the YAML with oneOf relaxed, loaded on first use (the NRM files are large)."""

    def __missing__(self, key):
        folder, name = key
        path = (REL19 / REL19_NAMES.get(name, name)) if folder == REL19.name else REL18 / name
        self[key] = relaxed(yaml.load(path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
        return self[key]


@pytest.fixture(scope="module")
def schemas():
    docs = Documents()

    def retrieve(uri: str) -> Resource:
        path = Path(uri.removeprefix("file://"))
        return Resource.opaque(docs[(path.parent.name, path.name)])

    return Registry(retrieve=retrieve), docs


def validate(schemas, folder: Path, file: str, name: str, instance) -> None:
    registry, _ = schemas
    uri = (folder / file).as_uri()
    Draft7Validator({"$ref": f"{uri}#/components/schemas/{name}"}, registry=registry).validate(instance)


def properties(schemas, folder: Path, file: str, name: str) -> set[str]:
    schema = schemas[1][(folder.name, file)]["components"]["schemas"][name]
    parts = schema.get("allOf", [schema])
    return {k for part in parts for k in part.get("properties", {})} | ({"id"} if "allOf" in schema else set())


def specialised(schemas, name: str) -> str | None:
    """The Rel-18 specialised target schema for a target name, if the standard defines one."""
    for key, schema in schemas[1][(REL18.name, "TS28312_IntentExpectations.yaml")]["components"]["schemas"].items():
        enum = schema.get("properties", {}).get("targetName", {}).get("enum", [])
        if key.endswith("Target") and enum == [name]:
            return key
    return None


def check_intent(schemas, data: dict) -> None:
    assert set(data) - {EXTENSION} <= properties(schemas, REL18, "TS28312_IntentNrm.yaml", "Intent-Single")
    validate(schemas, REL18, "TS28312_IntentNrm.yaml", "Intent-Single", {k: v for k, v in data.items() if k != EXTENSION})
    for e in data["intentExpectations"]:
        kind = {"RAN_SubNetwork": "RadioNetworkExpectation", "Radio_Service": "RadioServiceExpectation"}[e["expectationObject"]["objectType"]]
        validate(schemas, REL18, "TS28312_IntentExpectations.yaml", kind, e)
        assert set(e) <= properties(schemas, REL18, "TS28312_IntentExpectations.yaml", kind)
        for c in e["expectationObject"].get("objectContexts", []):
            assert c["contextAttribute"] == "Cell"
            validate(schemas, REL19, "3gpp-ts28312-intentexpectations.yml", "CellContext", c)
        for t in e["expectationTargets"]:
            name = specialised(schemas, t["targetName"])
            if name is None:
                validate(schemas, REL18, "TS28312_IntentNrm.yaml", "ExpectationTarget", t)
                continue
            spec = schemas[1][(REL18.name, "TS28312_IntentExpectations.yaml")]["components"]["schemas"][name]
            assert set(t) <= set(spec["properties"]), (name, set(t))
            bare = {k: v for k, v in t.items() if k != "targetContexts"}
            validate(schemas, REL18, "TS28312_IntentExpectations.yaml", name, bare)
            context_ref = spec["properties"].get("targetContexts", {}).get("$ref", "")
            for c in t.get("targetContexts", []):  # the standard refs one context; ranpilot sends a list of them
                validate(schemas, REL18, "TS28312_IntentExpectations.yaml", context_ref.rsplit("/", 1)[-1], c)


@pytest.mark.parametrize("goals", REQUESTS)
def test_emitted_intents_conform_and_read_back_as_the_same_goals(schemas, goals):
    understanding = Understanding(text="request", status="parsed", goals=goals, window=("22:00", "06:00"), priority=80)
    intent = to_intent(understanding)
    data = intent.model_dump(mode="json")
    check_intent(schemas, data)
    again = understanding_of(Intent.model_validate(data))
    assert (again.goals, again.window, again.priority) == (goals, ("22:00", "06:00"), 80)


def test_a_standard_intent_without_extension_is_read_as_goals(schemas):
    peer = {
        "id": "peer-1", "userLabel": "from a peer", "intentPriority": 70,
        "intentExpectations": [{
            "expectationId": "1", "expectationVerb": "ENSURE",
            "expectationObject": {"objectType": "RAN_SubNetwork", "objectInstance": "SubNetwork=ranpilot",
                                  "objectContexts": [{"contextAttribute": "Cell", "contextCondition": "IS_ALL_OF",
                                                      "contextValueRange": ["000000003", "000000004"]}]},
            "expectationTargets": [
                {"targetName": "AveDLRANUEThpt", "targetCondition": "IS_GREATER_THAN", "targetValueRange": 30},
                {"targetName": "WeakRSRPRatio", "targetCondition": "IS_LESS_THAN", "targetValueRange": 10,
                 "targetContexts": {"contextAttribute": "WeakRSRPThreshold", "contextCondition": "IS_LESS_THAN",
                                    "contextValueRange": -105}},
            ],
            "expectationContexts": [{"contextAttribute": "TargetAssuranceTime", "contextCondition": "IS_EQUAL_TO",
                                     "contextValueRange": {"startTime": "2026-12-01T22:00:00Z", "endTime": "2026-12-02T06:00:00Z"}}],
        }],
    }
    validate(schemas, REL18, "TS28312_IntentNrm.yaml", "Intent-Single", peer)
    peer["intentExpectations"][0]["expectationTargets"][1]["targetContexts"] = [
        peer["intentExpectations"][0]["expectationTargets"][1]["targetContexts"]]
    u = understanding_of(read_request(peer))
    thpt, weak = u.goals
    assert (thpt.target, thpt.bound, thpt.value, thpt.cells, thpt.verb) == (Target.AVE_DL_RAN_UE_THPT, "min", 30.0, [3, 4], "ENSURE")
    assert (weak.target, weak.bound, weak.value, weak.threshold) == (Target.WEAK_RSRP_RATIO, "max", 10.0, -105.0)
    assert u.window == ("22:00", "06:00") and u.priority == 70


def test_reports_conform_to_the_intent_report_schema(schemas):
    from ranpilot.intents.fulfilment import baselines, report
    from ranpilot.network import Network, NetworkConfig

    net = Network(NetworkConfig(num_ues=105), seed=3)
    intent = to_intent(Understanding(text="request", status="parsed", goals=REQUESTS[0]))
    data = report(intent, net, baselines(intent, net)).model_dump(mode="json")
    validate(schemas, REL18, "TS28312_IntentNrm.yaml", "IntentReport-Single", {k: v for k, v in data.items() if k != EXTENSION})
    assert set(data) - {EXTENSION} <= properties(schemas, REL18, "TS28312_IntentNrm.yaml", "IntentReport-Single")
    fulfilment = data["intentFulfilmentReport"]
    assert set(fulfilment) <= properties(schemas, REL18, "TS28312_IntentNrm.yaml", "IntentFulfilmentReport")
    for e in fulfilment["expectationFulfilmentResult"]:
        assert set(e) <= properties(schemas, REL18, "TS28312_IntentNrm.yaml", "ExpectationFulfilmentResult")
        for t in e["targetFulfilmentResult"]:
            assert set(t) <= properties(schemas, REL18, "TS28312_IntentNrm.yaml", "TargetFulfilmentResult")
            assert set(t["targetFulfilmentInfo"]) <= properties(schemas, REL18, "TS28312_IntentNrm.yaml", "FulfilmentInfo")


def _intent(target: dict) -> dict:
    return {"intentExpectations": [{"expectationId": "e", "expectationObject": {
        "objectType": "RAN_SubNetwork", "objectInstance": "SubNetwork=ranpilot"}, "expectationTargets": [target]}]}


@pytest.mark.parametrize("target,message", [
    ({"targetName": "AveULRANUEThpt", "targetCondition": "IS_GREATER_THAN", "targetValueRange": 5}, "does not manage"),
    ({"targetName": "AveDLRANUEThpt", "targetCondition": "IS_GREATER_THAN", "targetValueRange": "fast"}, "number"),
    ({"targetName": "AveDLRANUEThpt", "targetCondition": "IS_ONE_OF", "targetValueRange": [1, 2, 3]}, "IS_ONE_OF"),
])
def test_intents_ranpilot_cannot_pursue_are_refused_by_name(target, message):
    with pytest.raises(IntentInputError, match=message):
        read_request(_intent(target))


def test_json_intents_get_the_same_value_and_inventory_checks_as_text():
    from ranpilot.intents.inventory import checked

    def check(target, cells=None):
        data = _intent(target)
        if cells is not None:
            data["intentExpectations"][0]["expectationObject"]["objectContexts"] = [
                {"contextAttribute": "Cell", "contextCondition": "IS_ALL_OF", "contextValueRange": cells}]
        return checked(understanding_of(read_request(data)), INVENTORY)

    ok = {"targetName": "AveDLRANUEThpt", "targetCondition": "IS_GREATER_THAN", "targetValueRange": 30}
    assert check(ok).status == "parsed"
    assert check({**ok, "targetValueRange": 1e308}).reason == "invalid_value"
    assert check({**ok, "targetValueRange": -5}).reason == "invalid_value"
    assert check(ok, ["000000015"]).reason == "unknown_cell"  # cell 21 on a 21-cell network
    with pytest.raises(IntentInputError, match="NR cell id"):
        check(ok, ["3"])
    with pytest.raises(IntentInputError):
        read_request('{"intentExpectations": [{"expectationId": "e", "expectationObject": {"objectType": "RAN_SubNetwork", '
                     '"objectInstance": "SubNetwork=ranpilot"}, "expectationTargets": [{"targetName": "AveDLRANUEThpt", '
                     '"targetCondition": "IS_GREATER_THAN", "targetValueRange": NaN}]}]}')


def test_goal_invariants():
    with pytest.raises(ValueError):
        Goal(target=Target.AVE_DL_RAN_UE_THPT, bound="min", value=3, change_pct=2)
    with pytest.raises(ValueError):
        Understanding(text="x", status="parsed")
    assert copy.deepcopy(Goal(target=Target.DL_LATENCY, bound="range", range=(1, 2))).values(None) == [1, 2]
