"""Find the digit in a photo of handwriting: even out the light, then keep only the digit's strokes.

A photo is not a drawing: the paper is not one brightness (a lighting gradient, a vignette, a
hand's shadow over a corner), a strip of desk shows at the edge, and ruled lines cross the sheet.
Judging ink by "darker than the border's median" takes all of that for ink. `clean_photo` works
on the gray image (dark ink on light paper, or the reverse, detected) in five steps:

  1. the paper's brightness field: a grey closing (a max filter, then a min filter) with a window
     wider than any pen stroke removes the strokes and keeps the light, including a shadow's edge
     (a closing leaves a step as it is); dividing the photo by it makes the paper 1 everywhere.
     The window is widened while the field still holds a dark patch inside the sheet (a thick
     pen, a photo cropped tight around its digit) and sized to the digit once it is found;
  2. darkness = 1 - photo / paper, thresholded by Otsu's method (never below a fixed floor, so a
     blank sheet's grain is never ink);
  3. ruled lines are long, thin and straight: the thin part of the ink (what a 5 px opening
     removes) is searched for runs along most of the sheet, and they are removed, also where
     they cross the digit (an opening by the stroke's width was tried: it changed nothing on the
     ruled photos and cut fine-pen digits apart);
  4. connected components that touch the photo's border away from its middle, lie in its outer
     frame, or are long flat pieces of a line (desk edges, shadow edges, a line cut by the
     shadow) are not the digit;
  5. the digit is the biggest component near the centre, with the pieces close to it (a "5"'s
     bar written apart); the rest (specks, stray marks) is dropped.

The result is the digit's ink map (1 = ink, soft edges kept) at a working size of at most
WORK_SIDE pixels, which core.vision.digits then crops, scales and centres like any drawing; or,
when nothing is left, the reason, with the darkness map that the page can show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage

# Photos are processed at most this big (longer side): enough for a digit's strokes, and a phone's
# 12-megapixel photo is cleaned in milliseconds instead of seconds.
WORK_SIDE = 400
# The closing window, as a share of the shorter side: wider than a pen stroke (a digit's stroke is
# about a tenth of its height, and the digit rarely fills the whole photo), narrow enough to follow
# the light across the sheet.
BACKGROUND_WINDOW_FRACTION = 0.15
MIN_BACKGROUND_WINDOW = 9
# ... and at least this share of the digit's longer side (found with the first window): a digit's
# stroke is 10-15 % of its height, so a photo cropped tight around the digit gets a wider window.
DIGIT_WINDOW_FRACTION = 0.35
# ... and widened (x1.6, at most this often) while the paper field it gives still holds a patch
# darker than DARK_PAPER times the paper's median away from the border: strokes it left in.
MAX_WINDOW_WIDENINGS = 3
DARK_PAPER = 0.6
# Ink must be at least this much darker than its paper (a share of the paper's brightness) and at
# least this share of the strongest ink: paper grain, JPEG noise and faint smudges are neither.
MIN_DARKNESS = 0.15
RELATIVE_DARKNESS = 0.45
# ... and at least this much darker on the photo's 0..1 scale (dim paper's grain, divided by the
# paper's brightness, would otherwise look like ink).
MIN_CONTRAST = 0.05
# Pixels this close to the border (share of the side) belong to the frame where the desk and the
# shadows' edges show; a component touching the border counts as the digit only when its centre
# lies within the middle CENTRAL_FRACTION of the photo.
CENTRAL_FRACTION = 0.5
# ... and only when it meets the border over less than this share of the side.
MAX_BORDER_CONTACT = 0.25
# A component whose centre lies this close to the border (share of the side) is never the digit.
EDGE_FRACTION = 0.12
FRAME_FRACTION = 0.08
# A component at least this long (share of the shorter side) with less ink than LINE_FILL times
# its length squared is a line (a ruled line, a sheet's edge), not a digit: a "1" as long is
# several times thicker.
LINE_EXTENT = 0.6
LINE_COVER = 0.75  # share of a line's run that must be inked (faint lines break into dashes)
LINE_FILL = 0.04
# A piece of a line: at least SEGMENT_EXTENT of the shorter side long and its box no thicker than
# SEGMENT_FLATNESS of its length + 4 px (a tilt of 1-2 degrees); a "1" that long is thicker.
SEGMENT_EXTENT = 0.2
SEGMENT_FLATNESS = 0.04
# Pieces of a digit: at least this share of the main component's ink, and no farther from its
# box than this share of the box's longer side.
COMPANION_AREA = 0.08
COMPANION_GAP = 0.35
# The digit must be this big: a share of the working image's pixels, and its box's longer side a
# share of the shorter side of the photo.
MIN_DIGIT_AREA = 0.001
MIN_DIGIT_EXTENT = 0.05

NO_INK = "nothing on the sheet is darker than its paper: the photo looks blank"
ONLY_CLUTTER = (
    "only marks at the border (desk edges, shadows), ruled lines or small specks were found, "
    "no digit near the middle of the photo"
)


@dataclass(frozen=True, eq=False)
class CleanedPhoto:
    """What `clean_photo` found.

    ink: (h, w) float32 in [0, 1], 1 = ink: the digit's strokes only, zero elsewhere (all zero
        when no digit was found).
    darkness: (h, w) float32 in [0, 1]: how much darker than its paper each pixel is, once the
        light is evened out (what the preprocessing saw, for the page to show).
    scale: working size / input size (1.0 when the photo was not shrunk).
    reason: why there is no digit, or "" when there is one.
    """

    ink: np.ndarray
    darkness: np.ndarray
    scale: float
    reason: str

    @property
    def found(self) -> bool:
        return not self.reason


def clean_photo(gray: np.ndarray) -> CleanedPhoto:
    """Find the digit in an (H, W) float32 gray photo in [0, 1] (either polarity)."""
    work, scale = _working_copy(gray)
    if _ink_is_light(work):  # chalk on a blackboard, a white pen on dark card
        work = 1.0 - work
    window = max(MIN_BACKGROUND_WINDOW, round(BACKGROUND_WINDOW_FRACTION * min(work.shape)))
    found = _find_digit(work, window, scale)
    if found.found:
        # The window must be wider than the strokes, which scale with the digit, not the photo:
        # a photo cropped tight around its digit needs a window that is wider for its size.
        rows, cols = np.nonzero(found.ink)
        digit_side = max(rows.max() - rows.min(), cols.max() - cols.min()) + 1
        wider = round(DIGIT_WINDOW_FRACTION * digit_side)
        if wider > 1.25 * window:
            second = _find_digit(work, wider, scale)
            if second.found:
                return second
    return found


def _find_digit(work: np.ndarray, window: int, scale: float) -> CleanedPhoto:
    """Steps 1-5 on the working copy (dark ink on light paper), with a closing of `window` px."""
    darkness = _darkness(work, window)
    darkness.flags.writeable = False
    strong = float(np.percentile(darkness, 99.7))
    if strong < MIN_DARKNESS:
        return _nothing(darkness, scale, NO_INK)
    high = max(otsu_threshold(darkness), RELATIVE_DARKNESS * strong, MIN_DARKNESS)
    inked = darkness > high
    inked &= ~ruled_lines(inked)
    digit = _digit_components(inked)
    if digit is None:
        return _nothing(darkness, scale, ONLY_CLUTTER)
    # The soft edge of the strokes (anti-aliasing, blur) lies below the threshold; take it back
    # from right around the kept strokes, not from the lines that were cut away.
    near = ndimage.binary_dilation(digit, iterations=2)
    ink = np.where(near & (darkness > 0.5 * high), darkness, np.float32(0.0)).astype(np.float32)
    ink.flags.writeable = False
    return CleanedPhoto(ink=ink, darkness=darkness, scale=scale, reason="")


def otsu_threshold(values: np.ndarray, bins: int = 256) -> float:
    """Otsu's threshold of values in [0, 1]: the level that maximises the between-class variance."""
    counts, edges = np.histogram(values, bins=bins, range=(0.0, 1.0))
    centres = (edges[:-1] + edges[1:]) / 2
    weight_low = np.cumsum(counts)
    weight_high = weight_low[-1] - weight_low
    mass_low = np.cumsum(counts * centres)
    mean_low = mass_low / np.maximum(weight_low, 1)
    mean_high = (mass_low[-1] - mass_low) / np.maximum(weight_high, 1)
    between = weight_low * weight_high * (mean_low - mean_high) ** 2
    return float(edges[int(np.argmax(between)) + 1])


def ruled_lines(inked: np.ndarray) -> np.ndarray:
    """The long, thin, nearly straight horizontal and vertical lines in the ink mask (bool mask).

    Only the thin part of the ink is searched (what an opening 5 px wide removes), so a thick
    stroke is never taken for a line; it is widened by 2 px across the line's direction, so a line
    tilted by a degree or so still holds one unbroken run of LINE_EXTENT times the shorter side.
    """
    thin = inked & ~ndimage.binary_opening(inked, structure=np.ones((5, 5), bool))
    length = max(3, round(LINE_EXTENT * min(inked.shape)))
    lines = np.zeros_like(inked)
    for axis in (0, 1):
        across = (5, 1) if axis == 1 else (1, 5)  # widen across the line's direction
        band = ndimage.binary_dilation(thin, structure=np.ones(across, bool))
        lines |= _opening_1d(band, length, axis)
    # The line's soft edge and the pixels where it meets a stroke go with it.
    return ndimage.binary_dilation(lines, iterations=1) & thin


def _opening_1d(mask: np.ndarray, length: int, axis: int) -> np.ndarray:
    """The pixels of `mask` on a straight run `length` px long along `axis` that is at least
    LINE_COVER inked: a tolerant opening, because a faint line breaks into dashes at the
    threshold. Sliding-window means make it O(pixels) whatever the length."""
    cover = ndimage.uniform_filter1d(mask.astype(np.float32), length, axis=axis, mode="constant")
    seeds = (cover >= LINE_COVER).astype(np.float32)
    return mask & (ndimage.uniform_filter1d(seeds, length, axis=axis, mode="constant") > 1e-4)


def _working_copy(gray: np.ndarray) -> tuple[np.ndarray, float]:
    height, width = gray.shape
    scale = min(1.0, WORK_SIDE / max(height, width))
    if scale == 1.0:
        return gray.astype(np.float32, copy=False), 1.0
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    # BOX averages every input pixel into the smaller image: no aliasing of paper grain or JPEG blocks.
    small = Image.fromarray(gray.astype(np.float32, copy=False)).resize(size, Image.Resampling.BOX)
    return np.asarray(small, dtype=np.float32), scale


def _ink_is_light(work: np.ndarray) -> bool:
    """Paper covers most of a photo: the ink is on whichever side of the median the long tail is.
    Without a clear bright tail (a blank sheet's grain is symmetric) it is dark ink on paper."""
    low, middle, high = np.percentile(work, [1, 50, 99])
    return (high - middle) > max(2.0 * (middle - low), MIN_CONTRAST)


def _darkness(work: np.ndarray, window: int) -> np.ndarray:
    """How much darker than the paper under it each pixel is (0 = paper, 1 = black)."""
    smooth = ndimage.uniform_filter(work, size=3)  # sensor noise and JPEG ringing, not strokes
    paper = ndimage.grey_closing(smooth, size=(window, window))
    for _ in range(MAX_WINDOW_WIDENINGS):
        if not _strokes_left_in(paper) or window >= min(work.shape):
            break
        window = min(min(work.shape), round(window * 1.6))
        paper = ndimage.grey_closing(smooth, size=(window, window))
    darkness = np.clip(1.0 - smooth / np.maximum(paper, 1e-3), 0.0, 1.0)
    # Dividing by dim paper magnifies its grain: ink must also be darker in absolute terms.
    darkness[paper - smooth < MIN_CONTRAST] = 0.0
    return darkness.astype(np.float32)


def _strokes_left_in(paper: np.ndarray) -> bool:
    """True when the paper field still holds a dark patch away from the border: strokes wider
    than the window (a thick pen, a photo cropped tight). Shadows and the desk come in from the
    border; a patch inside the sheet that dark is ink the closing could not remove."""
    dark = paper < DARK_PAPER * float(np.median(paper))
    if not dark.any():
        return False
    labels, count = ndimage.label(dark)
    edge_labels = np.unique(np.concatenate([labels[[0, -1], :].ravel(), labels[:, [0, -1]].ravel()]))
    return count > np.count_nonzero(edge_labels)


def _digit_components(inked: np.ndarray) -> np.ndarray | None:
    """The digit's components (bool mask): the main one near the centre and its close pieces."""
    labels, count = ndimage.label(inked, structure=np.ones((3, 3), bool))
    if count == 0:
        return None
    index = np.arange(1, count + 1)
    area = ndimage.sum_labels(inked, labels, index)
    centre_row, centre_col = np.asarray(ndimage.center_of_mass(inked, labels, index)).T
    boxes = ndimage.find_objects(labels)
    top = np.array([box[0].start for box in boxes])
    bottom = np.array([box[0].stop for box in boxes])
    left = np.array([box[1].start for box in boxes])
    right = np.array([box[1].stop for box in boxes])

    height, width = inked.shape
    touches = (top == 0) | (left == 0) | (bottom == height) | (right == width)
    off_row = np.abs(centre_row / height - 0.5)
    off_col = np.abs(centre_col / width - 0.5)
    central = (off_row < CENTRAL_FRACTION / 2) & (off_col < CENTRAL_FRACTION / 2)
    extent = np.maximum(bottom - top, right - left)
    # A ruled line or a sheet's edge: long (most of the photo) and thin (little ink for its length).
    line_like = (extent >= LINE_EXTENT * min(height, width)) & (area < LINE_FILL * extent.astype(float) ** 2)
    # A piece of a ruled line (cut by a shadow, the desk or the digit): a long, flat box.
    flat = np.minimum(bottom - top, right - left)
    line_like |= (extent >= SEGMENT_EXTENT * min(height, width)) & (flat <= SEGMENT_FLATNESS * extent + 4)
    # Whatever lies in the photo's outer frame is desk, a shadow's edge or the sheet's edge.
    in_frame = np.maximum(off_row, off_col) > 0.5 - EDGE_FRACTION
    # A digit cut by the photo's edge meets it over a stroke's width; a desk strip or a shadow's
    # edge runs along it.
    ring = np.zeros_like(inked)
    ring[[0, -1], :], ring[:, [0, -1]] = True, True
    along_border = ndimage.sum_labels(ring, labels, index) > MAX_BORDER_CONTACT * min(height, width)
    candidate = (~touches | (central & ~along_border)) & ~line_like & ~in_frame
    if not candidate.any():
        return None
    # The biggest component wins, discounted by its distance from the centre.
    weight = area * np.exp(-((off_row**2 + off_col**2) / (2 * 0.25**2)))
    main = int(np.argmax(np.where(candidate, weight, -1.0)))
    if area[main] < MIN_DIGIT_AREA * inked.size or extent[main] < MIN_DIGIT_EXTENT * min(height, width):
        return None  # specks, dashes left of a line

    # Grow the digit piece by piece: a fine pen's stroke breaks into dashes at the threshold, and
    # each piece joins when it is close to the box of the pieces kept so far.
    keep = np.zeros(count, bool)
    keep[main] = True
    sizeable = candidate & (area >= COMPANION_AREA * area[main])
    for _ in range(count):
        box_top, box_bottom = top[keep].min(), bottom[keep].max()
        box_left, box_right = left[keep].min(), right[keep].max()
        reach = COMPANION_GAP * max(box_bottom - box_top, box_right - box_left, extent[main])
        gap_rows = np.maximum(0, np.maximum(top - box_bottom, box_top - bottom))
        gap_cols = np.maximum(0, np.maximum(left - box_right, box_left - right))
        joining = sizeable & ~keep & (np.maximum(gap_rows, gap_cols) <= reach)
        if not joining.any():
            break
        keep |= joining
    return np.isin(labels, index[keep])


def _nothing(darkness: np.ndarray, scale: float, reason: str) -> CleanedPhoto:
    ink = np.zeros_like(darkness)
    ink.flags.writeable = False
    return CleanedPhoto(ink=ink, darkness=darkness, scale=scale, reason=reason)
