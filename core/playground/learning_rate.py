"""What the page says about the learning rate in use: its value now, and where the schedule
takes it next (a schedule must never freeze training without saying so)."""

from __future__ import annotations

from core.playground.config import PlaygroundConfig

# Below this share of the chosen rate, a decaying schedule has all but stopped training.
FROZEN_SHARE = 1e-3


def learning_rate_note(config: PlaygroundConfig, epoch: int, rate_now: float) -> str | None:
    """One sentence on the schedule at `epoch`, or None for a constant rate."""
    every, base = config.schedule_every, config.learning_rate
    if config.schedule == "constant":
        return None
    if config.schedule == "cosine":
        restart = (epoch // every + 1) * every
        return f"Cosine schedule: the rate falls to 0 and restarts at {base:g} at epoch {restart:,}."
    if rate_now < FROZEN_SHARE * base:
        return (
            f"The {config.schedule} schedule has brought the rate down to {rate_now:.2g}, under "
            f"1/1000 of {base:g}: training has all but stopped. Choose a constant rate, a "
            "factor nearer 1, or a longer period to go on learning."
        )
    return f"{config.schedule.capitalize()} schedule: × {config.schedule_rate:g} every {every:,} epochs."
