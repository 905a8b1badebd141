DELETE { <https://w3id.org/dckg/id/source/test-report> schema:datePublished ?d } WHERE { <https://w3id.org/dckg/id/source/test-report> schema:datePublished ?d } ;
INSERT DATA { <https://w3id.org/dckg/id/source/test-report> schema:datePublished "July 2022" }
