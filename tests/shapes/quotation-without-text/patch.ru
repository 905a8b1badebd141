DELETE { ?q oa:exact ?t } WHERE { <https://w3id.org/dckg/id/statement/test-report/plan-first-year> dckg:evidence ?q . ?q oa:exact ?t }
