DELETE DATA { <https://w3id.org/dckg/id/scheme/indicators> rdfs:label "dckg指标体系"@zh }
