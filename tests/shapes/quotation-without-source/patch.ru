DELETE { ?q prov:wasQuotedFrom ?s } WHERE { <https://w3id.org/dckg/id/statement/test-report/plan-first-year> dckg:evidence ?q . ?q prov:wasQuotedFrom ?s }
