"""Loading and validating guides and the FAQ: every error names the file and the key."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core.guides import LOCALES, KnowledgeError, load_knowledge, load_vocabulary

FIXTURES = Path(__file__).parent / "fixtures" / "knowledge"
REPO_KNOWLEDGE = Path(__file__).parents[1] / "knowledge"
SHARED_VOCABULARY = Path(__file__).parents[2] / "shared" / "knowledge-vocabulary.md"


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(FIXTURES, target)
    return target


def _edit(path: Path, change: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _error(knowledge_dir: Path) -> KnowledgeError:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_dir)
    return caught.value


def test_fixtures_load_into_sections_and_faq_units() -> None:
    knowledge = load_knowledge(FIXTURES)
    ids = [unit.doc_id for unit in knowledge.units()]
    assert "industry-textiles#water-reuse" in ids
    assert "faq-demonstration-cap" in ids
    assert len(ids) == len(set(ids))
    textiles = next(g for g in knowledge.guides if g.id == "industry-textiles")
    assert textiles.items == ("assessment", "demonstration", "verification")
    assert [s.id for s in textiles.sections] == ["water-reuse", "low-liquor-dyeing"]
    section_unit = next(u for u in knowledge.units() if u.doc_id == "industry-textiles#water-reuse")
    # A section's unit carries its own tags; the guide's only where it has none.
    assert section_unit.tags == ("wastewater", "water")
    assert section_unit.title["en"] == textiles.title["en"]
    faq = next(f for f in knowledge.faq if f.id == "faq-demonstration-cap")
    assert faq.citations == ("para 12(c)",)
    assert faq.keywords is not None and "上限" in faq.keywords["zh_Hant_HK"]


def test_missing_locale_names_file_and_key(knowledge_dir: Path) -> None:
    path = knowledge_dir / "guides" / "industry-textiles.yaml"
    _edit(path, lambda d: d["sections"][1]["title"].pop("zh_Hans_CN"))
    error = _error(knowledge_dir)
    assert error.file.endswith("industry-textiles.yaml")
    assert error.key == "sections[1].title.zh_Hans_CN"
    assert "missing locale" in str(error)


def test_empty_text_is_rejected(knowledge_dir: Path) -> None:
    _edit(knowledge_dir / "faq.yaml", lambda d: d[1]["answer"].update(en="  "))
    error = _error(knowledge_dir)
    assert error.file.endswith("faq.yaml") and error.key == "[1].answer.en"


def test_unknown_tag_names_the_tag(knowledge_dir: Path) -> None:
    _edit(knowledge_dir / "faq.yaml", lambda d: d[0]["tags"].append("solar-panels"))
    error = _error(knowledge_dir)
    assert error.file.endswith("faq.yaml")
    assert error.key == "[0].tags[2]"
    assert "solar-panels" in str(error)


def test_unknown_section_tag(knowledge_dir: Path) -> None:
    path = knowledge_dir / "guides" / "industry-printing.yaml"
    _edit(path, lambda d: d["sections"][0]["tags"].append("inks"))
    assert _error(knowledge_dir).key == "sections[0].tags[2]"


def test_duplicate_ids_across_guides_and_faq(knowledge_dir: Path) -> None:
    _edit(knowledge_dir / "faq.yaml", lambda d: d[2].update(id="industry-printing"))
    error = _error(knowledge_dir)
    assert error.key == "[2].id" and "duplicate id 'industry-printing'" in str(error)


def test_duplicate_faq_ids(knowledge_dir: Path) -> None:
    _edit(knowledge_dir / "faq.yaml", lambda d: d[3].update(id="faq-hotline"))
    assert "duplicate id 'faq-hotline'" in str(_error(knowledge_dir))


def test_duplicate_section_ids(knowledge_dir: Path) -> None:
    path = knowledge_dir / "guides" / "energy-compressed-air.yaml"
    _edit(path, lambda d: d["sections"][1].update(id="leaks"))
    error = _error(knowledge_dir)
    assert error.key == "sections[1].id" and error.file.endswith("energy-compressed-air.yaml")


def test_wrong_kind(knowledge_dir: Path) -> None:
    _edit(knowledge_dir / "faq.yaml", lambda d: d[0].update(kind="guide"))
    error = _error(knowledge_dir)
    assert error.key == "[0].kind" and "expected 'faq'" in str(error)
    _edit(knowledge_dir / "faq.yaml", lambda d: d[0].update(kind="faq"))
    _edit(knowledge_dir / "guides" / "industry-printing.yaml", lambda d: d.update(kind="faq"))
    assert _error(knowledge_dir).key == "kind"


@pytest.mark.parametrize(
    ("where", "key"),
    [("top", "colour"), ("section", "sections[0].image"), ("faq", "[0].answers")],
)
def test_unknown_keys(knowledge_dir: Path, where: str, key: str) -> None:
    guide = knowledge_dir / "guides" / "industry-textiles.yaml"
    if where == "top":
        _edit(guide, lambda d: d.update(colour="blue"))
    elif where == "section":
        _edit(guide, lambda d: d["sections"][0].update(image="x.png"))
    else:
        _edit(knowledge_dir / "faq.yaml", lambda d: d[0].update(answers=d[0]["answer"]))
    error = _error(knowledge_dir)
    assert error.key == key and "unknown key" in str(error)


def test_unknown_locale_and_missing_key(knowledge_dir: Path) -> None:
    _edit(knowledge_dir / "faq.yaml", lambda d: d[0]["question"].update(zh_TW="?"))
    assert _error(knowledge_dir).key == "[0].question.zh_TW"
    _edit(knowledge_dir / "faq.yaml", lambda d: (d[0]["question"].pop("zh_TW"), d[0].pop("answer")))
    error = _error(knowledge_dir)
    assert error.key == "[0].answer" and "missing key" in str(error)


def test_guide_id_must_match_file_name(knowledge_dir: Path) -> None:
    path = knowledge_dir / "guides" / "industry-textiles.yaml"
    _edit(path, lambda d: d.update(id="textiles"))
    assert "must match the file name" in str(_error(knowledge_dir))


def test_bad_funding_item_and_bad_yaml(knowledge_dir: Path) -> None:
    path = knowledge_dir / "guides" / "industry-textiles.yaml"
    _edit(path, lambda d: d["items"].append("training"))
    assert _error(knowledge_dir).key == "items[3]"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    error = _error(knowledge_dir)
    assert error.file.endswith("industry-textiles.yaml") and "not valid YAML" in str(error)


def test_keywords_shape(knowledge_dir: Path) -> None:
    _edit(knowledge_dir / "faq.yaml", lambda d: d[0]["keywords"].update(en="cap"))
    assert _error(knowledge_dir).key == "[0].keywords.en"


def test_vocabulary_copy_matches_the_shared_list() -> None:
    """knowledge/vocabulary.yaml is a copy; it must hold every shared tag."""
    if not SHARED_VOCABULARY.exists():
        pytest.skip("shared/ is not beside this checkout")
    shared = set(re.findall(r"`([a-z0-9-]+)`", SHARED_VOCABULARY.read_text(encoding="utf-8")))
    assert shared <= load_vocabulary(REPO_KNOWLEDGE / "vocabulary.yaml")


def test_repository_knowledge_is_valid() -> None:
    """The real guides and FAQ load cleanly (every locale, known tags, unique ids)."""
    knowledge = load_knowledge(REPO_KNOWLEDGE)
    for unit in knowledge.units():
        assert all(unit.body[locale] for locale in LOCALES)
