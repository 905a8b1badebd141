DELETE { <https://w3id.org/dckg/id/source/test-report> schema:datePublished ?d } WHERE { <https://w3id.org/dckg/id/source/test-report> schema:datePublished ?d }
