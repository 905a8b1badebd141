DELETE { <https://w3id.org/dckg/id/indicator/widgets> skos:prefLabel ?l } WHERE { <https://w3id.org/dckg/id/indicator/widgets> skos:prefLabel ?l }
