INSERT DATA { <https://w3id.org/dckg/id/source/test-report> schema:isBasedOn <https://w3id.org/dckg/id/area/alpha> }
