"""Training and inspecting image models (MNIST, Fashion-MNIST, scikit-learn's 8x8 digits).

Everything the MNIST page does that is not a widget lives here, so it can be tested without a
browser and read on its own, one concept per module:

* `config`: the settings a learner chooses (`TrainingConfig`) and their limits;
* `datasets`: which image sets exist (`IMAGE_DATASETS`), finding a folder, downloading, loading;
* `local_folders`: the operator's data roots, the only places a typed folder may be loaded from;
* `pixels`: uint8 images -> network inputs (pixel / 255, flattened);
* `run`: `ImageTrainingRun`, a `Trainer` trained in slices of wall time, with augmentation;
* `evaluation`: test accuracy, loss, confusion matrix, per-class accuracy, the worst mistakes;
* `inspection`: the robustness probe, a PCA map of a hidden layer, first-layer weight images;
* `live_curves`: the curves of a run as compact numbers for the page's live canvas;
* `url`: the settings as a link (a teacher opens a student's submission with it).
"""

from core.mnist.config import (
    BATCH_SIZES,
    LEARNING_RATES,
    MAX_EPOCHS,
    MAX_HIDDEN_LAYERS,
    MAX_HIDDEN_WIDTH,
    ImageTrainingError,
    TrainingConfig,
    train_image_choice,
)
from core.mnist.datasets import (
    DOWNLOADABLE,
    IMAGE_DATASETS,
    DownloadProgress,
    default_local_folder,
    download_image_data,
    load_image_data,
    resolve_folder,
)
from core.mnist.evaluation import (
    GALLERY_SIZE,
    Evaluation,
    Mistake,
    confusion_matrix,
    evaluate_network,
    per_class_accuracy,
)
from core.mnist.inspection import (
    PROBE_IMAGES,
    PCAMap,
    RobustnessProbe,
    first_layer_weight_images,
    hidden_layer_pca,
    robustness_probe,
)
from core.mnist.live_curves import live_curve_data
from core.mnist.local_folders import (
    DATA_ROOTS_ENV_VAR,
    data_roots,
    find_local_folder,
    kind_warning,
    load_local_folder,
    resolve_local_folder,
    roots_in_words,
    shown_folder,
)
from core.mnist.pixels import PIXEL_SCALE, enlarged, flatten_images
from core.mnist.run import ImageTrainingRun, decimate, run_to_train

__all__ = [
    "BATCH_SIZES",
    "LEARNING_RATES",
    "DOWNLOADABLE",
    "DownloadProgress",
    "Evaluation",
    "GALLERY_SIZE",
    "IMAGE_DATASETS",
    "ImageTrainingError",
    "ImageTrainingRun",
    "MAX_EPOCHS",
    "MAX_HIDDEN_LAYERS",
    "MAX_HIDDEN_WIDTH",
    "Mistake",
    "PCAMap",
    "PIXEL_SCALE",
    "PROBE_IMAGES",
    "RobustnessProbe",
    "TrainingConfig",
    "confusion_matrix",
    "decimate",
    "default_local_folder",
    "DATA_ROOTS_ENV_VAR",
    "data_roots",
    "find_local_folder",
    "kind_warning",
    "live_curve_data",
    "load_local_folder",
    "resolve_local_folder",
    "roots_in_words",
    "shown_folder",
    "download_image_data",
    "enlarged",
    "evaluate_network",
    "first_layer_weight_images",
    "flatten_images",
    "hidden_layer_pca",
    "load_image_data",
    "per_class_accuracy",
    "resolve_folder",
    "train_image_choice",
    "robustness_probe",
    "run_to_train",
]
