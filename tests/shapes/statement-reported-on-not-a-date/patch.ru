DELETE { <https://w3id.org/dckg/id/statement/test-report/alpha-widgets-rank> dckg:reportedOn ?d } WHERE { <https://w3id.org/dckg/id/statement/test-report/alpha-widgets-rank> dckg:reportedOn ?d } ;
INSERT DATA { <https://w3id.org/dckg/id/statement/test-report/alpha-widgets-rank> dckg:reportedOn "last July" }
