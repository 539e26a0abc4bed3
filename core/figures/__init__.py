"""Pictures of what core computes, as Plotly figures, images and canvas frames: arrays in, figures out.

Figures import the packages they draw (core.playground, core.mnist); those never import figures.

Shared look:
- `palette`: the Playground's colours (colour-blind safe), class markers, colour scales, and which
  points are drawn.
- `plotly_base`: how every Playground Plotly figure is built lean (it is redrawn many times).
- `boundary_colours`: the decision boundary as heat-map values and as an RGB image.

The Playground:
- `live_frames`: the live view (boundary, points, curves, network diagram) as compact frames of
  numbers that the page's canvas draws in the browser, playing and paused.
- `playground`: Plotly figures of the boundary (the comparison tab) and loss curves, and the
  page's one import of the others.
- `playground_network`: the network diagram as a Plotly figure and one neuron's output (inspector).
- `playground_experiments`: the optimizer race.
- `training_gif`: the boundary over training as an animated GIF.

The MNIST and Draw pages:
- `images`: training curves, confusion matrix, image grids, PCA map, probabilities.

The Learn page:
- `lesson`: an activation curve, the loss over update steps, the initialization comparison.
"""
