DELETE DATA { <https://w3id.org/dckg/id/area/alpha-city> dckg:parentArea <https://w3id.org/dckg/id/area/alpha> } ;
INSERT DATA { <https://w3id.org/dckg/id/area/alpha-city> dckg:parentArea <https://w3id.org/dckg/id/area/nowhere> }
