DELETE DATA { <https://w3id.org/dckg/id/area/beta> dckg:parentArea <https://w3id.org/dckg/id/area/testland> }
