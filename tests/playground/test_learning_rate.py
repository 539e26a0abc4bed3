"""The schedules' two controls, the rate in use, and a schedule's end said on the page (issue 19,
item 2: cosine used to reach 0 at epoch 200 and freeze training without a word)."""

from dataclasses import replace

import numpy as np
import pytest

from core import playground as pg
from core.engine.schedules import learning_rate_at
from core.playground import DEFAULT, PlaygroundSession
from core.playground.build import schedule_options


def session_for(**changes) -> PlaygroundSession:
    config, _ = pg.validate(replace(DEFAULT, **changes))
    return PlaygroundSession(config, pg.make_data(config))


def rate_at(session, epoch):
    trainer = session.trainer
    return learning_rate_at(
        trainer.hp.schedule, trainer.hp.learning_rate, epoch, **trainer.hp.schedule_options
    )


@pytest.mark.parametrize(
    ("schedule", "epoch", "expected"),
    [
        ("step", 99, 0.1),  # lr * 0.5^floor(99 / 100)
        ("step", 100, 0.05),
        ("step", 250, 0.025),
        ("exponential", 100, 0.05),  # lr * 0.5^(100 / 100)
        ("exponential", 50, 0.1 * 0.5**0.5),
        ("cosine", 50, 0.05),  # half way down
        ("cosine", 100, 0.1),  # restarted
        ("cosine", 1000, 0.1),
    ],
)
def test_each_schedule_follows_its_two_controls(schedule, epoch, expected):
    config = replace(DEFAULT, learning_rate=0.1, schedule=schedule, schedule_every=100, schedule_rate=0.5)
    options = schedule_options(config)
    assert learning_rate_at(schedule, 0.1, epoch, **options) == pytest.approx(expected, rel=1e-9)


def test_cosine_keeps_training_after_its_period():
    session = session_for(schedule="cosine", schedule_every=10, learning_rate=0.1)
    session.train_epochs(10)
    assert session.trainer.current_learning_rate() == pytest.approx(0.1)  # epoch 10: restarted
    weights_at_10 = session.network.params.copy()
    session.train_epochs(5)
    assert not np.allclose(session.network.params, weights_at_10)  # still learning


def test_changing_the_period_while_training_changes_the_rate_in_use():
    session = session_for(schedule="step", schedule_every=100, learning_rate=0.1)
    session.train_epochs(20)
    assert session.trainer.current_learning_rate() == pytest.approx(0.1)
    changed = session.update(replace(session.config, schedule_every=10, schedule_rate=0.5))
    assert sorted(changed) == ["schedule_every"]  # the factor was 0.5 already
    assert session.trainer.current_learning_rate() == pytest.approx(0.1 * 0.5**2)  # epoch 20
    assert session.trainer.current_learning_rate() == pytest.approx(rate_at(session, 20))


def test_the_note_says_when_a_schedule_has_all_but_stopped_training():
    config = replace(DEFAULT, learning_rate=0.1, schedule="step", schedule_every=10, schedule_rate=0.1)
    early = pg.learning_rate_note(config, 15, 0.01)
    assert early == "Step schedule: × 0.1 every 10 epochs."
    frozen = pg.learning_rate_note(config, 40, 0.1 * 0.1**4)
    assert "all but stopped" in frozen and "1e-05" in frozen
    assert pg.learning_rate_note(replace(config, schedule="constant"), 40, 0.1) is None
    cosine = pg.learning_rate_note(replace(config, schedule="cosine"), 15, 0.05)
    assert cosine == "Cosine schedule: the rate falls to 0 and restarts at 0.1 at epoch 20."


def test_schedule_controls_travel_in_the_link():
    config = replace(DEFAULT, schedule="cosine", schedule_every=40, schedule_rate=0.8)
    decoded, warnings = pg.decode_query(pg.encode_query(config))
    assert warnings == []
    assert (decoded.schedule, decoded.schedule_every, decoded.schedule_rate) == ("cosine", 40, 0.8)
