"""MNIST: train a network on real images (MNIST, Fashion-MNIST or the small 8x8 digits) and look inside.

Widgets and layout only: loading, training, evaluation and every figure come from core/mnist/
and core/figures/images.py; the data sources, the live curves canvas and the classroom
challenge panel are in app_pages/mnist_parts/. Per-user state lives in st.session_state: the
loaded data set, the training run, and whether training is playing.

Training stays responsive on 60,000 images because it runs in short slices: while playing, a
fragment reruns every 0.25 s and trains about 120 ms each time (the trainer keeps its place
inside an epoch between slices). Only the fragment is redrawn, and its curves are drawn by a
small canvas component from a few hundred numbers; interactive Plotly charts come back once
training pauses. So Pause and Resume, outside the fragment, wait at most one short slice.
"""

import streamlit as st

from app_pages import plain_text
from app_pages.mnist_parts import challenge_panel as challenges
from app_pages.mnist_parts import data_source, health_view, model_upload, run_history, save_tab
from app_pages.mnist_parts.live_curves import live_curves
from core import mnist
from core.classroom.challenges import BY_KEY, OFFLINE_IMAGE_DATASETS
from core.engine.activations import ACTIVATIONS
from core.engine.optimizers import OPTIMIZERS
from core.figures import images as figures
from core.mnist import url as mnist_url

TICK_MS = 120  # training time per slice; the rest of the 0.25 s tick is left for the page
TICK_SECONDS = 0.25
LEARNING_RATES = list(mnist.LEARNING_RATES)
BATCH_SIZES = list(mnist.BATCH_SIZES)
DEFAULTS = challenges.widget_values(mnist.TrainingConfig())  # the widgets' first values

state = st.session_state
state.setdefault("mnist_playing", False)
state.setdefault("mnist_run", None)
state.setdefault("mnist_dataset", None)
for widget_key, value in DEFAULTS.items():
    state.setdefault(widget_key, value)


def set_dataset(dataset) -> None:
    state.mnist_dataset = dataset
    state.mnist_run = None  # a run belongs to the data set it was built for
    state.mnist_playing = False


def read_config(dataset) -> mnist.TrainingConfig:
    """The settings from the widgets' values in session_state (also callable from a callback,
    which runs before the script has redrawn the widgets), with a challenge's locked settings
    forced back to the challenge's. Raises ValueError for bad input."""
    config = mnist.TrainingConfig.from_text(
        state.mnist_hidden,
        activation=state.mnist_activation,
        optimizer=state.mnist_optimizer,
        learning_rate=float(state.mnist_lr),
        batch_size=int(state.mnist_batch),
        epochs=int(state.mnist_epochs),
        augment=bool(state.mnist_augment),
        n_train=int(state.get(challenges.n_train_key(dataset), dataset.n_train)),
    )
    challenge = challenges.active_challenge()
    return config if challenge is None else challenge.locked(config)


def start_challenge_here(key: str) -> None:
    """Set the page up for the challenge the Classroom page started: its data set, its base
    settings in the widgets (before they are drawn) and no run yet."""
    challenge = BY_KEY.get(key)
    if challenge is None or challenge.page != "mnist":
        return
    set_dataset(data_source.load_dataset(challenge.image_dataset, None))
    state.mnist_source = data_source.DIGITS
    state.update(challenges.widget_values(challenge.base))


# ----------------------------------------------------------------------------- callbacks
def play() -> None:
    run, dataset = state.mnist_run, state.mnist_dataset
    try:
        state.mnist_run = mnist.run_to_train(run, dataset, read_config(dataset))
    except ValueError as error:  # every user-facing error from core is a ValueError
        state.mnist_error = str(error)
        return
    if run is not None and state.mnist_run is not run:
        run_history.keep(run)  # new settings started a new run: the old one joins the history
    state.mnist_playing = True


def pause() -> None:
    state.mnist_playing = False


def start_over() -> None:
    run_history.keep(state.mnist_run)
    state.mnist_run = None
    state.mnist_playing = False


def load_challenge_data() -> None:
    challenge = challenges.active_challenge()
    if challenge is not None:
        set_dataset(data_source.load_dataset(challenge.image_dataset, None))


def open_settings_link(query) -> None:
    """A link with settings (a teacher opening a student's submission) sets the widgets once per
    visit of that link, and its offline data set is loaded; what the link got wrong is said."""
    link = mnist_url.settings_from_query(query)
    state.update(challenges.widget_values(link.config))
    state.mnist_link_warnings = link.warnings
    if link.dataset in OFFLINE_IMAGE_DATASETS:
        set_dataset(data_source.load_dataset(link.dataset, None))
        state.mnist_source = data_source.DIGITS


# ----------------------------------------------------------------------------- page
if challenges.START_KEY in state:
    start_challenge_here(str(state.pop(challenges.START_KEY)))
query = st.query_params.to_dict()
if mnist_url.is_settings_link(query) and state.get("mnist_link_applied") != query:
    state.mnist_link_applied = query  # the widgets are the student's again on the next run
    open_settings_link(query)
challenge = challenges.active_challenge()
locked = challenges.locked_widgets(challenge)

st.title("🔢 MNIST: train on real images")
st.caption(
    "70,000 handwritten digits (or pieces of clothing), 28×28 pixels each. Choose a network, "
    "train it live, then look at what it learned and where it fails."
)
for warning in state.pop("mnist_link_warnings", []):
    plain_text.warning(f"Link: {warning}", icon="🔗")  # a link's values are shown as text
if challenge is not None:
    challenges.challenge_panel(challenge, state.mnist_run)
    loaded = state.mnist_dataset
    if loaded is None or loaded.name != challenge.image_dataset:
        st.warning(f"This challenge is checked on the {mnist.IMAGE_DATASETS[challenge.image_dataset]}.")
        st.button("Load the challenge's images", key="mnist_challenge_data", on_click=load_challenge_data)

# ---- data
with st.container(border=True):
    st.subheader("1. Data")
    data_source.data_section(set_dataset)

    dataset = state.mnist_dataset
    if dataset is not None:
        plain_text.success(dataset.source)
        # Plain pictures, not a Plotly grid: they cost nothing on every rerun (Pause, Resume).
        st.image(
            list(mnist.enlarged(dataset.X_train[:16])),
            caption=[str(dataset.class_names[y]) for y in dataset.y_train[:16]],
            width=72,
        )

if dataset is None:
    st.info("Load a data set above to start.")
    st.stop()

# ---- network and training settings
with st.container(border=True):
    st.subheader("2. Network and training")
    c1, c2, c3, c4 = st.columns(4)
    c1.text_input(
        "Hidden layers",
        key="mnist_hidden",
        disabled="hidden_layers" in locked,
        help="Neurons per hidden layer, comma-separated (e.g. 256,128); empty for none. "
        f"At most {mnist.MAX_HIDDEN_LAYERS} layers of {mnist.MAX_HIDDEN_WIDTH}.",
    )
    # The widgets' values start in session_state (DEFAULTS, or a challenge's base settings).
    c2.selectbox("Activation", list(ACTIVATIONS), key="mnist_activation", disabled="activation" in locked)
    c3.selectbox("Optimizer", list(OPTIMIZERS), key="mnist_optimizer", disabled="optimizer" in locked)
    c4.select_slider("Learning rate", LEARNING_RATES, key="mnist_lr", disabled="learning_rate" in locked)
    c1, c2, c3, c4 = st.columns(4)
    c1.select_slider("Batch size", BATCH_SIZES, key="mnist_batch", disabled="batch_size" in locked)
    c2.number_input("Epochs", 1, mnist.MAX_EPOCHS, key="mnist_epochs", disabled="epochs" in locked)
    images = mnist.train_image_choice(dataset.n_train)
    if images is not None:
        c3.slider(
            "Training images",
            images.low,
            images.high,
            images.value,
            step=images.step,
            key=challenges.n_train_key(dataset),
            disabled="n_train" in locked,
            help="A random subset of the training images (10 % of it is held out for the "
            "validation curve). Fewer images train faster; all of them generalize better.",
        )
    else:
        c3.caption(f"All {dataset.n_train} training images are used.")
    c4.checkbox(
        "Augmentation",
        key="mnist_augment",
        disabled="augment" in locked,
        help="From the second epoch on, every epoch trains on freshly distorted copies of "
        "the images: small random shifts, rotations, zooms and stroke widths. Slower "
        "to fit, but the network copes far better with real handwriting.",
    )
    try:
        config = read_config(dataset)
    except ValueError as error:
        config = None
        st.error(str(error))

    run = state.mnist_run
    if "mnist_error" in state:
        st.error(state.pop("mnist_error"))
    playing = state.mnist_playing
    finished = run is not None and run.finished
    b1, b2, b3, note = st.columns([1, 1, 1, 3])
    b1.button(
        "▶ Resume" if run is not None and run.started else "▶ Train",
        key="mnist_play",
        on_click=play,
        disabled=playing or finished or config is None,
        type="primary",
    )
    b2.button("⏸ Pause", key="mnist_pause", on_click=pause, disabled=not playing)
    b3.button("↺ Start over", key="mnist_reset", on_click=start_over, disabled=run is None)
    if run is not None and run.settings_changed(config):
        note.caption("The settings changed: press **Start over** to train a new network with them.")
    elif finished:
        note.caption("Training finished. **Start over** to train again.")


# ---- live training
@st.fragment(run_every=TICK_SECONDS if state.mnist_playing else None)
def live_training() -> None:
    run = state.mnist_run
    if run is None:
        st.info("Press **Train** to build the network and start training.")
        return
    if state.mnist_playing:
        try:
            run.train_slice(TICK_MS)
        except ValueError as error:
            state.mnist_playing = False
            st.error(str(error))
        if run.finished:
            # Redraw the whole page: results appear and the fragment stops ticking.
            state.mnist_playing = False
            st.rerun()
    config = run.config
    st.progress(
        run.epoch_fraction,
        text=f"Epoch {run.epoch_shown} of {config.epochs}: "
        f"{run.epoch_fraction:.0%} of {run.n_train:,} images",
    )
    st.progress(run.overall_progress, text=f"All epochs: {run.overall_progress:.0%}")
    if run.stop_reason:
        st.warning(run.stop_reason)
    m1, m2, m3, m4 = st.columns(4)
    last = run.history[-1] if run.history else None
    m1.metric("Epochs done", f"{run.epoch} / {config.epochs}")
    m2.metric("Train loss", f"{last.train_loss:.4f}" if last else "–")
    m3.metric("Train accuracy", f"{last.train_metric:.1%}" if last else "–")
    m4.metric(
        "Validation accuracy",
        f"{last.val_metric:.1%}" if last and last.val_metric is not None else "–",
        help=f"On {run.n_val:,} held-out training images the network never trains on.",
    )
    if state.mnist_playing:
        # A few hundred numbers for the canvas: the browser repaints in well under a millisecond.
        live_curves(mnist.live_curve_data(run, playing=True))
    else:  # paused or finished: interactive charts, with hover and zoom
        left, right = st.columns(2)
        epochs, losses = run.batch_loss_curve(500)
        left.plotly_chart(figures.batch_loss_figure(epochs, losses), key="mnist_batch_loss")
        right.plotly_chart(figures.epoch_curves_figure(run.history), key="mnist_epoch_curves")
    health_view.health_view(run, state.mnist_playing)
    if config.augment and run.augment_seconds:
        st.caption(f"Time spent distorting images for augmentation so far: {run.augment_seconds:.1f} s.")


model_upload.load_panel(dataset)
st.subheader("3. Training")
live_training()

# ---- results
run = state.mnist_run
if run is None or not run.started or state.mnist_playing:
    st.stop()

st.subheader("4. Results on the test images")
if not run.finished:
    st.caption(f"Training is paused after {run.epoch} epoch(s): these results are for the current weights.")
evaluation = run.evaluate()
names = list(dataset.class_names)
m1, m2, m3 = st.columns(3)
m1.metric(
    "Test accuracy",
    f"{evaluation.accuracy:.2%}",
    help=f"On {evaluation.n:,} test images the network never saw during training.",
)
m2.metric("Test loss", f"{evaluation.loss:.4f}")
m3.metric("Misclassified", f"{evaluation.n_wrong:,}")

# Lazy tabs: the robustness probe, the PCA map and the image galleries take seconds together on
# a slow server, and a Resume pressed meanwhile would wait for them; only the open tab is computed.
RESULT_TABS = [
    "Confusion matrix",
    "Mistakes",
    "First-layer weights",
    "Robustness",
    "Hidden-layer map",
    "Save / use",
    "Runs",
]
tabs = dict(zip(RESULT_TABS, st.tabs(RESULT_TABS, key="mnist_result_tabs", on_change="rerun")))
with tabs["Confusion matrix"]:
    if tabs["Confusion matrix"].open:  # lazy: only the open tab's content runs
        left, right = st.columns([3, 2])
        left.plotly_chart(figures.confusion_matrix_figure(evaluation.confusion, names), key="mnist_confusion")
        right.plotly_chart(
            figures.per_class_accuracy_figure(evaluation.per_class_accuracy, names), key="mnist_per_class"
        )
with tabs["Mistakes"]:
    if tabs["Mistakes"].open:
        if evaluation.mistakes:
            st.caption(
                f"The {len(evaluation.mistakes)} most confident mistakes: some are sloppy "
                "handwriting, some would fool a person too, and a few have wrong labels."
            )
            st.plotly_chart(
                figures.misclassified_gallery_figure(dataset.X_test, evaluation, names), key="mnist_mistakes"
            )
        else:
            st.success("No test image is misclassified.")
with tabs["First-layer weights"]:
    if tabs["First-layer weights"].open:
        what = "first hidden layer" if run.n_hidden_layers else "output layer (one per class)"
        st.caption(
            f"Each image is the weights into one neuron of the {what}, laid out like the pixels "
            "they multiply."
        )
        st.plotly_chart(figures.weight_images_figure(run.first_layer_weights(32)), key="mnist_weights")
with tabs["Robustness"]:
    if tabs["Robustness"].open:
        st.caption(
            "The same test images with growing pixel noise, and rotated further and further. "
            "Train with augmentation and compare."
        )
        st.plotly_chart(figures.robustness_figure(run.robustness()), key="mnist_robustness")
with tabs["Hidden-layer map"]:
    if tabs["Hidden-layer map"].open:
        if run.n_hidden_layers:
            layer = st.columns(4)[0].selectbox(
                "Hidden layer", range(1, run.n_hidden_layers + 1), key="mnist_pca_layer"
            )
            st.caption(
                "Each dot is a test image, placed by the two directions along which this layer's "
                "activations vary most (PCA). Classes the network separates form clusters."
            )
            st.plotly_chart(figures.pca_figure(run.pca(layer), names), key="mnist_pca")
        else:
            st.info("This network has no hidden layer to map.")
with tabs["Save / use"]:
    if tabs["Save / use"].open:
        save_tab.save_tab(run, dataset, evaluation)
with tabs["Runs"]:
    if tabs["Runs"].open:
        run_history.runs_tab(run)
