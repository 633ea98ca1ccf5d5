"""The category tree as reviewed data (PRD-02, PRD-06, PRD-09) and the rules file: inheritance,
and a malformed file refused naming every problem."""

from __future__ import annotations

import pytest

from services.product import catalogue, rules_config
from services.product.catalogue import CategoryFileError, Status
from tests.product.builders import CATALOGUE


def test_PRD_02_licences_are_inherited_down_the_tree():
    assert CATALOGUE.get("food.fresh.seafood").licences == {"food_business"}
    assert CATALOGUE.get("food.fsmp").licences == {"food_business", "fsmp"}
    assert CATALOGUE.get("food.fsmp").path == ("食品", "特殊医学用途配方食品")
    assert CATALOGUE.get("medical_device.class3").licences == {"medical_device_registration", "medical_device_business"}
    assert CATALOGUE.get("produce.fruit").licences == frozenset()


def test_PRD_09_perishable_is_inherited_and_can_be_switched_off():
    assert CATALOGUE.get("food.fresh.meat").perishable
    assert CATALOGUE.get("produce.vegetable").perishable
    assert not CATALOGUE.get("produce.dried").perishable
    assert not CATALOGUE.get("food.grain").perishable
    assert CATALOGUE.get("food.fresh.seafood").notice.startswith("生鲜水产易因运输受损")
    assert CATALOGUE.get("food.fresh.meat").notice == ""


def test_PRD_06_the_strictest_status_on_the_path_wins():
    assert CATALOGUE.get("drug.prescription").status is Status.PROHIBITED
    assert CATALOGUE.get("drug.otc").status is Status.RESTRICTED
    assert CATALOGUE.get("drug.otc").restricted_licences == {"internet_drug_information"}
    assert CATALOGUE.get("produce.wildlife").prohibited_at == "produce.wildlife"
    assert CATALOGUE.get("drug").status is Status.ALLOWED


def test_every_category_names_its_licences_by_known_kinds():
    for category in CATALOGUE.categories.values():
        assert category.licences <= set(CATALOGUE.licence_kinds)


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
        ("[extra]\n", "unknown sections: extra"),
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
