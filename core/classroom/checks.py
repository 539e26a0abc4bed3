"""Is a challenge solved? `check(challenge, run)` measures the server's own run on the challenge's
held-out test set (core/classroom/challenge_runs.py) and compares it with the requirements; the
functions below it say a challenge's requirements and what may change in words for the page.

Nothing a browser sends is a result: the score, the parameter count and the epochs are read from
the session's network and trainer. A run whose locked settings were changed, or that trained on
other data, is rejected with a message. A check of a Playground run is a forward pass over a few
hundred points (about a millisecond), cheap enough to run after every slice of training.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType

from core.classroom.challenge_runs import ChallengeRunError, measure, run_size
from core.classroom.challenges import METRICS, Challenge, Requirement

SYMBOLS = MappingProxyType({">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="})
# Measured as 1 (yes) or 0 (no); what a requirement of yes, or of no, reads.
YES_NO_METRICS = MappingProxyType({"diverged": ("training broke down", "training did not break down")})
FIELD_LABELS = MappingProxyType(
    {
        "hidden": "the hidden layers",
        "hidden_layers": "the hidden layers",
        "activations": "the activations",
        "activation": "the activation",
        "init": "the initialization",
        "learning_rate": "the learning rate",
        "optimizer": "the optimizer",
        "batch_size": "the batch size",
        "features": "the input features",
        "epochs": "the number of epochs",
        "augment": "augmentation",
        "l1": "L1",
        "l2": "L2",
    }
)


@dataclass(frozen=True)
class ChallengeResult:
    """The outcome of one check.

    score: the target metric's value (what a board ranks by; `Challenge.higher_is_better` says
    which way), NaN when the run was rejected. metrics: every value measured (NaN where one does
    not apply). unmet: the requirements that do not hold, as the page writes them.
    """

    solved: bool
    score: float
    parameters: int
    epochs: int
    message: str
    metrics: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    unmet: tuple[str, ...] = ()

    @property
    def rejected(self) -> bool:
        """The run could not be scored at all (tampered locks, other data, another page)."""
        return math.isnan(self.score)


def check(challenge: Challenge, run) -> ChallengeResult:
    """Measure `run` (a PlaygroundSession, or an ImageTrainingRun for an MNIST challenge) and say
    whether it solves `challenge`. Never raises for a run that is not the challenge's: the result
    is then unsolved, with no score, and says why."""
    parameters, epochs = run_size(run)
    try:
        values = measure(challenge, run)
    except ChallengeRunError as error:
        return ChallengeResult(
            False, math.nan, parameters, epochs, f"Not checked: {error}.", unmet=(str(error),)
        )
    unmet = tuple(
        _shortfall(r, values[r.metric]) for r in challenge.requirements if not r.met(values[r.metric])
    )
    target = challenge.target
    measured = f"{METRICS[target.metric]}: {format_value(values[target.metric], target.metric)}"
    size = f"{format_value(values['parameters'])} parameters, {format_value(values['epochs'])} epochs"
    if unmet:
        message = f"Not yet ({measured}; {size}): " + "; ".join(unmet) + "."
    else:
        # A yes-or-no target says it all: "Solved: training broke down (105 parameters, 30 epochs)."
        shown = size if target.metric in YES_NO_METRICS else f"{measured}; {size}"
        message = f"Solved: {' and '.join(map(requirement_text, challenge.requirements))} ({shown})."
    return ChallengeResult(
        solved=not unmet,
        score=values[target.metric],
        parameters=int(values["parameters"]),
        epochs=int(values["epochs"]),
        message=message,
        metrics=MappingProxyType(values),
        unmet=unmet,
    )


def _shortfall(requirement: Requirement, value: float) -> str:
    return f"needs {requirement_text(requirement)}, has {format_value(value, requirement.metric)}"


# ----------------------------------------------------------------------------- in words
def format_value(value: float, metric: str | None = None) -> str:
    """A metric's value as the page writes it: 0.95, 0.967, 50,000, 0.0001; yes / no for a
    yes-or-no metric; "–" when it was not measured."""
    value = float(value)
    if not math.isfinite(value):
        return "–"
    if metric in YES_NO_METRICS:
        return "yes" if value else "no"
    if value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def requirement_text(requirement: Requirement) -> str:
    """'test accuracy ≥ 0.95'; a yes-or-no metric reads 'training broke down', not '... ≥ 1'."""
    if requirement.metric in YES_NO_METRICS:
        yes, no = YES_NO_METRICS[requirement.metric]
        return yes if requirement.met(1.0) else no
    symbol = SYMBOLS[requirement.comparison]
    return f"{METRICS[requirement.metric]} {symbol} {format_value(requirement.threshold)}"


def target_text(challenge: Challenge) -> str:
    """'test accuracy ≥ 0.95, with hidden layers ≤ 3'."""
    text = requirement_text(challenge.target)
    if challenge.constraints:
        text += ", with " + " and ".join(map(requirement_text, challenge.constraints))
    return text


def may_change(challenge: Challenge) -> str:
    """One sentence: what the student may change."""
    names = [FIELD_LABELS.get(name, name.replace("_", " ")) for name in challenge.editable]
    if not names:
        return "You may change nothing but when to train: every control is locked."
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"You may change {listed}; every other control is locked."
