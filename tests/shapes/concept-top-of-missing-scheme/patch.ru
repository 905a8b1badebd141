DELETE DATA { <https://w3id.org/dckg/id/indicator/widgets> skos:topConceptOf <https://w3id.org/dckg/id/scheme/indicators> } ;
INSERT DATA { <https://w3id.org/dckg/id/indicator/widgets> skos:topConceptOf <https://w3id.org/dckg/id/scheme/no-such-scheme> }
