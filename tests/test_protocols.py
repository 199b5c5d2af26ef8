"""Review protocols: the shipped files load, and a bad file fails with a clear error."""
from __future__ import annotations

import pytest

from extract.nlp.protocols import (
    DEFAULT_PROTOCOL,
    PROTOCOL_DIR,
    ProtocolError,
    load_protocol,
    load_protocols,
    parse_protocol,
)


def test_default_protocol_has_the_five_subtypes_and_named_forms():
    p = load_protocol()
    assert p.path == str(DEFAULT_PROTOCOL.resolve())
    names = {t.name for t in p.subtypes}
    for want in ("dystrophic calcinosis cutis", "metastatic calcinosis cutis", "idiopathic calcinosis cutis",
                 "iatrogenic calcinosis cutis", "calciphylaxis", "calcinosis universalis", "tumoral calcinosis",
                 "subepidermal calcified nodule"):
        assert want in names


def test_include_merges_common_vocabulary_without_overriding():
    p = load_protocol()
    names = [t.name for t in p.treatments]
    assert names[0] == "sodium thiosulfate"  # the protocol's own entries come first
    assert "surgical excision" in names and "ciclosporin" in names  # from common.yaml
    assert len(names) == len({n.lower() for n in names})
    assert p.status_cues["declined"] and p.outcome_cues["resolved"] and p.diagnostics
    assert p.procedure_verbs["sutured"] == "suturing"  # a procedure said with its verb, named by its noun


def test_folder_loads_every_condition_protocol_but_not_vocabularies():
    protos = load_protocols(PROTOCOL_DIR)
    conditions = {p.condition.name for p in protos}
    assert {"calcinosis cutis", "pyoderma gangrenosum"} <= conditions
    assert "(vocabulary)" not in conditions


def test_term_regex_matches_synonyms_plurals_and_hyphen_variants():
    p = load_protocol()
    sts = next(t for t in p.treatments if t.name == "sodium thiosulfate").regex()
    assert sts.search("given STS three times weekly")
    dys = next(t for t in p.subtypes if t.name == "dystrophic calcinosis cutis").regex()
    assert dys.search("Dystrophic calcifications were seen")
    sec = next(t for t in p.subtypes if t.name == "subepidermal calcified nodule").regex()
    assert sec.search("two subepidermal  calcified nodules")


@pytest.mark.parametrize("text, where", [
    ("name: x\n", "condition"),
    ("condition: x\ntreatments:\n  - {name: y, kind: potion}\n", "treatments[0].kind"),
    ("condition: x\nsubtypes:\n  - {synonyms: [a]}\n", "subtypes[0]"),
    ("condition: x\nsubtypes:\n  - {name: a, patterns: ['(unclosed']}\n", "subtypes[0].patterns"),
    ("condition: x\ncolour: red\n", "top level"),
    ("condition: x\nsynonyms: [1, 2]\n", "synonyms"),
    ("condition: x\nstatus_cues: {maybe: [perhaps]}\n", "status_cues"),
    ("condition: x\ncauses:\n  - {name: z, kind: weather}\n", "causes[0].kind"),
    ("condition: x\nprocedure_verbs: [ligated]\n", "procedure_verbs"),
    ("- just\n- a list\n", "top level must be a mapping"),
    ("condition: [unclosed\n", "not valid YAML"),
])
def test_bad_protocol_names_file_and_key(tmp_path, text, where):
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    with pytest.raises(ProtocolError) as e:
        load_protocol(f)
    assert str(f) in str(e.value) or "bad.yaml" in str(e.value)
    assert where in str(e.value)


def test_missing_file_and_missing_include(tmp_path):
    with pytest.raises(ProtocolError, match="no such protocol file"):
        load_protocol(tmp_path / "nope.yaml")
    f = tmp_path / "p.yaml"
    f.write_text("condition: x\ninclude: [gone.yaml]\n")
    with pytest.raises(ProtocolError, match="gone.yaml: no such protocol file"):
        load_protocol(f)


def test_parse_protocol_from_a_mapping():
    p = parse_protocol({"condition": "lichen planus", "subtypes": ["oral lichen planus"],
                        "treatments": [{"name": "acitretin", "kind": "drug"}]})
    assert p.condition.name == "lichen planus"
    assert p.subtypes[0].name == "oral lichen planus" and p.treatments[0].kind == "drug"
