"""Language-agnostic text algorithms: sentence splitting, ranking and claim candidates."""
