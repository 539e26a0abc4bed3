"""Digits as the network sees them: preprocessing, augmentation, uploads and prediction.

* `digits`: a drawn or photographed digit -> the 28x28 image MNIST's own recipe would give;
* `augment`: random shifts, rotations, zooms and stroke widths of a whole batch at once;
* `uploads`: an untrusted PNG/JPEG upload, validated and decoded;
* `prediction`: image -> preprocessing -> the model's guess, hidden activations and timing;
* `shipped_model`: the MNIST model that ships with the app (models/mnist-mlp.npz).
"""
