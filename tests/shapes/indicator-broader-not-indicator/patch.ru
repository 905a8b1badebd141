DELETE DATA { <https://w3id.org/dckg/id/indicator/widget-share> skos:broader <https://w3id.org/dckg/id/indicator/widgets> } ;
INSERT DATA { <https://w3id.org/dckg/id/indicator/widget-share> skos:broader <https://w3id.org/dckg/id/dimension/gadgets> }
