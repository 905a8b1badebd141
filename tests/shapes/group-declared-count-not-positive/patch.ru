DELETE { <https://w3id.org/dckg/id/statement/test-report/top-gadgets> dckg:declaredCount ?c } WHERE { <https://w3id.org/dckg/id/statement/test-report/top-gadgets> dckg:declaredCount ?c } ;
INSERT DATA { <https://w3id.org/dckg/id/statement/test-report/top-gadgets> dckg:declaredCount "0"^^xsd:integer }
