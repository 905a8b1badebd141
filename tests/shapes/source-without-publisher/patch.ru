DELETE DATA { <https://w3id.org/dckg/id/source/test-report> schema:publisher <https://w3id.org/dckg/id/org/test-office> }
