"""Design rules: what makes a rubric, evidence list or target list unacceptable."""

from __future__ import annotations

from microcred.catalog import rules

LEVELS = [rules.LevelInput("Not yet", "a"), rules.LevelInput("Proficient", "b")]


def section(
    name: str, passing: int | None = 1, levels: list[rules.LevelInput] | None = None
) -> rules.SectionInput:
    return rules.SectionInput(
        name=name, description="", target_ids=[1], levels=levels or LEVELS, passing_index=passing
    )


def test_section_without_passing_level_is_named():
    problems = rules.rubric_problems(
        [section("Planning"), section("Feedback", passing=None)], "all", None
    )
    assert [(p.index, p.message) for p in problems] == [
        (1, "Section 2 has no passing level. Choose the lowest level that earns the section.")
    ]


def test_duplicate_section_names_ignore_case_and_spacing():
    problems = rules.rubric_problems(
        [section("Using data"), section("  using   DATA ")], "all", None
    )
    assert len(problems) == 1 and problems[0].index == 1
    assert "same name as section 1" in problems[0].message


def test_levels_need_names_descriptors_and_at_least_two():
    problems = rules.rubric_problems(
        [section("A", passing=0, levels=[rules.LevelInput("Only", "")])], "all", None
    )
    messages = " ".join(p.message for p in problems)
    assert "at least two performance levels" in messages
    assert "needs a descriptor" in messages


def test_n_of_m_rule_cannot_ask_for_more_sections_than_exist():
    problems = rules.rubric_problems([section("A"), section("B")], "at_least", 3)
    assert [p.message for p in problems] == [
        "The rubric has 2 section(s), so 3 cannot be required to pass."
    ]
    assert rules.rubric_problems([section("A"), section("B")], "at_least", 2) == []


def test_evidence_requirement_without_description_is_refused():
    problems = rules.evidence_problems(
        [rules.EvidenceInput(title="Video", kind="video", description=" ", max_minutes=10)]
    )
    assert [p.message for p in problems] == [
        "Evidence requirement 1 has no description. Say what the educator submits."
    ]


def test_evidence_limits_must_fit_the_kind_and_counts():
    problems = rules.evidence_problems(
        [
            rules.EvidenceInput(
                title="Essay",
                kind="written",
                description="d",
                max_minutes=5,
                min_count=2,
                max_count=1,
            )
        ]
    )
    messages = [p.message for p in problems]
    assert "Evidence requirement 1: the most items (1) is below the fewest (2)." in messages
    assert "Evidence requirement 1: a length in minutes applies to video only." in messages


def test_empty_and_repeated_targets():
    problems = rules.target_problems(
        [rules.TargetInput("I can plan."), rules.TargetInput(""), rules.TargetInput("I can  PLAN.")]
    )
    assert [p.index for p in problems] == [1, 2]
