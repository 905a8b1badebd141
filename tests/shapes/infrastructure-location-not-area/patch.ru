DELETE DATA { <https://w3id.org/dckg/id/infrastructure/test-system> dckg:locatedIn <https://w3id.org/dckg/id/area/testland> } ;
INSERT DATA { <https://w3id.org/dckg/id/infrastructure/test-system> dckg:locatedIn <https://w3id.org/dckg/id/indicator/widgets> }
