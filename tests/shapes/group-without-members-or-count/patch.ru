DELETE { <https://w3id.org/dckg/id/statement/test-report/top-gadgets> dckg:declaredCount ?c ;
dckg:member ?m } WHERE { <https://w3id.org/dckg/id/statement/test-report/top-gadgets> dckg:declaredCount ?c ;
dckg:member ?m }
