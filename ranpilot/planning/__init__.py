"""Planning: what the agent sees of a target (situation), candidate generators, embedded and LLM planners."""
