DELETE { <https://w3id.org/dckg/id/indicator/widgets> skos:definition ?d } WHERE { <https://w3id.org/dckg/id/indicator/widgets> skos:definition ?d }
