DELETE DATA { <https://w3id.org/dckg/id/statement/test-report/widgets-2021> a dckg:Observation }
