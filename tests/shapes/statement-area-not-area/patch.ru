DELETE DATA { <https://w3id.org/dckg/id/statement/test-report/widget-share-2021> dckg:area <https://w3id.org/dckg/id/area/alpha> } ;
INSERT DATA { <https://w3id.org/dckg/id/statement/test-report/widget-share-2021> dckg:area <https://w3id.org/dckg/id/indicator/widgets> }
