"""What each survey answer letter means (seed 002's cards): the same words on the
survey cards, their answers and the rating form of a survey-scored indicator."""

from ..engine import LIKERT_SCALES

ANSWER_LETTERS = "ABCDE"


def answer_meanings(env, scale):
    """The meanings of the answers A–E of a scale ("10": brand awareness, card 2;
    "5" and "20": satisfaction, cards 1, 2 and 4)."""
    _ = env._
    if str(scale) == "10":
        return (
            _("Strong impression"),
            _("Know it fairly well"),
            _("Some impression"),
            _("Heard of it"),
            _("Don't know"),
        )
    return (
        _("Very satisfied"),
        _("Mostly satisfied"),
        _("Acceptable"),
        _("Not quite satisfied"),
        _("Dissatisfied"),
    )


def answer_legend(env, scale):
    """'A Very satisfied = 5 · B Mostly satisfied = 4 · …' for a scale of LIKERT_SCALES."""
    levels = LIKERT_SCALES.get(str(scale))
    if not levels:
        return ""
    return " · ".join(
        env._("%(letter)s %(meaning)s = %(points)s", letter=letter, meaning=meaning, points=points)
        for letter, meaning, points in zip(
            ANSWER_LETTERS, answer_meanings(env, scale), levels, strict=True
        )
    )
