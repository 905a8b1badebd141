DELETE { <https://w3id.org/dckg/id/area/alpha> rdfs:label ?l } WHERE { <https://w3id.org/dckg/id/area/alpha> rdfs:label ?l FILTER(lang(?l)="zh") }
