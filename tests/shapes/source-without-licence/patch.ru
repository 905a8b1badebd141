DELETE DATA { <https://w3id.org/dckg/id/source/test-report> dcterms:license <https://creativecommons.org/licenses/by/4.0/> }
