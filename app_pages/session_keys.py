"""Keys of st.session_state that more than one page uses (a page's own keys stay in the page).

The MNIST page leaves the model a learner chose under DRAW_MODEL_KEY, and the Draw page reads it
from there; core never sees these names, it only receives the model.
"""

DRAW_MODEL_KEY = "draw_model"
# What that model is, as shown on the Draw page (a file name is shown as text, never as Markdown).
DRAW_MODEL_LABEL_KEY = "draw_model_label"

# The Classroom page leaves a student's seat (app_pages/classroom_parts/store_access.Seat) and the
# challenge they started here; the Playground's challenge panel reads both to check and submit.
CLASSROOM_SEAT_KEY = "classroom_seat"
CLASSROOM_CHALLENGE_KEY = "classroom_challenge"
