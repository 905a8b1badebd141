DELETE { <https://w3id.org/dckg/id/source/test-report> dcterms:title ?t } WHERE { <https://w3id.org/dckg/id/source/test-report> dcterms:title ?t }
