DELETE DATA { <https://w3id.org/dckg/id/area/alpha-city> dckg:adminCode "990100" }
