"""The anchor service's rules as configuration (ANC-07, ANC-10, ANC-11, ANC-12)."""

from __future__ import annotations

import pytest

from services.anchor import rules_config
from services.anchor.discipline.ladder import EscalationChoice
from services.anchor.vocabulary import Severity


def test_the_shipped_rules_file_holds_the_codes_defaults():
    assert rules_config.load(rules_config.DEFAULTS_FILE) == rules_config.AnchorRules()


def test_ANC_11_thresholds_and_ANC_07_durations_are_configurable():
    rules = rules_config.parse(
        """
        [ladder]
        suspension_months = 2
        default_escalation = "terminate"
        [score]
        violation_weights = { minor = 1, major = 4, severe = 20 }
        [warnings]
        violation_threshold = 5
        [repair]
        observation_days = 30
        """
    )
    assert rules.ladder.suspension_months == 2 and rules.ladder.ban_months == 6
    assert rules.ladder.default_escalation is EscalationChoice.TERMINATE
    assert rules.credit.score.violation_weights[Severity.SEVERE] == 20.0
    assert rules.credit.warnings.violation_threshold == 5
    assert rules.credit.repair_observation_days == 30 and rules.credit.risk_window_days == 365


@pytest.mark.parametrize(
    "text",
    ["[ladder]\nsuspension_weeks = 4\n", "[scores]\nbase = 1\n", "[repair]\nobservation = 3\n", "[ladder]\ndefault_escalation = \"fine\"\n"],
)
def test_a_misspelt_rule_is_refused_at_start_up(text):
    with pytest.raises(ValueError):
        rules_config.parse(text)
