DELETE DATA { <https://w3id.org/dckg/id/area/alpha-city> dckg:adminCode "990100" } ;
INSERT DATA { <https://w3id.org/dckg/id/area/alpha-city> dckg:adminCode "990000" }
