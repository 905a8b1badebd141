DELETE DATA { <https://w3id.org/dckg/id/statement/test-report/plan-first-year> dckg:about <https://w3id.org/dckg/id/plan/test-plan> } ;
INSERT DATA { <https://w3id.org/dckg/id/statement/test-report/plan-first-year> dckg:about <https://w3id.org/dckg/id/plan/no-such-plan> }
