"""Wireless-native model tools and CVXPY optimizers, each a typed function with pydantic input and output."""
