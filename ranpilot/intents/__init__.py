"""Operator intents: the TS 28.312 model, the embedded parser, and fulfilment on a network."""
