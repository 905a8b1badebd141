INSERT DATA { <https://w3id.org/dckg/id/source/test-report> dckg:compiler <https://w3id.org/dckg/id/org/test-office> }
