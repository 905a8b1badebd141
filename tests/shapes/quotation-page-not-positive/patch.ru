DELETE { ?q dckg:page ?p } INSERT { ?q dckg:page "0"^^xsd:integer } WHERE { <https://w3id.org/dckg/id/statement/test-report/plan-first-year> dckg:evidence ?q . ?q dckg:page ?p }
