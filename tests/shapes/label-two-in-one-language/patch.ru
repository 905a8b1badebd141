INSERT DATA { <https://w3id.org/dckg/id/area/alpha> rdfs:label "Alpha Province"@en }
