DELETE { ?q oa:exact ?t } INSERT { ?q oa:exact "2021 est la première année"@fr } WHERE { <https://w3id.org/dckg/id/statement/test-report/plan-first-year> dckg:evidence ?q . ?q oa:exact ?t }
