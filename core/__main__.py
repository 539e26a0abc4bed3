"""`python -m core ...`: the engine's command line (train, evaluate, predict). See core/cli.py."""

from core.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
