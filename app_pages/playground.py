"""Playground: pick a 2-D data set, shape a network, press Play and watch it learn.

Layout only: the parts of the page are in app_pages/playground_parts/ (sidebar controls, toolbar,
live view, panels), the logic in core/playground/ (configuration, widgets <-> configuration, URL
sharing, live session, experiments, pacing of live updates) and the charts in core/figures/.

How the page stays live: the charts that move (epoch counter, decision boundary, loss curves,
network diagram) are drawn by the live view, a fragment re-run by a browser timer
(`st.fragment(run_every=...)`). Play and Pause are buttons OUTSIDE the fragment whose callbacks
set `pg_playing` in session_state; the following full run registers the fragment with a timer
(playing) or without one (paused). Each timer tick trains a time-budgeted slice of epochs on the
core trainer, then redraws. When training stops by itself (divergence, early stopping) the
fragment triggers a full run, which stops the timer and shows the message.

State: everything about a student (config, data, network, trainer, playing flag, experiment
results) is in st.session_state under keys starting with "pg_"; each part receives what it draws
as arguments. The only objects shared between users are the LoadMonitor that counts training
sessions for pacing and the data cache (app_pages/playground_parts/resources.py).
"""

import streamlit as st

from app_pages import plain_text
from app_pages.playground_parts import (
    challenge_panel,
    controls,
    experiment_panels,
    export_panel,
    fit1d_panel,
    health_panel,
    history_panel,
    inspector,
    live,
    points,
    share,
    state,
    toolbar,
)
from core import playground as pg

# On a phone the control bar and the plane must be in view together (issue 19, item 8): a smaller
# title without its intro line, and the numbers three to a row in a smaller type.
PHONE_CSS = """<style>
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }
  [data-testid="stMain"] h1 { font-size: 1.7rem; padding: 0.25rem 0; }
  [data-testid="stMain"] [data-testid="stCaptionContainer"]:has(code) { display: none; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stElementContainer"] [data-testid="stMetric"]) {
    gap: 0.5rem !important;
  }
  [data-testid="stElementContainer"]:has([data-testid="stMetric"]),
  [data-testid="stMetric"] { width: 108px !important; }
  [data-testid="stMetricValue"] { font-size: 1.3rem; }
  [data-testid="stMetricLabel"] p { font-size: 0.75rem; }
}
</style>"""

# ----------------------------------------------------------------------------- configuration
st.html(PHONE_CSS)
st.title("🎛️ Playground")
st.caption(
    "Pick a data set, shape the network in the sidebar, press **Play** and watch it learn. "
    "Everything is computed live by the NumPy engine in `core/`."
)
# The control bar: Play/Pause, Step, Reset, then the data set and the learning rate (filled below,
# once the configuration and the session exist), all above the plane.
bar = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
buttons = bar.container(horizontal=True, vertical_alignment="bottom", width="content")
previous = state.start(st.query_params.to_dict())
config = controls.sidebar_controls(previous, st.session_state.pg_drawn, bar)
st.session_state.pg_config = config
query = pg.encode_query(config)
if st.query_params.to_dict() != query:
    st.query_params.from_dict(query)  # the URL always describes the page: copy it to share

for warning in st.session_state.get("pg_url_warnings", []):
    plain_text.warning(f"Link: {warning}", icon="🔗")  # a link's values are shown as text
st.session_state.pg_url_warnings = []  # shown once

session = state.ensure_session(config)
playing = bool(st.session_state.get("pg_playing")) and session is not None
toolbar.toolbar(session, playing, st.session_state.get("pg_notice"), buttons)
challenge_panel.challenge_panel(session, config)  # a classroom challenge, if one is active
if config.dataset == "points":
    points.points_toolbar(st.session_state.pg_drawn, playing)

# ----------------------------------------------------------------------------- live view
session_id = st.session_state.pg_session_id
timer = live.register_timer(session_id, config, playing)
if session is not None:
    live.live_view(session_id, timer)

# ----------------------------------------------------------------------------- panels
PANELS = (
    ("inspector", "🔍 Neuron"),
    ("health", "🩺 Health"),
    ("history", "📚 Runs"),
    ("fit1d", "📈 1-D fit"),
    ("compare", "⚖️ vs scikit-learn"),
    ("race", "🏁 Optimizer race"),
    ("search", "🧪 Architecture search"),
    ("gif", "🎞️ GIF"),
    ("export", "📦 Export"),
    ("share", "🔗 Share"),
)
tabs = [(name, label) for name, label in PANELS if name not in config.hide]
if session is not None and tabs:
    # Only the open tab runs and is sent (a tab change reruns the page): the closed ones held
    # seconds of the first view (the inspector's charts, the experiments' controls).
    opened = st.tabs([label for _, label in tabs], key="pg_tab", on_change="rerun")
    for tab, (name, _) in zip(opened, tabs):
        if not tab.open:
            continue
        with tab:
            if name == "inspector":
                inspector.neuron_panel(session, playing)
            elif name == "health":
                health_panel.health_panel(session, playing)
            elif name == "history":
                history_panel.history_panel(session, config)
            elif name == "fit1d":
                fit1d_panel.fit1d_panel(config)
            elif name == "export":
                export_panel.export_panel(session, config)
            elif name == "compare":
                experiment_panels.compare_panel(session, config)
            elif name == "race":
                experiment_panels.race_panel(session, config)
            elif name == "search":
                experiment_panels.search_panel(session, config)
            elif name == "gif":
                experiment_panels.gif_panel(session, config)
            else:
                share.share_panel(config)
