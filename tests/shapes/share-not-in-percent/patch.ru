DELETE DATA { <https://w3id.org/dckg/id/statement/test-report/widget-share-2021> dckg:unit unit:PERCENT } ;
INSERT DATA { <https://w3id.org/dckg/id/statement/test-report/widget-share-2021> dckg:unit <https://w3id.org/dckg/id/unit/rank> }
