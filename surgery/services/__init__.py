"""The rules and the unit of work: each public function is one verb, committing once."""
