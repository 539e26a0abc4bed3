"""Draw: draw a digit (or upload a photo of one) and watch the network read it.

Widgets and layout only: preprocessing, prediction and the model's description are
core/vision/prediction.py (which uses core/vision/digits.py, MNIST's own recipe), the figures
core/figures/images.py. The model is the one the learner sent from the MNIST page (kept in
st.session_state under DRAW_MODEL_KEY), else the shipped model, loaded once per server process
and shared read-only by everyone.
"""

import streamlit as st

from app_pages import model_files, plain_text
from app_pages.draw_parts import teach
from app_pages.session_keys import DRAW_MODEL_KEY, DRAW_MODEL_LABEL_KEY
from core.figures import images as figures
from core.vision.prediction import check_digit_model, describe_model, predict_digit, predict_upload
from core.vision.shipped_model import SHIPPED_MODEL_PATH, load_shipped_model
from core.vision.uploads import MAX_UPLOAD_BYTES

CANVAS_SIDE = 280  # 10 screen pixels per pixel of the 28x28 image the network sees
INPUTS = ("Draw", "Upload a picture")

state = st.session_state
state.setdefault("draw_canvas_version", 0)


@st.cache_resource(show_spinner="Loading the model ...")
def shipped_model():
    # Shared by every session: prediction only reads the weights, so one copy is enough.
    return load_shipped_model()


def clear_canvas() -> None:
    # A new key gives a brand-new, empty canvas.
    state.draw_canvas_version += 1


def use_shipped_model() -> None:
    state.pop(DRAW_MODEL_KEY, None)
    state.pop(DRAW_MODEL_LABEL_KEY, None)


def model_file_section() -> None:
    """Load a model file: validated as every model file, then checked to read 28x28 digits."""
    with st.expander("📂 Load a model file"):
        loaded = model_files.uploaded_model("draw_model_upload")
        if loaded is None:
            return
        model, file_name = loaded
        try:
            check_digit_model(model)
        except ValueError as error:  # DigitModelError: it does not read 28x28 digit images
            plain_text.error(f"{file_name} cannot read drawn digits: {error}.")
            return
        if state.get("draw_applied_upload") is not model:  # a new file (not one set aside since)
            state.draw_applied_upload = model
            state[DRAW_MODEL_KEY] = model
            state[DRAW_MODEL_LABEL_KEY] = file_name
            st.rerun()  # the model line above shows the new model


st.title("✏️ Draw a digit")

# ---- which model
model = state.get(DRAW_MODEL_KEY)
if model is not None:
    c_text, c_button = st.columns([4, 1])
    label = state.get(DRAW_MODEL_LABEL_KEY)
    if label:  # a file's name: shown as text
        c_text.info(f"Model: the file {plain_text.as_text(label)}: {describe_model(model)}.")
    else:
        c_text.info(f"Model: **your network from the MNIST page**: {describe_model(model)}.")
    c_button.button("Use the shipped model", key="draw_use_shipped", on_click=use_shipped_model)
else:
    try:
        model = shipped_model()
    except ValueError as error:  # missing or damaged file: ModelFileError says which
        plain_text.error(f"The shipped model cannot be loaded: {error}")
        st.stop()
    st.caption(
        f"Model: the shipped network `{SHIPPED_MODEL_PATH.parent.name}/"
        f"{SHIPPED_MODEL_PATH.name}` ({describe_model(model)}). Train your own on the MNIST page "
        "and press *Use this model on the Draw page* to try it here."
    )

model_file_section()

# ---- a copy taught the student's digits replaces the model above until they go back
base_model = model
model = teach.model_in_use(base_model)
if teach.is_taught(model):
    c_text, c_button = st.columns([4, 1])
    c_text.success(
        f"Predicting with **a copy of that model taught your {model.provenance['taught']['examples']} "
        "example(s)**; the original is unchanged."
    )
    c_button.button(
        "Back to the original model", key="draw_back_to_original", on_click=teach.back_to_original
    )

# ---- input
# The canvas component refuses to be imported outside a running Streamlit app, so it is imported
# here, in the page, and its absence only costs the drawing (uploads still work).
try:
    from streamlit_drawable_canvas import st_canvas
except Exception as error:  # noqa: BLE001 - whatever went wrong, fall back to uploads
    st_canvas = None
    st.warning(f"The drawing canvas is not available ({error}); upload a picture instead.")

left, right = st.columns([1, 1], gap="large")
prediction = None
with left:
    choice = st.radio(
        "Input",
        INPUTS if st_canvas else INPUTS[1:],
        horizontal=True,
        key="draw_input",
        label_visibility="collapsed",
    )
    if choice == "Draw":
        c_width, c_clear = st.columns([2, 1], vertical_alignment="bottom")
        stroke = c_width.slider("Pen width", 6, 40, 18, key="draw_stroke")
        c_clear.button(
            "Clear",
            key="draw_clear",
            on_click=clear_canvas,
            help="Start again on an empty canvas (the canvas toolbar also has undo)",
        )
        result = st_canvas(
            stroke_width=stroke,
            stroke_color="#FFFFFF",
            background_color="#000000",
            width=CANVAS_SIDE,
            height=CANVAS_SIDE,
            drawing_mode="freedraw",
            return_image_data=True,
            update_streamlit=True,
            key=f"draw_canvas_{state.draw_canvas_version}",
        )
        image = getattr(result, "image_data", None) if result is not None else None
        st.caption(
            "Draw with the mouse or a finger: white on black, like MNIST. Big and centred "
            "is not needed: the preprocessing crops, scales and centres it."
        )
        if image is not None:
            prediction = predict_digit(model, image)
    else:
        upload = st.file_uploader(
            "A PNG or JPEG of one digit (dark on light paper or light on dark)",
            type=["png", "jpg", "jpeg"],
            key="draw_upload",
            max_upload_size=max(1, MAX_UPLOAD_BYTES // 1_000_000),
        )
        if upload is not None:
            try:
                prediction = predict_upload(model, upload.getvalue())
            except ValueError as error:  # ImageUploadError: type, size, dimensions, bombs
                plain_text.error(error)
            else:
                st.image(upload.getvalue(), caption="Your picture", width=CANVAS_SIDE)

# ---- output
with right:
    if prediction is not None and prediction.is_empty and choice != "Draw":
        # An upload with no digit found: say why, and show what the preprocessing saw.
        st.warning(f"No digit found: {prediction.digit.empty_reason}.")
        if prediction.digit.seen is not None:
            st.image(
                prediction.digit.seen,
                caption="What the preprocessing saw (white = darker than the paper around it)",
                clamp=True,
                width=CANVAS_SIDE,
            )
    elif prediction is None or prediction.is_empty:
        verb = "Draw" if choice == "Draw" else "Upload a picture of"
        st.info(f"{verb} a digit: the network's guess appears here.")
    else:
        st.metric(
            "Prediction",
            prediction.predicted_class,
            delta=f"{prediction.confidence:.1%} confident",
            delta_color="off",
            delta_arrow="off",
            help="The class with the highest softmax probability, and that probability.",
        )
        st.caption(f"Preprocessing + prediction took {prediction.milliseconds:.1f} ms on the server.")
        st.plotly_chart(
            figures.probability_figure(
                prediction.probabilities, prediction.class_names, prediction.predicted_index
            ),
            key="draw_probs",
        )
        teach.correction_form(prediction)

if prediction is not None and not prediction.is_empty:
    c_image, c_act = st.columns([1, 2])
    c_image.plotly_chart(figures.digit_image_figure(prediction.digit.pixels), key="draw_seen")
    c_image.caption(
        "Cropped, scaled to 20 px and centred by its centre of mass in 28×28, as MNIST's digits were."
    )
    if prediction.hidden_activations:
        c_act.plotly_chart(figures.activations_figure(prediction.hidden_activations), key="draw_activations")
    else:
        c_act.info("This model has no hidden layer: the pixels go straight into the softmax.")

names = list(model.class_names) or [str(i) for i in range(model.network.n_outputs)]
teach.teach_section(base_model, names)
