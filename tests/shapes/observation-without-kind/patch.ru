DELETE DATA { <https://w3id.org/dckg/id/statement/test-report/widgets-2021> dckg:statementKind dckg:Total }
