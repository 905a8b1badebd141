DELETE DATA { <https://w3id.org/dckg/id/area/beta> dckg:adminCode "980000" } ;
INSERT DATA { <https://w3id.org/dckg/id/area/beta> dckg:adminCode "980100" }
