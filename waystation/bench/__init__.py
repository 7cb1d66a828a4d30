"""`waystation bench`: the whole system under load, each figure beside a raw Redis baseline."""
