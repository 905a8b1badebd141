DELETE DATA { <https://w3id.org/dckg/id/area/alpha> dckg:adminCode "990000" } ;
INSERT DATA { <https://w3id.org/dckg/id/area/alpha> dckg:adminCode 990000 }
