DELETE DATA { <https://w3id.org/dckg/id/statement/test-report/plan-first-year> prov:wasDerivedFrom <https://w3id.org/dckg/id/source/test-report> }
