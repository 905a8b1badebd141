DELETE { <https://w3id.org/dckg/id/source/test-report> dckg:pageCount ?n } WHERE { <https://w3id.org/dckg/id/source/test-report> dckg:pageCount ?n } ;
INSERT DATA { <https://w3id.org/dckg/id/source/test-report> dckg:pageCount "0"^^xsd:integer }
