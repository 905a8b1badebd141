DELETE DATA { <https://w3id.org/dckg/id/statement/test-report/top-gadgets> dckg:dimension <https://w3id.org/dckg/id/dimension/gadgets> } ;
INSERT DATA { <https://w3id.org/dckg/id/statement/test-report/top-gadgets> dckg:dimension <https://w3id.org/dckg/id/indicator/widgets> }
