DELETE DATA { <https://w3id.org/dckg/id/plan/test-plan> dckg:planPeriod <https://w3id.org/dckg/id/period/2021-2025> }
