DELETE { <https://w3id.org/dckg/id/dataset/test-codes> dcterms:source ?s } WHERE { <https://w3id.org/dckg/id/dataset/test-codes> dcterms:source ?s }
