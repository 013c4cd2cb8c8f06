"""One module per area; each holds a thin ``router`` over that area's library functions."""
