DELETE { <https://w3id.org/dckg/id/statement/test-report/alpha-widgets-rank> dckg:value ?v } WHERE { <https://w3id.org/dckg/id/statement/test-report/alpha-widgets-rank> dckg:value ?v } ;
INSERT DATA { <https://w3id.org/dckg/id/statement/test-report/alpha-widgets-rank> dckg:value 0 }
