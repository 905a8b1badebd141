INSERT DATA { <https://w3id.org/dckg/id/source/test-report> schema:editor <https://w3id.org/dckg/id/org/test-office> }
