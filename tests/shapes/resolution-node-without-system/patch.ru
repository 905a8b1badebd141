DELETE DATA { <https://w3id.org/dckg/id/infrastructure/test-node> dckg:partOf <https://w3id.org/dckg/id/infrastructure/test-system> }
