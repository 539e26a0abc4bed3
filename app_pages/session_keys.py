"""Keys of st.session_state that more than one page uses (a page's own keys stay in the page).

The MNIST page leaves the model a learner chose under DRAW_MODEL_KEY, and the Draw page reads it
from there; core never sees these names, it only receives the model.
"""

DRAW_MODEL_KEY = "draw_model"
