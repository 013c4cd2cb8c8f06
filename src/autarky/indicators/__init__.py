"""Innovation inputs, published series and targets, and trajectories against targets."""
