INSERT DATA { <https://w3id.org/dckg/id/statement/test-report/alpha-widgets-rank> dckg:refPeriod <https://w3id.org/dckg/id/period/2021> }
