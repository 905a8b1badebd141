DELETE WHERE { dckg:locatedIn rdfs:range ?r }
