DELETE DATA { <https://w3id.org/dckg/id/statement/test-report/top-gadgets> dckg:member <https://w3id.org/dckg/id/area/beta> } ;
INSERT DATA { <https://w3id.org/dckg/id/statement/test-report/top-gadgets> dckg:member <https://w3id.org/dckg/id/area/no-such-area> }
