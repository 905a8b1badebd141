INSERT DATA { <https://w3id.org/dckg/id/infrastructure/test-system> dckg:partOf <https://w3id.org/dckg/id/area/alpha> }
