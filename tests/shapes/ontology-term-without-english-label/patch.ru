DELETE DATA { dckg:Unit rdfs:label "unit"@en }
