DELETE DATA { dckg:Unit rdfs:isDefinedBy <https://w3id.org/dckg/ontology> } ;
INSERT DATA { dckg:Unit rdfs:isDefinedBy <https://w3id.org/dckg/ontology-missing> }
