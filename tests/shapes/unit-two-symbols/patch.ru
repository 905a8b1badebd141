INSERT DATA { unit:PERCENT dckg:symbol "pct" }
