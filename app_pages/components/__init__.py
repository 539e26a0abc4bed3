"""JavaScript shared by the app's canvas components (st.components.v2, inline): `with_common`
puts canvas_common.js (axis ticks and their labels) in front of a component's own script, so
the Playground's live canvas and the MNIST page's curves draw their axes with one piece of code."""

from pathlib import Path

COMMON_JS = (Path(__file__).with_name("canvas_common.js")).read_text(encoding="utf-8")


def with_common(script_path: Path) -> str:
    """The component's script (a file next to its Python module) after the shared helpers."""
    return COMMON_JS + "\n" + Path(script_path).read_text(encoding="utf-8")
