DELETE DATA { <https://w3id.org/dckg/id/infrastructure/test-node> dckg:locatedIn <https://w3id.org/dckg/id/area/alpha-city> }
