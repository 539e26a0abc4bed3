"""The parts of the Playground page (app_pages/playground.py), one module each:

- `resources`: what one server process shares between students (the load monitor, the data cache);
- `state`: one student's state in st.session_state: first visit, the buttons' callbacks, the live
  session;
- `controls`: the sidebar, which returns the configuration it describes;
- `points`: the "Your points" data set: a click on the canvas's plane adds or removes a point;
- `toolbar`: Play / Pause, Step, Reset and what the run says (data size, a stop's reason);
- `live`: the live view, a fragment re-run by a browser timer (train in slices, a frame each);
- `live_canvas`: the canvas that draws the live view in the browser (boundary, curves, diagram),
  playing and paused, with its JavaScript in `live_canvas.js`;
- `inspector`, `experiment_panels`, `share`: the tabs under the live view.

Every function takes what it draws as arguments (the configuration, the session, whether it is
playing); what belongs to a student lives in st.session_state only, never in module globals
(these modules are imported once per server process and shared by every student).
"""

from types import MappingProxyType

W = "pg_w_"  # the key of a control's widget: W + its widget name (core/playground/widgets.py)
CHART_CONFIG = MappingProxyType({"displayModeBar": False})  # read-only, like every constant
