DELETE DATA { <https://w3id.org/dckg/id/statement/test-report/alpha-widgets-rank> dckg:unit <https://w3id.org/dckg/id/unit/rank> } ;
INSERT DATA { <https://w3id.org/dckg/id/statement/test-report/alpha-widgets-rank> dckg:unit <https://w3id.org/dckg/id/unit/furlong> }
