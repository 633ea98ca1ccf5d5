"""The category tree as reviewed data (PRD-02, PRD-06, PRD-09) and the rules file: inheritance,
and a malformed file refused naming every problem."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from services.product import catalogue, rules_config
from services.product.catalogue import Category, CategoryFileError, Status

ROOT = Path(__file__).resolve().parents[2]


def shipped() -> catalogue.Catalogue:
    """The reviewed file, loaded inside each test: a catalogue built at import would be built
    before a mutant runs."""
    return catalogue.load()


def test_PRD_02_licences_are_inherited_down_the_tree():
    tree = shipped()
    assert tree.get("food.fresh.seafood").licences == {"food_business"}
    assert tree.get("food.fsmp").licences == {"food_business", "fsmp"}
    assert tree.get("food.fsmp").path == ("食品", "特殊医学用途配方食品")
    assert tree.get("medical_device.class3").licences == {"medical_device_registration", "medical_device_business"}
    assert tree.get("produce.fruit").licences == frozenset()


def test_PRD_09_perishable_is_inherited_and_can_be_switched_off():
    tree = shipped()
    assert tree.get("food.fresh.meat").perishable
    assert tree.get("produce.vegetable").perishable
    assert not tree.get("produce.dried").perishable
    assert not tree.get("food.grain").perishable
    assert tree.get("food.fresh.seafood").notice.startswith("生鲜水产易因运输受损")
    assert tree.get("food.fresh.meat").notice == ""


def test_PRD_06_the_strictest_status_on_the_path_wins():
    tree = shipped()
    assert tree.get("drug.prescription").status is Status.PROHIBITED
    assert tree.get("drug.otc").status is Status.RESTRICTED
    assert tree.get("drug.otc").restricted_licences == {"internet_drug_information"}
    assert tree.get("produce.wildlife").prohibited_at == "produce.wildlife"
    assert tree.get("drug").status is Status.ALLOWED


def test_every_category_names_its_licences_by_known_kinds():
    tree = shipped()
    for category in tree.categories.values():
        assert category.licences <= set(tree.licence_kinds)


GOOD = '[licences]\nfood_business = "食品经营许可证"\n[categories.food]\nname = "食品"\nlicences = ["food_business"]\n'


@pytest.mark.parametrize(
    "extra, problem",
    [
        ('[categories."food.x.y"]\nname = "y"\n', '[categories."food.x.y"] has no parent category "food.x"'),
        ('[categories."food.x"]\nname = ""\n', '[categories."food.x"] needs a name'),
        ('[categories."food.x"]\nname = "x"\nlicences = ["nope"]\n', "[categories.\"food.x\"] names an unknown licence kind 'nope'"),
        ('[categories."food.x"]\nname = "x"\nperishable = "yes"\n', '[categories."food.x"] perishable must be true or false'),
        ('[categories."food.x"]\nname = "x"\nstatus = "banned"\n', "[categories.\"food.x\"] status must be allowed, restricted or prohibited, not 'banned'"),
        ('[categories."food.x"]\nname = "x"\nstatus = "restricted"\n', '[categories."food.x"] is restricted and needs restricted_licence naming a known licence kind'),
        ('[categories."food.x"]\nname = "x"\nstatus = "prohibited"\n', '[categories."food.x"] is prohibited and needs its basis (the law that prohibits it)'),
        ('[categories."food.x"]\nname = "x"\nrestricted_licence = "food_business"\n', '[categories."food.x"] has restricted_licence but is not restricted'),
        ('[categories."food.x"]\nname = "x"\ncolour = "red"\n', '[categories."food.x"] has unknown keys: colour'),
        ("[other]\nx = 1\n", "unknown sections: other"),
    ],
)
def test_a_malformed_category_file_is_refused_naming_the_problem(extra, problem):
    catalogue.parse(GOOD)
    with pytest.raises(CategoryFileError) as refused:
        catalogue.parse(GOOD + extra)
    assert refused.value.problems == [problem]


def test_a_category_file_that_is_not_toml_is_refused():
    with pytest.raises(CategoryFileError, match="not valid TOML"):
        catalogue.parse("[categories")
    with pytest.raises(CategoryFileError, match=r"\[categories\] is empty"):
        catalogue.parse("[licences]\n")


def test_the_shipped_rules_file_holds_the_code_defaults():
    assert rules_config.load(rules_config.DEFAULTS_FILE) == rules_config.ProductRules()
    assert rules_config.load(None) == rules_config.ProductRules()


@pytest.mark.parametrize(
    "text, problem",
    [
        ("[submission]\nprice_ceiling = 1\n", "[submission] has unknown keys: price_ceiling"),
        ("[submission]\nprice_ceiling_fen = -5\n", "[submission] price_ceiling_fen must be positive"),
        ("[pricing]\nreference_window_days = \"7\"\n", "[pricing] reference_window_days must be int, not '7'"),
        ("[links]\nnotice = \"leaving\"\n", "[links] notice must name the platform with {platform}"),
        ("[extra]\n[more]\n", "unknown sections: extra, more"),
        ("[submission]\nmax_images = 0\n", "[submission] max_images must be positive"),
        ("[submission]\nmax_pages = 1\nmax_words = 1\n", "[submission] has unknown keys: max_pages, max_words"),
        ("[perishables]\nclaim_window = 48\n", "[perishables] has unknown keys: claim_window"),
        ("[links]\nhosts = []\n", "[links] has unknown keys: hosts"),
        ("[links]\nown_hosts = [\"shop.example\"]\nnotice = 5\n", "[links] notice must be str, not 5"),
    ],
)
def test_a_bad_rules_file_is_refused(text, problem):
    with pytest.raises(ValueError) as refused:
        rules_config.parse(text)
    assert str(refused.value) == problem


def test_rules_can_be_overridden():
    rules = rules_config.parse('[submission]\nprice_ceiling_fen = 500\n[links]\nown_hosts = ["Shop.Example"]\nplatforms = { "JD.com" = "京东" }\n')
    assert rules.submission.price_ceiling_fen == 500
    assert rules.links.own_hosts == ("shop.example",)
    assert dict(rules.links.platforms) == {"jd.com": "京东"}


def test_PRD_01_PRD_06_a_category_resolves_every_field_from_its_path():
    tree = shipped()
    assert tree.get("food.fresh.seafood") == Category(
        key="food.fresh.seafood",
        path=("食品", "生鲜", "水产海鲜"),
        licences=frozenset({"food_business"}),
        perishable=True,
        notice=tree.get("food.fresh.seafood").notice,
        has_expiry=True,
        status=Status.ALLOWED,
        restricted_licences=frozenset(),
        basis="",
        prohibited_at="",
    )
    assert (tree.get("home").has_expiry, tree.get("food.grain").has_expiry) == (False, True)
    cigarette = tree.get("electronics.e_cigarette")
    assert (cigarette.status, cigarette.prohibited_at, cigarette.has_expiry) == (Status.PROHIBITED, "electronics.e_cigarette", False)
    assert cigarette.basis == "《电子烟管理办法》：禁止通过信息网络销售电子烟产品"
    assert tree.licence_kinds["food_business"] == "食品经营许可证"


TREE = """
[licences]
food_business = "食品经营许可证"
drug_business = "药品经营许可证"
internet_drug_information = "互联网药品信息服务资格证书"

[categories.a]
name = "甲"
perishable = true
notice = "甲类易腐"
has_expiry = false

[categories."a.b"]
name = "乙"
perishable = false
status = "restricted"
restricted_licence = "internet_drug_information"

[categories."a.b.c"]
name = "丙"
status = "prohibited"
basis = "丙法"
has_expiry = true

[categories."a.b.c.d"]
name = "丁"
status = "restricted"
restricted_licence = "drug_business"
perishable = true

[categories."a.b.c.d.e"]
name = "戊"
status = "prohibited"
basis = "戊法"
"""


def test_PRD_06_PRD_09_inheritance_the_nearest_setting_wins_and_the_first_prohibition_names_the_basis():
    tree = catalogue.parse(TREE)
    a, b, c, d, e = (tree.get(k) for k in ("a", "a.b", "a.b.c", "a.b.c.d", "a.b.c.d.e"))
    assert (a.perishable, a.notice, a.has_expiry, a.status) == (True, "甲类易腐", False, Status.ALLOWED)
    assert (b.perishable, b.notice, b.has_expiry, b.status) == (False, "", False, Status.RESTRICTED)
    assert (c.has_expiry, c.status, c.basis, c.prohibited_at) == (True, Status.PROHIBITED, "丙法", "a.b.c")
    assert (d.perishable, d.notice, d.status, d.prohibited_at) == (True, "甲类易腐", Status.PROHIBITED, "a.b.c")
    assert d.restricted_licences == {"internet_drug_information", "drug_business"}
    assert (e.path, e.basis, e.prohibited_at) == (("甲", "乙", "丙", "丁", "戊"), "丙法", "a.b.c")
    assert (b.basis, b.prohibited_at) == ("", "")


def test_PRD_02_a_licence_kind_is_named_or_shown_as_its_key():
    tree = shipped()
    assert (tree.licence_name("food_business"), tree.licence_name("gun_licence")) == ("食品经营许可证", "gun_licence")


@pytest.mark.parametrize(
    "key, inside",
    [("food", True), ("food.fresh", True), ("food.fresh.meat", True), ("food.fres", False), ("produce", False), ("food.fresh.meat.x", False)],
)
def test_a_category_lies_within_itself_and_its_ancestors_only(key, inside):
    assert shipped().get("food.fresh.meat").within(key) is inside


def test_a_file_without_licences_is_read():
    tree = catalogue.parse('[categories.home]\nname = "家居日用"\n')
    assert (dict(tree.licence_kinds), list(tree.categories)) == ({}, ["home"])


@pytest.mark.parametrize(
    "text, problems",
    [
        ("", ["[categories] is empty"]),
        ('[licences]\nx = "X"\n', ["[categories] is empty"]),
        ("[other]\n[more]\n[categories.a]\nname = \"a\"\n", ["unknown sections: more, other"]),
        (
            '[licences]\nfood_business = " "\n[categories.a]\nname = "a"\nlicences = ["food_business"]\n',
            ["[licences] must map each licence kind to its name", "[categories.\"a\"] names an unknown licence kind 'food_business'"],
        ),
        ('licences = "food_business"\n[categories.a]\nname = "a"\n', ["[licences] must map each licence kind to its name"]),
        (
            '[licences]\n" " = "空白"\n[categories.a]\nname = "a"\nstatus = "restricted"\nrestricted_licence = " "\n',
            ["[licences] must map each licence kind to its name", '[categories."a"] is restricted and needs restricted_licence naming a known licence kind'],
        ),
        ("[categories]\na = 1\n", ['[categories."a"] is not a table']),
        ('[categories.a]\nname = "a"\ncolour = "red"\nsize = 1\n', ['[categories."a"] has unknown keys: colour, size']),
        ('[categories.a]\nlicences = "food_business"\n', ['[categories."a"] needs a name', '[categories."a"] licences must be a list of licence kinds']),
        ('[categories.a]\nname = "a"\nlicences = [1]\n', ['[categories."a"] licences must be a list of licence kinds']),
        ('[categories.a]\nname = "a"\nhas_expiry = "no"\n', ['[categories."a"] has_expiry must be true or false']),
        ('[categories.a]\nname = "a"\nnotice = " "\n', ['[categories."a"] notice must be non-empty text']),
        ('[categories.a]\nname = "a"\nnotice = 3\n', ['[categories."a"] notice must be non-empty text']),
    ],
)
def test_a_malformed_category_file_is_refused_naming_every_problem(text, problems):
    with pytest.raises(CategoryFileError) as refused:
        catalogue.parse(text)
    assert refused.value.problems == problems
    assert str(refused.value) == "; ".join(problems)


def test_a_category_file_is_loaded_from_the_path_given(tmp_path):
    path = tmp_path / "categories.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert list(catalogue.load(path).categories) == ["food"]
    assert catalogue.load(path).get("food").path == ("食品",)
    assert "food.grain" in catalogue.load().categories


def test_the_category_and_rules_files_are_read_as_utf8_whatever_the_locale(tmp_path):
    """An operator's shell may run with a non-UTF-8 locale; the files hold Chinese names."""
    categories = tmp_path / "categories.toml"
    categories.write_text(GOOD, encoding="utf-8")
    rules = tmp_path / "rules.toml"
    rules.write_text('[perishables]\nnotice = "易腐"\n', encoding="utf-8")
    env = {**os.environ, "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
    script = (
        "from pathlib import Path\n"
        "from services.product import catalogue, rules_config\n"
        f"print(catalogue.load(Path({str(categories)!r})).get('food').path == {ascii(('食品',))},"
        f" catalogue.load().get('food.grain').path == {ascii(('食品', '粮油米面'))},"
        f" rules_config.load(Path({str(rules)!r})).perishables.notice == {ascii('易腐')})\n"
    )  # the script itself in ASCII: a C-locale interpreter could not decode its own argument
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "True True True\n", "")
    # and in this process's (UTF-8) locale, which also ties the loaders to this test for mutmut
    assert catalogue.load(categories).get("food").path == ("食品",)
    assert rules_config.load(rules).perishables.notice == "易腐"


def test_PRD_08_PRD_09_every_section_can_be_overridden_down_to_one():
    rules = rules_config.parse(
        '[pricing]\nreference_window_days = 1\n[perishables]\nclaim_window_hours = 24\nnotice = "易腐商品"\n'
        '[links]\nnotice = "将跳转至「{platform}」"\n'
    )
    assert (rules.pricing.reference_window_days, rules.perishables.claim_window_hours) == (1, 24)
    assert (rules.perishables.notice, rules.links.notice) == ("易腐商品", "将跳转至「{platform}」")
    assert rules.links.platforms == rules_config.DEFAULT_PLATFORMS
