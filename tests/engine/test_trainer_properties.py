"""Property-based: random configurations and data either train or raise a clear ValueError.

Never another exception, and never NaN in silence: when training did not stop with a reason,
every weight and every recorded loss is finite."""

import math

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from core.engine.activations import ACTIVATIONS
from core.engine.initializers import INITIALIZERS
from core.engine.network import Network
from core.engine.optimizers import OPTIMIZERS
from core.engine.schedules import SCHEDULES
from core.engine.trainer import Trainer

HEADS = ["sigmoid_bce", "softmax_ce", "linear_mse"]
bad_numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=32), st.integers(-5, 0), st.just(1e6)
)


def mostly(valid, invalid):
    """Valid nine times out of ten, so most examples get past validation and really train."""
    return st.integers(0, 9).flatmap(lambda k: invalid if k == 0 else valid)


@st.composite
def configurations(draw):
    n_features = draw(st.integers(1, 4))
    hidden = draw(st.lists(mostly(st.integers(1, 12), st.integers(-1, 0)), max_size=3))
    head = draw(st.sampled_from(HEADS))
    n_out = draw(mostly(st.just(1 if head != "softmax_ce" else 3), st.integers(0, 4)))
    n = draw(mostly(st.integers(2, 40), st.integers(0, 1)))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    X = rng.normal(size=(n, n_features)) * draw(st.sampled_from([1.0, 1.0, 1e3, 1e20]))
    if n and draw(mostly(st.just(False), st.just(True))):
        X[rng.integers(n), 0] = draw(st.sampled_from([np.nan, np.inf]))
    if head == "linear_mse":
        y = rng.normal(size=n)
    else:
        y = rng.integers(0, max(n_out, 2), size=n)
    return dict(
        sizes=[n_features, *hidden, n_out],
        activation=draw(mostly(st.sampled_from(sorted(ACTIVATIONS)), st.just("swish"))),
        head=head,
        init=draw(st.sampled_from(sorted(INITIALIZERS))),
        X=X,
        y=y,
        learning_rate=draw(mostly(st.sampled_from([1e-3, 0.05, 1.0, 10.0, 100.0]), bad_numbers)),
        optimizer=draw(mostly(st.sampled_from(sorted(OPTIMIZERS)), st.just("lbfgs"))),
        batch_size=draw(mostly(st.integers(1, 64), st.one_of(st.integers(-1, 0), st.just(2.5)))),
        l1=draw(mostly(st.sampled_from([0.0, 1e-3, 1.0]), bad_numbers)),
        l2=draw(mostly(st.sampled_from([0.0, 1e-3, 1.0]), bad_numbers)),
        dropout=draw(mostly(st.sampled_from([0.0, 0.0, 0.3, 0.9]), st.floats(-0.5, 1.5))),
        schedule=draw(mostly(st.sampled_from(sorted(SCHEDULES)), st.just("warmup"))),
        epochs=draw(st.integers(1, 3)),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configurations())
def test_trainer_trains_or_raises_value_error(cfg):
    try:
        net = Network(cfg["sizes"], cfg["activation"], cfg["head"], cfg["init"], rng=0)
        trainer = Trainer(
            net,
            cfg["X"],
            cfg["y"],
            cfg["X"],
            cfg["y"],
            learning_rate=cfg["learning_rate"],
            optimizer=cfg["optimizer"],
            batch_size=cfg["batch_size"],
            l1=cfg["l1"],
            l2=cfg["l2"],
            dropout=cfg["dropout"],
            schedule=cfg["schedule"],
            seed=0,
        )
    except ValueError as error:
        assert str(error), "a ValueError must say what is wrong"
        event("refused with ValueError")
        return
    with np.errstate(all="ignore"):  # overflow inside a diverging run is expected; NaN out is not
        records = trainer.train_epochs(cfg["epochs"])
    event("stopped: diverged" if trainer.stopped else "trained")
    if trainer.stopped:  # no early stopping was asked for: divergence is the one way to stop
        assert trainer.stop_kind == "diverged" and "diverged" in trainer.stop_reason
        assert len(records) < cfg["epochs"]
    else:
        assert [r.epoch for r in records] == list(range(1, cfg["epochs"] + 1))
    assert np.all(np.isfinite(net.params)), "weights must never be left NaN/inf"
    for record in records:
        assert math.isfinite(record.train_loss) and math.isfinite(record.val_loss)
