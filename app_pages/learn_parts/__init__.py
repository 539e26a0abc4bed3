"""Tabs of the Learn page that teach intuition (learning rate, optimizers, NumPy shapes)."""
