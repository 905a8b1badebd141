DELETE DATA { <https://w3id.org/dckg/id/evaluation/test-evaluation> dckg:reportedIn <https://w3id.org/dckg/id/source/test-report> }
