DELETE WHERE { dckg:ordinal rdfs:domain ?d }
