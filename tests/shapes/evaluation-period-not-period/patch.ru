DELETE DATA { <https://w3id.org/dckg/id/evaluation/test-evaluation> dckg:evaluationPeriod <https://w3id.org/dckg/id/period/2021> } ;
INSERT DATA { <https://w3id.org/dckg/id/evaluation/test-evaluation> dckg:evaluationPeriod <https://w3id.org/dckg/id/area/alpha> }
