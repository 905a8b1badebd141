DELETE DATA { <https://w3id.org/dckg/id/evaluation/test-evaluation> prov:wasAssociatedWith <https://w3id.org/dckg/id/org/test-office> }
