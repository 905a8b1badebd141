DELETE DATA { <https://w3id.org/dckg/id/statement/test-report/alpha-widgets-rank> dckg:timeStated false } ;
INSERT DATA { <https://w3id.org/dckg/id/statement/test-report/alpha-widgets-rank> dckg:timeStated "no" }
