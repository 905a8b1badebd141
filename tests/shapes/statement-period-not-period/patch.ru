DELETE DATA { <https://w3id.org/dckg/id/statement/test-report/plan-first-year> dckg:refPeriod <https://w3id.org/dckg/id/period/2021> } ;
INSERT DATA { <https://w3id.org/dckg/id/statement/test-report/plan-first-year> dckg:refPeriod <https://w3id.org/dckg/id/area/alpha> }
