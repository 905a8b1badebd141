DELETE DATA { <https://w3id.org/dckg/id/statement/test-report/top-gadgets> dckg:groupKind dckg:TopTen }
