DELETE { <https://w3id.org/dckg/id/person/test-writer> rdfs:label ?l } WHERE { <https://w3id.org/dckg/id/person/test-writer> rdfs:label ?l FILTER(lang(?l)="zh") }
