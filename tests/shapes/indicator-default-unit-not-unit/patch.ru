DELETE DATA { <https://w3id.org/dckg/id/indicator/widgets> dckg:defaultUnit unit:NUM } ;
INSERT DATA { <https://w3id.org/dckg/id/indicator/widgets> dckg:defaultUnit <https://w3id.org/dckg/id/area/alpha> }
