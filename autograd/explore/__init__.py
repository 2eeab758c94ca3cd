"""The step-through Explorer: the forward pass node by node, then the backward pass, in Jupyter or a page."""

from autograd.explore.steps import explore, walkthrough

__all__ = ["explore", "walkthrough"]
