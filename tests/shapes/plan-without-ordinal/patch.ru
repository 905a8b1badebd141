DELETE { <https://w3id.org/dckg/id/plan/test-plan> dckg:ordinal ?o } WHERE { <https://w3id.org/dckg/id/plan/test-plan> dckg:ordinal ?o }
