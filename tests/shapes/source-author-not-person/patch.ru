DELETE DATA { <https://w3id.org/dckg/id/source/test-report> schema:author <https://w3id.org/dckg/id/person/test-writer> } ;
INSERT DATA { <https://w3id.org/dckg/id/source/test-report> schema:author <https://w3id.org/dckg/id/org/test-office> }
