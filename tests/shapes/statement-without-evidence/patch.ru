DELETE { <https://w3id.org/dckg/id/statement/test-report/plan-first-year> dckg:evidence ?q } WHERE { <https://w3id.org/dckg/id/statement/test-report/plan-first-year> dckg:evidence ?q }
