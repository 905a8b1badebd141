DELETE { <https://w3id.org/dckg/id/indicator/widgets> skos:inScheme ?s } WHERE { <https://w3id.org/dckg/id/indicator/widgets> skos:inScheme ?s }
