"""Pure ML core: Home Credit schema, data, features, training, scoring and explanations."""
