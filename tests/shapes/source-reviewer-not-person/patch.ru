INSERT DATA { <https://w3id.org/dckg/id/source/test-report> dckg:reviewer <https://w3id.org/dckg/id/org/test-office> }
